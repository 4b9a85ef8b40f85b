"""Accounts: password hashing, users, login throttling support and session revocation."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select

from suyuan.extensions import db
from suyuan.models import Membership, User
from suyuan.services.errors import Conflict, DomainError

_HASHER = PasswordHasher()
# Tests and the demo seed hash many passwords; the cost is set to OWASP's minimum there only.
_FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


def _hasher() -> PasswordHasher:
    return _FAST_HASHER if current_app.config.get("PASSWORD_HASH_FAST") else _HASHER


@cache
def _dummy_hash_for(fast: bool) -> str:
    return _hasher().hash("dummy password for unknown accounts")


def _dummy_hash() -> str:
    return _dummy_hash_for(bool(current_app.config.get("PASSWORD_HASH_FAST")))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(user: User | None, password: str) -> bool:
    """Verify ``password``; for no user, spend the same time on a dummy hash, so the answer
    time does not tell whether an account exists."""
    try:
        if user is None:
            _HASHER.verify(_dummy_hash(), "\x00" + password)  # never matches: a NUL prefix
            return False
        return _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


MIN_PASSWORD = 10
MAX_PASSWORD = 128


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of real breaches (the list zxcvbn ships)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str = "") -> str | None:
    """Why ``password`` is refused (length, a common password, the e-mail), or None."""
    from flask_babel import gettext as _

    if len(password) < MIN_PASSWORD:
        return _("Use at least %(n)d characters.", n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        return _("Use at most %(n)d characters.", n=MAX_PASSWORD)
    folded = password.casefold()
    local_part = email.strip().casefold().partition("@")[0]
    if folded in common_passwords() or (local_part and local_part in folded):
        return _(
            "This password is too easy to guess: it is a common password or contains your "
            "e-mail name. Choose another."
        )
    return None


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    email: str,
    name: str,
    password: str,
    *,
    regulator_region: str | None = None,
    is_platform_admin: bool = False,
) -> User:
    from flask_babel import gettext as _

    problem = password_problem(password, email)
    if problem:
        raise DomainError(problem, field="password")
    if find_user_by_email(email):
        raise Conflict(_("An account with this e-mail address already exists."), field="email")
    user = User(
        email=email.strip().lower(),
        name=name.strip(),
        password_hash=hash_password(password),
        regulator_region=regulator_region,
        is_platform_admin=is_platform_admin,
    )
    db.session.add(user)
    db.session.flush()
    return user


def add_member(user: User, enterprise, *, is_recorder=True, is_admin=False) -> Membership:
    membership = Membership(
        user=user, enterprise=enterprise, is_recorder=is_recorder, is_admin=is_admin
    )
    db.session.add(membership)
    db.session.flush()
    return membership


def revoke_sessions(user: User) -> None:
    """Logout everywhere: every session cookie carrying the old version stops working."""
    user.session_version += 1
    db.session.flush()


def set_account_active(user: User, actor: User, active: bool) -> None:
    """注销 / reactivate an account; deactivation also ends every session it has."""
    from flask_babel import gettext as _

    from suyuan.services.errors import NotAllowed

    if user.id == actor.id and not active:
        raise NotAllowed(_("You cannot deactivate your own account."))
    user.is_active_account = active
    if not active:
        revoke_sessions(user)
    db.session.flush()
