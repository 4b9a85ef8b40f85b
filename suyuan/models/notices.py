"""Notices (通知公告, seed 004) from a regulator to the enterprises of its region, and who read
them."""

from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from suyuan.models.base import Base, created_at, intpk, str64, str200, text

if TYPE_CHECKING:
    from suyuan.models.accounts import User
    from suyuan.models.enterprises import Enterprise


class Notice(Base):
    __tablename__ = "notices"

    id: Mapped[intpk]
    #: The region addressed (the author's region; "000000" reaches every enterprise).
    region_code: Mapped[str] = mapped_column(String(6), index=True)
    title: Mapped[str200]
    body: Mapped[text]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]
    # An optional attachment, stored by content hash like every upload (suyuan.services.files).
    file_name: Mapped[Optional[str200]]
    file_type: Mapped[Optional[str64]]
    file_size: Mapped[Optional[int]]
    file_sha256: Mapped[Optional[str64]]

    author: Mapped["User"] = relationship()
    reads: Mapped[list["NoticeRead"]] = relationship(
        back_populates="notice", order_by="NoticeRead.read_at", cascade="all, delete-orphan"
    )

    @property
    def has_file(self) -> bool:
        return self.file_sha256 is not None


class NoticeRead(Base):
    """The read receipt of one enterprise: the first member who opened the notice, and when."""

    __tablename__ = "notice_reads"
    __table_args__ = (UniqueConstraint("notice_id", "enterprise_id"),)

    id: Mapped[intpk]
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    read_at: Mapped[created_at]

    notice: Mapped[Notice] = relationship(back_populates="reads")
    enterprise: Mapped["Enterprise"] = relationship()
    user: Mapped["User"] = relationship()
