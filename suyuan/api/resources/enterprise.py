"""/enterprise: the token's own enterprise profile and filing status."""

from flask import g
from marshmallow import Schema, fields

from suyuan.api.auth import requires
from suyuan.api.common import Text, resource_blueprint
from suyuan.api.idempotency import write
from suyuan.services import enterprises as service

bp = resource_blueprint("enterprise", "The token's enterprise: its profile and filing.")


class EnterpriseSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    credit_code = fields.String()
    region_code = fields.String()
    address = fields.String()
    legal_representative = fields.String()
    contact_name = fields.String()
    contact_phone = fields.String()
    profile = fields.String()
    is_profile_public = fields.Boolean()
    is_filings_public = fields.Boolean()
    filing_status = fields.Function(
        lambda e: e.enterprise_filing.status if e.enterprise_filing else None,
        metadata={"type": "string", "nullable": True},
    )
    created_at = fields.DateTime()


class EnterprisePatchSchema(Schema):
    """Filed fields (name, address, ...) are refused while the enterprise filing is submitted
    or approved; the profile text can always change."""

    name = Text(200)
    address = Text(200)
    legal_representative = Text(64)
    contact_name = Text(64)
    contact_phone = Text(64)
    profile = Text(5000)


@bp.route("/enterprise", methods=["GET"])
@requires("read")
@bp.response(200, EnterpriseSchema)
def get_enterprise():
    """Show the enterprise profile"""
    return g.enterprise


@bp.route("/enterprise", methods=["PATCH"])
@requires("write")
@write
@bp.arguments(EnterprisePatchSchema)
@bp.response(200, EnterpriseSchema)
def update_enterprise(values):
    """Change the enterprise profile"""
    service.update_enterprise(g.enterprise, values)
    return g.enterprise
