"""Goods flow (进销存, seed 000): counterparties, transactions with their lines and versions,
and mock-recall drills.

Stock is not stored: it is the sum of the current submitted transactions' lines, so it can
never disagree with the documents it comes from.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from suyuan.models.base import Base, bigint, created_at, intpk, str64, str200, text, utcnow

if TYPE_CHECKING:
    from suyuan.models.accounts import User
    from suyuan.models.enterprises import Enterprise
    from suyuan.models.products import Batch, Product

COUNTERPARTY_ROLES = ("supplier", "customer", "both")
COUNTERPARTY_TYPES = ("producer", "distributor", "retailer", "other")
COUNTERPARTY_STATUSES = ("normal", "disabled")


class Counterparty(Base):
    """A supplier (供应商) or sales customer (销售客户) of one enterprise. When its credit code
    is a platform enterprise's, ``linked_enterprise`` points to it and documents are matched."""

    __tablename__ = "counterparties"
    __table_args__ = (UniqueConstraint("enterprise_id", "credit_code"),)

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20), default="both")
    business_type: Mapped[str] = mapped_column(String(20), default="other")
    name: Mapped[str200]
    credit_code: Mapped[str] = mapped_column(String(18))
    contact_name: Mapped[str64] = mapped_column(default="")
    contact_phone: Mapped[str64] = mapped_column(default="")
    region_code: Mapped[str] = mapped_column(String(6))
    address: Mapped[str200] = mapped_column(default="")
    legal_representative: Mapped[str64] = mapped_column(default="")
    licence_number: Mapped[str64] = mapped_column(default="")
    licence_valid_until: Mapped[Optional[date]]
    status: Mapped[str] = mapped_column(String(20), default="normal")
    linked_enterprise_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("enterprises.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[created_at]

    enterprise: Mapped["Enterprise"] = relationship(foreign_keys=[enterprise_id])
    linked_enterprise: Mapped[Optional["Enterprise"]] = relationship(
        foreign_keys=[linked_enterprise_id]
    )

    @property
    def is_disabled(self) -> bool:
        return self.status == "disabled"


TRANSACTION_KINDS = ("finished_in", "purchase_in", "purchase_return", "sales_out", "sales_return")
INBOUND_KINDS = ("finished_in", "purchase_in", "sales_return")
OUTBOUND_KINDS = ("purchase_return", "sales_out")
#: The counterpart a matched document creates on the other side (勾兑).
COUNTERPART_KIND = {"sales_out": "purchase_in", "purchase_return": "sales_return"}
#: draft (editable) → submitted (locked) → superseded by a correction.
#: pending: prefilled from the counterpart's document, to confirm or dispute.
TRANSACTION_STATUSES = ("draft", "pending", "disputed", "submitted", "superseded")


class Transaction(Base):
    """One goods-flow document (进销存交易). A submitted document is locked; a correction is a
    new version (same number, version + 1) that supersedes it, with a reason."""

    __tablename__ = "transactions"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "number", "version"),
        Index("ix_transactions_enterprise_status", "enterprise_id", "status"),
    )

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str64]
    kind: Mapped[str] = mapped_column(String(20))
    moved_on: Mapped[date]
    counterparty_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("counterparties.id", ondelete="RESTRICT")
    )
    #: The counterparty's platform enterprise when it has one (kept for scoping and matching).
    partner_enterprise_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("enterprises.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[text] = mapped_column(default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    version: Mapped[int] = mapped_column(default=1)
    #: The first version's id, shared by every version of the document.
    origin_id: Mapped[Optional[int]] = mapped_column(ForeignKey("transactions.id"), index=True)
    supersedes_id: Mapped[Optional[int]] = mapped_column(ForeignKey("transactions.id"), unique=True)
    correction_reason: Mapped[text] = mapped_column(default="")
    #: For a matched document: the origin id of the counterpart's document it answers.
    counterpart_of_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("transactions.id"), index=True
    )
    dispute_reason: Mapped[text] = mapped_column(default="")
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    submitted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[Optional[datetime]]

    enterprise: Mapped["Enterprise"] = relationship(foreign_keys=[enterprise_id])
    partner_enterprise: Mapped[Optional["Enterprise"]] = relationship(
        foreign_keys=[partner_enterprise_id]
    )
    counterparty: Mapped[Optional[Counterparty]] = relationship()
    created_by: Mapped[Optional["User"]] = relationship(foreign_keys=[created_by_id])
    submitted_by: Mapped[Optional["User"]] = relationship(foreign_keys=[submitted_by_id])
    supersedes: Mapped[Optional["Transaction"]] = relationship(
        remote_side="Transaction.id", foreign_keys=[supersedes_id]
    )
    lines: Mapped[list["TransactionLine"]] = relationship(
        back_populates="transaction",
        order_by="TransactionLine.position",
        cascade="all, delete-orphan",
    )

    @property
    def is_locked(self) -> bool:
        return self.status in ("submitted", "superseded")

    @property
    def is_inbound(self) -> bool:
        return self.kind in INBOUND_KINDS


class TransactionLine(Base):
    """One line: a quantity of one batch. Quantities are exact decimals (3 places): apples go
    by the kilogram (12.5 kg), cosmetics by the piece; a float would drift in stock sums."""

    __tablename__ = "transaction_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="positive"),
        CheckConstraint(
            "(first_index IS NULL AND last_index IS NULL) OR first_index <= last_index",
            name="code_range",
        ),
        Index("ix_transaction_lines_batch", "batch_id"),
    )

    id: Mapped[intpk]
    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("transactions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    unit: Mapped[str] = mapped_column(String(16))
    first_index: Mapped[Optional[bigint]]
    last_index: Mapped[Optional[bigint]]

    transaction: Mapped[Transaction] = relationship(back_populates="lines")
    product: Mapped["Product"] = relationship()
    batch: Mapped["Batch"] = relationship()


class MockRecallDrill(Base):
    """A mock recall (模拟召回): one timed forward and backward trace of a batch, exported."""

    __tablename__ = "mock_recall_drills"

    id: Mapped[intpk]
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    #: The enterprise that ran it (None: a regulator, or the command line).
    enterprise_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    forward_count: Mapped[int] = mapped_column(default=0)
    backward_count: Mapped[int] = mapped_column(default=0)
    enterprise_count: Mapped[int] = mapped_column(default=0)
    export_rows: Mapped[int] = mapped_column(default=0)
    duration_ms: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created_at]

    batch: Mapped["Batch"] = relationship()
    actor: Mapped[Optional["User"]] = relationship()
