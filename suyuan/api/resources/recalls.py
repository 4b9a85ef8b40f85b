"""/recalls: the enterprise's recalls (产品召回) — declare on whole batches or a code range,
then notify downstream → in progress → completed; /recall-notices: recalls of others that
reached this enterprise, to acknowledge."""

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from suyuan.api.auth import acting_user, requires
from suyuan.api.common import (
    MAX_ID,
    Id,
    Text,
    between,
    one_of,
    owned_or_404,
    owned_or_invalid,
    resource_blueprint,
)
from suyuan.api.idempotency import write
from suyuan.api.pagination import PageArgs, page_of, paginate
from suyuan.models import Batch, NonConformance, Product, Recall, RecallNotice
from suyuan.models.recalls import RECALL_STATES, SEVERITIES
from suyuan.services import recalls as service
from suyuan.services.codes import parse_code, printed
from suyuan.services.errors import DomainError

bp = resource_blueprint("recalls", "Recalls: declare, carry out, acknowledge received notices.")


def _code(index):
    return printed(index) if index is not None else None


class RecallTargetSchema(Schema):
    batch_id = fields.Integer()
    lot_number = fields.Function(lambda t: t.batch.lot_number, metadata={"type": "string"})
    first_code = fields.Function(
        lambda t: _code(t.first_index),
        metadata={"type": "string", "nullable": True, "description": "None: the whole batch."},
    )
    last_code = fields.Function(
        lambda t: _code(t.last_index), metadata={"type": "string", "nullable": True}
    )


class RecallEventSchema(Schema):
    state = fields.String()
    actor = fields.Function(lambda e: e.actor.name, metadata={"type": "string"})
    note = fields.String()
    created_at = fields.DateTime()


class NoticeOfRecallSchema(Schema):
    enterprise_id = fields.Integer()
    enterprise_name = fields.Function(lambda n: n.enterprise.name, metadata={"type": "string"})
    notified_at = fields.DateTime()
    acknowledged_at = fields.DateTime(allow_none=True)


class RecallSummarySchema(Schema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    enterprise_name = fields.Function(lambda r: r.enterprise.name, metadata={"type": "string"})
    product_id = fields.Integer()
    product_name = fields.Function(lambda r: r.product.name, metadata={"type": "string"})
    origin = fields.String(metadata={"description": "enterprise (主动召回) or regulator (责令)."})
    severity = fields.String()
    state = fields.String()
    reason = fields.String()
    consumer_advice = fields.String()
    declared_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)
    targets = fields.List(fields.Nested(RecallTargetSchema))


class RecallSchema(RecallSummarySchema):
    nonconformance_id = fields.Integer(allow_none=True)
    quantity_recovered = fields.Integer(allow_none=True)
    completion_note = fields.String()
    events = fields.List(fields.Nested(RecallEventSchema))
    notices = fields.List(fields.Nested(NoticeOfRecallSchema))


class RecallInSchema(Schema):
    product_id = Id(required=True)
    severity = fields.String(required=True, validate=one_of(SEVERITIES))
    reason = Text(5000, required=True, metadata={"description": "What is wrong, for consumers."})
    consumer_advice = Text(5000, required=True)
    batch_ids = fields.List(
        Id(), validate=validate.Length(max=100, error=_l("At most {max} batches."))
    )
    first_code = Text(40, metadata={"description": "With last_code: recall these codes only."})
    last_code = Text(40)
    nonconformance_id = Id(allow_none=True)


class RecallAdvanceSchema(Schema):
    state = fields.String(required=True, validate=one_of(("notified", "in_progress", "completed")))
    note = Text(5000)
    quantity_recovered = fields.Integer(
        validate=between(0, MAX_ID), metadata={"description": "Required to complete."}
    )


class RecallQuerySchema(PageArgs):
    q = Text(100, metadata={"description": "Matches product, lot, enterprise or reason."})
    state = fields.String(validate=one_of(RECALL_STATES))
    severity = fields.String(validate=one_of(SEVERITIES))


class NoticeSchema(Schema):
    id = fields.Integer()
    recall = fields.Nested(RecallSummarySchema)
    notified_at = fields.DateTime()
    acknowledged_at = fields.DateTime(allow_none=True)
    note = fields.String()


