"""Enterprises: self-service registration, profile edits, members and production areas."""

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from suyuan.extensions import db
from suyuan.models import Batch, Enterprise, Filing, Membership, ProductionArea, User
from suyuan.services.accounts import add_member, create_user
from suyuan.services.errors import Conflict, NotAllowed
from suyuan.services.filings import ENTERPRISE_FILED_FIELDS, in_region, refuse_locked_changes

#: The fields a registration asks for are exactly those the enterprise filing covers.
ENTERPRISE_FIELDS = ENTERPRISE_FILED_FIELDS
PROFILE_FIELDS = (*ENTERPRISE_FIELDS, "profile")
AREA_FIELDS = ("name", "location", "area_size", "description")
MEMBER_ROLES = {"recorder": (True, False), "admin": (False, True), "both": (True, True)}


def _clean(values: dict, fields) -> dict:
    return {f: (values[f] or "").strip() for f in fields if f in values}


def _refuse_taken_credit_code(credit_code: str, enterprise: Enterprise | None = None) -> None:
    query = select(Enterprise.id).where(Enterprise.credit_code == credit_code)
    if enterprise is not None:
        query = query.where(Enterprise.id != enterprise.id)
    if db.session.scalar(query):
        raise Conflict(
            _("An enterprise with this unified social credit code is already registered."),
            field="credit_code",
        )


def register_enterprise(account: dict, enterprise: dict) -> tuple[User, Enterprise]:
    """Create the enterprise, its first user (recorder and admin) and a draft enterprise filing."""
    values = _clean(enterprise, ENTERPRISE_FIELDS)
    values["credit_code"] = values["credit_code"].upper()
    _refuse_taken_credit_code(values["credit_code"])
    user = create_user(account["email"], account["name"], account["password"])
    ent = Enterprise(**values, profile=enterprise.get("profile", ""))
    db.session.add(ent)
    db.session.flush()
    add_member(user, ent, is_recorder=True, is_admin=True)
    db.session.add(Filing(enterprise=ent, kind="enterprise"))
    db.session.flush()
    return user, ent


def update_enterprise(enterprise: Enterprise, values: dict) -> None:
    """Edit the profile; fields the enterprise filing covers are pinned while it is in review
    or approved."""
    values = _clean(values, PROFILE_FIELDS)
    if "credit_code" in values:
        values["credit_code"] = values["credit_code"].upper()
    refuse_locked_changes(enterprise.enterprise_filing, enterprise, values)
    if "credit_code" in values:
        _refuse_taken_credit_code(values["credit_code"], enterprise)
    for field, value in values.items():
        setattr(enterprise, field, value)
    db.session.flush()


def enterprises_query(region: str, *, q: str = "", status: str | None = None):
    """Enterprises inside a regulator's region, filtered in SQL."""
    query = (
        select(Enterprise)
        .outerjoin(Filing, (Filing.enterprise_id == Enterprise.id) & (Filing.kind == "enterprise"))
        .where(in_region(region))
    )
    if q:
        pattern = f"%{q.strip()}%"
        query = query.where(
            or_(Enterprise.name.ilike(pattern), Enterprise.credit_code.ilike(pattern))
        )
    if status:
        query = query.where(Filing.status == status)
    return query.order_by(Enterprise.name, Enterprise.id)


# Members


def add_enterprise_member(enterprise: Enterprise, name: str, email: str, password: str, roles):
    """A new account inside the enterprise with the roles ``recorder``, ``admin`` or ``both``."""
    is_recorder, is_admin = MEMBER_ROLES[roles]
    user = create_user(email, name, password)
    add_member(user, enterprise, is_recorder=is_recorder, is_admin=is_admin)
    return user


def _admin_count(enterprise: Enterprise) -> int:
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.enterprise_id == enterprise.id, Membership.is_admin.is_(True)
        )
    )


def grant_member_role(membership: Membership, role: str) -> None:
    setattr(membership, _role_attr(role), True)
    db.session.flush()


def remove_member_role(membership: Membership, role: str) -> bool:
    """Take ``role`` away; a member left without any role leaves the enterprise (True).

    The enterprise keeps at least one admin, or nobody could file or publish any more.
    """
    attr = _role_attr(role)
    if role == "admin" and membership.is_admin and _admin_count(membership.enterprise) <= 1:
        raise NotAllowed(
            _("The enterprise needs at least one admin: grant the role to someone else first.")
        )
    setattr(membership, attr, False)
    if membership.is_recorder or membership.is_admin:
        db.session.flush()
        return False
    db.session.delete(membership)
    db.session.flush()
    return True


def _role_attr(role: str) -> str:
    if role not in ("recorder", "admin"):
        raise NotAllowed(_("Unknown role."))
    return f"is_{role}"


# Production areas (生产区)


def _refuse_taken_area_name(enterprise, name, area=None) -> None:
    query = select(ProductionArea.id).where(
        ProductionArea.enterprise_id == enterprise.id, ProductionArea.name == name
    )
    if area is not None:
        query = query.where(ProductionArea.id != area.id)
    if db.session.scalar(query):
        raise Conflict(
            _("Your enterprise already has a production area with this name."), field="name"
        )


def create_area(enterprise: Enterprise, values: dict) -> ProductionArea:
    values = _clean(values, AREA_FIELDS)
    _refuse_taken_area_name(enterprise, values["name"])
    area = ProductionArea(enterprise=enterprise, **values)
    db.session.add(area)
    db.session.flush()
    return area


def update_area(area: ProductionArea, values: dict) -> None:
    values = _clean(values, AREA_FIELDS)
    _refuse_taken_area_name(area.enterprise, values.get("name", area.name), area)
    for field, value in values.items():
        setattr(area, field, value)
    db.session.flush()


def area_batch_count(area: ProductionArea) -> int:
    return db.session.scalar(
        select(func.count(Batch.id)).where(Batch.production_area_id == area.id)
    )


def delete_area(area: ProductionArea) -> None:
    if area_batch_count(area):
        raise NotAllowed(_("Batches were produced in this area: it cannot be deleted."))
    db.session.delete(area)
    db.session.flush()
