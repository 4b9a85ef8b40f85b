"""Identity-code pools allocated to enterprises and code ranges bound to batches.

Both are ranges of the platform's global code index (see ``suyuan.identity``): one row per
range whatever its length. Resolving an index is ``start_index <= i ORDER BY start_index DESC
LIMIT 1`` on a btree, then a comparison with ``end_index`` (measured: ~7 µs, where
``BETWEEN`` costs milliseconds). Overlapping live ranges are forbidden by a PostgreSQL
exclusion constraint (created in the migration) and, on SQLite, by the serialized write
transaction the bind runs in.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import DDL, CheckConstraint, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from suyuan.models.base import Base, bigint, created_at, intpk, text

if TYPE_CHECKING:
    from suyuan.models.accounts import User
    from suyuan.models.enterprises import Enterprise
    from suyuan.models.products import Batch


class CodePool(Base):
    __tablename__ = "code_pools"
    __table_args__ = (
        CheckConstraint("start_index <= end_index", name="ordered"),
        Index("ix_code_pools_start_index", "start_index", unique=True),
    )

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    start_index: Mapped[bigint]
    end_index: Mapped[bigint]
    allocated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]

    enterprise: Mapped["Enterprise"] = relationship()

    @property
    def size(self) -> int:
        return self.end_index - self.start_index + 1


#: bound: the codes resolve to the batch; void: the codes are dead and cannot be bound again;
#: released: history of a binding that was undone (the codes may be bound again).
RANGE_STATUSES = ("bound", "void", "released")
LIVE_RANGE_STATUSES = ("bound", "void")


class CodeRange(Base):
    __tablename__ = "code_ranges"
    __table_args__ = (
        CheckConstraint("start_index <= end_index", name="ordered"),
        Index("ix_code_ranges_status_start", "status", "start_index"),
    )

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    pool_id: Mapped[int] = mapped_column(ForeignKey("code_pools.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    start_index: Mapped[bigint]
    end_index: Mapped[bigint]
    status: Mapped[str] = mapped_column(String(20), default="bound")
    #: The range this one was split from when part of it was released or voided.
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("code_ranges.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]
    ended_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[Optional[datetime]]
    reason: Mapped[text] = mapped_column(default="")

    pool: Mapped[CodePool] = relationship()
    batch: Mapped["Batch"] = relationship()
    created_by: Mapped["User"] = relationship(foreign_keys=[created_by_id])
    ended_by: Mapped[Optional["User"]] = relationship(foreign_keys=[ended_by_id])

    @property
    def size(self) -> int:
        return self.end_index - self.start_index + 1


#: Live ranges never overlap: a GiST exclusion constraint over int8range (PostgreSQL only;
#: SQLite relies on the serialized write transaction). The migration creates the same.
EXCLUDE_OVERLAP_SQL = (
    "ALTER TABLE code_ranges ADD CONSTRAINT ex_code_ranges_no_overlap "
    "EXCLUDE USING gist (int8range(start_index, end_index, '[]') WITH &&) "
    "WHERE (status <> 'released')"
)
EXCLUDE_POOL_OVERLAP_SQL = (
    "ALTER TABLE code_pools ADD CONSTRAINT ex_code_pools_no_overlap "
    "EXCLUDE USING gist (int8range(start_index, end_index, '[]') WITH &&)"
)

event.listen(
    CodeRange.__table__, "after_create", DDL(EXCLUDE_OVERLAP_SQL).execute_if(dialect="postgresql")
)
event.listen(
    CodePool.__table__,
    "after_create",
    DDL(EXCLUDE_POOL_OVERLAP_SQL).execute_if(dialect="postgresql"),
)
