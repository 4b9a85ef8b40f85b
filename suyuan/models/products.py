"""Products, their batches (生产批次), stage records (生产档案) and attachments."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from suyuan.models.base import Base, created_at, intpk, str64, str200, text, utcnow

if TYPE_CHECKING:
    from suyuan.models.accounts import User
    from suyuan.models.enterprises import Enterprise, Filing, ProductionArea


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("enterprise_id", "name", "spec"),)

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str200]
    category: Mapped[str] = mapped_column(String(32))
    spec: Mapped[str64] = mapped_column(default="")
    packaging_spec: Mapped[str64] = mapped_column(default="")
    gtin: Mapped[Optional[str]] = mapped_column(String(14))
    description: Mapped[text] = mapped_column(default="")
    is_public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[created_at]

    enterprise: Mapped["Enterprise"] = relationship(back_populates="products")
    filing: Mapped[Optional["Filing"]] = relationship(back_populates="product", uselist=False)
    batches: Mapped[list["Batch"]] = relationship(
        back_populates="product", order_by="Batch.production_date.desc()"
    )
    images: Mapped[list["Attachment"]] = relationship(
        back_populates="product", order_by="Attachment.id"
    )

    @property
    def is_approved(self) -> bool:
        return self.filing is not None and self.filing.status == "approved"


BATCH_STATUSES = ("in_production", "released", "withdrawn")


class Batch(Base):
    __tablename__ = "batches"
    __table_args__ = (UniqueConstraint("product_id", "lot_number"),)

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    lot_number: Mapped[str64]
    production_date: Mapped[date]
    production_area_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("production_areas.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(20), default="in_production")
    notes: Mapped[text] = mapped_column(default="")
    is_public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[created_at]

    product: Mapped[Product] = relationship(back_populates="batches")
    production_area: Mapped[Optional["ProductionArea"]] = relationship()
    records: Mapped[list["StageRecord"]] = relationship(
        back_populates="batch", order_by="StageRecord.occurred_at, StageRecord.id"
    )

    @property
    def current_records(self) -> list["StageRecord"]:
        """Records that make up the batch's life now: drafts and submitted, not superseded."""
        return [r for r in self.records if r.status != "superseded"]

    @property
    def submitted_records(self) -> list["StageRecord"]:
        return [r for r in self.records if r.status == "submitted"]


RECORD_STATUSES = ("draft", "submitted", "superseded")


class StageRecord(Base):
    """One dated event in a batch's life. Submitted records are locked; a correction is a new
    version that supersedes the old one (kept, readable by regulators) with a reason."""

    __tablename__ = "stage_records"
    __table_args__ = (Index("ix_stage_records_batch_status", "batch_id", "status"),)

    id: Mapped[intpk]
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))
    stage_type: Mapped[str] = mapped_column(String(32))
    title: Mapped[str200]
    occurred_at: Mapped[datetime]
    #: The IANA zone the recorder entered the time in, so it is shown as they saw it.
    occurred_tz: Mapped[str64] = mapped_column(default="Asia/Shanghai")
    place: Mapped[str200] = mapped_column(default="")
    operator: Mapped[str64] = mapped_column(default="")
    details: Mapped[text] = mapped_column(default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    version: Mapped[int] = mapped_column(default=1)
    supersedes_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("stage_records.id"), unique=True
    )
    correction_reason: Mapped[text] = mapped_column(default="")
    is_public: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[Optional[datetime]]

    batch: Mapped[Batch] = relationship(back_populates="records")
    created_by: Mapped["User"] = relationship()
    supersedes: Mapped[Optional["StageRecord"]] = relationship(remote_side="StageRecord.id")
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="stage_record", order_by="Attachment.id"
    )

    @property
    def is_locked(self) -> bool:
        return self.status != "draft"


class Attachment(Base):
    """An uploaded file (image or PDF) of a stage record or a product, stored by content hash."""

    __tablename__ = "attachments"

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    stage_record_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("stage_records.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str200]
    content_type: Mapped[str64]
    size: Mapped[int]
    sha256: Mapped[str64]
    is_public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[created_at]

    stage_record: Mapped[Optional[StageRecord]] = relationship(back_populates="attachments")
    product: Mapped[Optional[Product]] = relationship(back_populates="images")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
