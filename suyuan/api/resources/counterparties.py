"""/counterparties: an enterprise's suppliers and sales customers (供应商 / 销售客户); one whose
credit code is a platform enterprise's is linked to it, and documents with it are matched."""

from flask import g
from marshmallow import Schema, fields

from suyuan.api.auth import requires
from suyuan.api.common import Day, Text, one_of, owned_or_404, resource_blueprint
from suyuan.api.idempotency import write
from suyuan.api.pagination import PageArgs, page_of, paginate
from suyuan.models import Counterparty
from suyuan.models.flow import COUNTERPARTY_ROLES, COUNTERPARTY_STATUSES, COUNTERPARTY_TYPES
from suyuan.services import counterparties as service

bp = resource_blueprint("counterparties", "Suppliers and sales customers.")

EDITABLE = (
    "role",
    "business_type",
    "name",
    "credit_code",
    "contact_name",
    "contact_phone",
    "region_code",
    "address",
    "legal_representative",
    "licence_number",
    "licence_valid_until",
)


class CounterpartySchema(Schema):
    id = fields.Integer()
    role = fields.String()
    business_type = fields.String()
    name = fields.String()
    credit_code = fields.String()
    contact_name = fields.String()
    contact_phone = fields.String()
    region_code = fields.String()
    address = fields.String()
    legal_representative = fields.String()
    licence_number = fields.String()
    licence_valid_until = fields.Date(allow_none=True)
    status = fields.String()
    linked_enterprise_id = fields.Integer(
        allow_none=True, metadata={"description": "The platform enterprise it is, if any."}
    )
    created_at = fields.DateTime()


class CounterpartyInSchema(Schema):
    role = fields.String(required=True, validate=one_of(COUNTERPARTY_ROLES))
    business_type = fields.String(load_default="other", validate=one_of(COUNTERPARTY_TYPES))
    name = Text(200, required=True)
    credit_code = Text(18, required=True, metadata={"description": "Unified social credit code."})
    region_code = Text(6, required=True, metadata={"description": "GB/T 2260, e.g. 620100."})
    contact_name = Text(64)
    contact_phone = Text(64)
    address = Text(200)
    legal_representative = Text(64)
    licence_number = Text(64)
    licence_valid_until = Day(allow_none=True)


class CounterpartyPatchSchema(CounterpartyInSchema):
    """Fields left out keep their values."""

    role = fields.String(validate=one_of(COUNTERPARTY_ROLES))
    business_type = fields.String(validate=one_of(COUNTERPARTY_TYPES))
    name = Text(200)
    credit_code = Text(18)
    region_code = Text(6)


class CounterpartyQuerySchema(PageArgs):
    q = Text(100, metadata={"description": "Matches name, credit code or contact."})
    role = fields.String(validate=one_of(("supplier", "customer")))
    status = fields.String(validate=one_of(COUNTERPARTY_STATUSES))
    linked = fields.String(
        validate=one_of(("yes", "no")), metadata={"description": "Is a platform enterprise."}
    )


@bp.route("/counterparties", methods=["GET"])
@requires("read")
@bp.arguments(CounterpartyQuerySchema, location="query")
@bp.response(200, page_of(CounterpartySchema))
def list_counterparties(args):
    """List the enterprise's counterparties by name"""
    query = service.counterparties_query(
        g.enterprise,
        args.get("q", ""),
        args.get("role", ""),
        args.get("status", ""),
        args.get("linked", ""),
    )
    return paginate(query, args)


@bp.route("/counterparties", methods=["POST"])
@requires("write")
@write
@bp.arguments(CounterpartyInSchema)
@bp.response(201, CounterpartySchema)
def create_counterparty(values):
    """Add a supplier or customer"""
    return service.create_counterparty(g.enterprise, values)


@bp.route("/counterparties/<int:counterparty_id>", methods=["GET"])
@requires("read")
@bp.response(200, CounterpartySchema)
def get_counterparty(counterparty_id):
    """Show a counterparty"""
    return owned_or_404(Counterparty, counterparty_id)


@bp.route("/counterparties/<int:counterparty_id>", methods=["PATCH"])
@requires("write")
@write
@bp.arguments(CounterpartyPatchSchema)
@bp.response(200, CounterpartySchema)
def update_counterparty(values, counterparty_id):
    """Change a counterparty (documents already made with it stay as they are)"""
    counterparty = owned_or_404(Counterparty, counterparty_id)
    current = {name: getattr(counterparty, name) for name in EDITABLE}
    return service.update_counterparty(counterparty, {**current, **values})


@bp.route("/counterparties/<int:counterparty_id>/disable", methods=["POST"])
@requires("write")
@write
@bp.response(200, CounterpartySchema)
def disable_counterparty(counterparty_id):
    """Disable: it can no longer be chosen on new documents or submitted with"""
    counterparty = owned_or_404(Counterparty, counterparty_id)
    return service.set_counterparty_status(counterparty, "disabled")


@bp.route("/counterparties/<int:counterparty_id>/enable", methods=["POST"])
@requires("write")
@write
@bp.response(200, CounterpartySchema)
def enable_counterparty(counterparty_id):
    """Enable a disabled counterparty again"""
    counterparty = owned_or_404(Counterparty, counterparty_id)
    return service.set_counterparty_status(counterparty, "normal")
