"""/batches: production batches (生产批次) of approved products."""

from flask import g
from marshmallow import Schema, fields

from suyuan.api.auth import requires
from suyuan.api.common import (
    Day,
    Id,
    Text,
    one_of,
    owned_or_404,
    owned_or_invalid,
    resource_blueprint,
)
from suyuan.api.idempotency import write
from suyuan.api.pagination import PageArgs, page_of, paginate
from suyuan.models import Batch, Product
from suyuan.models.products import BATCH_STATUSES
from suyuan.services import batches as service

bp = resource_blueprint("batches", "Production batches.")


class BatchSchema(Schema):
    id = fields.Integer()
    product_id = fields.Integer()
    product_name = fields.Function(lambda b: b.product.name, metadata={"type": "string"})
    lot_number = fields.String()
    production_date = fields.Date()
    production_area_id = fields.Integer(allow_none=True)
    status = fields.String()
    notes = fields.String()
    is_public = fields.Boolean()
    created_at = fields.DateTime()


class BatchInSchema(Schema):
    product_id = Id(required=True)
    lot_number = Text(64, required=True)
    production_date = Day(required=True)
    production_area_id = Id(allow_none=True)
    notes = Text(5000)


class BatchPatchSchema(Schema):
    lot_number = Text(64)
    production_date = Day()
    production_area_id = Id(allow_none=True)
    status = fields.String(validate=one_of(BATCH_STATUSES))
    notes = Text(5000)


class BatchQuerySchema(PageArgs):
    q = Text(100, metadata={"description": "Matches lot number or product name."})
    product_id = Id()
    status = fields.String(validate=one_of(BATCH_STATUSES))


@bp.route("/batches", methods=["GET"])
@requires("read")
@bp.arguments(BatchQuerySchema, location="query")
@bp.response(200, page_of(BatchSchema))
def list_batches(args):
    """List batches, newest production first"""
    query = service.batch_query(
        g.enterprise, args.get("q", ""), args.get("product_id"), args.get("status", "")
    )
    return paginate(query, args)


@bp.route("/batches", methods=["POST"])
@requires("write")
@write
@bp.arguments(BatchInSchema)
@bp.response(201, BatchSchema)
def create_batch(values):
    """Create a batch of a product whose filing is approved"""
    product = owned_or_invalid(Product, values.pop("product_id"), "product_id")
    return service.create_batch(g.enterprise, product, values)


@bp.route("/batches/<int:batch_id>", methods=["GET"])
@requires("read")
@bp.response(200, BatchSchema)
def get_batch(batch_id):
    """Show a batch"""
    return owned_or_404(Batch, batch_id)


@bp.route("/batches/<int:batch_id>", methods=["PATCH"])
@requires("write")
@write
@bp.arguments(BatchPatchSchema)
@bp.response(200, BatchSchema)
def update_batch(values, batch_id):
    """Change a batch's lot, date, area, status or notes"""
    batch = owned_or_404(Batch, batch_id)
    current = {
        "lot_number": batch.lot_number,
        "production_date": batch.production_date,
        "production_area_id": batch.production_area_id,
        "notes": batch.notes,
    }
    return service.update_batch(batch, {**current, **values})
