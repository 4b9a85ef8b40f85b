"""Stock per enterprise, batch and unit, computed from submitted transactions.

Inbound kinds add, outbound kinds subtract. Nothing is stored, so stock cannot drift from the
documents; a submit that would leave any touched figure below zero is refused.
"""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from suyuan.extensions import db
from suyuan.models import Batch, Product, Transaction, TransactionLine
from suyuan.models.flow import INBOUND_KINDS
from suyuan.services.errors import Conflict
from suyuan.services.tracing import plain_quantity

SIGNED = case(
    (Transaction.kind.in_(INBOUND_KINDS), TransactionLine.quantity),
    else_=-TransactionLine.quantity,
)


@dataclass(frozen=True)
class StockRow:
    batch: Batch
    unit: str
    quantity: Decimal | int


def stock_query(enterprise_id: int):
    """(batch_id, unit, quantity) of one enterprise's current submitted documents."""
    return (
        select(TransactionLine.batch_id, TransactionLine.unit, func.sum(SIGNED).label("quantity"))
        .join(Transaction, TransactionLine.transaction_id == Transaction.id)
        .where(Transaction.enterprise_id == enterprise_id, Transaction.status == "submitted")
        .group_by(TransactionLine.batch_id, TransactionLine.unit)
    )


def stock_of(enterprise_id: int, keys) -> dict[tuple[int, str], Decimal]:
    """Stock for each (batch_id, unit) in ``keys`` (0 when nothing moved)."""
    keys = set(keys)
    if not keys:
        return {}
    batch_ids = {batch_id for batch_id, _unit in keys}
    query = stock_query(enterprise_id).where(TransactionLine.batch_id.in_(batch_ids))
    found = {(b, u): Decimal(q or 0) for b, u, q in db.session.execute(query)}
    return {key: found.get(key, Decimal(0)) for key in keys}


def stock_rows(enterprise, q: str = "", include_empty: bool = False) -> list[StockRow]:
    """The enterprise's stock by product and lot, for the stock page and exports."""
    sub = stock_query(enterprise.id).subquery()
    query = (
        select(Batch, sub.c.unit, sub.c.quantity)
        .join(sub, sub.c.batch_id == Batch.id)
        .join(Product, Batch.product_id == Product.id)
        .order_by(Product.name, Batch.lot_number, sub.c.unit)
    )
    if q.strip():
        query = query.where(
            Product.name.contains(q.strip(), autoescape=True)
            | Batch.lot_number.contains(q.strip(), autoescape=True)
        )
    if not include_empty:
        query = query.where(sub.c.quantity != 0)
    return [
        StockRow(b, unit, plain_quantity(qty or 0)) for b, unit, qty in db.session.execute(query)
    ]


def lock_batches(batch_ids) -> None:
    """Serialize stock checks on the same batches: PostgreSQL locks the batch rows until the
    transaction ends; SQLite's writers are serialized already (BEGIN IMMEDIATE).

    ``FOR NO KEY UPDATE``: it queues concurrent submitters, yet does not conflict with the
    ``KEY SHARE`` lock that inserting a line (a foreign key to the batch) takes, which a
    ``FOR UPDATE`` would turn into a deadlock between two drafts of the same batch."""
    if batch_ids and db.engine.dialect.name == "postgresql":
        db.session.execute(
            select(Batch.id)
            .where(Batch.id.in_(sorted(batch_ids)))
            .order_by(Batch.id)
            .with_for_update(key_share=True)
        )


def refuse_negative_stock(enterprise_id: int, lines) -> None:
    """After the document's effect is flushed: refuse when any of its (batch, unit) figures
    went below zero, naming the product, the lot and what was available before it."""
    keys = {(line.batch_id, line.unit) for line in lines}
    db.session.flush()
    after = stock_of(enterprise_id, keys)
    for line in lines:
        key = (line.batch_id, line.unit)
        if after[key] < 0:
            requested = sum((x.quantity for x in lines if (x.batch_id, x.unit) == key), Decimal(0))
            raise Conflict(
                _(
                    "Not enough stock of %(product)s, lot %(lot)s: %(available)s %(unit)s "
                    "available, %(requested)s %(unit)s on this document.",
                    product=line.batch.product.name,
                    lot=line.batch.lot_number,
                    available=plain_quantity(after[key] + requested),
                    requested=plain_quantity(requested),
                    unit=line.unit,
                )
            )
