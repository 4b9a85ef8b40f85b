"""Suppliers and sales customers (供应商 / 销售客户) of an enterprise.

A counterparty whose unified social credit code is a platform enterprise's is linked to it
automatically: documents with it are then matched (勾兑) with that enterprise's own.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from suyuan.extensions import db
from suyuan.models import Counterparty, Enterprise
from suyuan.models.flow import COUNTERPARTY_ROLES, COUNTERPARTY_STATUSES, COUNTERPARTY_TYPES
from suyuan.services.errors import Conflict, DomainError, NotAllowed
from suyuan.validators import credit_code_error, region_error

TEXT_LIMITS = {
    "name": 200,
    "contact_name": 64,
    "contact_phone": 64,
    "address": 200,
    "legal_representative": 64,
    "licence_number": 64,
}
SUPPLIER_ROLES = ("supplier", "both")
CUSTOMER_ROLES = ("customer", "both")


def create_counterparty(enterprise: Enterprise, values: dict) -> Counterparty:
    fields = _checked(enterprise, values, None)
    counterparty = Counterparty(enterprise_id=enterprise.id, **fields)
    db.session.add(counterparty)
    db.session.flush()
    return counterparty


def update_counterparty(counterparty: Counterparty, values: dict) -> Counterparty:
    fields = _checked(counterparty.enterprise, values, counterparty)
    for name, value in fields.items():
        setattr(counterparty, name, value)
    db.session.flush()
    return counterparty


def set_counterparty_status(counterparty: Counterparty, status: str) -> Counterparty:
    """Disable (or enable again): a disabled counterparty cannot be chosen on new documents;
    documents already made with it stay as they are."""
    if status not in COUNTERPARTY_STATUSES:
        raise DomainError(_("Unknown status."))
    counterparty.status = status
    db.session.flush()
    return counterparty


def counterparty_for(enterprise: Enterprise, partner: Enterprise, role: str) -> Counterparty:
    """``enterprise``'s counterparty record for platform enterprise ``partner``, created from
    the partner's profile when the enterprise has none yet (a matched document needs one)."""
    found = db.session.scalar(
        select(Counterparty).where(
            Counterparty.enterprise_id == enterprise.id,
            Counterparty.credit_code == partner.credit_code,
        )
    )
    if found is not None:
        if found.linked_enterprise_id is None:
            found.linked_enterprise_id = partner.id
        return found
    counterparty = Counterparty(
        enterprise_id=enterprise.id,
        role=role,
        business_type="other",
        name=partner.name,
        credit_code=partner.credit_code,
        contact_name=partner.contact_name,
        contact_phone=partner.contact_phone,
        region_code=partner.region_code,
        address=partner.address,
        legal_representative=partner.legal_representative,
        linked_enterprise_id=partner.id,
    )
    db.session.add(counterparty)
    db.session.flush()
    return counterparty


def counterparties_query(
    enterprise: Enterprise, q: str = "", role: str = "", status: str = "", linked: str = ""
):
    """The enterprise's counterparties for the list page, by name."""
    query = (
        select(Counterparty)
        .where(Counterparty.enterprise_id == enterprise.id)
        .order_by(Counterparty.name, Counterparty.id)
    )
    if q.strip():
        query = query.where(
            or_(
                Counterparty.name.contains(q.strip(), autoescape=True),
                Counterparty.credit_code.contains(q.strip().upper(), autoescape=True),
                Counterparty.contact_name.contains(q.strip(), autoescape=True),
            )
        )
    if role == "supplier":
        query = query.where(Counterparty.role.in_(SUPPLIER_ROLES))
    elif role == "customer":
        query = query.where(Counterparty.role.in_(CUSTOMER_ROLES))
    if status in COUNTERPARTY_STATUSES:
        query = query.where(Counterparty.status == status)
    if linked == "yes":
        query = query.where(Counterparty.linked_enterprise_id.is_not(None))
    elif linked == "no":
        query = query.where(Counterparty.linked_enterprise_id.is_(None))
    return query


def usable_counterparties(enterprise: Enterprise, roles) -> list[Counterparty]:
    return list(
        db.session.scalars(
            select(Counterparty)
            .where(
                Counterparty.enterprise_id == enterprise.id,
                Counterparty.status == "normal",
                Counterparty.role.in_(roles),
            )
            .order_by(Counterparty.name)
        )
    )


def _checked(enterprise, values: dict, counterparty: Counterparty | None) -> dict:
    fields = {name: (values.get(name) or "").strip() for name in TEXT_LIMITS}
    for name, limit in TEXT_LIMITS.items():
        if len(fields[name]) > limit:
            raise DomainError(_("At most %(n)s characters.", n=limit), field=name)
    if not fields["name"]:
        raise DomainError(_("Enter the name."), field="name")
    fields["role"] = _choice(values.get("role"), COUNTERPARTY_ROLES, "role")
    fields["business_type"] = _choice(
        values.get("business_type"), COUNTERPARTY_TYPES, "business_type"
    )
    fields["credit_code"] = _credit_code(enterprise, values.get("credit_code"), counterparty)
    fields["region_code"] = (values.get("region_code") or "").strip()
    if region_error(fields["region_code"]):
        raise DomainError(
            _("Enter a six-digit GB/T 2260 region code, e.g. 620100."), field="region_code"
        )
    valid_until = values.get("licence_valid_until")
    if valid_until is not None and not isinstance(valid_until, date):
        raise DomainError(_("Enter a date."), field="licence_valid_until")
    fields["licence_valid_until"] = valid_until
    linked = db.session.scalar(
        select(Enterprise.id).where(Enterprise.credit_code == fields["credit_code"])
    )
    fields["linked_enterprise_id"] = linked
    return fields


def _choice(value, allowed, field: str) -> str:
    if value not in allowed:
        raise DomainError(_("Choose one of the options."), field=field)
    return value


def _credit_code(enterprise, value, counterparty) -> str:
    code = (value or "").strip().upper()
    if credit_code_error(code):
        raise DomainError(
            _("Enter a valid 18-character unified social credit code."), field="credit_code"
        )
    if code == enterprise.credit_code:
        raise NotAllowed(_("An enterprise is not its own counterparty."), field="credit_code")
    query = select(Counterparty.id).where(
        Counterparty.enterprise_id == enterprise.id, Counterparty.credit_code == code
    )
    if counterparty is not None:
        query = query.where(Counterparty.id != counterparty.id)
    if db.session.scalar(query):
        raise Conflict(
            _("A counterparty with this unified social credit code already exists."),
            field="credit_code",
        )
    return code
