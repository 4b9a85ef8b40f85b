"""What scanning reveals, for an enterprise or a regulator's region: scans per day, product,
batch and consumer region, the first-scan rate per batch, suspicious codes to review.

Everything reads the pre-aggregated ``scan_daily`` table (one row per day, batch and region),
never the scan events, so a dashboard costs the same with ten or ten million scans.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from suyuan.extensions import db
from suyuan.models import (
    Batch,
    BatchSalesRegion,
    CodeRange,
    Enterprise,
    Product,
    ScanDaily,
    ScanRules,
    SuspicionFlag,
)
from suyuan.models.base import utcnow
from suyuan.models.scans import FLAG_STATUSES
from suyuan.services.errors import DomainError
from suyuan.validators import region_error, region_prefix

PERIODS = (7, 30, 90, 365)


@dataclass(frozen=True)
class Scope:
    """Whose scans: one enterprise, or every enterprise under a regulator's region."""

    enterprise_id: int | None = None
    region: str | None = None

    def where(self, statement, enterprise_column):
        if self.enterprise_id is not None:
            return statement.where(enterprise_column == self.enterprise_id)
        return statement.join(Enterprise, Enterprise.id == enterprise_column).where(
            Enterprise.region_code.startswith(region_prefix(self.region or "000000"))
        )


def since(days: int) -> date:
    return utcnow().date() - timedelta(days=days - 1)


def _daily(scope: Scope, days: int, *columns):
    statement = select(*columns).where(ScanDaily.day >= since(days))
    return scope.where(statement, ScanDaily.enterprise_id)


def per_day(scope: Scope, days: int) -> list[tuple[date, int, int]]:
    """(day, scans, first scans) for every day of the period, zeros included."""
    rows = db.session.execute(
        _daily(
            scope, days, ScanDaily.day, func.sum(ScanDaily.scans), func.sum(ScanDaily.first_scans)
        ).group_by(ScanDaily.day)
    ).all()
    found = {day: (int(scans or 0), int(firsts or 0)) for day, scans, firsts in rows}
    start = since(days)
    return [
        (start + timedelta(days=n), *found.get(start + timedelta(days=n), (0, 0)))
        for n in range(days)
    ]


def per_product(scope: Scope, days: int) -> list[tuple[str, int]]:
    statement = (
        _daily(scope, days, Product.name, func.sum(ScanDaily.scans))
        .join(Product, Product.id == ScanDaily.product_id)
        .group_by(Product.id, Product.name)
        .order_by(func.sum(ScanDaily.scans).desc(), Product.name)
    )
    return [(name, int(total)) for name, total in db.session.execute(statement)]


def per_region(scope: Scope, days: int) -> list[tuple[str, int]]:
    """(region code, scans); the code is "" for scans whose consumer shared no region."""
    statement = (
        _daily(scope, days, ScanDaily.region_code, func.sum(ScanDaily.scans))
        .group_by(ScanDaily.region_code)
        .order_by(func.sum(ScanDaily.scans).desc(), ScanDaily.region_code)
    )
    return [(code, int(total)) for code, total in db.session.execute(statement) if total]


@dataclass
class BatchRow:
    batch_id: int
    lot_number: str
    product: str
    enterprise: str
    scans: int
    first_scans: int  # all time: distinct codes ever scanned
    bound_codes: int

    @property
    def first_scan_rate(self) -> float | None:
        """Share of the printed (bound) codes that reached a consumer who scanned them."""
        return self.first_scans / self.bound_codes if self.bound_codes else None


def per_batch(scope: Scope, days: int, limit: int = 50) -> list[BatchRow]:
    scans = (
        _daily(scope, days, ScanDaily.batch_id, func.sum(ScanDaily.scans).label("scans"))
        .group_by(ScanDaily.batch_id)
        .order_by(func.sum(ScanDaily.scans).desc())
        .limit(limit)
    )
    counted = dict(db.session.execute(scans).all())
    if not counted:
        return []
    ids = list(counted)
    firsts = dict(
        db.session.execute(
            select(ScanDaily.batch_id, func.sum(ScanDaily.first_scans))
            .where(ScanDaily.batch_id.in_(ids))
            .group_by(ScanDaily.batch_id)
        ).all()
    )
    bound = dict(
        db.session.execute(
            select(CodeRange.batch_id, func.sum(CodeRange.end_index - CodeRange.start_index + 1))
            .where(CodeRange.batch_id.in_(ids), CodeRange.status == "bound")
            .group_by(CodeRange.batch_id)
        ).all()
    )
    batches = db.session.scalars(select(Batch).where(Batch.id.in_(ids))).all()
    rows = [
        BatchRow(
            b.id,
            b.lot_number,
            b.product.name,
            b.product.enterprise.name,
            int(counted[b.id]),
            int(firsts.get(b.id) or 0),
            int(bound.get(b.id) or 0),
        )
        for b in batches
    ]
    return sorted(rows, key=lambda row: (-row.scans, row.lot_number))


def totals(day_rows) -> dict:
    return {
        "scans": sum(row[1] for row in day_rows),
        "first_scans": sum(row[2] for row in day_rows),
    }


