"""Print runs: a range of an enterprise's codes rendered as label files in the background.

A run's source is one bound code range of a batch, every bound range of a batch, or a
sub-range ``first..last`` of one of the enterprise's pools. The row keeps the job's state
(queued → running → done | failed), its progress and the name of the finished ZIP, which
exists only once the job has renamed it into place.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from suyuan.models.base import Base, bigint, created_at, intpk, str200, text

if TYPE_CHECKING:
    from suyuan.models.accounts import User
    from suyuan.models.codes import CodePool, CodeRange
    from suyuan.models.products import Batch

RUN_STATUSES = ("queued", "running", "done", "failed")
RUN_SOURCES = ("range", "batch", "pool")
RUN_FORMATS = ("pdf", "zpl", "png", "svg")


class PrintRun(Base):
    __tablename__ = "print_runs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
        CheckConstraint("source IN ('range', 'batch', 'pool')", name="source"),
        CheckConstraint("format IN ('pdf', 'zpl', 'png', 'svg')", name="format"),
        CheckConstraint("done >= 0 AND done <= total", name="progress"),
        Index("ix_print_runs_enterprise_created", "enterprise_id", "created_at"),
    )

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    # What is printed.
    source: Mapped[str] = mapped_column(String(10))
    batch_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("batches.id", ondelete="CASCADE"), index=True
    )
    code_range_id: Mapped[Optional[int]] = mapped_column(ForeignKey("code_ranges.id"))
    pool_id: Mapped[Optional[int]] = mapped_column(ForeignKey("code_pools.id"))
    first_index: Mapped[Optional[bigint]]
    last_index: Mapped[Optional[bigint]]

    # How it is printed.
    layout_key: Mapped[str] = mapped_column(String(40))
    #: The geometry of a custom layout in millimetres (None for a preset).
    custom_layout: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    format: Mapped[str] = mapped_column(String(8))
    error_correction: Mapped[str] = mapped_column(String(1), default="M")
    dpi: Mapped[Optional[int]]
    show_product: Mapped[bool] = mapped_column(default=True)
    show_lot: Mapped[bool] = mapped_column(default=True)
    per_file: Mapped[int]
    #: The language of the person who started the run: words printed on the labels and
    #: the job's messages use it.
    locale: Mapped[str] = mapped_column(String(10), default="zh")

    # The job.
    status: Mapped[str] = mapped_column(String(20), default="queued")
    #: Bumped by "Run again": a job queued for an earlier attempt does nothing.
    attempt: Mapped[int] = mapped_column(default=1)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int]
    #: Why the run failed: a key of ``labels.runs.FAILURES`` (translated when shown) ...
    error_code: Mapped[str] = mapped_column(String(40), default="")
    #: ... and what the failure itself said (an exception's text), shown as is.
    error_detail: Mapped[text] = mapped_column(default="")
    #: ``host:pid`` of the worker running the job, to tell a dead worker's run.
    worker: Mapped[str200] = mapped_column(default="")
    result_name: Mapped[Optional[str]] = mapped_column(String(200))
    result_size: Mapped[Optional[bigint]]
    created_at: Mapped[created_at]
    started_at: Mapped[Optional[datetime]]
    heartbeat_at: Mapped[Optional[datetime]]
    finished_at: Mapped[Optional[datetime]]

    created_by: Mapped["User"] = relationship()
    batch: Mapped[Optional["Batch"]] = relationship()
    code_range: Mapped[Optional["CodeRange"]] = relationship()
    pool: Mapped[Optional["CodePool"]] = relationship()

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else self.done * 100 // self.total

    @property
    def is_finished(self) -> bool:
        return self.status in ("done", "failed")
