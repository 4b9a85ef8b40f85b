"""The portal's lists that are not an importable kind, as xlsx or CSV with the list page's
current search and filters: stock, mismatches, recalls, recalls that reached the
enterprise, non-conformance and notices. (Products, batches, stage records, code ranges,
counterparties and documents export in their import layout: ``portal.views.imports``.)"""

from flask import g, request, url_for
from flask_babel import gettext as _

from portal import bp
from portal.views.flow import mismatch_rows, stock_list_rows
from portal.views.nonconformance import nc_filters
from portal.views.recalls import list_filters
from suyuan.permissions import enterprise_role_required
from suyuan.services import nonconformance as nc_service
from suyuan.services import notices as notice_service
from suyuan.services import recalls as recall_service
from suyuan.spreadsheets.download import list_download
from suyuan.spreadsheets.lists import (
    mismatch_list,
    nonconformance_list,
    notice_list,
    recall_list,
    received_recall_list,
    stock_list,
)

FORMATS = "<any(xlsx, csv):fmt>"


@bp.get(f"/stock/export.{FORMATS}")
@enterprise_role_required()
def stock_export(fmt: str):
    headers, rows = stock_list(stock_list_rows())
    return list_download(_("Stock"), "stock", fmt, headers, rows, url_for("portal.stock"))


@bp.get(f"/mismatches/export.{FORMATS}")
@enterprise_role_required()
def mismatches_export(fmt: str):
    headers, rows = mismatch_list(mismatch_rows())
    back = url_for("portal.mismatches_page")
    return list_download(_("Mismatches"), "mismatches", fmt, headers, rows, back)


@bp.get(f"/recalls/export.{FORMATS}")
@enterprise_role_required()
def recalls_export(fmt: str):
    query = recall_service.enterprise_recalls_query(g.enterprise, **list_filters())
    headers, rows = recall_list(query)
    return list_download(_("Recalls"), "recalls", fmt, headers, rows, url_for("portal.recalls"))


@bp.get(f"/recalls/received/export.{FORMATS}")
@enterprise_role_required()
def recalls_received_export(fmt: str):
    query = recall_service.received_notices_query(
        g.enterprise, pending_only=request.args.get("pending") == "1"
    )
    headers, rows = received_recall_list(query)
    back = url_for("portal.recalls_received")
    return list_download(_("Recalls that reached us"), "recalls-received", fmt, headers, rows, back)


@bp.get(f"/nonconformance/export.{FORMATS}")
@enterprise_role_required()
def nonconformance_export(fmt: str):
    query = nc_service.enterprise_query(g.enterprise, **nc_filters())
    headers, rows = nonconformance_list(query)
    back = url_for("portal.nonconformance")
    return list_download(_("Non-conformance"), "nonconformance", fmt, headers, rows, back)


@bp.get(f"/notices/export.{FORMATS}")
@enterprise_role_required()
def notices_export(fmt: str):
    query = notice_service.enterprise_notices_query(
        g.enterprise,
        q=request.args.get("q", "").strip(),
        unread_only=request.args.get("unread") == "1",
    )
    headers, rows = notice_list(
        query, lambda ids: notice_service.read_notice_ids(g.enterprise, ids)
    )
    return list_download(_("Notices"), "notices", fmt, headers, rows, url_for("portal.notices"))
