"""Non-conforming product records (不合格): found by the enterprise's own inspection or by a
regulator; open → handled → closed."""

from flask_babel import gettext as _
from sqlalchemy import or_, select

from suyuan.extensions import db
from suyuan.models import Batch, Enterprise, NonConformance, Product, User
from suyuan.models.recalls import NONCONFORMANCE_STATUSES, nonconformance_batches
from suyuan.services.errors import DomainError, NotAllowed
from suyuan.services.files import store_upload
from suyuan.services.filings import in_region


def record_nonconformance(
    actor: User, product: Product, batches: list[Batch], reason: str, report=None
) -> NonConformance:
    """A new open record; ``report`` is an uploaded inspection report (PDF or image)."""
    if not batches:
        raise DomainError(_("Choose at least one batch."), field="batches")
    if any(batch.product_id != product.id for batch in batches):
        raise DomainError(_("Every batch must be of this product."), field="batches")
    if not (reason or "").strip():
        raise DomainError(_("Say what does not conform."), field="reason")
    record = NonConformance(
        enterprise_id=product.enterprise_id,
        product=product,
        batches=list(batches),
        reason=reason.strip(),
        found_by="regulator" if actor.is_regulator else "self_inspection",
        created_by=actor,
    )
    if report is not None and getattr(report, "filename", None):
        record.report = store_upload(report, product.enterprise)
    db.session.add(record)
    db.session.flush()
    return record


def set_status(record: NonConformance, status: str, note: str = "") -> None:
    """Move forward only: open → handled → closed (handled may be skipped)."""
    if status not in NONCONFORMANCE_STATUSES:
        raise DomainError(_("Unknown status."), field="status")
    order = NONCONFORMANCE_STATUSES.index
    if order(status) <= order(record.status):
        raise NotAllowed(_("A record can only move forward: open, handled, closed."))
    record.status = status
    if (note or "").strip():
        record.handling_note = note.strip()
    db.session.flush()


def regulator_query(user: User, *, q: str = "", status=None, found_by=None):
    query = select(NonConformance).join(Enterprise).join(Product)
    return _filtered(query.where(in_region(user.regulator_region)), q, status, found_by)


def enterprise_query(enterprise: Enterprise, *, q: str = "", status=None, found_by=None):
    query = select(NonConformance).join(Enterprise).join(Product)
    return _filtered(
        query.where(NonConformance.enterprise_id == enterprise.id), q, status, found_by
    )


def _filtered(query, q, status, found_by):
    if q:
        pattern = f"%{q.strip()}%"
        lots = (
            select(nonconformance_batches.c.nonconformance_id)
            .join(Batch, Batch.id == nonconformance_batches.c.batch_id)
            .where(Batch.lot_number.ilike(pattern))
        )
        query = query.where(
            or_(
                Product.name.ilike(pattern),
                Enterprise.name.ilike(pattern),
                Enterprise.credit_code.ilike(pattern),
                NonConformance.reason.ilike(pattern),
                NonConformance.id.in_(lots),
            )
        )
    if status in NONCONFORMANCE_STATUSES:
        query = query.where(NonConformance.status == status)
    if found_by in ("self_inspection", "regulator"):
        query = query.where(NonConformance.found_by == found_by)
    return query.order_by(NonConformance.created_at.desc(), NonConformance.id.desc())
