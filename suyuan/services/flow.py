"""Goods-flow documents (进销存交易): drafts, submission (which locks and moves stock),
corrections as new versions, and the counterpart's confirmation or dispute (勾兑).

Seed 000: 保存 keeps a draft, 提交 locks it. A submitted document is never changed: a
correction is version n+1 with a reason, and version n stays readable for regulators.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from suyuan.extensions import db
from suyuan.models import Batch, CodeRange, Counterparty, Transaction, TransactionLine
from suyuan.models.base import utcnow
from suyuan.models.flow import OUTBOUND_KINDS, TRANSACTION_KINDS
from suyuan.services.codes import parse_code, printed, resolve_code
from suyuan.services.counterparties import CUSTOMER_ROLES, SUPPLIER_ROLES
from suyuan.services.errors import Conflict, DomainError, NotAllowed
from suyuan.services.stock import lock_batches, refuse_negative_stock
from suyuan.vocab import UNITS

EDITABLE = ("draft", "pending", "disputed")
MAX_QUANTITY = Decimal("99999999999.999")
#: Which counterparties a kind may name: goods come from suppliers and go to customers.
KIND_ROLES = {
    "purchase_in": SUPPLIER_ROLES,
    "purchase_return": SUPPLIER_ROLES,
    "sales_out": CUSTOMER_ROLES,
    "sales_return": CUSTOMER_ROLES,
}


def create_transaction(enterprise, author, values: dict, lines: list[dict], submit=False):
    """A new document of ``enterprise``: a draft, or submitted at once when ``submit``."""
    fields = _header(enterprise, values, origin_id=None)
    txn = Transaction(enterprise_id=enterprise.id, created_by=author, status="draft", **fields)
    txn.lines = _lines(txn, lines)
    db.session.add(txn)
    db.session.flush()
    txn.origin_id = txn.id
    if submit:
        submit_transaction(txn, author)
    return txn


def update_draft(txn: Transaction, values: dict, lines: list[dict]) -> Transaction:
    """Change a draft, or a pending counterpart before confirming it (received quantities)."""
    _require_editable(txn)
    fields = _header(txn.enterprise, {**values, "kind": txn.kind}, origin_id=txn.origin_id)
    for name, value in fields.items():
        setattr(txn, name, value)
    txn.lines = _lines(txn, lines)
    db.session.flush()
    return txn


def delete_draft(txn: Transaction) -> None:
    if txn.status != "draft":
        raise NotAllowed(_("Only a draft can be deleted."))
    db.session.delete(txn)
    db.session.flush()


def submit_transaction(txn: Transaction, actor) -> Transaction:
    """Lock the document; its lines move stock. For a pending counterpart this is the
    confirmation. Refused when stock would go below zero."""
    _require_editable(txn)
    _check_complete(txn)
    lock_batches({line.batch_id for line in txn.lines})
    txn.status = "submitted"
    txn.submitted_at = utcnow()
    txn.submitted_by = actor
    txn.dispute_reason = ""
    txn.partner_enterprise_id = txn.counterparty.linked_enterprise_id if txn.counterparty else None
    refuse_negative_stock(txn.enterprise_id, txn.lines)
    _match(txn)
    return txn


def dispute_counterpart(txn: Transaction, actor, reason: str) -> Transaction:
    """Refuse a pending counterpart (the goods did not arrive, or not like this)."""
    if txn.status != "pending":
        raise NotAllowed(_("Only a pending document from a counterparty can be disputed."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the dispute."), field="reason")
    txn.status = "disputed"
    txn.dispute_reason = reason
    txn.submitted_by = actor
    db.session.flush()
    return txn


def correct_transaction(txn: Transaction, author, values: dict, lines: list[dict], reason: str):
    """Version n+1 of a submitted document, submitted at once; version n is superseded."""
    if txn.status != "submitted":
        raise NotAllowed(_("Only the current submitted version of a document can be corrected."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the correction."), field="reason")
    fields = _header(txn.enterprise, {**values, "kind": txn.kind}, origin_id=txn.origin_id)
    old_lines = list(txn.lines)
    try:
        with db.session.begin_nested():
            txn.status = "superseded"
            db.session.flush()
            correction = Transaction(
                enterprise_id=txn.enterprise_id,
                created_by=author,
                status="draft",
                version=txn.version + 1,
                origin_id=txn.origin_id,
                supersedes=txn,
                counterpart_of_id=txn.counterpart_of_id,
                correction_reason=reason,
                **fields,
            )
            correction.lines = _lines(correction, lines)
            db.session.add(correction)
            db.session.flush()
    except IntegrityError:
        raise Conflict(
            _("This document was corrected by someone else just now. Reload it and try again.")
        ) from None
    _check_complete(correction)
    lock_batches({line.batch_id for line in [*old_lines, *correction.lines]})
    correction.status = "submitted"
    correction.submitted_at = utcnow()
    correction.submitted_by = author
    correction.partner_enterprise_id = (
        correction.counterparty.linked_enterprise_id if correction.counterparty else None
    )
    refuse_negative_stock(txn.enterprise_id, [*correction.lines, *old_lines])
    _match(correction)
    return correction


def document_history(txn: Transaction) -> list[Transaction]:
    """Every version of ``txn``'s document, oldest first."""
    return list(
        db.session.scalars(
            select(Transaction)
            .where(Transaction.origin_id == txn.origin_id)
            .order_by(Transaction.version)
        )
    )


