"""/transactions: goods-flow documents (进销存交易) — drafts with lines, submission (locks and
moves stock), corrections as new versions, and confirming or disputing the pending documents
a counterparty's shipment created (勾兑)."""

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from suyuan.api.auth import acting_user, requires
from suyuan.api.common import (
    Day,
    Id,
    Text,
    no_content,
    one_of,
    owned_or_404,
    owned_or_invalid,
    resource_blueprint,
)
from suyuan.api.idempotency import write
from suyuan.api.pagination import PageArgs, page_of, paginate, paginate_rows
from suyuan.models import Counterparty, Transaction
from suyuan.models.flow import TRANSACTION_KINDS, TRANSACTION_STATUSES
from suyuan.services import flow as service
from suyuan.services.codes import printed
from suyuan.services.errors import DomainError, NotAllowed
from suyuan.vocab import UNITS

bp = resource_blueprint("transactions", "Goods-flow documents: inbound, outbound, returns.")

MAX_LINES = 200
LISTED_STATUSES = [s for s in TRANSACTION_STATUSES if s != "superseded"]


def _code(index):
    return printed(index) if index is not None else None


class TransactionLineSchema(Schema):
    position = fields.Integer()
    product_id = fields.Integer()
    product_name = fields.Function(lambda line: line.product.name, metadata={"type": "string"})
    batch_id = fields.Integer()
    lot_number = fields.Function(lambda line: line.batch.lot_number, metadata={"type": "string"})
    quantity = fields.Function(
        lambda line: format(line.quantity.normalize(), "f"),
        metadata={"type": "string", "description": 'Exact decimal, e.g. "12.5".'},
    )
    unit = fields.String()
    first_code = fields.Function(
        lambda line: _code(line.first_index), metadata={"type": "string", "nullable": True}
    )
    last_code = fields.Function(
        lambda line: _code(line.last_index), metadata={"type": "string", "nullable": True}
    )


class TransactionSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    kind = fields.String()
    moved_on = fields.Date()
    counterparty_id = fields.Integer(allow_none=True)
    counterparty_name = fields.Function(
        lambda t: t.counterparty.name if t.counterparty else None,
        metadata={"type": "string", "nullable": True},
    )
    partner_enterprise_id = fields.Integer(allow_none=True)
    note = fields.String()
    status = fields.String()
    version = fields.Integer()
    origin_id = fields.Integer(allow_none=True)
    supersedes_id = fields.Integer(allow_none=True)
    correction_reason = fields.String()
    counterpart_of_id = fields.Integer(
        allow_none=True, metadata={"description": "The counterparty's document this answers."}
    )
    dispute_reason = fields.String()
    created_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    lines = fields.List(fields.Nested(TransactionLineSchema))


class TransactionLineInSchema(Schema):
    batch_id = Id(required=True)
    quantity = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^\d{1,11}(\.\d{1,3})?$", error=_l("A number above zero, at most 3 decimals.")
        ),
        metadata={"description": 'A decimal as a string (exact), e.g. "12.5".'},
    )
    unit = fields.String(required=True, validate=one_of(UNITS))
    first_code = Text(40, metadata={"description": "Optional code range inside one bound range."})
    last_code = Text(40)


Lines = fields.List(
    fields.Nested(TransactionLineInSchema),
    validate=validate.Length(max=MAX_LINES, error=_l("At most {max} lines.")),
)


class TransactionPatchSchema(Schema):
    """Fields left out keep their values; ``lines`` replaces every line."""

    number = Text(64)
    moved_on = Day()
    counterparty_id = Id(allow_none=True)
    note = Text(5000)
    lines = Lines


class TransactionCreateSchema(TransactionPatchSchema):
    kind = fields.String(required=True, validate=one_of(TRANSACTION_KINDS))
    number = Text(64, required=True, metadata={"description": "The delivery note number."})
    moved_on = Day(required=True)
    lines = Lines
    submit = fields.Boolean(load_default=False, metadata={"description": "Submit at once."})


class TransactionCorrectionSchema(TransactionPatchSchema):
    reason = Text(5000, required=True)


class DisputeSchema(Schema):
    reason = Text(5000, required=True)


class TransactionQuerySchema(PageArgs):
    q = Text(100, metadata={"description": "Matches number, counterparty or lot number."})
    kind = fields.String(validate=one_of(TRANSACTION_KINDS))
    status = fields.String(validate=one_of(LISTED_STATUSES))
    since = Day(metadata={"description": "Moved on or after this day."})
    until = Day(metadata={"description": "Moved on or before this day."})


def header(values: dict, txn: Transaction | None = None) -> dict:
    """The service's header values: the given ones over the document's current ones."""
    current = {}
    if txn is not None:
        current = {
            "kind": txn.kind,
            "number": txn.number,
            "moved_on": txn.moved_on,
            "counterparty": txn.counterparty,
            "note": txn.note,
        }
    given = {k: values[k] for k in ("kind", "number", "moved_on", "note") if k in values}
    if "counterparty_id" in values:
        cp_id = values["counterparty_id"]
        given["counterparty"] = (
            owned_or_invalid(Counterparty, cp_id, "counterparty_id") if cp_id else None
        )
    return {**current, **given}


