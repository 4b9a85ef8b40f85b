"""The log of publication (查询管理) toggles: who opened or closed which item, and when."""

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from suyuan.models.base import Base, created_at, intpk, str200

if TYPE_CHECKING:
    from suyuan.models.accounts import User

#: The items an enterprise admin can open (开通查询) or close for public query.
PUBLIC_ITEM_TYPES = (
    "enterprise_profile",
    "filings",
    "production_area",
    "product",
    "batch",
    "stage_record",
    "attachment",
)


class PublicationEvent(Base):
    __tablename__ = "publication_events"

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    item_type: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[int]
    item_label: Mapped[str200]
    was_public: Mapped[bool]
    is_public: Mapped[bool]
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]

    actor: Mapped["User"] = relationship()