def transactions_query(enterprise, q="", kind="", status="", since=None, until=None):
    """The enterprise's current documents (no superseded versions), newest first."""
    query = select(Transaction).where(
        Transaction.enterprise_id == enterprise.id, Transaction.status != "superseded"
    )
    return filter_transactions(query, q, kind, status, since, until)


def filter_transactions(query, q="", kind="", status="", since=None, until=None):
    if q.strip():
        lot_match = (
            select(TransactionLine.transaction_id)
            .join(Batch, TransactionLine.batch_id == Batch.id)
            .where(Batch.lot_number.contains(q.strip(), autoescape=True))
        )
        query = query.outerjoin(Counterparty, Transaction.counterparty_id == Counterparty.id).where(
            or_(
                Transaction.number.contains(q.strip(), autoescape=True),
                Counterparty.name.contains(q.strip(), autoescape=True),
                Transaction.id.in_(lot_match),
            )
        )
    if kind in TRANSACTION_KINDS:
        query = query.where(Transaction.kind == kind)
    if status:
        query = query.where(Transaction.status == status)
    if since:
        query = query.where(Transaction.moved_on >= since)
    if until:
        query = query.where(Transaction.moved_on <= until)
    return query.order_by(Transaction.moved_on.desc(), Transaction.id.desc())


def pending_count(enterprise) -> int:
    return db.session.scalar(
        select(func.count(Transaction.id)).where(
            Transaction.enterprise_id == enterprise.id, Transaction.status == "pending"
        )
    )


# Checking


def _require_editable(txn: Transaction) -> None:
    if txn.status == "superseded":
        raise NotAllowed(_("This version has been superseded and can no longer be changed."))
    if txn.status not in EDITABLE:
        raise NotAllowed(
            _("This document is submitted and locked. To change it, submit a correction.")
        )


def _header(enterprise, values: dict, origin_id: int | None) -> dict:
    kind = values.get("kind")
    if kind not in TRANSACTION_KINDS:
        raise DomainError(_("Choose the kind of document."), field="kind")
    number = (values.get("number") or "").strip()
    if not number:
        raise DomainError(_("Enter the document number."), field="number")
    if len(number) > 64:
        raise DomainError(_("At most %(n)s characters.", n=64), field="number")
    if number_taken(enterprise.id, number, origin_id):
        raise Conflict(
            _("Another document of your enterprise already has number %(number)s.", number=number),
            field="number",
        )
    moved_on = values.get("moved_on")
    if not isinstance(moved_on, date):
        raise DomainError(_("Enter the date."), field="moved_on")
    return {
        "kind": kind,
        "number": number,
        "moved_on": moved_on,
        "counterparty": _counterparty(enterprise, kind, values.get("counterparty")),
        "note": (values.get("note") or "").strip(),
    }


def number_taken(enterprise_id: int, number: str, origin_id: int | None) -> bool:
    query = select(Transaction.id).where(
        Transaction.enterprise_id == enterprise_id, Transaction.number == number
    )
    if origin_id is not None:
        query = query.where(Transaction.origin_id != origin_id)
    return db.session.scalar(query.limit(1)) is not None


def _counterparty(enterprise, kind: str, counterparty) -> Counterparty | None:
    if kind == "finished_in":
        if counterparty is not None:
            raise DomainError(
                _("A finished-goods inbound comes from your own production: no counterparty."),
                field="counterparty_id",
            )
        return None
    if counterparty is None:
        raise DomainError(_("Choose the counterparty."), field="counterparty_id")
    if counterparty.enterprise_id != enterprise.id:
        raise DomainError(_("Choose one of your counterparties."), field="counterparty_id")
    if counterparty.role not in KIND_ROLES[kind]:
        message = (
            _("Choose a supplier for this kind of document.")
            if "supplier" in KIND_ROLES[kind]
            else _("Choose a customer for this kind of document.")
        )
        raise DomainError(message, field="counterparty_id")
    return counterparty


