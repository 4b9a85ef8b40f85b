"""/products: the enterprise's catalogue (each new product gets its draft product filing)."""

from flask import g
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields

from suyuan.api.auth import requires
from suyuan.api.common import Text, no_content, one_of, owned_or_404, resource_blueprint
from suyuan.api.idempotency import write
from suyuan.api.pagination import PageArgs, page_of, paginate
from suyuan.models import Product
from suyuan.services import products as service
from suyuan.validators import gtin_check_digit, gtin_error
from suyuan.vocab import CATEGORIES

bp = resource_blueprint("products", "Products and their filing status.")


def _valid_gtin(value: str) -> None:
    error = gtin_error(value) if value else None
    if error == "check":
        raise ValidationError(
            _(
                "The check digit is wrong: for these digits it should be %(digit)s.",
                digit=gtin_check_digit(value[:-1]),
            )
        )
    if error:
        raise ValidationError(_("A GTIN (barcode) has 8, 12, 13 or 14 digits."))


class ProductSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    category = fields.String()
    spec = fields.String()
    packaging_spec = fields.String()
    gtin = fields.String(allow_none=True)
    description = fields.String()
    is_public = fields.Boolean()
    filing_status = fields.Function(
        lambda p: p.filing.status if p.filing else None,
        metadata={"type": "string", "nullable": True},
    )
    created_at = fields.DateTime()


class ProductInSchema(Schema):
    name = Text(200, required=True)
    category = fields.String(required=True, validate=one_of(CATEGORIES))
    spec = Text(64)
    packaging_spec = Text(64)
    gtin = fields.String(allow_none=True, validate=_valid_gtin)
    description = Text(5000)


class ProductPatchSchema(ProductInSchema):
    name = Text(200)
    category = fields.String(validate=one_of(CATEGORIES))


class ProductQuerySchema(PageArgs):
    q = Text(100, metadata={"description": "Matches name, specification or GTIN."})
    category = fields.String(validate=one_of(CATEGORIES))


@bp.route("/products", methods=["GET"])
@requires("read")
@bp.arguments(ProductQuerySchema, location="query")
@bp.response(200, page_of(ProductSchema))
def list_products(args):
    """List products"""
    query = service.products_query(g.enterprise, q=args.get("q", ""), category=args.get("category"))
    return paginate(query, args)


@bp.route("/products", methods=["POST"])
@requires("write")
@write
@bp.arguments(ProductInSchema)
@bp.response(201, ProductSchema)
def create_product(values):
    """Create a product and its draft product filing"""
    return service.create_product(g.enterprise, values)


@bp.route("/products/<int:product_id>", methods=["GET"])
@requires("read")
@bp.response(200, ProductSchema)
def get_product(product_id):
    """Show a product"""
    return owned_or_404(Product, product_id)


@bp.route("/products/<int:product_id>", methods=["PATCH"])
@requires("write")
@write
@bp.arguments(ProductPatchSchema)
@bp.response(200, ProductSchema)
def update_product(values, product_id):
    """Change a product (fields its filing covers are locked while it is submitted or approved)"""
    product = owned_or_404(Product, product_id)
    service.update_product(product, values)
    return product


@bp.route("/products/<int:product_id>", methods=["DELETE"])
@requires("write")
@write
@bp.response(204)
def delete_product(product_id):
    """Delete a product without batches"""
    service.delete_product(owned_or_404(Product, product_id))
    return no_content()
