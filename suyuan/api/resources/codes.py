"""/code-pools and /code-ranges: the enterprise's identity codes, binding continuous codes to a
batch (添加连续身份码), releasing and voiding part of a bound range."""

from flask import g
from marshmallow import Schema, fields

from suyuan.api.auth import acting_user, requires
from suyuan.api.common import Text, one_of, owned_or_404, resource_blueprint
from suyuan.api.idempotency import write
from suyuan.api.pagination import PageArgs, page_of, paginate, paginate_rows
from suyuan.models import Batch
from suyuan.models.codes import RANGE_STATUSES
from suyuan.services import codes as service

bp = resource_blueprint("codes", "Identity-code pools and the ranges bound to batches.")


class PoolSchema(Schema):
    id = fields.Function(lambda s: s.pool.id, metadata={"type": "integer"})
    first_code = fields.Function(
        lambda s: service.printed(s.pool.start_index), metadata={"type": "string"}
    )
    last_code = fields.Function(
        lambda s: service.printed(s.pool.end_index), metadata={"type": "string"}
    )
    size = fields.Function(lambda s: s.pool.size, metadata={"type": "integer"})
    bound = fields.Integer()
    void = fields.Integer()
    free = fields.Integer()


class RangeSchema(Schema):
    id = fields.Integer()
    batch_id = fields.Integer()
    lot_number = fields.Function(lambda r: r.batch.lot_number, metadata={"type": "string"})
    first_code = fields.Function(
        lambda r: service.printed(r.start_index), metadata={"type": "string"}
    )
    last_code = fields.Function(lambda r: service.printed(r.end_index), metadata={"type": "string"})
    size = fields.Integer()
    status = fields.String(metadata={"description": "bound, void or released (history)."})
    parent_id = fields.Integer(allow_none=True)
    reason = fields.String()
    created_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)


class CodeSpanSchema(Schema):
    first_code = Text(40, required=True, metadata={"description": "20 digits; spaces allowed."})
    last_code = Text(40, required=True)


class EndCodesSchema(CodeSpanSchema):
    reason = Text(5000, required=True)


class RangeQuerySchema(PageArgs):
    status = fields.String(validate=one_of(RANGE_STATUSES))
    lot = Text(64, metadata={"description": "Part of the batch's lot number."})


def _span(values: dict) -> tuple[int, int]:
    return (
        service.parse_code(values["first_code"], field="first_code"),
        service.parse_code(values["last_code"], field="last_code"),
    )


@bp.route("/code-pools", methods=["GET"])
@requires("read")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(PoolSchema))
def list_pools(args):
    """List the enterprise's code pools with how many codes are bound, void and free"""
    return paginate_rows(service.enterprise_code_summary(g.enterprise), args)


@bp.route("/code-ranges", methods=["GET"])
@requires("read")
@bp.arguments(RangeQuerySchema, location="query")
@bp.response(200, page_of(RangeSchema))
def list_ranges(args):
    """List the enterprise's code ranges, newest first"""
    query = service.ranges_query(g.enterprise, args.get("status"), args.get("lot"))
    return paginate(query, args)


@bp.route("/batches/<int:batch_id>/code-ranges", methods=["GET"])
@requires("read")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(RangeSchema))
def batch_ranges(args, batch_id):
    """Every range a batch has had, live and ended, in code order"""
    return paginate_rows(service.range_history(owned_or_404(Batch, batch_id)), args)


@bp.route("/batches/<int:batch_id>/code-ranges", methods=["POST"])
@requires("codes")
@write
@bp.arguments(CodeSpanSchema)
@bp.response(201, RangeSchema)
def bind_range(values, batch_id):
    """Bind the continuous codes first_code..last_code of one pool to the batch"""
    batch = owned_or_404(Batch, batch_id)
    first, last = _span(values)
    return service.bind_code_range(batch, first, last, acting_user())


@bp.route("/batches/<int:batch_id>/code-ranges/release", methods=["POST"])
@requires("codes")
@write
@bp.arguments(EndCodesSchema)
@bp.response(201, RangeSchema)
def release_range(values, batch_id):
    """Undo the binding of part of a bound range (the codes can be bound again)"""
    batch = owned_or_404(Batch, batch_id)
    first, last = _span(values)
    return service.release_codes(batch, first, last, acting_user(), values["reason"])


@bp.route("/batches/<int:batch_id>/code-ranges/void", methods=["POST"])
@requires("codes")
@write
@bp.arguments(EndCodesSchema)
@bp.response(201, RangeSchema)
def void_range(values, batch_id):
    """Void part of a bound range (damaged or lost labels: never bound again)"""
    batch = owned_or_404(Batch, batch_id)
    first, last = _span(values)
    return service.void_codes(batch, first, last, acting_user(), values["reason"])
