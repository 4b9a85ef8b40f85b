"""Scans of identity codes and what they reveal: scan events, daily counts, suspicion flags
raised by the verdict rules, the rule settings of an enterprise and a batch's declared sales
regions.

No table here holds an IP address: a scanner is a salted hash that changes every day, and a
region is the city or province the consumer chose to share.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from suyuan.models.base import Base, bigint, created_at, intpk, text

if TYPE_CHECKING:
    from suyuan.models.accounts import User
    from suyuan.models.products import Batch

#: Where a scan came from: the QR code's page, the code typed on the start page, the JSON API.
SCAN_CHANNELS = ("qr", "typed", "json")


class ScanEvent(Base):
    __tablename__ = "scan_events"
    __table_args__ = (
        Index("ix_scan_events_code_index_id", "code_index", "id"),
        Index("ix_scan_events_batch_scanned", "batch_id", "scanned_at"),
    )

    id: Mapped[intpk]
    scanned_at: Mapped[datetime]
    code_index: Mapped[bigint]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))
    #: GB/T 2260 code of the city or province the consumer shared; None when not shared.
    region_code: Mapped[Optional[str]] = mapped_column(String(6))
    #: HMAC of the client under the day's salt (see ``suyuan.clients``): counts, never tracks.
    scanner_hash: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(8))


class ScanDaily(Base):
    """Scans per day, batch and consumer region (``""`` = not shared), kept up to date by the
    scan writer so that dashboards read a few hundred rows instead of every event."""

    __tablename__ = "scan_daily"
    __table_args__ = (UniqueConstraint("day", "batch_id", "region_code"),)

    id: Mapped[intpk]
    day: Mapped[date]
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))
    region_code: Mapped[str] = mapped_column(String(6), default="")
    scans: Mapped[int] = mapped_column(default=0)
    #: Codes scanned for the first time ever that day (a printed code reached a consumer).
    first_scans: Mapped[int] = mapped_column(default=0)


SUSPICION_RULES = ("many_scanners", "far_regions", "out_of_region", "burst")
FLAG_STATUSES = ("open", "reviewed", "genuine", "counterfeit")


class SuspicionFlag(Base):
    """A rule fired for a code; the enterprise reviews it. The code is never blocked."""

    __tablename__ = "suspicion_flags"
    __table_args__ = (UniqueConstraint("code_index", "rule"),)

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))
    code_index: Mapped[bigint]
    rule: Mapped[str] = mapped_column(String(20))
    #: What made the rule fire, as data (e.g. region codes "620100 330100"), shown in the
    #: reviewer's language.
    detail: Mapped[str] = mapped_column(String(200), default="")
    hits: Mapped[int] = mapped_column(default=1)
    first_at: Mapped[datetime]
    last_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    note: Mapped[text] = mapped_column(default="")
    reviewed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[Optional[datetime]]

    batch: Mapped["Batch"] = relationship()
    reviewed_by: Mapped[Optional["User"]] = relationship()


class ScanRules(Base):
    """An enterprise's thresholds for the suspicious verdict; defaults when it has no row."""

    __tablename__ = "scan_rules"

    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), primary_key=True
    )
    max_scanners: Mapped[int] = mapped_column(default=10)
    region_window_minutes: Mapped[int] = mapped_column(default=60)
    burst_scans: Mapped[int] = mapped_column(default=20)
    burst_window_minutes: Mapped[int] = mapped_column(default=10)
    updated_at: Mapped[created_at]


class BatchSalesRegion(Base):
    """A region a batch is declared to be sold in; scans elsewhere suggest 窜货."""

    __tablename__ = "batch_sales_regions"
    __table_args__ = (UniqueConstraint("batch_id", "region_code"),)

    id: Mapped[intpk]
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))
    region_code: Mapped[str] = mapped_column(String(6))
    created_at: Mapped[created_at]
