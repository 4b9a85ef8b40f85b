"""/stock: the enterprise's stock by product, lot and unit, computed from its submitted
documents (read-only: stock moves only through documents)."""

from flask import g
from marshmallow import Schema, fields

from suyuan.api.auth import requires
from suyuan.api.common import Text, resource_blueprint
from suyuan.api.pagination import PageArgs, page_of, paginate_rows
from suyuan.services.stock import stock_rows

bp = resource_blueprint("stock", "Stock, from submitted goods-flow documents.")


class StockSchema(Schema):
    batch_id = fields.Function(lambda row: row.batch.id, metadata={"type": "integer"})
    lot_number = fields.Function(lambda row: row.batch.lot_number, metadata={"type": "string"})
    product_id = fields.Function(lambda row: row.batch.product_id, metadata={"type": "integer"})
    product_name = fields.Function(lambda row: row.batch.product.name, metadata={"type": "string"})
    unit = fields.String()
    quantity = fields.Function(
        lambda row: str(row.quantity),
        metadata={"type": "string", "description": 'Exact decimal, e.g. "12.5".'},
    )


class StockQuerySchema(PageArgs):
    q = Text(100, metadata={"description": "Matches product name or lot number."})
    include_empty = fields.Boolean(
        load_default=False, metadata={"description": "Also list lots whose stock is zero."}
    )


@bp.route("/stock", methods=["GET"])
@requires("read")
@bp.arguments(StockQuerySchema, location="query")
@bp.response(200, page_of(StockSchema))
def list_stock(args):
    """Stock by product and lot"""
    rows = stock_rows(g.enterprise, args.get("q", ""), args["include_empty"])
    return paginate_rows(rows, args)
