"""/nonconformance: non-conforming product records (不合格) of the enterprise — record one on
batches of a product, list, show, move it forward (open → handled → closed)."""

from flask import g
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from suyuan.api.auth import acting_user, requires
from suyuan.api.common import Id, Text, one_of, owned_or_404, owned_or_invalid, resource_blueprint
from suyuan.api.idempotency import write
from suyuan.api.pagination import PageArgs, page_of, paginate
from suyuan.models import Batch, NonConformance, Product
from suyuan.models.recalls import FOUND_BY, NONCONFORMANCE_STATUSES
from suyuan.services import nonconformance as service

bp = resource_blueprint("nonconformance", "Non-conforming product records.")


class NcBatchSchema(Schema):
    id = fields.Integer()
    lot_number = fields.String()


class NonConformanceSchema(Schema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    product_id = fields.Integer()
    product_name = fields.Function(lambda r: r.product.name, metadata={"type": "string"})
    batches = fields.List(fields.Nested(NcBatchSchema))
    reason = fields.String()
    found_by = fields.String(metadata={"description": "self_inspection or regulator."})
    status = fields.String()
    handling_note = fields.String()
    has_report = fields.Function(
        lambda r: r.report_id is not None,
        metadata={"type": "boolean", "description": "An inspection report is on file."},
    )
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class NonConformanceInSchema(Schema):
    product_id = Id(required=True)
    batch_ids = fields.List(
        Id(),
        required=True,
        validate=validate.Length(min=1, max=100, error=_l("Give 1 to {max} batches.")),
    )
    reason = Text(5000, required=True)


class NonConformanceStatusSchema(Schema):
    status = fields.String(required=True, validate=one_of(("handled", "closed")))
    note = Text(5000, metadata={"description": "How it was handled."})


class NonConformanceQuerySchema(PageArgs):
    q = Text(100, metadata={"description": "Matches product, lot, enterprise or reason."})
    status = fields.String(validate=one_of(NONCONFORMANCE_STATUSES))
    found_by = fields.String(validate=one_of(FOUND_BY))


def filters(args: dict) -> dict:
    return {"q": args.get("q", ""), "status": args.get("status"), "found_by": args.get("found_by")}


@bp.route("/nonconformance", methods=["GET"])
@requires("read")
@bp.arguments(NonConformanceQuerySchema, location="query")
@bp.response(200, page_of(NonConformanceSchema))
def list_nonconformance(args):
    """List the enterprise's records, newest first"""
    return paginate(service.enterprise_query(g.enterprise, **filters(args)), args)


@bp.route("/nonconformance", methods=["POST"])
@requires("write")
@write
@bp.arguments(NonConformanceInSchema)
@bp.response(201, NonConformanceSchema)
def record_nonconformance(values):
    """Record batches of a product found not to conform (own inspection)"""
    product = owned_or_invalid(Product, values["product_id"], "product_id")
    batches = [owned_or_invalid(Batch, b, "batch_ids") for b in dict.fromkeys(values["batch_ids"])]
    return service.record_nonconformance(acting_user(), product, batches, values["reason"])


@bp.route("/nonconformance/<int:nonconformance_id>", methods=["GET"])
@requires("read")
@bp.response(200, NonConformanceSchema)
def get_nonconformance(nonconformance_id):
    """Show a record"""
    return owned_or_404(NonConformance, nonconformance_id)


@bp.route("/nonconformance/<int:nonconformance_id>/status", methods=["POST"])
@requires("write")
@write
@bp.arguments(NonConformanceStatusSchema)
@bp.response(200, NonConformanceSchema)
def change_status(values, nonconformance_id):
    """Move the record forward: handled, then closed (handled may be skipped)"""
    record = owned_or_404(NonConformance, nonconformance_id)
    service.set_status(record, values["status"], values.get("note", ""))
    return record
