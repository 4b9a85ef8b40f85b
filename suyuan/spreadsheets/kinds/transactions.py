"""Goods-flow documents (进销存交易): one row per line, the document number repeating on each
line of a document. The first row of a document gives its kind, date, counterparty (by
credit code or name), note and whether to save a draft or submit; its other rows may leave
those empty or repeat them.

Rows go through ``services.flow``: the document is created with its first line and
updated with each further line (``update_draft``), so every line is checked by the service
on its own row. Documents to submit are submitted after the last row by date, then in the
order they first appear (an inbound gives stock to an outbound after it); a refused
submission is blamed on the document's first row. Exports list documents oldest first.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from suyuan.extensions import db
from suyuan.models import Batch, Counterparty, Transaction, TransactionLine
from suyuan.models.flow import TRANSACTION_STATUSES
from suyuan.services.codes import printed
from suyuan.services.errors import DomainError
from suyuan.services.flow import create_transaction, submit_transaction, transactions_query
from suyuan.services.flow import update_draft as update_document
from suyuan.services.tracing import plain_quantity
from suyuan.spreadsheets.columns import (
    CellError,
    Column,
    LaterErrors,
    RowParser,
    a_date,
    choice,
    enum_lookup,
    text,
)
from suyuan.spreadsheets.kinds.lookups import Catalogue
from suyuan.vocab import TRANSACTION_KIND_LABELS, TRANSACTION_STATUS_LABELS, UNITS

NAME = "transactions"
TITLE = _l("Goods-flow documents")
ROLES = ("recorder",)
ACTIONS = {"draft": _l("Save as draft"), "submit": _l("Submit")}
INSTRUCTIONS = (
    _l(
        "One row per line of a document: repeat the document number on every line of the same document."
    ),
    _l(
        "The first row of a document gives its kind, date, counterparty, note and whether to submit it; its other rows may leave these empty."
    ),
    _l(
        "The counterparty is found by its unified social credit code, or by its name; a finished-goods inbound has none."
    ),
    _l(
        "The batch is found by its lot number among your batches, those you have moved and those of your platform counterparties; fill in the product when several share the lot number."
    ),
    _l(
        "Submitted documents are locked and move stock; they are submitted by date, and in the order of the file on the same date. Exports list documents oldest first, so that they import back."
    ),
)
COLUMNS = (
    Column("number", _l("Document number"), required=True, width=20),
    Column("kind", _l("Kind"), choices=lambda: TRANSACTION_KIND_LABELS, width=22),
    Column("moved_on", _l("Date"), hint=_l("YYYY-MM-DD")),
    Column(
        "counterparty_code",
        _l("Counterparty credit code"),
        width=22,
        hint=_l("Or fill in the counterparty's name."),
    ),
    Column("counterparty", _l("Counterparty"), width=26),
    Column("note", _l("Note"), width=30),
    Column("product", _l("Product"), width=24),
    Column("spec", _l("Specification")),
    Column("lot_number", _l("Lot number"), required=True),
    Column("quantity", _l("Quantity"), required=True, hint=_l("Up to 3 decimal places.")),
    Column("unit", _l("Unit"), required=True, choices=lambda: UNITS),
    Column("first_code", _l("First code"), width=28, hint=_l("Optional code range.")),
    Column("last_code", _l("Last code"), width=28),
    Column(
        "action", _l("Save or submit"), choices=lambda: ACTIONS, hint=_l("Empty: save as draft.")
    ),
    Column("status", _l("Status"), export_only=True),
)
FIELD_COLUMNS = {
    "counterparty_id": "counterparty",
    "lines": "first_code",
}
HEADER_KEYS = ("kind", "moved_on", "counterparty", "note", "submit")


@dataclass
class Document:
    transaction: Transaction
    header: dict
    submit: bool
    row: int
    lines: list = field(default_factory=list)


class Context:
    def __init__(self, enterprise, actor):
        self.enterprise = enterprise
        self.actor = actor
        self.row = 0
        self.kinds = enum_lookup(TRANSACTION_KIND_LABELS)
        self.units = enum_lookup(UNITS)
        # "Draft" and "Submitted" (the document statuses) are understood too.
        self.actions = {
            **enum_lookup(
                {
                    "draft": TRANSACTION_STATUS_LABELS["draft"],
                    "submit": TRANSACTION_STATUS_LABELS["submitted"],
                }
            ),
            **enum_lookup(ACTIONS),
        }
        self.catalogue = Catalogue(enterprise, with_batches=False)
        for batch in db.session.scalars(usable_batches(enterprise)):
            self.catalogue.batches[batch.lot_number].append(batch)
        counterparties = list(
            db.session.scalars(
                select(Counterparty).where(Counterparty.enterprise_id == enterprise.id)
            )
        )
        self.by_code = {c.credit_code: c for c in counterparties}
        self.by_name: dict[str, list] = {}
        for counterparty in counterparties:
            self.by_name.setdefault(counterparty.name, []).append(counterparty)
        self.headers: dict[str, dict] = {}
        self.documents: dict[str, Document] = {}
        self.failed: set[str] = set()


def usable_batches(enterprise):
    """Every batch a document of ``enterprise`` may name (``services.flow.batch_choices``
    without its limit): its own, those it has moved, those of its platform counterparties."""
    moved = (
        select(TransactionLine.batch_id)
        .join(Transaction, TransactionLine.transaction_id == Transaction.id)
        .where(Transaction.enterprise_id == enterprise.id)
    )
    partners = select(Counterparty.linked_enterprise_id).where(
        Counterparty.enterprise_id == enterprise.id,
        Counterparty.linked_enterprise_id.is_not(None),
    )
    return (
        select(Batch)
        .where(
            or_(
                Batch.enterprise_id == enterprise.id,
                Batch.id.in_(moved),
                Batch.enterprise_id.in_(partners),
            )
        )
        .options(selectinload(Batch.product))
    )


def prepare(enterprise, actor) -> Context:
    return Context(enterprise, actor)


def parse(context: Context, cells: dict) -> dict:
    row = RowParser(cells)
    number = row.take(text, "number", 64, required=True)
    first = number not in context.headers
    header = {
        "kind": row.take(choice, "kind", context.kinds, required=first),
        "moved_on": row.take(a_date, "moved_on", required=first),
        "counterparty": row.take(_counterparty, "counterparty_code", context, cells),
        "note": row.take(text, "note"),
        "submit": _action(row, context),
    }
    header_ok = not row.errors
    product = row.take(text, "product", 200)
    spec = row.take(text, "spec", 64)
    lot = row.take(text, "lot_number", 64, required=True)
    batch = None
    if lot:
        batch = row.take(
            lambda _raw, _key: context.catalogue.batch(lot, product, spec), "lot_number"
        )
    line = {
        "batch": batch,
        "quantity": row.take(text, "quantity", 32, required=True),
        "unit": row.take(choice, "unit", context.units, required=True),
        "first_code": row.take(text, "first_code", 40),
        "last_code": row.take(text, "last_code", 40),
    }
    if number and header_ok:
        if first:
            context.headers[number] = header
        else:
            row.errors.extend(_disagreements(context.headers[number], header, cells))
    row.done()
    return {"number": number, "line": line}


def _action(row: RowParser, context: Context) -> bool | None:
    """True to submit, False to save a draft, None when the cell is empty."""
    action = row.take(choice, "action", context.actions)
    return (action == "submit") if action else None


def _counterparty(raw, column: str, context: Context, cells: dict) -> Counterparty | None:
    code = text(raw, column).upper()
    if code:
        found = context.by_code.get(code)
        if found is None:
            raise CellError(
                column, _("You have no counterparty with the credit code %(code)s.", code=code)
            )
        return found
    name = text(cells.get("counterparty"), "counterparty", 200)
    if not name:
        return None
    found = context.by_name.get(name, [])
    if not found:
        raise CellError("counterparty", _("You have no counterparty called “%(name)s”.", name=name))
    if len(found) > 1:
        raise CellError(
            "counterparty_code",
            _(
                "Several of your counterparties are called “%(name)s”: fill in the credit code.",
                name=name,
            ),
        )
    return found[0]


def _disagreements(first: dict, header: dict, cells: dict) -> list[CellError]:
    """A later row of a document may leave the header empty or repeat it, not change it."""
    errors = []
    for key in HEADER_KEYS:
        value = header[key]
        if value in (None, "") or value == first[key]:
            continue
        column = {"counterparty": "counterparty_code", "submit": "action"}.get(key, key)
        if key == "counterparty" and not text(cells.get("counterparty_code"), column):
            column = "counterparty"
        errors.append(
            CellError(column, _("This differs from the document's first row; leave it empty."))
        )
    return errors


def write(context: Context, values: dict) -> None:
    number, line = values["number"], values["line"]
    document = context.documents.get(number)
    if document is None:
        if number in context.failed:
            raise DomainError(
                _("The first row of document %(number)s is wrong; fix it first.", number=number),
                field="number",
            )
        header = dict(context.headers[number])
        submit = bool(header.pop("submit"))
        context.failed.add(number)
        txn = create_transaction(
            context.enterprise, context.actor, {**header, "number": number}, [line]
        )
        context.failed.discard(number)
        document = Document(txn, {**header, "number": number}, submit, context.row)
        context.documents[number] = document
    else:
        update_document(document.transaction, document.header, [*document.lines, line])
    document.lines.append(line)


def finish(context: Context) -> None:
    """Submit the documents to submit by date, then file order; each in a savepoint, so
    that a refused one does not count in the stock of those after it."""
    errors = []
    chosen = [(n, d) for n, d in context.documents.items() if d.submit]
    for number, document in sorted(chosen, key=lambda item: item[1].header["moved_on"]):
        try:
            with db.session.begin_nested():
                submit_transaction(document.transaction, context.actor)
        except DomainError as refused:
            column = FIELD_COLUMNS.get(refused.field, refused.field) or "quantity"
            errors.append((document.row, column, number, refused.message))
    if errors:
        raise LaterErrors(errors)


def export_rows(enterprise, args):
    status = args.get("status", "")
    query = transactions_query(
        enterprise,
        args.get("q", ""),
        args.get("kind", ""),
        status if status in TRANSACTION_STATUSES else "",
        _date(args.get("since")),
        _date(args.get("until")),
    )
    query = (
        query.order_by(None)
        .order_by(Transaction.moved_on, Transaction.id)
        .options(
            selectinload(Transaction.counterparty),
            selectinload(Transaction.lines).selectinload(TransactionLine.batch),
            selectinload(Transaction.lines).selectinload(TransactionLine.product),
        )
    )
    with db.session.scalars(query.execution_options(yield_per=200)) as result:
        for txn in result:
            yield from document_rows(txn)


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def document_rows(txn: Transaction):
    """One row per line in ``COLUMNS`` order."""
    counterparty = txn.counterparty
    action = ACTIONS["submit" if txn.status == "submitted" else "draft"]
    for line in txn.lines:
        yield [
            txn.number,
            str(TRANSACTION_KIND_LABELS[txn.kind]),
            txn.moved_on,
            counterparty.credit_code if counterparty else "",
            counterparty.name if counterparty else "",
            txn.note,
            line.product.name,
            line.product.spec,
            line.batch.lot_number,
            plain_quantity(line.quantity),
            str(UNITS.get(line.unit, line.unit)),
            printed(line.first_index) if line.first_index is not None else "",
            printed(line.last_index) if line.last_index is not None else "",
            str(action),
            str(TRANSACTION_STATUS_LABELS[txn.status]),
        ]
