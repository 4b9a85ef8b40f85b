"""Stage records (生产档案) of existing batches: type, title, when (with its time zone), where,
who, details, and whether to save a draft or submit (which locks the record).

Each row is checked by ``services.records.checked_record`` (the rules of ``create_record``);
the records are inserted 1,000 per statement, because an import may hold 20,000 of them.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from suyuan.extensions import db
from suyuan.models import Batch, StageRecord
from suyuan.services.records import DEFAULT_TZ, checked_record, local_occurred_at
from suyuan.spreadsheets.columns import (
    Column,
    RowParser,
    a_datetime,
    choice,
    enum_lookup,
    text,
)
from suyuan.spreadsheets.kinds.lookups import Catalogue
from suyuan.vocab import STAGE_TYPES

NAME = "stage_records"
TITLE = _l("Stage records")
ROLES = ("recorder",)
INSTRUCTIONS = (
    _l("One row per stage record of one of your batches, found by its lot number."),
    _l("The stage type must suit the product's category (farm or factory stages)."),
    _l("The time is local time in the given time zone (Asia/Shanghai when empty)."),
    _l("Submitted records are locked: a mistake then needs a correction with a reason."),
)
ACTIONS = {"draft": _l("Save as draft"), "submit": _l("Submit")}
COLUMNS = (
    Column(
        "product",
        _l("Product"),
        width=24,
        hint=_l("Needed only when several products have the lot number."),
    ),
    Column("spec", _l("Specification")),
    Column("lot_number", _l("Lot number"), required=True),
    Column("stage_type", _l("Stage type"), required=True, choices=lambda: STAGE_TYPES),
    Column("title", _l("Title"), required=True, width=30),
    Column(
        "occurred_at",
        _l("When"),
        required=True,
        number_format="yyyy-mm-dd hh:mm",
        hint=_l("YYYY-MM-DD HH:MM"),
    ),
    Column("occurred_tz", _l("Time zone"), hint=_l("An IANA zone such as Asia/Shanghai.")),
    Column("place", _l("Place")),
    Column("operator", _l("Operator")),
    Column("details", _l("Details"), width=40),
    Column(
        "action", _l("Save or submit"), choices=lambda: ACTIONS, hint=_l("Empty: save as draft.")
    ),
)
FIELD_COLUMNS = {}
CHUNK = 1000


class Context:
    def __init__(self, enterprise, actor):
        self.actor = actor
        self.catalogue = Catalogue(enterprise)
        self.stage_types = enum_lookup(STAGE_TYPES)
        self.actions = enum_lookup(ACTIONS)
        self.pending: list[dict] = []


def prepare(enterprise, actor) -> Context:
    return Context(enterprise, actor)


def parse(context: Context, cells: dict) -> dict:
    row = RowParser(cells)
    product = row.take(text, "product", 200)
    spec = row.take(text, "spec", 64)
    lot = row.take(text, "lot_number", 64, required=True)
    values = {
        "batch": row.take(
            lambda _raw, _key: context.catalogue.batch(lot, product, spec), "lot_number"
        )
        if lot
        else None,
        "stage_type": row.take(choice, "stage_type", context.stage_types, required=True),
        "title": row.take(text, "title", required=True),
        "occurred_at": row.take(a_datetime, "occurred_at", required=True),
        "occurred_tz": row.take(text, "occurred_tz", 64) or DEFAULT_TZ,
        "place": row.take(text, "place"),
        "operator": row.take(text, "operator"),
        "details": row.take(text, "details"),
        "submit": row.take(choice, "action", context.actions) == "submit",
    }
    row.done()
    return values


def write(context: Context, values: dict) -> None:
    batch, submit = values.pop("batch"), values.pop("submit")
    context.pending.append(checked_record(batch, context.actor, values, submit))
    if len(context.pending) >= CHUNK:
        _flush(context)


def finish(context: Context) -> None:
    _flush(context)


def _flush(context: Context) -> None:
    if context.pending:
        db.session.execute(StageRecord.__table__.insert(), context.pending)
        context.pending = []


def export_rows(enterprise, args):
    """The current records (drafts and submitted, not superseded versions)."""
    query = (
        select(StageRecord)
        .join(Batch, StageRecord.batch_id == Batch.id)
        .where(Batch.enterprise_id == enterprise.id, StageRecord.status != "superseded")
        .options(joinedload(StageRecord.batch).joinedload(Batch.product))
        .order_by(Batch.lot_number, StageRecord.occurred_at, StageRecord.id)
    )
    batch_id = args.get("batch")
    if batch_id and str(batch_id).isdigit():
        query = query.where(StageRecord.batch_id == int(batch_id))
    with db.session.scalars(query.execution_options(yield_per=1000)) as result:
        for record in result:
            yield [
                record.batch.product.name,
                record.batch.product.spec,
                record.batch.lot_number,
                str(STAGE_TYPES.get(record.stage_type, record.stage_type)),
                record.title,
                local_occurred_at(record).replace(tzinfo=None),
                record.occurred_tz,
                record.place,
                record.operator,
                record.details,
                str(ACTIONS["submit" if record.status == "submitted" else "draft"]),
            ]
