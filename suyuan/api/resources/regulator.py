"""/regulator: read-only endpoints for a regulator's token, scoped to the regulator's region
(an enterprise outside it answers 404 like a missing one). A batch comes with its full chain:
every record version (drafts and superseded ones too), attachments and code ranges."""

from flask import abort, g
from marshmallow import Schema, fields
from sqlalchemy import or_, select

from suyuan.api.auth import requires
from suyuan.api.common import Id, Text, get_or_404, one_of, resource_blueprint
from suyuan.api.pagination import PageArgs, page_of, paginate
from suyuan.api.resources.batches import BatchSchema
from suyuan.api.resources.codes import RangeSchema
from suyuan.api.resources.enterprise import EnterpriseSchema
from suyuan.api.resources.products import ProductSchema
from suyuan.api.resources.records import RecordSchema
from suyuan.extensions import db
from suyuan.models import Batch, Enterprise, Filing, Product
from suyuan.models.enterprises import FILING_STATUSES
from suyuan.models.products import BATCH_STATUSES
from suyuan.services import enterprises, filings
from suyuan.services.codes import range_history
from suyuan.validators import region_covers

bp = resource_blueprint(
    "regulator", "Read-only views for regulators, within their region.", kind="regulator"
)


def region() -> str:
    return g.api_user.regulator_region


def in_region_or_404(model, object_id: int):
    obj = get_or_404(model, object_id)
    enterprise = (
        obj if isinstance(obj, Enterprise) else db.session.get(Enterprise, obj.enterprise_id)
    )
    if not region_covers(region(), enterprise.region_code):
        abort(404)
    return obj


class RegulatedProductSchema(ProductSchema):
    enterprise_id = fields.Integer()


class RegulatedBatchSchema(BatchSchema):
    enterprise_id = fields.Integer()


class ChainSchema(RegulatedBatchSchema):
    records = fields.List(fields.Nested(RecordSchema), metadata={"description": "All versions."})
    code_ranges = fields.List(fields.Nested(RangeSchema))


class Chain:
    """A batch seen with its whole chain (``batch.records`` holds every version)."""

    def __init__(self, batch: Batch):
        self.batch = batch
        self.records = batch.records
        self.code_ranges = range_history(batch)

    def __getattr__(self, name):
        return getattr(self.batch, name)


class FilingEventSchema(Schema):
    action = fields.String()
    actor = fields.Function(lambda e: e.actor.name, metadata={"type": "string"})
    reason = fields.String()
    created_at = fields.DateTime()


class FilingSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    enterprise_id = fields.Integer()
    enterprise_name = fields.Function(lambda f: f.enterprise.name, metadata={"type": "string"})
    product_id = fields.Integer(allow_none=True)
    product_name = fields.Function(
        lambda f: f.product.name if f.product else None,
        metadata={"type": "string", "nullable": True},
    )
    status = fields.String()
    snapshot = fields.Function(
        filings.read_snapshot, metadata={"type": "object", "description": "What was submitted."}
    )
    submitted_at = fields.DateTime(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    reason = fields.String()
    events = fields.List(fields.Nested(FilingEventSchema))


class EnterpriseQuerySchema(PageArgs):
    q = Text(100, metadata={"description": "Matches name or credit code."})
    status = fields.String(validate=one_of(FILING_STATUSES))


class ProductQuerySchema(PageArgs):
    enterprise_id = Id()
    q = Text(100)


class BatchQuerySchema(PageArgs):
    enterprise_id = Id()
    q = Text(100, metadata={"description": "Matches lot number or product name."})
    status = fields.String(validate=one_of(BATCH_STATUSES))


class FilingQuerySchema(PageArgs):
    status = fields.String(validate=one_of(FILING_STATUSES))
    kind = fields.String(validate=one_of(("enterprise", "product")))
    q = Text(100)


@bp.route("/regulator/enterprises", methods=["GET"])
@requires("read")
@bp.arguments(EnterpriseQuerySchema, location="query")
@bp.response(200, page_of(EnterpriseSchema))
def list_enterprises(args):
    """List the enterprises of the region"""
    query = enterprises.enterprises_query(region(), q=args.get("q", ""), status=args.get("status"))
    return paginate(query, args)


@bp.route("/regulator/enterprises/<int:enterprise_id>", methods=["GET"])
@requires("read")
@bp.response(200, EnterpriseSchema)
def get_enterprise(enterprise_id):
    """Show an enterprise of the region"""
    return in_region_or_404(Enterprise, enterprise_id)


@bp.route("/regulator/products", methods=["GET"])
@requires("read")
@bp.arguments(ProductQuerySchema, location="query")
@bp.response(200, page_of(RegulatedProductSchema))
def list_products(args):
    """List the products of the region's enterprises"""
    query = select(Product).join(Enterprise).where(filings.in_region(region()))
    if args.get("enterprise_id"):
        query = query.where(Product.enterprise_id == args["enterprise_id"])
    if args.get("q"):
        query = query.where(Product.name.icontains(args["q"], autoescape=True))
    return paginate(query.order_by(Product.name, Product.id), args)


@bp.route("/regulator/products/<int:product_id>", methods=["GET"])
@requires("read")
@bp.response(200, RegulatedProductSchema)
def get_product(product_id):
    """Show a product"""
    return in_region_or_404(Product, product_id)


@bp.route("/regulator/batches", methods=["GET"])
@requires("read")
@bp.arguments(BatchQuerySchema, location="query")
@bp.response(200, page_of(RegulatedBatchSchema))
def list_batches(args):
    """List the batches of the region's enterprises, newest production first"""
    query = (
        select(Batch)
        .join(Product)
        .join(Enterprise, Batch.enterprise_id == Enterprise.id)
        .where(filings.in_region(region()))
    )
    if args.get("enterprise_id"):
        query = query.where(Batch.enterprise_id == args["enterprise_id"])
    if args.get("status"):
        query = query.where(Batch.status == args["status"])
    if args.get("q"):
        query = query.where(
            or_(
                Batch.lot_number.icontains(args["q"], autoescape=True),
                Product.name.icontains(args["q"], autoescape=True),
            )
        )
    query = query.order_by(Batch.production_date.desc(), Batch.id.desc())
    return paginate(query, args)


@bp.route("/regulator/batches/<int:batch_id>", methods=["GET"])
@requires("read")
@bp.response(200, ChainSchema)
def get_batch_chain(batch_id):
    """A batch's full chain: every record version, attachments and code ranges"""
    return Chain(in_region_or_404(Batch, batch_id))


@bp.route("/regulator/filings", methods=["GET"])
@requires("read")
@bp.arguments(FilingQuerySchema, location="query")
@bp.response(200, page_of(FilingSchema))
def list_filings(args):
    """List the region's filings, newest submission first"""
    query = filings.regulator_filings_query(
        g.api_user, status=args.get("status"), kind=args.get("kind"), q=args.get("q", "")
    )
    return paginate(query, args)


@bp.route("/regulator/filings/<int:filing_id>", methods=["GET"])
@requires("read")
@bp.response(200, FilingSchema)
def get_filing(filing_id):
    """Show a filing with its snapshot and history"""
    return in_region_or_404(Filing, filing_id)