def lines(values: dict, txn: Transaction | None = None) -> list[dict]:
    """The service's line rows: the given lines, or the document's current ones."""
    if "lines" not in values:
        return [] if txn is None else [_current_line(line) for line in txn.lines]
    rows = []
    for position, line in enumerate(values["lines"], start=1):
        batch = service.batch_choice(g.enterprise, line["batch_id"])
        if batch is None:
            raise DomainError(
                _("Line %(n)s: no such batch among those you may name.", n=position),
                field="lines",
            )
        rows.append({**line, "batch": batch})
    return rows


def _current_line(line) -> dict:
    return {
        "batch": line.batch,
        "quantity": line.quantity,
        "unit": line.unit,
        "first_code": _code(line.first_index) or "",
        "last_code": _code(line.last_index) or "",
    }


@bp.route("/transactions", methods=["GET"])
@requires("read")
@bp.arguments(TransactionQuerySchema, location="query")
@bp.response(200, page_of(TransactionSchema))
def list_transactions(args):
    """List current documents (no superseded versions), latest movement first"""
    query = service.transactions_query(
        g.enterprise,
        args.get("q", ""),
        args.get("kind", ""),
        args.get("status", ""),
        args.get("since"),
        args.get("until"),
    )
    return paginate(query, args)


@bp.route("/transactions", methods=["POST"])
@requires("write")
@write
@bp.arguments(TransactionCreateSchema)
@bp.response(201, TransactionSchema)
def create_transaction(values):
    """Record a document: a draft, or submitted at once with `submit: true`"""
    submit = values.pop("submit")
    return service.create_transaction(
        g.enterprise, acting_user(), header(values), lines(values), submit
    )


@bp.route("/transactions/<int:transaction_id>", methods=["GET"])
@requires("read")
@bp.response(200, TransactionSchema)
def get_transaction(transaction_id):
    """Show a document (any version)"""
    return owned_or_404(Transaction, transaction_id)


@bp.route("/transactions/<int:transaction_id>", methods=["PATCH"])
@requires("write")
@write
@bp.arguments(TransactionPatchSchema)
@bp.response(200, TransactionSchema)
def update_transaction(values, transaction_id):
    """Change a draft, or a pending counterpart before confirming it (received quantities)"""
    txn = owned_or_404(Transaction, transaction_id)
    return service.update_draft(txn, header(values, txn), lines(values, txn))


@bp.route("/transactions/<int:transaction_id>", methods=["DELETE"])
@requires("write")
@write
@bp.response(204)
def delete_transaction(transaction_id):
    """Delete a draft"""
    service.delete_draft(owned_or_404(Transaction, transaction_id))
    return no_content()


@bp.route("/transactions/<int:transaction_id>/submit", methods=["POST"])
@requires("write")
@write
@bp.response(200, TransactionSchema)
def submit_transaction(transaction_id):
    """Submit a draft: it is locked and moves stock (refused if stock would go below zero)"""
    txn = owned_or_404(Transaction, transaction_id)
    return service.submit_transaction(txn, acting_user())


@bp.route("/transactions/<int:transaction_id>/confirm", methods=["POST"])
@requires("write")
@write
@bp.response(200, TransactionSchema)
def confirm_transaction(transaction_id):
    """Confirm a pending (or disputed) document created by a counterparty's shipment"""
    txn = owned_or_404(Transaction, transaction_id)
    if txn.counterpart_of_id is None or txn.status not in ("pending", "disputed"):
        raise NotAllowed(_("Only a pending document from a counterparty can be confirmed."))
    return service.submit_transaction(txn, acting_user())


@bp.route("/transactions/<int:transaction_id>/dispute", methods=["POST"])
@requires("write")
@write
@bp.arguments(DisputeSchema)
@bp.response(200, TransactionSchema)
def dispute_transaction(values, transaction_id):
    """Dispute a pending document from a counterparty; it sees your reason"""
    txn = owned_or_404(Transaction, transaction_id)
    return service.dispute_counterpart(txn, acting_user(), values["reason"])


@bp.route("/transactions/<int:transaction_id>/corrections", methods=["POST"])
@requires("write")
@write
@bp.arguments(TransactionCorrectionSchema)
@bp.response(201, TransactionSchema)
def correct_transaction(values, transaction_id):
    """Correct a submitted document: version n+1 replaces it at once, version n is kept"""
    txn = owned_or_404(Transaction, transaction_id)
    reason = values.pop("reason")
    return service.correct_transaction(
        txn, acting_user(), header(values, txn), lines(values, txn), reason
    )


@bp.route("/transactions/<int:transaction_id>/history", methods=["GET"])
@requires("read")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(TransactionSchema))
def transaction_history(args, transaction_id):
    """Every version of the document, oldest first"""
    return paginate_rows(service.document_history(owned_or_404(Transaction, transaction_id)), args)
