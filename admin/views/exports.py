"""The regulator's lists as xlsx or CSV, with the list's current filters: enterprises of the
region, filings, and one enterprise's products and batches."""

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from admin import bp
from admin.views.filings import KINDS as FILING_KINDS
from suyuan.extensions import db
from suyuan.models import Batch, Enterprise, Filing, Product
from suyuan.models.enterprises import FILING_STATUSES
from suyuan.permissions import get_in_region_or_404, regulator_required
from suyuan.regions import region_name
from suyuan.services.enterprises import enterprises_query
from suyuan.services.filings import regulator_filings_query
from suyuan.spreadsheets.download import list_download
from suyuan.vocab import label_for

export_response = list_download


def _status(name: str, default=None):
    value = request.args.get(name, default)
    return value if value in FILING_STATUSES else None


def _filing_status(enterprise: Enterprise) -> str:
    filing = enterprise.enterprise_filing
    return label_for("filing_status", filing.status) if filing else ""


@bp.get("/enterprises/export.<fmt>")
@regulator_required
def enterprises_export(fmt: str):
    query = enterprises_query(
        current_user.regulator_region, q=request.args.get("q", "").strip(), status=_status("status")
    ).options(selectinload(Enterprise.filings))
    headers = [
        _("Enterprise"),
        _("Unified social credit code"),
        _("Region"),
        _("Address"),
        _("Legal representative"),
        _("Contact"),
        _("Phone"),
        _("Enterprise filing"),
    ]
    rows = (
        [
            e.name,
            e.credit_code,
            region_name(e.region_code),
            e.address,
            e.legal_representative,
            e.contact_name,
            e.contact_phone,
            _filing_status(e),
        ]
        for e in db.session.scalars(query)
    )
    back = url_for("admin.enterprises")
    return export_response(_("Enterprises"), "enterprises", fmt, headers, rows, back)


@bp.get("/filings/export.<fmt>")
@regulator_required
def filings_export(fmt: str):
    kind = request.args.get("kind")
    query = regulator_filings_query(
        current_user,
        status=_status("status", "submitted"),
        kind=kind if kind in FILING_KINDS else None,
        q=request.args.get("q", "").strip(),
    ).options(joinedload(Filing.enterprise), joinedload(Filing.product))
    headers = [
        _("Enterprise"),
        _("Unified social credit code"),
        _("Filing"),
        _("Region"),
        _("Status"),
        _("Submitted"),
    ]
    rows = (
        [
            f.enterprise.name,
            f.enterprise.credit_code,
            _("Product: %(name)s", name=f.product.name) if f.product else _("Enterprise filing"),
            region_name(f.enterprise.region_code),
            label_for("filing_status", f.status),
            f.submitted_at.replace(tzinfo=None) if f.submitted_at else None,
        ]
        for f in db.session.scalars(query)
    )
    back = url_for("admin.filings")
    return export_response(_("Filings"), "filings", fmt, headers, rows, back)


@bp.get("/enterprises/<int:enterprise_id>/products/export.<fmt>")
@regulator_required
def enterprise_products_export(enterprise_id: int, fmt: str):
    enterprise = get_in_region_or_404(Enterprise, enterprise_id)
    query = (
        select(Product)
        .where(Product.enterprise_id == enterprise.id)
        .options(selectinload(Product.filing))
        .order_by(Product.name, Product.id)
    )
    headers = [_("Product"), _("Category"), _("Specification"), _("GTIN"), _("Product filing")]
    rows = (
        [
            p.name,
            label_for("category", p.category),
            p.spec,
            p.gtin or "",
            label_for("filing_status", p.filing.status) if p.filing else "",
        ]
        for p in db.session.scalars(query)
    )
    back = url_for("admin.enterprises_detail", enterprise_id=enterprise.id)
    return export_response(_("Products"), "products", fmt, headers, rows, back)


@bp.get("/enterprises/<int:enterprise_id>/batches/export.<fmt>")
@regulator_required
def enterprise_batches_export(enterprise_id: int, fmt: str):
    enterprise = get_in_region_or_404(Enterprise, enterprise_id)
    query = (
        select(Batch)
        .where(Batch.enterprise_id == enterprise.id)
        .options(joinedload(Batch.product))
        .order_by(Batch.production_date.desc(), Batch.id.desc())
    )
    headers = [_("Lot number"), _("Product"), _("Production date"), _("Status")]
    rows = (
        [b.lot_number, b.product.name, b.production_date, label_for("batch_status", b.status)]
        for b in db.session.scalars(query)
    )
    back = url_for("admin.enterprises_detail", enterprise_id=enterprise.id)
    return export_response(_("Batches"), "batches", fmt, headers, rows, back)