def _check_complete(txn: Transaction) -> None:
    if not txn.lines:
        raise DomainError(_("Add at least one line before submitting."), field="lines")
    if txn.counterparty is not None and txn.counterparty.is_disabled:
        raise NotAllowed(
            _("The counterparty %(name)s is disabled.", name=txn.counterparty.name),
            field="counterparty_id",
        )


def _lines(txn: Transaction, rows: list[dict]) -> list[TransactionLine]:
    lines = []
    for position, row in enumerate(rows, start=1):
        batch = row.get("batch")
        if batch is None:
            raise DomainError(_("Line %(n)s: choose a batch.", n=position), field="lines")
        if txn.kind == "finished_in" and batch.enterprise_id != txn.enterprise_id:
            raise DomainError(
                _(
                    "Line %(n)s: a finished-goods inbound takes batches of your own products.",
                    n=position,
                ),
                field="lines",
            )
        line = TransactionLine(
            position=position,
            product_id=batch.product_id,
            batch=batch,
            quantity=_quantity(row.get("quantity"), position),
            unit=_unit(row.get("unit"), position),
        )
        line.first_index, line.last_index = _code_range(batch, row, position)
        lines.append(line)
    return lines


def _quantity(value, position: int) -> Decimal:
    try:
        quantity = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        quantity = None
    if quantity is None or not quantity.is_finite() or quantity <= 0:
        raise DomainError(
            _("Line %(n)s: the quantity must be a number above zero.", n=position), field="lines"
        )
    if quantity > MAX_QUANTITY or quantity != quantity.quantize(Decimal("0.001")):
        raise DomainError(
            _("Line %(n)s: at most 11 digits and 3 decimal places.", n=position), field="lines"
        )
    return quantity


def _unit(value, position: int) -> str:
    if value not in UNITS:
        raise DomainError(_("Line %(n)s: choose a unit.", n=position), field="lines")
    return value


def _code_range(batch: Batch, row: dict, position: int) -> tuple[int | None, int | None]:
    """An optional first..last code range, which must lie inside one bound range of the batch."""
    first_text = (row.get("first_code") or "").strip()
    last_text = (row.get("last_code") or "").strip()
    if not first_text and not last_text:
        return None, None
    if not first_text or not last_text:
        raise DomainError(
            _("Line %(n)s: give both the first and the last code, or neither.", n=position),
            field="lines",
        )
    first, last = parse_code(first_text, "lines"), parse_code(last_text, "lines")
    if first > last:
        raise DomainError(
            _("Line %(n)s: the first code comes after the last.", n=position), field="lines"
        )
    holder: CodeRange | None = resolve_code(first)
    if (
        holder is None
        or holder.status != "bound"
        or holder.batch_id != batch.id
        or holder.end_index < last
    ):
        raise DomainError(
            _(
                "Line %(n)s: codes %(first)s – %(last)s are not inside one bound range of lot %(lot)s.",
                n=position,
                first=printed(first),
                last=printed(last),
                lot=batch.lot_number,
            ),
            field="lines",
        )
    return first, last


def _match(txn: Transaction) -> None:
    from suyuan.services.matching import match_counterpart

    if txn.kind in OUTBOUND_KINDS:
        match_counterpart(txn)


def batch_choices(enterprise, limit: int = 300) -> list[Batch]:
    """Batches a document of ``enterprise`` may name: its own, those it has moved, and those
    of its platform counterparties (what a purchase inbound receives)."""
    return list(
        db.session.scalars(
            select(Batch)
            .where(_may_name(enterprise))
            .order_by(Batch.production_date.desc(), Batch.id.desc())
            .limit(limit)
        )
    )


def batch_choice(enterprise, batch_id: int) -> Batch | None:
    """Batch ``batch_id`` if a document of ``enterprise`` may name it (see ``batch_choices``)."""
    return db.session.scalar(select(Batch).where(Batch.id == batch_id, _may_name(enterprise)))


def _may_name(enterprise):
    moved = (
        select(TransactionLine.batch_id)
        .join(Transaction, TransactionLine.transaction_id == Transaction.id)
        .where(Transaction.enterprise_id == enterprise.id)
    )
    partners = select(Counterparty.linked_enterprise_id).where(
        Counterparty.enterprise_id == enterprise.id,
        Counterparty.linked_enterprise_id.is_not(None),
        Counterparty.status == "normal",
    )
    return or_(
        Batch.enterprise_id == enterprise.id,
        Batch.id.in_(moved),
        Batch.enterprise_id.in_(partners),
    )