class NoticeQuerySchema(PageArgs):
    pending = fields.Boolean(
        load_default=False, metadata={"description": "Only those not acknowledged yet."}
    )


class AcknowledgeSchema(Schema):
    note = Text(5000)


def code_ranges(values: dict) -> list[tuple[int, int]]:
    first, last = values.get("first_code", "").strip(), values.get("last_code", "").strip()
    if not (first or last):
        return []
    if not (first and last):
        raise DomainError(_("Enter both the first and the last code."), field="last_code")
    return [(parse_code(first, "first_code"), parse_code(last, "last_code"))]


def whole_batches(product: Product, batch_ids: list[int]) -> list[Batch]:
    batches = [owned_or_invalid(Batch, batch_id, "batch_ids") for batch_id in batch_ids]
    if any(batch.product_id != product.id for batch in batches):
        raise DomainError(_("Every batch must be of this product."), field="batch_ids")
    return batches


@bp.route("/recalls", methods=["GET"])
@requires("read")
@bp.arguments(RecallQuerySchema, location="query")
@bp.response(200, page_of(RecallSummarySchema))
def list_recalls(args):
    """List the enterprise's recalls, latest declared first"""
    filters = {"q": args.get("q", ""), "state": args.get("state"), "severity": args.get("severity")}
    return paginate(service.enterprise_recalls_query(g.enterprise, **filters), args)


@bp.route("/recalls", methods=["POST"])
@requires("write")
@write
@bp.arguments(RecallInSchema)
@bp.response(201, RecallSchema)
def declare_recall(values):
    """Declare a recall of whole batches and/or one range of codes of a product"""
    product = owned_or_invalid(Product, values["product_id"], "product_id")
    record = None
    if values.get("nonconformance_id"):
        record = owned_or_invalid(NonConformance, values["nonconformance_id"], "nonconformance_id")
        if record.product_id != product.id:
            raise DomainError(_("Choose a record of this product."), field="nonconformance_id")
    return service.declare_recall(
        acting_user(),
        product,
        severity=values["severity"],
        reason=values["reason"],
        consumer_advice=values["consumer_advice"],
        batches=whole_batches(product, values.get("batch_ids", [])),
        code_ranges=code_ranges(values),
        nonconformance=record,
    )


@bp.route("/recalls/<int:recall_id>", methods=["GET"])
@requires("read")
@bp.response(200, RecallSchema)
def get_recall(recall_id):
    """Show a recall with its history and the downstream enterprises notified"""
    return owned_or_404(Recall, recall_id)


@bp.route("/recalls/<int:recall_id>/advance", methods=["POST"])
@requires("write")
@write
@bp.arguments(RecallAdvanceSchema)
@bp.response(200, RecallSchema)
def advance_recall(values, recall_id):
    """Move the recall to its next state: notified (tells every downstream holder found by
    the forward trace), in_progress, completed (with the quantity recovered)"""
    recall = owned_or_404(Recall, recall_id)
    state, note = values["state"], values.get("note", "")
    if state == "notified":
        service.notify_downstream(recall, acting_user(), note)
    elif state == "completed":
        service.complete_recall(recall, acting_user(), values.get("quantity_recovered"), note)
    else:
        service.advance(recall, acting_user(), state, note)
    return recall


@bp.route("/recall-notices", methods=["GET"])
@requires("read")
@bp.arguments(NoticeQuerySchema, location="query")
@bp.response(200, page_of(NoticeSchema))
def list_notices(args):
    """Recalls by others that reached this enterprise, newest first"""
    query = service.received_notices_query(g.enterprise, pending_only=args["pending"])
    return paginate(query, args)


@bp.route("/recall-notices/<int:notice_id>", methods=["GET"])
@requires("read")
@bp.response(200, NoticeSchema)
def get_notice(notice_id):
    """Show a received recall notice"""
    return owned_or_404(RecallNotice, notice_id)


@bp.route("/recall-notices/<int:notice_id>/acknowledge", methods=["POST"])
@requires("write")
@write
@bp.arguments(AcknowledgeSchema)
@bp.response(200, NoticeSchema)
def acknowledge_notice(values, notice_id):
    """Acknowledge a received recall (and take the goods off sale)"""
    notice = owned_or_404(RecallNotice, notice_id)
    service.acknowledge(notice, acting_user(), values.get("note", ""))
    return notice
