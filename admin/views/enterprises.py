"""Enterprises in the regulator's region: list and a detail page with filings, products and
batches, published or not."""

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import func, select

from admin import bp
from suyuan.extensions import db
from suyuan.forms import page_arg
from suyuan.models import Batch, Enterprise, StageRecord
from suyuan.models.enterprises import FILING_STATUSES
from suyuan.permissions import get_in_region_or_404, module_required
from suyuan.services.enterprises import enterprises_query


@bp.route("/enterprises")
@module_required("enterprises")
def enterprises():
    q = request.args.get("q", "").strip()
    status = request.args.get("status") if request.args.get("status") in FILING_STATUSES else None
    query = enterprises_query(current_user.regulator_region, q=q, status=status)
    page = db.paginate(query, page=page_arg(), per_page=20)
    return render_template(
        "admin/enterprises/list.html", page=page, q=q, status=status, statuses=FILING_STATUSES
    )


@bp.route("/enterprises/<int:enterprise_id>")
@module_required("enterprises")
def enterprises_detail(enterprise_id: int):
    enterprise = get_in_region_or_404(Enterprise, enterprise_id)
    batches = db.paginate(
        select(Batch)
        .where(Batch.enterprise_id == enterprise.id)
        .order_by(Batch.production_date.desc(), Batch.id.desc()),
        page=page_arg(),
        per_page=20,
    )
    return render_template(
        "admin/enterprises/detail.html",
        enterprise=enterprise,
        batches=batches,
        record_counts=_record_counts([b.id for b in batches.items]),
    )


def _record_counts(batch_ids: list[int]) -> dict[int, int]:
    """Current (not superseded) stage records per batch, in one query for the page."""
    if not batch_ids:
        return {}
    rows = db.session.execute(
        select(StageRecord.batch_id, func.count(StageRecord.id))
        .where(StageRecord.batch_id.in_(batch_ids), StageRecord.status != "superseded")
        .group_by(StageRecord.batch_id)
    )
    return dict(rows.all())
