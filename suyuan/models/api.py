"""REST API credentials: tokens scoped to one enterprise (or one regulator's region) and the
idempotency keys that make retried creating calls safe."""

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from suyuan.models.base import Base, created_at, intpk, str64, str200, text

if TYPE_CHECKING:
    from suyuan.models.accounts import User
    from suyuan.models.enterprises import Enterprise

#: What an enterprise token may do; a regulator token only ever reads.
TOKEN_PERMISSIONS = ("read", "write", "publish", "codes")


class ApiToken(Base):
    """A bearer token. Only the SHA-256 of the secret is stored: the secret is 256 random bits,
    so a fast hash is enough (nothing to brute-force), and lookups stay one indexed equality.

    An enterprise token acts as the admin who created it (``created_by``) inside
    ``enterprise``; a regulator token (``enterprise`` empty) reads the region of
    ``created_by``, the regulator.
    """

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint(
            "enterprise_id IS NOT NULL OR permissions = 'read'", name="regulator_reads"
        ),
    )

    id: Mapped[intpk]
    enterprise_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str200]
    #: Space-separated subset of TOKEN_PERMISSIONS, e.g. "read write".
    permissions: Mapped[str64]
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the token, shown in lists so people can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[created_at]
    last_used_at: Mapped[Optional[datetime]]
    revoked_at: Mapped[Optional[datetime]]

    enterprise: Mapped[Optional["Enterprise"]] = relationship()
    created_by: Mapped["User"] = relationship()

    @property
    def permission_set(self) -> frozenset[str]:
        return frozenset(self.permissions.split())

    @property
    def is_regulator(self) -> bool:
        return self.enterprise_id is None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class IdempotencyKey(Base):
    """A creating call made with an ``Idempotency-Key`` header and the response it got, so
    that a retry with the same key and body gets the same answer instead of a duplicate."""

    __tablename__ = "api_idempotency_keys"
    __table_args__ = (UniqueConstraint("token_id", "key"),)

    id: Mapped[intpk]
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    key: Mapped[str200]
    #: SHA-256 of method, path and body: the same key with another request is refused.
    fingerprint: Mapped[str64]
    response_status: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[text]
    created_at: Mapped[created_at]
