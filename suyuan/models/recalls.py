"""Non-conforming product records (不合格) and recalls (产品召回) with their targets, history and
the notices sent to downstream holders."""

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from suyuan.models.base import Base, bigint, created_at, intpk, text, utcnow

if TYPE_CHECKING:
    from suyuan.models.accounts import User
    from suyuan.models.enterprises import Enterprise
    from suyuan.models.products import Attachment, Batch, Product

NONCONFORMANCE_STATUSES = ("open", "handled", "closed")
#: Who found the problem: the enterprise's own inspection or a regulator's sampling.
FOUND_BY = ("self_inspection", "regulator")

nonconformance_batches = Table(
    "nonconformance_batches",
    Base.metadata,
    Column(
        "nonconformance_id",
        ForeignKey("nonconformances.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("batch_id", ForeignKey("batches.id", ondelete="CASCADE"), primary_key=True),
)


class NonConformance(Base):
    """不合格: a product found not to meet its standard, on one or more of its batches."""

    __tablename__ = "nonconformances"

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    reason: Mapped[text]
    found_by: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    handling_note: Mapped[text] = mapped_column(default="")
    report_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("attachments.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    enterprise: Mapped["Enterprise"] = relationship()
    product: Mapped["Product"] = relationship()
    batches: Mapped[list["Batch"]] = relationship(
        secondary=nonconformance_batches, order_by="Batch.lot_number"
    )
    report: Mapped[Optional["Attachment"]] = relationship()
    created_by: Mapped["User"] = relationship()


#: Severity as in China's recall rules (e.g. 《药品召回管理办法》, 《化妆品生产经营监督管理办法》):
#: I — use may cause serious harm to health; II — may cause temporary or reversible harm;
#: III — unlikely to harm health but recalled for other reasons (labelling, quality).
SEVERITIES = ("I", "II", "III")
RECALL_STATES = ("declared", "notified", "in_progress", "completed")
#: Who started it: the enterprise itself (主动召回) or a regulator's order (责令召回).
RECALL_ORIGINS = ("enterprise", "regulator")


class Recall(Base):
    __tablename__ = "recalls"

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    nonconformance_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("nonconformances.id", ondelete="SET NULL")
    )
    origin: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(20), default="declared", index=True)
    #: In plain words for consumers: what is wrong.
    reason: Mapped[text]
    #: What a consumer holding the product should do.
    consumer_advice: Mapped[text]
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[Optional[datetime]]
    quantity_recovered: Mapped[Optional[int]]
    completion_note: Mapped[text] = mapped_column(default="")

    enterprise: Mapped["Enterprise"] = relationship()
    product: Mapped["Product"] = relationship()
    nonconformance: Mapped[Optional[NonConformance]] = relationship()
    declared_by: Mapped["User"] = relationship()
    targets: Mapped[list["RecallTarget"]] = relationship(
        back_populates="recall", order_by="RecallTarget.id", cascade="all, delete-orphan"
    )
    events: Mapped[list["RecallEvent"]] = relationship(
        back_populates="recall", order_by="RecallEvent.id", cascade="all, delete-orphan"
    )
    notices: Mapped[list["RecallNotice"]] = relationship(
        back_populates="recall", order_by="RecallNotice.id", cascade="all, delete-orphan"
    )

    @property
    def is_completed(self) -> bool:
        return self.state == "completed"


class RecallTarget(Base):
    """A whole batch (no indices) or the codes ``first_index..last_index`` of one batch."""

    __tablename__ = "recall_targets"
    __table_args__ = (
        CheckConstraint(
            "(first_index IS NULL AND last_index IS NULL) OR "
            "(first_index IS NOT NULL AND last_index IS NOT NULL AND first_index <= last_index)",
            name="range",
        ),
        # The scan looks recalls up by batch; the index makes that one cheap probe.
        Index("ix_recall_targets_batch_first", "batch_id", "first_index"),
    )

    id: Mapped[intpk]
    recall_id: Mapped[int] = mapped_column(ForeignKey("recalls.id", ondelete="CASCADE"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))
    first_index: Mapped[Optional[bigint]]
    last_index: Mapped[Optional[bigint]]

    recall: Mapped[Recall] = relationship(back_populates="targets")
    batch: Mapped["Batch"] = relationship()

    @property
    def is_whole_batch(self) -> bool:
        return self.first_index is None


class RecallEvent(Base):
    """One state change of a recall: who moved it, when, and why."""

    __tablename__ = "recall_events"

    id: Mapped[intpk]
    recall_id: Mapped[int] = mapped_column(ForeignKey("recalls.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[text] = mapped_column(default="")
    created_at: Mapped[created_at]

    recall: Mapped[Recall] = relationship(back_populates="events")
    actor: Mapped["User"] = relationship()


class RecallNotice(Base):
    """A downstream enterprise told of a recall, and its acknowledgement."""

    __tablename__ = "recall_notices"
    __table_args__ = (UniqueConstraint("recall_id", "enterprise_id"),)

    id: Mapped[intpk]
    recall_id: Mapped[int] = mapped_column(ForeignKey("recalls.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    notified_at: Mapped[created_at]
    acknowledged_at: Mapped[Optional[datetime]]
    acknowledged_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    note: Mapped[text] = mapped_column(default="")

    recall: Mapped[Recall] = relationship(back_populates="notices")
    enterprise: Mapped["Enterprise"] = relationship()
    acknowledged_by: Mapped[Optional["User"]] = relationship()
