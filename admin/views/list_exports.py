"""The console's lists as xlsx or CSV with the list page's current search and filters, in
the regulator's region only: transactions, mismatches, recalls, non-conformance, notices,
products and batches. Each export runs the list view's own query."""

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from admin.views.flow import region_mismatches, region_transactions_query
from admin.views.products import batches_query, products_query
from portal.views.nonconformance import nc_filters
from portal.views.recalls import list_filters
from suyuan.permissions import module_required
from suyuan.services import nonconformance as nc_service
from suyuan.services import notices as notice_service
from suyuan.services import recalls as recall_service
from suyuan.spreadsheets.download import list_download
from suyuan.spreadsheets.lists import (
    batch_list,
    mismatch_list,
    nonconformance_list,
    notice_list,
    product_list,
    recall_list,
    transaction_list,
)

FORMATS = "<any(xlsx, csv):fmt>"


@bp.get(f"/transactions/export.{FORMATS}")
@module_required("flow")
def transactions_export(fmt: str):
    headers, rows = transaction_list(region_transactions_query(), regional=True)
    back = url_for("admin.transactions")
    return list_download(_("Transactions"), "transactions", fmt, headers, rows, back)


@bp.get(f"/mismatches/export.{FORMATS}")
@module_required("flow")
def mismatches_export(fmt: str):
    headers, rows = mismatch_list(region_mismatches())
    back = url_for("admin.mismatches_list")
    return list_download(_("Mismatches"), "mismatches", fmt, headers, rows, back)


@bp.get(f"/recalls/export.{FORMATS}")
@module_required("recalls")
def recalls_export(fmt: str):
    query = recall_service.regulator_recalls_query(current_user, **list_filters())
    headers, rows = recall_list(query, regional=True)
    return list_download(_("Recalls"), "recalls", fmt, headers, rows, url_for("admin.recalls"))


@bp.get(f"/nonconformance/export.{FORMATS}")
@module_required("recalls")
def nonconformance_export(fmt: str):
    query = nc_service.regulator_query(current_user, **nc_filters())
    headers, rows = nonconformance_list(query, regional=True)
    back = url_for("admin.nonconformance")
    return list_download(_("Non-conformance"), "nonconformance", fmt, headers, rows, back)


@bp.get(f"/notices/export.{FORMATS}")
@module_required("notices")
def notices_export(fmt: str):
    query = notice_service.regulator_notices_query(
        current_user, q=request.args.get("q", "").strip()
    )
    headers, rows = notice_list(query)
    return list_download(_("Notices"), "notices", fmt, headers, rows, url_for("admin.notices"))


@bp.get(f"/products/export.{FORMATS}")
@module_required("enterprises")
def products_export(fmt: str):
    headers, rows = product_list(products_query()[0])
    back = url_for("admin.products")
    return list_download(_("Products"), "products", fmt, headers, rows, back)


@bp.get(f"/batches/export.{FORMATS}")
@module_required("enterprises")
def batches_export(fmt: str):
    headers, rows = batch_list(batches_query()[0])
    back = url_for("admin.batches")
    return list_download(_("Batches"), "batches", fmt, headers, rows, back)
