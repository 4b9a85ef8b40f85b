"""Production batches (生产批次): creating and editing them, and the figures their lists show.

A batch may only be created for a product whose filing is approved, by an enterprise whose
own filing is approved (seed 002: 备案 comes before traceability data).
"""

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from suyuan.extensions import db
from suyuan.models import Batch, CodeRange, Product, ProductionArea, StageRecord
from suyuan.models.products import BATCH_STATUSES
from suyuan.services.errors import Conflict, DomainError, NotAllowed


def approved_products(enterprise) -> list[Product]:
    """The enterprise's products that may get batches (their filing is approved)."""
    return [product for product in enterprise.products if product.is_approved]


def batch_refusal(enterprise, product) -> str | None:
    """Why no batch may be created for ``product`` now, or None when it may."""
    if not enterprise.is_approved:
        return _(
            "Your enterprise filing is not approved yet: batches can be created once a "
            "regulator approves it."
        )
    if not product.is_approved:
        return _(
            "The filing of product “%(name)s” is not approved yet: batches can be created "
            "once a regulator approves it.",
            name=product.name,
        )
    return None


def create_batch(enterprise, product, values: dict) -> Batch:
    """A new batch of ``product``; ``values``: lot_number, production_date,
    production_area_id (optional), notes."""
    if product.enterprise_id != enterprise.id:
        raise NotAllowed(_("Choose one of your own products."), field="product_id")
    refusal = batch_refusal(enterprise, product)
    if refusal:
        raise NotAllowed(refusal, field="product_id")
    fields = _checked(enterprise, product, values, batch_id=None)
    # product_id, not product=: the relationship's backref would put the half-built batch
    # into the flush that opens the savepoint.
    return _save(Batch(enterprise_id=enterprise.id, product_id=product.id), product, fields)


def update_batch(batch, values: dict) -> Batch:
    """Edit lot, production date, area, status and notes of ``batch``."""
    status = values.get("status", batch.status)
    if status not in BATCH_STATUSES:
        raise DomainError(_("Unknown batch status."), field="status")
    fields = _checked(batch.product.enterprise, batch.product, values, batch_id=batch.id)
    return _save(batch, batch.product, {**fields, "status": status})


def _checked(enterprise, product, values: dict, batch_id: int | None) -> dict:
    """The batch's own fields from ``values``, checked before anything is assigned."""
    lot_number = values["lot_number"].strip()
    if not lot_number:
        raise DomainError(_("Enter the lot number."), field="lot_number")
    if _lot_taken(product.id, lot_number, batch_id):
        raise Conflict(_lot_message(lot_number, product), field="lot_number")
    if values.get("production_date") is None:
        raise DomainError(_("Enter the production date."), field="production_date")
    return {
        "lot_number": lot_number,
        "production_date": values["production_date"],
        "production_area": _area(enterprise, values.get("production_area_id")),
        "notes": (values.get("notes") or "").strip(),
    }


def _area(enterprise, area_id) -> ProductionArea | None:
    if not area_id:
        return None
    area = db.session.get(ProductionArea, area_id)
    if area is None or area.enterprise_id != enterprise.id:
        raise DomainError(_("Choose one of your production areas."), field="production_area_id")
    return area


def _lot_taken(product_id: int, lot_number: str, batch_id: int | None) -> bool:
    query = select(Batch.id).where(Batch.product_id == product_id, Batch.lot_number == lot_number)
    if batch_id is not None:
        query = query.where(Batch.id != batch_id)
    return db.session.scalar(query.limit(1)) is not None


def _lot_message(lot_number: str, product) -> str:
    return _(
        "Lot number %(lot)s is already used by another batch of “%(name)s”.",
        lot=lot_number,
        name=product.name,
    )


def _save(batch: Batch, product, fields: dict) -> Batch:
    """Assign and flush in a savepoint: a concurrent insert of the same lot loses to the
    unique constraint on (product_id, lot_number) and becomes a Conflict, not a 500."""
    try:
        with db.session.begin_nested():
            for name, value in fields.items():
                setattr(batch, name, value)
            db.session.add(batch)
    except IntegrityError:
        raise Conflict(_lot_message(fields["lot_number"], product), field="lot_number") from None
    return batch


def batch_query(enterprise, search: str = "", product_id: int | None = None, status: str = ""):
    """The enterprise's batches, newest production first, filtered for the list page."""
    query = (
        select(Batch)
        .join(Product)
        .where(Batch.enterprise_id == enterprise.id)
        .order_by(Batch.production_date.desc(), Batch.id.desc())
    )
    if search:
        pattern = f"%{_escape_like(search.strip())}%"
        query = query.where(
            or_(
                Batch.lot_number.ilike(pattern, escape="\\"),
                Product.name.ilike(pattern, escape="\\"),
            )
        )
    if product_id:
        query = query.where(Batch.product_id == product_id)
    if status:
        query = query.where(Batch.status == status)
    return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def record_counts(batch_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per batch: how many current records are submitted and how many are drafts."""
    rows = db.session.execute(
        select(StageRecord.batch_id, StageRecord.status, func.count(StageRecord.id))
        .where(StageRecord.batch_id.in_(batch_ids), StageRecord.status != "superseded")
        .group_by(StageRecord.batch_id, StageRecord.status)
    )
    counts = {batch_id: {"submitted": 0, "draft": 0} for batch_id in batch_ids}
    for batch_id, status, count in rows:
        counts[batch_id][status] = count
    return counts


def bound_code_counts(batch_ids: list[int]) -> dict[int, int]:
    """Per batch: the number of identity codes in its bound ranges."""
    size = func.sum(CodeRange.end_index - CodeRange.start_index + 1)
    rows = db.session.execute(
        select(CodeRange.batch_id, size)
        .where(CodeRange.batch_id.in_(batch_ids), CodeRange.status == "bound")
        .group_by(CodeRange.batch_id)
    )
    counts = dict.fromkeys(batch_ids, 0)
    counts.update({batch_id: int(total or 0) for batch_id, total in rows})
    return counts
