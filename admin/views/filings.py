"""The regulator's review queue: filings of enterprises in their region, approve or reject."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from admin.forms import RejectForm
from suyuan.extensions import db
from suyuan.forms import page_arg
from suyuan.models import Filing
from suyuan.models.enterprises import FILING_STATUSES
from suyuan.permissions import can_review_filing, get_in_region_or_404, module_required
from suyuan.services import filings as service
from suyuan.services.errors import DomainError

KINDS = ("enterprise", "product")


@bp.route("/filings")
@module_required("filings")
def filings():
    # The queue shows what waits for a decision unless another status (or all) is asked for.
    status = request.args.get("status", "submitted")
    status = status if status in FILING_STATUSES else None
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else None
    q = request.args.get("q", "").strip()
    query = service.regulator_filings_query(current_user, status=status, kind=kind, q=q)
    page = db.paginate(query, page=page_arg(), per_page=20)
    return render_template(
        "admin/filings/list.html",
        page=page,
        status=status,
        kind=kind,
        q=q,
        statuses=FILING_STATUSES,
    )


@bp.route("/filings/<int:filing_id>")
@module_required("filings")
def filings_detail(filing_id: int):
    filing = get_in_region_or_404(Filing, filing_id)
    return _render_detail(filing, RejectForm())


def _render_detail(filing, form, status=200):
    return render_template(
        "admin/filings/detail.html",
        filing=filing,
        snapshot=service.read_snapshot(filing),
        current=service.snapshot_of(filing),
        form=form,
    ), status


def _reviewable_or_refuse(filing_id: int) -> Filing:
    filing = get_in_region_or_404(Filing, filing_id)
    if not can_review_filing(current_user, filing):
        abort(409, description=_("Only a filing that is submitted for review can be decided."))
    return filing


@bp.route("/filings/<int:filing_id>/approve", methods=["POST"])
@module_required("filings")
def filings_approve(filing_id: int):
    filing = _reviewable_or_refuse(filing_id)
    service.approve_filing(filing, current_user)
    db.session.commit()
    flash(_("The filing is approved."), "success")
    return redirect(url_for("admin.filings_detail", filing_id=filing_id))


@bp.route("/filings/<int:filing_id>/reject", methods=["POST"])
@module_required("filings")
def filings_reject(filing_id: int):
    filing = _reviewable_or_refuse(filing_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return _render_detail(filing, form, 400)
    try:
        service.reject_filing(filing, current_user, form.reason.data)
    except DomainError as error:
        db.session.rollback()
        form.reason.errors = [error.message]
        return _render_detail(filing, form, 400)
    db.session.commit()
    flash(_("The filing is rejected; the enterprise sees your reason."), "success")
    return redirect(url_for("admin.filings_detail", filing_id=filing_id))
