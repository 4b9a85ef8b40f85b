"""Pagination on every list: ``page`` and ``per_page`` (at most 100) in the query, and a body
envelope ``{"items", "page", "per_page", "total", "pages"}``."""

from marshmallow import Schema, fields

from suyuan.api.common import between
from suyuan.extensions import db

MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000


class PageArgs(Schema):
    page = fields.Integer(
        load_default=1,
        validate=between(1, MAX_PAGE),
        metadata={"description": "1-based page number."},
    )
    per_page = fields.Integer(
        load_default=20,
        validate=between(1, MAX_PER_PAGE),
        metadata={"description": f"Items per page, at most {MAX_PER_PAGE}."},
    )


_PAGE_SCHEMAS: dict = {}


def page_of(item_schema: type[Schema]) -> type[Schema]:
    """The envelope schema for a page of ``item_schema`` (one class per item schema, so the
    spec names it once)."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    if name not in _PAGE_SCHEMAS:
        _PAGE_SCHEMAS[name] = Schema.from_dict(
            {
                "items": fields.List(fields.Nested(item_schema), required=True),
                "page": fields.Integer(required=True),
                "per_page": fields.Integer(required=True),
                "total": fields.Integer(required=True, metadata={"description": "All matches."}),
                "pages": fields.Integer(required=True),
            },
            name=name,
        )
    return _PAGE_SCHEMAS[name]


def paginate(query, args: dict) -> dict:
    """One page of ``query`` as the envelope (a page past the end is empty, not an error)."""
    page = db.paginate(query, page=args["page"], per_page=args["per_page"], error_out=False)
    return {
        "items": page.items,
        "page": args["page"],
        "per_page": args["per_page"],
        "total": page.total or 0,
        "pages": page.pages,
    }


def paginate_rows(rows: list, args: dict) -> dict:
    """The same envelope over a list already in memory (short lists such as code pools)."""
    start = (args["page"] - 1) * args["per_page"]
    total = len(rows)
    return {
        "items": rows[start : start + args["per_page"]],
        "page": args["page"],
        "per_page": args["per_page"],
        "total": total,
        "pages": -(-total // args["per_page"]),
    }