# Suspicious codes


def flags_query(scope: Scope, status: str | None = None, rule: str | None = None):
    statement = scope.where(select(SuspicionFlag), SuspicionFlag.enterprise_id)
    if status in FLAG_STATUSES:
        statement = statement.where(SuspicionFlag.status == status)
    if rule:
        statement = statement.where(SuspicionFlag.rule == rule)
    return statement.order_by(SuspicionFlag.last_at.desc(), SuspicionFlag.id.desc())


def review_flag(flag: SuspicionFlag, actor, status: str, note: str = "") -> SuspicionFlag:
    """The enterprise's judgement on a flag; the code itself is never blocked."""
    if status not in FLAG_STATUSES or status == "open":
        raise DomainError(_("Choose reviewed, genuine or counterfeit."), field="status")
    flag.status = status
    flag.note = (note or "").strip()[:2000]
    flag.reviewed_by_id = actor.id
    flag.reviewed_at = utcnow()
    db.session.flush()
    return flag


def suspicious_clusters(scope: Scope, limit: int = 20) -> list[tuple]:
    """Batches with the most open flags: (enterprise, lot, product, open flags, last seen)."""
    statement = (
        scope.where(
            select(
                SuspicionFlag.batch_id,
                func.count(SuspicionFlag.id),
                func.max(SuspicionFlag.last_at),
            ).where(SuspicionFlag.status.in_(("open", "counterfeit"))),
            SuspicionFlag.enterprise_id,
        )
        .group_by(SuspicionFlag.batch_id)
        .order_by(func.count(SuspicionFlag.id).desc())
        .limit(limit)
    )
    rows = db.session.execute(statement).all()
    batches = {
        b.id: b for b in db.session.scalars(select(Batch).where(Batch.id.in_([r[0] for r in rows])))
    }
    return [
        (
            batches[bid].product.enterprise.name,
            batches[bid].lot_number,
            batches[bid].product.name,
            count,
            last,
        )
        for bid, count, last in rows
    ]


# Settings


def rules_of(enterprise: Enterprise) -> ScanRules:
    rules = db.session.get(ScanRules, enterprise.id)
    if rules is None:
        rules = ScanRules(
            enterprise_id=enterprise.id,
            max_scanners=10,
            region_window_minutes=60,
            burst_scans=20,
            burst_window_minutes=10,
        )
    return rules


def save_rules(enterprise: Enterprise, values: dict) -> ScanRules:
    rules = rules_of(enterprise)
    limits = {
        "max_scanners": (2, 100_000),
        "region_window_minutes": (1, 7 * 24 * 60),
        "burst_scans": (2, 100_000),
        "burst_window_minutes": (1, 24 * 60),
    }
    for name, (low, high) in limits.items():
        value = values[name]
        if not low <= value <= high:
            raise DomainError(
                _("Enter a number from %(low)s to %(high)s.", low=low, high=high), field=name
            )
        setattr(rules, name, value)
    rules.updated_at = utcnow()
    db.session.add(rules)
    db.session.flush()
    return rules


def sales_regions(batch: Batch) -> list[str]:
    return list(
        db.session.scalars(
            select(BatchSalesRegion.region_code)
            .where(BatchSalesRegion.batch_id == batch.id)
            .order_by(BatchSalesRegion.region_code)
        )
    )


def set_sales_regions(batch: Batch, codes: list[str]) -> list[str]:
    """Replace the batch's declared sales regions (none: sold everywhere, no 窜货 rule)."""
    cleaned = sorted({code.strip() for code in codes if code.strip()})
    for code in cleaned:
        if region_error(code):
            raise DomainError(_("%(code)s is not a region code.", code=code), field="regions")
    db.session.execute(
        BatchSalesRegion.__table__.delete().where(BatchSalesRegion.batch_id == batch.id)
    )
    db.session.add_all(BatchSalesRegion(batch_id=batch.id, region_code=code) for code in cleaned)
    db.session.flush()
    return cleaned


@dataclass(frozen=True)
class BatchScans:
    scans: int
    first_scans: int
    regions: list[tuple[str, int]]
    flags: list[SuspicionFlag]


def batch_scans(batch: Batch, flags_shown: int = 50) -> BatchScans:
    """Everything scanning revealed about one batch (for the regulator's batch page)."""
    regions = db.session.execute(
        select(ScanDaily.region_code, func.sum(ScanDaily.scans), func.sum(ScanDaily.first_scans))
        .where(ScanDaily.batch_id == batch.id)
        .group_by(ScanDaily.region_code)
        .order_by(func.sum(ScanDaily.scans).desc())
    ).all()
    flags = db.session.scalars(
        select(SuspicionFlag)
        .where(SuspicionFlag.batch_id == batch.id)
        .order_by(SuspicionFlag.last_at.desc())
        .limit(flags_shown)
    ).all()
    return BatchScans(
        scans=sum(row[1] for row in regions),
        first_scans=sum(row[2] for row in regions),
        regions=[(row[0], row[1]) for row in regions],
        flags=list(flags),
    )
