"""Mock recall drills (模拟召回): trace a lot forward and backward, build the export, and
record how long it took. Also who may see which trace."""

import time
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import Batch, Enterprise, MockRecallDrill
from suyuan.services.errors import DomainError
from suyuan.services.trace_export import rows_to_xlsx
from suyuan.services.tracing import (
    ROW_FIELDS,
    Movement,
    downstream_enterprises,
    involved_enterprise_ids,
    movements_rows,
    trace_backward,
    trace_forward,
)
from suyuan.validators import region_prefix

EXPORT_HEADERS = {
    "recorded_by": _l("Recorded by"),
    "document_number": _l("Document number"),
    "kind": _l("Kind"),
    "date": _l("Date"),
    "product": _l("Product"),
    "lot": _l("Lot number"),
    "quantity": _l("Quantity"),
    "unit": _l("Unit"),
    "from_enterprise": _l("From"),
    "from_credit_code": _l("From (credit code)"),
    "to_enterprise": _l("To"),
    "to_credit_code": _l("To (credit code)"),
}


def export_rows(movements) -> list[dict]:
    """Rows for the export, with the kind as its translated label."""
    from suyuan.vocab import label_for

    rows = movements_rows(movements)
    for row in rows:
        row["kind"] = label_for("transaction_kind", row["kind"])
    return rows


@dataclass
class Trace:
    batch: Batch
    backward: list[Movement]
    forward: list[Movement]
    receivers: list[Enterprise]

    @property
    def movements(self) -> list[Movement]:
        return list(dict.fromkeys(self.backward + self.forward))


def full_trace(batch: Batch) -> Trace:
    return Trace(
        batch,
        trace_backward([batch.id]),
        trace_forward([batch.id]),
        downstream_enterprises([batch.id]),
    )


def enterprise_trace(batch: Batch, enterprise: Enterprise) -> Trace:
    """What an enterprise sees of a batch's trace: only the movements it is a party to (its
    own documents and its direct counterparties' receipts from it or returns to it). Where
    the goods went after a customer, and a supplier's own inputs, are the regulator's view."""
    full = full_trace(batch)
    code = enterprise.credit_code

    def visible(moves):
        return [m for m in moves if code in (m.from_credit_code, m.to_credit_code)]

    receivers = [e for e in full.receivers if e.credit_code in {
        m.to_credit_code for m in visible(full.forward)}]  # fmt: skip
    return Trace(batch, visible(full.backward), visible(full.forward), receivers)


def run_drill(batch: Batch, actor, enterprise: Enterprise | None = None):
    """Trace, export and time one drill; the row records the figures. Returns (drill, trace,
    xlsx bytes)."""
    started = time.perf_counter()
    trace = enterprise_trace(batch, enterprise) if enterprise else full_trace(batch)
    rows = export_rows(trace.movements)
    workbook = rows_to_xlsx(rows, EXPORT_HEADERS)
    elapsed = round((time.perf_counter() - started) * 1000)
    drill = MockRecallDrill(
        batch_id=batch.id,
        actor=actor,
        enterprise_id=enterprise.id if enterprise else None,
        forward_count=len(trace.forward),
        backward_count=len(trace.backward),
        enterprise_count=len(trace.receivers),
        export_rows=len(rows),
        duration_ms=max(elapsed, 0),
    )
    db.session.add(drill)
    db.session.flush()
    return drill, trace, workbook


def may_trace(region: str, batch: Batch) -> bool:
    """A regulator may open a batch's trace when any enterprise of the chain (producer,
    sender, receiver, input supplier) lies in its region: chains that touch the region."""
    prefix = region_prefix(region)
    if not prefix:
        return True
    ids = involved_enterprise_ids([batch.id])
    return bool(
        db.session.scalar(
            select(Enterprise.id)
            .where(Enterprise.id.in_(ids), Enterprise.region_code.startswith(prefix))
            .limit(1)
        )
    )


def find_batch(text: str, enterprise_id: int | None = None) -> Batch:
    """A batch by id or by lot number (``--batch`` of the CLI, the trace search)."""
    text = (text or "").strip()
    query = select(Batch)
    if enterprise_id is not None:
        query = query.where(Batch.enterprise_id == enterprise_id)
    by_lot = list(db.session.scalars(query.where(Batch.lot_number == text).limit(2)))
    if len(by_lot) == 1:
        return by_lot[0]
    if text.isdigit():
        batch = db.session.scalar(query.where(Batch.id == int(text)))
        if batch is not None:
            return batch
    if len(by_lot) > 1:
        raise DomainError(_("Several batches have this lot number: give the batch id."))
    raise DomainError(_("No batch has this id or lot number."))


__all__ = ["ROW_FIELDS", "Trace", "enterprise_trace", "full_trace", "may_trace", "run_drill"]
