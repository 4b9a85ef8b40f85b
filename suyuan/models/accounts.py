"""People: users, their enterprise memberships and regulator scopes."""

from typing import TYPE_CHECKING, Optional

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from suyuan.models.base import Base, created_at, intpk, str200

if TYPE_CHECKING:
    from suyuan.models.enterprises import Enterprise


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str200]
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    #: GB/T 2260 code of the region a regulator oversees ("000000" = national); None otherwise.
    regulator_region: Mapped[Optional[str]] = mapped_column(String(6))
    #: Console modules a regulator may use, space-separated (see suyuan.services.regulators);
    #: None means every module (accounts made before per-module permissions, or by the CLI).
    regulator_modules: Mapped[Optional[str]] = mapped_column(String(200))
    #: Bumped on logout and password change; sessions carrying an older value are refused.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created_at]

    membership: Mapped[Optional["Membership"]] = relationship(
        back_populates="user", uselist=False, cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def is_regulator(self) -> bool:
        return self.regulator_region is not None

    def has_module(self, module: str) -> bool:
        """A regulator's permission for one console module (seed 001: per-module rights)."""
        if not self.is_regulator:
            return False
        return self.regulator_modules is None or module in self.regulator_modules.split()

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class Membership(Base):
    """A user's place in one enterprise: recorder (记录员), enterprise admin (企业管理员) or both."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    is_recorder: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[created_at]

    user: Mapped[User] = relationship(back_populates="membership")
    enterprise: Mapped["Enterprise"] = relationship(back_populates="memberships")
