"""Products (产品信息库): name, category, specifications, GTIN, description. Each row
creates a product and its draft product filing through ``services.products``."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from suyuan.extensions import db
from suyuan.services import products as service
from suyuan.spreadsheets.columns import CellError, Column, RowParser, choice, enum_lookup, text
from suyuan.validators import gtin_check_digit, gtin_error
from suyuan.vocab import CATEGORIES

NAME = "products"
TITLE = _l("Products")
ROLES = ()
INSTRUCTIONS = (
    _l("One row per product. Each product gets a draft product filing to submit for review."),
    _l("A product whose name and specification your enterprise already has is refused."),
)
COLUMNS = (
    Column("name", _l("Product name"), required=True, width=30),
    Column("category", _l("Category"), required=True, choices=lambda: CATEGORIES),
    Column("spec", _l("Specification"), hint=_l("e.g. 5 kg box")),
    Column("packaging_spec", _l("Packaging specification")),
    Column("gtin", _l("GTIN (barcode)"), hint=_l("8, 12, 13 or 14 digits with the check digit.")),
    Column("description", _l("Description"), width=40),
)
FIELD_COLUMNS = {}


class Context:
    def __init__(self, enterprise):
        self.enterprise = enterprise
        self.categories = enum_lookup(CATEGORIES)


def prepare(enterprise, actor) -> Context:
    return Context(enterprise)


def parse(context: Context, cells: dict) -> dict:
    row = RowParser(cells)
    values = {
        "name": row.take(text, "name", 200, required=True),
        "category": row.take(choice, "category", context.categories, required=True),
        "spec": row.take(text, "spec", 64),
        "packaging_spec": row.take(text, "packaging_spec", 64),
        "gtin": row.take(_gtin, "gtin"),
        "description": row.take(text, "description", 5000),
    }
    row.done()
    return values


def _gtin(raw, column: str) -> str:
    """The product form's GTIN rule (digits, length, check digit)."""
    value = text(raw, column)
    error = gtin_error(value) if value else None
    if error == "check":
        raise CellError(
            column,
            _(
                "The check digit is wrong: for these digits it should be %(digit)s.",
                digit=gtin_check_digit(value[:-1]),
            ),
        )
    if error:
        raise CellError(column, _("A GTIN (barcode) has 8, 12, 13 or 14 digits."))
    return value


def write(context: Context, values: dict) -> None:
    service.create_product(context.enterprise, values)


def finish(context: Context) -> None:
    pass


def export_rows(enterprise, args):
    query = service.products_query(
        enterprise, q=args.get("q", ""), category=args.get("category") or None
    )
    with db.session.scalars(query.execution_options(yield_per=500)) as result:
        for product in result:
            yield [
                product.name,
                str(CATEGORIES.get(product.category, product.category)),
                product.spec,
                product.packaging_spec,
                product.gtin or "",
                product.description,
            ]
