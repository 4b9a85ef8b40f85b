"""Trace batches forward and backward through the goods flow (来源可溯、去向可追).

A batch keeps its identity wherever it goes: a distributor's purchase inbound references the
producer's batch. So:

- **forward** — where a batch went: every movement of the batch, walked from its producer
  outwards enterprise by enterprise (returns make cycles; a visited set ends the walk);
- **backward** — where it came from: the batch's origin (the producer's finished-goods
  inbound) and the inputs the producer received before making it (purchase inbounds dated
  within ``INPUT_WINDOW_DAYS`` before the production date), recursively for those inputs.
  No bill of materials links an input lot to an output lot, so the producer's receipts in
  that window are all listed, as a recall drill must assume.

Only submitted, current versions count: drafts, pending counterparts and superseded
versions are not movements.
"""

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import Batch, Counterparty, Enterprise, Product, Transaction, TransactionLine
from suyuan.models.flow import INBOUND_KINDS

INPUT_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Movement:
    transaction_id: int
    document_number: str
    kind: str
    date: date
    from_enterprise: str
    from_credit_code: str | None
    to_enterprise: str
    to_credit_code: str | None
    product: str
    lot: str
    batch_id: int
    quantity: Decimal | int
    unit: str


@dataclass(frozen=True)
class _Edge:
    """A movement with the platform enterprise ids of both ends (None: off the platform)."""

    movement: Movement
    from_id: int | None
    to_id: int | None
    producer_id: int


def trace_forward(batch_ids: Iterable[int]) -> list[Movement]:
    """Every movement of these batches downstream of their producers, nearest first."""
    return [edge.movement for edge in _forward_edges(set(batch_ids))]


def trace_backward(batch_ids: Iterable[int]) -> list[Movement]:
    """The origin of these batches and the producers' inputs, transitively, nearest first."""
    seen: set[int] = set()
    frontier = set(batch_ids)
    found: list[Movement] = []
    while frontier:
        seen |= frontier
        edges = _edges(frontier)
        found += [e.movement for e in edges if e.movement.kind == "finished_in"]
        inputs = _input_edges(frontier)
        found += [e.movement for e in inputs]
        frontier = {e.movement.batch_id for e in inputs} - seen
    return _unique(found)


def downstream_enterprises(batch_ids: Iterable[int]) -> list[Enterprise]:
    """Platform enterprises that received any of these batches, transitively (not producers)."""
    ids = {
        edge.to_id
        for edge in _forward_edges(set(batch_ids))
        if edge.to_id is not None and edge.to_id != edge.producer_id
    }
    if not ids:
        return []
    return list(
        db.session.scalars(select(Enterprise).where(Enterprise.id.in_(ids)).order_by(Enterprise.id))
    )


ROW_FIELDS = (
    "recorded_by",
    "document_number",
    "kind",
    "date",
    "product",
    "lot",
    "quantity",
    "unit",
    "from_enterprise",
    "from_credit_code",
    "to_enterprise",
    "to_credit_code",
)


def movements_rows(movements) -> list[dict]:
    """One row per movement for an export: who recorded it, what, lot, quantity, when, from,
    to and the document number. ``kind`` is the code (``label_for("transaction_kind", …)``)."""
    return [
        {
            "recorded_by": m.to_enterprise if m.kind in INBOUND_KINDS else m.from_enterprise,
            "document_number": m.document_number,
            "kind": m.kind,
            "date": m.date,
            "product": m.product,
            "lot": m.lot,
            "quantity": m.quantity,
            "unit": m.unit,
            "from_enterprise": m.from_enterprise,
            "from_credit_code": m.from_credit_code or "",
            "to_enterprise": m.to_enterprise,
            "to_credit_code": m.to_credit_code or "",
        }
        for m in movements
    ]


def involved_enterprise_ids(edges_of: Iterable[int]) -> set[int]:
    """Platform enterprises at either end of any movement of these batches, or producing them
    (what decides whether a regional regulator may see the chain)."""
    batch_ids = set(edges_of)
    ids: set[int] = set()
    for edge in _edges(batch_ids) + _input_edges(batch_ids):
        ids |= {i for i in (edge.from_id, edge.to_id, edge.producer_id) if i is not None}
    producers = db.session.scalars(select(Batch.enterprise_id).where(Batch.id.in_(batch_ids)))
    return ids | set(producers)


# Walking


