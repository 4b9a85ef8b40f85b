"""API tokens: creating (the secret is returned once and only its hash is kept), finding the
token behind a bearer secret, and revoking."""

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from suyuan.extensions import db
from suyuan.models import ApiToken, Enterprise, IdempotencyKey, User
from suyuan.models.api import TOKEN_PERMISSIONS
from suyuan.models.base import utcnow
from suyuan.services.errors import DomainError, NotAllowed

#: Recognizable in logs and by secret scanners; the rest is 32 random bytes (256 bits).
TOKEN_PREFIX = "sy_"  # noqa: S105 - a public prefix, not a secret
PREFIX_SHOWN = 10


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _checked_permissions(permissions) -> str:
    chosen = [p for p in TOKEN_PERMISSIONS if p in set(permissions or ())]
    unknown = set(permissions or ()) - set(TOKEN_PERMISSIONS)
    if unknown:
        raise DomainError(
            _("Unknown permission: %(names)s.", names=", ".join(sorted(unknown))),
            field="permissions",
        )
    if not chosen:
        raise DomainError(_("Choose at least one permission."), field="permissions")
    return " ".join(chosen)


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name."), field="name")
    if len(name) > 200:
        raise DomainError(_("At most %(n)s characters.", n=200), field="name")
    return name


def _issue(token: ApiToken) -> tuple[ApiToken, str]:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token.secret_hash = hash_secret(secret)
    token.prefix = secret[:PREFIX_SHOWN]
    db.session.add(token)
    db.session.flush()
    return token, secret


def create_enterprise_token(
    admin: User, enterprise: Enterprise, name: str, permissions
) -> tuple[ApiToken, str]:
    """A token acting as ``admin`` inside ``enterprise``; returns it with its secret (the only
    time the secret exists outside the caller's hands)."""
    member = admin.membership
    if member is None or member.enterprise_id != enterprise.id or not member.is_admin:
        raise NotAllowed(_("Only an admin of the enterprise can create its API tokens."))
    token = ApiToken(
        enterprise_id=enterprise.id,
        name=_checked_name(name),
        permissions=_checked_permissions(permissions),
        created_by_id=admin.id,
    )
    return _issue(token)


def create_regulator_token(regulator: User, name: str) -> tuple[ApiToken, str]:
    """A read-only token over the regulator's region (it follows the regulator's account)."""
    if not regulator.is_regulator:
        raise NotAllowed(_("Only a regulator can hold a regulator token."))
    token = ApiToken(
        enterprise_id=None,
        name=_checked_name(name),
        permissions="read",
        created_by_id=regulator.id,
    )
    return _issue(token)


def first_admin(enterprise: Enterprise) -> User:
    """The enterprise's longest-standing admin (the CLI's acting user)."""
    admin = next(
        (m.user for m in sorted(enterprise.memberships, key=lambda m: m.id) if m.is_admin), None
    )
    if admin is None:
        raise DomainError(_("This enterprise has no admin to act as."))
    return admin


def authenticate(secret: str) -> ApiToken | None:
    """The live token behind ``secret``, or None when it is unknown, revoked or its holder
    lost the right to it (left the enterprise, lost the admin role, regulator no more)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.secret_hash == hash_secret(secret)))
    if token is None or token.is_revoked or not holder_may_use(token):
        return None
    return token


def holder_may_use(token: ApiToken) -> bool:
    user = token.created_by
    if not user.is_active:
        return False
    if token.is_regulator:
        return user.is_regulator
    member = user.membership
    return bool(member and member.enterprise_id == token.enterprise_id and member.is_admin)


def touch(token: ApiToken) -> None:
    """Remember when the token was last used (at most once a minute: no write per request)."""
    now = utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now
        db.session.flush()


def revoke_token(token: ApiToken) -> bool:
    """Revoke at once; True if it was live."""
    if token.is_revoked:
        return False
    token.revoked_at = utcnow()
    db.session.flush()
    return True


def enterprise_tokens_query(enterprise: Enterprise, *, state: str = ""):
    query = select(ApiToken).where(ApiToken.enterprise_id == enterprise.id)
    if state == "live":
        query = query.where(ApiToken.revoked_at.is_(None))
    elif state == "revoked":
        query = query.where(ApiToken.revoked_at.is_not(None))
    return query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())


def regulator_tokens_query(regulator: User):
    query = select(ApiToken).where(
        ApiToken.enterprise_id.is_(None), ApiToken.created_by_id == regulator.id
    )
    return query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())


def prune_idempotency_keys(older_than: timedelta) -> int:
    """Forget idempotency keys older than ``older_than`` (clients retry within minutes, not
    weeks); returns how many went."""
    result = db.session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - older_than)
    )
    db.session.flush()
    return result.rowcount
