"""Suppliers and sales customers (供应商 / 销售客户): name, unified social credit code, role,
type, region, contact, licence and status. Each row goes through
``services.counterparties.create_counterparty`` (valid and unique credit code, region code,
linked to a platform enterprise with the same code)."""

from flask_babel import lazy_gettext as _l

from suyuan.extensions import db
from suyuan.services.counterparties import (
    counterparties_query,
    create_counterparty,
    set_counterparty_status,
)
from suyuan.spreadsheets.columns import Column, RowParser, a_date, choice, enum_lookup, text
from suyuan.vocab import (
    COUNTERPARTY_ROLE_LABELS,
    COUNTERPARTY_STATUS_LABELS,
    COUNTERPARTY_TYPE_LABELS,
)

NAME = "counterparties"
TITLE = _l("Suppliers and customers")
ROLES = ("recorder", "admin")
INSTRUCTIONS = (
    _l("One row per supplier or sales customer of your enterprise."),
    _l(
        "The unified social credit code identifies the counterparty: when it is the code of an enterprise on the platform, your documents with it are matched with theirs."
    ),
    _l("A disabled counterparty cannot be chosen on new documents."),
)
COLUMNS = (
    Column("name", _l("Name"), required=True, width=30),
    Column(
        "credit_code",
        _l("Unified social credit code"),
        required=True,
        width=22,
        hint=_l("18 characters."),
    ),
    Column("role", _l("Role"), required=True, choices=lambda: COUNTERPARTY_ROLE_LABELS),
    Column(
        "business_type",
        _l("Business type"),
        choices=lambda: COUNTERPARTY_TYPE_LABELS,
        hint=_l("Empty: other."),
    ),
    Column(
        "region_code",
        _l("Region code"),
        required=True,
        hint=_l("Six digits (GB/T 2260), e.g. 620100."),
    ),
    Column("contact_name", _l("Contact")),
    Column("contact_phone", _l("Phone")),
    Column("address", _l("Address"), width=30),
    Column("legal_representative", _l("Legal representative")),
    Column("licence_number", _l("Licence number")),
    Column("licence_valid_until", _l("Licence valid until"), hint=_l("YYYY-MM-DD")),
    Column(
        "status",
        _l("Status"),
        choices=lambda: COUNTERPARTY_STATUS_LABELS,
        hint=_l("Empty: normal."),
    ),
)
#: The service's field names are the column keys.
FIELD_COLUMNS = {}


class Context:
    def __init__(self, enterprise):
        self.enterprise = enterprise
        self.roles = enum_lookup(COUNTERPARTY_ROLE_LABELS)
        self.types = enum_lookup(COUNTERPARTY_TYPE_LABELS)
        self.statuses = enum_lookup(COUNTERPARTY_STATUS_LABELS)


def prepare(enterprise, actor) -> Context:
    return Context(enterprise)


def parse(context: Context, cells: dict) -> dict:
    row = RowParser(cells)
    values = {
        "name": row.take(text, "name", 200, required=True),
        "credit_code": row.take(text, "credit_code", required=True),
        "role": row.take(choice, "role", context.roles, required=True),
        "business_type": row.take(choice, "business_type", context.types) or "other",
        "region_code": row.take(text, "region_code", required=True),
        "contact_name": row.take(text, "contact_name", 64),
        "contact_phone": row.take(text, "contact_phone", 64),
        "address": row.take(text, "address", 200),
        "legal_representative": row.take(text, "legal_representative", 64),
        "licence_number": row.take(text, "licence_number", 64),
        "licence_valid_until": row.take(a_date, "licence_valid_until"),
        "status": row.take(choice, "status", context.statuses) or "normal",
    }
    row.done()
    return values


def write(context: Context, values: dict) -> None:
    status = values.pop("status")
    counterparty = create_counterparty(context.enterprise, values)
    if status != "normal":
        set_counterparty_status(counterparty, status)


def finish(context: Context) -> None:
    pass


def export_rows(enterprise, args):
    query = counterparties_query(
        enterprise,
        args.get("q", ""),
        args.get("role", ""),
        args.get("status", ""),
        args.get("linked", ""),
    )
    with db.session.scalars(query.execution_options(yield_per=500)) as result:
        for c in result:
            yield [
                c.name,
                c.credit_code,
                str(COUNTERPARTY_ROLE_LABELS[c.role]),
                str(COUNTERPARTY_TYPE_LABELS[c.business_type]),
                c.region_code,
                c.contact_name,
                c.contact_phone,
                c.address,
                c.legal_representative,
                c.licence_number,
                c.licence_valid_until,
                str(COUNTERPARTY_STATUS_LABELS[c.status]),
            ]