def _forward_edges(batch_ids: set[int]) -> list[_Edge]:
    """Breadth-first from each batch's producer along from → to (per batch); edges never
    reached from the producer (a receipt from an unknown supplier) come last."""
    edges = _edges(batch_ids)
    leaving: dict[tuple, list[int]] = defaultdict(list)
    for i, edge in enumerate(edges):
        leaving[(edge.movement.batch_id, _node(edge, "from"))].append(i)
    queue = deque({(e.movement.batch_id, e.producer_id) for e in edges})
    reached, taken, ordered = set(queue), set(), []
    while queue:
        node = queue.popleft()
        for i in leaving.get(node, ()):
            if i in taken:
                continue
            taken.add(i)
            ordered.append(edges[i])
            target = (edges[i].movement.batch_id, _node(edges[i], "to"))
            if target not in reached:  # a return to an earlier holder ends here: no cycle
                reached.add(target)
                queue.append(target)
    return ordered + [edge for i, edge in enumerate(edges) if i not in taken]


def _node(edge: _Edge, end: str):
    """An enterprise's identity in the walk: its platform id, else its credit code."""
    if end == "from":
        return edge.from_id if edge.from_id is not None else edge.movement.from_credit_code
    return edge.to_id if edge.to_id is not None else edge.movement.to_credit_code


def _input_edges(batch_ids: set[int]) -> list[_Edge]:
    """Purchase inbounds of the producers of these batches, dated in the input window before
    each batch's production date (other batches only)."""
    batches = db.session.execute(
        select(Batch.id, Batch.enterprise_id, Batch.production_date).where(Batch.id.in_(batch_ids))
    ).all()
    found: list[_Edge] = []
    for batch_id, producer_id, produced_on in batches:
        start = produced_on - timedelta(days=INPUT_WINDOW_DAYS)
        query = _movement_query().where(
            Transaction.enterprise_id == producer_id,
            Transaction.kind == "purchase_in",
            Transaction.moved_on.between(start, produced_on),
            TransactionLine.batch_id != batch_id,
        )
        found += [_edge(row) for row in db.session.execute(query)]
    return found


def _edges(batch_ids: set[int]) -> list[_Edge]:
    if not batch_ids:
        return []
    query = _movement_query().where(TransactionLine.batch_id.in_(batch_ids))
    return [_edge(row) for row in db.session.execute(query)]


def _movement_query():
    return (
        select(
            Transaction.id,
            Transaction.number,
            Transaction.kind,
            Transaction.moved_on,
            Transaction.enterprise_id,
            Enterprise.name,
            Enterprise.credit_code,
            Transaction.partner_enterprise_id,
            Counterparty.name.label("partner_name"),
            Counterparty.credit_code.label("partner_code"),
            Product.name.label("product"),
            Batch.lot_number,
            Batch.id.label("batch_id"),
            Batch.enterprise_id.label("producer_id"),
            TransactionLine.quantity,
            TransactionLine.unit,
        )
        .join(Transaction, TransactionLine.transaction_id == Transaction.id)
        .join(Enterprise, Transaction.enterprise_id == Enterprise.id)
        .outerjoin(Counterparty, Transaction.counterparty_id == Counterparty.id)
        .join(Batch, TransactionLine.batch_id == Batch.id)
        .join(Product, TransactionLine.product_id == Product.id)
        .where(Transaction.status == "submitted")
        .order_by(Transaction.moved_on, Transaction.id, TransactionLine.position)
    )


def _edge(row) -> _Edge:
    own = (row.name, row.credit_code, row.enterprise_id)
    other = (row.partner_name or "", row.partner_code, row.partner_enterprise_id)
    if row.kind == "finished_in":
        source, target = own, own
    elif row.kind in INBOUND_KINDS:
        source, target = other, own
    else:
        source, target = own, other
    movement = Movement(
        transaction_id=row.id,
        document_number=row.number,
        kind=row.kind,
        date=row.moved_on,
        from_enterprise=source[0],
        from_credit_code=source[1],
        to_enterprise=target[0],
        to_credit_code=target[1],
        product=row.product,
        lot=row.lot_number,
        batch_id=row.batch_id,
        quantity=plain_quantity(row.quantity),
        unit=row.unit,
    )
    return _Edge(movement, source[2], target[2], row.producer_id)


def plain_quantity(value) -> Decimal | int:
    """12.000 → 12, 12.500 → Decimal("12.5")."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def _unique(movements: list[Movement]) -> list[Movement]:
    return list(dict.fromkeys(movements))
