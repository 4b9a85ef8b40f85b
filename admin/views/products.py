"""Products and batches of the regulator's region: searchable, filterable lists, the way in
to ordering a recall or recording a non-conformance."""

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import or_, select

from admin import bp
from suyuan.extensions import db
from suyuan.forms import page_arg
from suyuan.models import Batch, Enterprise, Filing, Product
from suyuan.models.enterprises import FILING_STATUSES
from suyuan.models.products import BATCH_STATUSES
from suyuan.permissions import module_required
from suyuan.services.filings import in_region
from suyuan.vocab import CATEGORIES


def _choice(name: str, allowed) -> str | None:
    value = request.args.get(name)
    return value if value in allowed else None


def products_query():
    """The region's products with the list's search and filters (the page and its export)."""
    q = request.args.get("q", "").strip()
    category, status = _choice("category", CATEGORIES), _choice("status", FILING_STATUSES)
    query = (
        select(Product)
        .join(Enterprise)
        .outerjoin(Filing, Filing.product_id == Product.id)
        .where(in_region(current_user.regulator_region))
    )
    if q:
        pattern = f"%{q}%"
        query = query.where(
            or_(
                Product.name.ilike(pattern),
                Product.gtin.ilike(pattern),
                Enterprise.name.ilike(pattern),
                Enterprise.credit_code.ilike(pattern),
            )
        )
    if category:
        query = query.where(Product.category == category)
    if status:
        query = query.where(Filing.status == status)
    return query.order_by(Product.name, Product.id), q, category, status


@bp.route("/products")
@module_required("enterprises")
def products():
    query, q, category, status = products_query()
    page = db.paginate(query, page=page_arg(), per_page=20)
    return render_template(
        "admin/recalls/products.html",
        page=page,
        q=q,
        category=category,
        status=status,
        categories=CATEGORIES,
        statuses=FILING_STATUSES,
    )


def batches_query():
    """The region's batches with the list's search and filters (the page and its export)."""
    q = request.args.get("q", "").strip()
    status = _choice("status", BATCH_STATUSES)
    query = (
        select(Batch)
        .join(Product, Product.id == Batch.product_id)
        .join(Enterprise, Enterprise.id == Batch.enterprise_id)
        .where(in_region(current_user.regulator_region))
    )
    if q:
        pattern = f"%{q}%"
        query = query.where(
            or_(
                Batch.lot_number.ilike(pattern),
                Product.name.ilike(pattern),
                Enterprise.name.ilike(pattern),
                Enterprise.credit_code.ilike(pattern),
            )
        )
    if status:
        query = query.where(Batch.status == status)
    return query.order_by(Batch.production_date.desc(), Batch.id.desc()), q, status


@bp.route("/batches")
@module_required("enterprises")
def batches():
    query, q, status = batches_query()
    page = db.paginate(query, page=page_arg(), per_page=20)
    return render_template(
        "admin/recalls/batches.html", page=page, q=q, status=status, statuses=BATCH_STATUSES
    )
