"""Enterprises: self-service registration, profile edits and production areas."""

from flask_babel import gettext as _
from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import Enterprise, Filing, User
from suyuan.services.accounts import add_member, create_user
from suyuan.services.errors import Conflict

ENTERPRISE_FIELDS = (
    "name",
    "credit_code",
    "region_code",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
)


def register_enterprise(account: dict, enterprise: dict) -> tuple[User, Enterprise]:
    """Create the enterprise, its first user (recorder and admin) and a draft enterprise filing."""
    credit_code = enterprise["credit_code"].strip().upper()
    if db.session.scalar(select(Enterprise.id).where(Enterprise.credit_code == credit_code)):
        raise Conflict(
            _("An enterprise with this unified social credit code is already registered."),
            field="credit_code",
        )
    user = create_user(account["email"], account["name"], account["password"])
    values = {field: enterprise[field].strip() for field in ENTERPRISE_FIELDS}
    values["credit_code"] = credit_code
    ent = Enterprise(**values, profile=enterprise.get("profile", ""))
    db.session.add(ent)
    db.session.flush()
    add_member(user, ent, is_recorder=True, is_admin=True)
    db.session.add(Filing(enterprise=ent, kind="enterprise"))
    db.session.flush()
    return user, ent
