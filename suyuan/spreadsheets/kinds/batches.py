"""Production batches (生产批次): product, lot number, production date, area, status, notes.
Each row goes through ``services.batches.create_batch`` (approved filings, unique lot)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from suyuan.extensions import db
from suyuan.models import Batch
from suyuan.models.products import BATCH_STATUSES
from suyuan.services.batches import batch_query, create_batch, update_batch
from suyuan.spreadsheets.columns import (
    CellError,
    Column,
    RowParser,
    a_date,
    choice,
    enum_lookup,
    text,
)
from suyuan.spreadsheets.kinds.lookups import Catalogue
from suyuan.vocab import BATCH_STATUS_LABELS

NAME = "batches"
TITLE = _l("Batches")
ROLES = ("recorder",)
INSTRUCTIONS = (
    _l("One row per batch of one of your products whose filing is approved."),
    _l(
        "The product is found by its name; fill in the specification when several products share a name."
    ),
)
COLUMNS = (
    Column("product", _l("Product"), required=True, width=30),
    Column("spec", _l("Specification")),
    Column("lot_number", _l("Lot number"), required=True),
    Column("production_date", _l("Production date"), required=True, hint=_l("YYYY-MM-DD")),
    Column("area", _l("Production area"), hint=_l("The name of one of your production areas.")),
    Column(
        "status",
        _l("Status"),
        choices=lambda: BATCH_STATUS_LABELS,
        hint=_l("Empty: in production."),
    ),
    Column("notes", _l("Notes"), width=40),
)
FIELD_COLUMNS = {"product_id": "product", "production_area_id": "area"}


class Context:
    def __init__(self, enterprise):
        self.enterprise = enterprise
        self.catalogue = Catalogue(enterprise, with_batches=False)
        self.areas = {area.name: area.id for area in enterprise.areas}
        self.statuses = enum_lookup(BATCH_STATUS_LABELS)


def prepare(enterprise, actor) -> Context:
    return Context(enterprise)


def parse(context: Context, cells: dict) -> dict:
    row = RowParser(cells)
    name = row.take(text, "product", 200, required=True)
    spec = row.take(text, "spec", 64)
    values = {
        "product": row.take(lambda _raw, key: context.catalogue.product(name, spec, key), "product")
        if name
        else None,
        "lot_number": row.take(text, "lot_number", 64, required=True),
        "production_date": row.take(a_date, "production_date", required=True),
        "production_area_id": row.take(_area, "area", context.areas),
        "status": row.take(choice, "status", context.statuses) or "in_production",
        "notes": row.take(text, "notes"),
    }
    row.done()
    return values


def _area(raw, column: str, areas: dict) -> int | None:
    name = text(raw, column)
    if not name:
        return None
    if name not in areas:
        raise CellError(column, _("Your enterprise has no production area “%(name)s”.", name=name))
    return areas[name]


def write(context: Context, values: dict) -> None:
    product = values.pop("product")
    status = values.pop("status")
    batch = create_batch(context.enterprise, product, values)
    if status != "in_production":
        update_batch(batch, {**values, "status": status})


def finish(context: Context) -> None:
    pass


def export_rows(enterprise, args):
    status = args.get("status", "")
    query = batch_query(
        enterprise,
        args.get("q", ""),
        _int(args.get("product")),
        status if status in BATCH_STATUSES else "",
    ).options(joinedload(Batch.product), joinedload(Batch.production_area))
    with db.session.scalars(query.execution_options(yield_per=500)) as result:
        for batch in result:
            yield [
                batch.product.name,
                batch.product.spec,
                batch.lot_number,
                batch.production_date,
                batch.production_area.name if batch.production_area else "",
                str(BATCH_STATUS_LABELS[batch.status]),
                batch.notes,
            ]


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None
