"""Code-range bindings (添加连续身份码): a batch (by lot number) and the first and last code
printed on its labels, or one of the enterprise's pools (by its first code) and positions
in it. Each row goes through ``services.codes.bind_code_range`` (own pool, no overlap)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from suyuan.extensions import db
from suyuan.models import Batch, CodePool, CodeRange
from suyuan.models.codes import RANGE_STATUSES
from suyuan.services.codes import bind_code_range, parse_code, pool_positions, printed, ranges_query
from suyuan.services.errors import DomainError
from suyuan.spreadsheets.columns import CellError, Column, RowParser, an_int, text
from suyuan.spreadsheets.kinds.lookups import Catalogue
from suyuan.vocab import RANGE_STATUS_LABELS

NAME = "code_ranges"
TITLE = _l("Code ranges")
ROLES = ("recorder",)
INSTRUCTIONS = (
    _l("One row per continuous range of identity codes to bind to one of your batches."),
    _l(
        "Give the first and last code printed on the labels, or the first code of one of your pools and the positions in it (1 is the pool's first code)."
    ),
    _l(
        "A range must lie inside one of your pools and must not overlap codes already bound or voided."
    ),
)
COLUMNS = (
    Column(
        "product",
        _l("Product"),
        width=24,
        hint=_l("Needed only when several products have the lot number."),
    ),
    Column("spec", _l("Specification")),
    Column("lot_number", _l("Lot number"), required=True),
    Column(
        "first_code",
        _l("First code"),
        width=28,
        hint=_l("20 digits; spaces between groups are fine."),
    ),
    Column("last_code", _l("Last code"), width=28),
    Column("pool", _l("Pool (its first code)"), width=28),
    Column("first_position", _l("From position")),
    Column("last_position", _l("To position")),
    Column("status", _l("Status"), export_only=True),
    Column("size", _l("Codes"), export_only=True),
)
FIELD_COLUMNS = {}


class Context:
    def __init__(self, enterprise, actor):
        self.actor = actor
        self.catalogue = Catalogue(enterprise)
        self.pools = {
            pool.start_index: pool
            for pool in db.session.scalars(
                select(CodePool).where(CodePool.enterprise_id == enterprise.id)
            )
        }


def prepare(enterprise, actor) -> Context:
    return Context(enterprise, actor)


def parse(context: Context, cells: dict) -> dict:
    row = RowParser(cells)
    product = row.take(text, "product", 200)
    spec = row.take(text, "spec", 64)
    lot = row.take(text, "lot_number", 64, required=True)
    batch = None
    if lot:
        batch = row.take(
            lambda _raw, _key: context.catalogue.batch(lot, product, spec), "lot_number"
        )
    indices = _by_positions(context, row) if cells.get("pool") else _by_codes(row)
    row.done()
    return {"batch": batch, "indices": indices}


def _by_codes(row: RowParser):
    first = row.take(_code, "first_code")
    last = row.take(_code, "last_code")
    return (first, last) if first is not None and last is not None else None


def _code(raw, column: str) -> int:
    value = text(raw, column)
    if not value:
        raise CellError(column, _("Give the first and last code, or a pool and positions."))
    try:
        return parse_code(value)
    except DomainError as error:
        raise CellError(column, error.message) from None


def _by_positions(context: Context, row: RowParser):
    pool = row.take(_pool, "pool", context.pools)
    first = row.take(an_int, "first_position", required=True)
    last = row.take(an_int, "last_position", required=True)
    if pool is None or first is None or last is None:
        return None
    try:
        return pool_positions(pool, first, last)
    except DomainError as error:
        row.errors.append(CellError("first_position", error.message))
        return None


def _pool(raw, column: str, pools: dict) -> CodePool:
    pool = pools.get(_code(raw, column))
    if pool is None:
        raise CellError(column, _("This is not the first code of one of your pools."))
    return pool


def write(context: Context, values: dict) -> None:
    first, last = values["indices"]
    bind_code_range(values["batch"], first, last, context.actor)


def finish(context: Context) -> None:
    pass


def export_rows(enterprise, args):
    status = args.get("status")
    query = ranges_query(
        enterprise, status if status in RANGE_STATUSES else None, args.get("q", "")
    ).options(joinedload(CodeRange.batch).joinedload(Batch.product))
    with db.session.scalars(query.execution_options(yield_per=500)) as result:
        for code_range in result:
            product = code_range.batch.product
            yield [
                product.name,
                product.spec,
                code_range.batch.lot_number,
                printed(code_range.start_index),
                printed(code_range.end_index),
                "",
                None,
                None,
                str(RANGE_STATUS_LABELS[code_range.status]),
                code_range.size,
            ]
