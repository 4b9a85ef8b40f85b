"""/publication: opening (开通查询) and closing items for public query; every change is logged
with the token's admin as the actor, like a toggle in the portal."""

from flask import abort, g
from marshmallow import Schema, fields

from suyuan.api.auth import acting_user, requires
from suyuan.api.common import owned_or_404, resource_blueprint
from suyuan.api.idempotency import write
from suyuan.api.resources.records import owned_record_or_404
from suyuan.models import Batch
from suyuan.services import publication as service

bp = resource_blueprint("publication", "Opening and closing items for public query.")

ENTERPRISE_ITEMS = ("enterprise_profile", "filings")


class ToggleSchema(Schema):
    is_public = fields.Boolean(required=True)


class ItemStateSchema(Schema):
    item_type = fields.String()
    item_id = fields.Integer()
    is_public = fields.Boolean()
    changed = fields.Boolean(metadata={"description": "False when it already had this state."})


class BulkStateSchema(Schema):
    batch_id = fields.Integer()
    is_public = fields.Boolean()
    changed = fields.Integer(metadata={"description": "How many records changed."})


def owned_item_or_404(item_type: str, item_id: int):
    if item_type not in service.ITEM_MODELS:
        abort(404)
    if item_type in ENTERPRISE_ITEMS:
        if item_id != g.enterprise.id:
            abort(404)
        return g.enterprise
    if item_type == "stage_record":
        return owned_record_or_404(item_id)
    return owned_or_404(service.ITEM_MODELS[item_type][0], item_id)


@bp.route("/publication/<string:item_type>/<int:item_id>", methods=["PUT"])
@requires("publish")
@write
@bp.arguments(ToggleSchema)
@bp.response(200, ItemStateSchema)
def set_item_public(values, item_type, item_id):
    """Open or close one item for public query

    `item_type` is one of enterprise_profile, filings (both with the enterprise's id),
    production_area, product, batch, stage_record, attachment. Only a submitted, current
    record (and its files) can be opened.
    """
    item = owned_item_or_404(item_type, item_id)
    changed = service.set_public(acting_user(), item, values["is_public"], item_type=item_type)
    return {
        "item_type": item_type,
        "item_id": item_id,
        "is_public": service.is_item_public(item, item_type),
        "changed": changed,
    }


@bp.route("/publication/batches/<int:batch_id>/records", methods=["PUT"])
@requires("publish")
@write
@bp.arguments(ToggleSchema)
@bp.response(200, BulkStateSchema)
def set_batch_records_public(values, batch_id):
    """Open or close every submitted, current record of a batch"""
    batch = owned_or_404(Batch, batch_id)
    changed = service.set_batch_records_public(acting_user(), batch, values["is_public"])
    return {"batch_id": batch.id, "is_public": values["is_public"], "changed": changed}
