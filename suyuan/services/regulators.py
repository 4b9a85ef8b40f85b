"""Regulator accounts (seed 001): a region, permissions per console module, edits,
deactivation (注销) and password resets by the platform admin."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from suyuan.extensions import db
from suyuan.models import User
from suyuan.regions import NATIONAL
from suyuan.services.accounts import create_user, hash_password, revoke_sessions
from suyuan.services.errors import DomainError
from suyuan.validators import region_error

#: The console modules a regulator can be granted, in menu order. A regulator without a
#: module's permission is refused (403) on every page of that module.
MODULES = {
    "filings": _l("Filing review"),
    "enterprises": _l("Enterprises, products and batches"),
    "recalls": _l("Recalls and non-conformance"),
    "flow": _l("Goods flow and tracing"),
    "notices": _l("Notices"),
    "analytics": _l("Analytics"),
}


def check_region(region: str) -> str:
    region = (region or "").strip()
    if region != NATIONAL and region_error(region):
        raise DomainError(
            _("Enter 000000 for national, or a six-digit GB/T 2260 region code, e.g. 620000."),
            field="region",
        )
    return region


def clean_modules(modules) -> str:
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        raise DomainError(_("Unknown module: %(name)s.", name=unknown[0]), field="modules")
    return " ".join(m for m in MODULES if m in modules)


def granted_modules(user: User) -> list[str]:
    return [m for m in MODULES if user.has_module(m)]


def create_regulator(email: str, name: str, password: str, region: str, modules) -> User:
    user = create_user(email, name, password, regulator_region=check_region(region))
    user.regulator_modules = clean_modules(modules)
    db.session.flush()
    return user


def update_regulator(user: User, name: str, region: str, modules) -> User:
    """Change a regulator's name, region or modules. A narrower scope takes effect on the next
    request: every page checks the region and modules from the database."""
    _refuse_non_regulator(user)
    user.name = name.strip()
    user.regulator_region = check_region(region)
    user.regulator_modules = clean_modules(modules)
    db.session.flush()
    return user


def reset_password(user: User, password: str) -> None:
    """A new password set by the platform admin; the account's sessions end at once."""
    _refuse_non_regulator(user)
    if len(password) < 10:
        raise DomainError(_("A password has at least 10 characters."), field="password")
    user.password_hash = hash_password(password)
    revoke_sessions(user)


def _refuse_non_regulator(user: User) -> None:
    if not user.is_regulator:
        raise DomainError(_("This account is not a regulator."))
