"""Spreadsheet imports (Excel 导入): one row per uploaded file, kept as the enterprise's history
and to refuse the same file twice (by SHA-256)."""

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from suyuan.models.base import Base, created_at, intpk, str64, str200

if TYPE_CHECKING:
    from suyuan.models.accounts import User
    from suyuan.models.enterprises import Enterprise

#: imported: every row written in one transaction; refused: nothing written (errors or a
#: hostile file), the error report says why.
IMPORT_STATUSES = ("imported", "refused")


class ImportRun(Base):
    __tablename__ = "import_runs"
    __table_args__ = (
        # The same file is imported once per enterprise, even when uploaded twice at once.
        Index(
            "uq_import_runs_imported_sha256",
            "enterprise_id",
            "sha256",
            unique=True,
            sqlite_where=text("status = 'imported'"),
            postgresql_where=text("status = 'imported'"),
        ),
    )

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str200]
    sha256: Mapped[str64]
    status: Mapped[str] = mapped_column(String(20))
    row_count: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    #: A refusal that concerns the whole file (hostile, unreadable, wrong template).
    message: Mapped[str] = mapped_column(String(500), default="")
    #: The error report (xlsx) under the upload folder, relative to it; empty when none.
    error_report_path: Mapped[str200] = mapped_column(default="")
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]
    finished_at: Mapped[Optional[datetime]]

    enterprise: Mapped["Enterprise"] = relationship()
    created_by: Mapped[Optional["User"]] = relationship()
