"""The enterprise's filings (备案): status, last reason and history; submitting for review."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import bp
from suyuan.extensions import db
from suyuan.forms import page_arg
from suyuan.models import Filing
from suyuan.models.enterprises import FILING_STATUSES
from suyuan.permissions import enterprise_role_required, get_owned_or_404
from suyuan.services import filings as service
from suyuan.services.errors import DomainError


@bp.route("/filings")
@enterprise_role_required()
def filings():
    q = request.args.get("q", "").strip()
    status = request.args.get("status") or None
    status = status if status in FILING_STATUSES else None
    query = service.enterprise_filings_query(g.enterprise, status=status, q=q)
    page = db.paginate(query, page=page_arg(), per_page=20)
    return render_template(
        "portal/filings/list.html",
        enterprise_filing=g.enterprise.enterprise_filing,
        page=page,
        q=q,
        status=status,
        statuses=FILING_STATUSES,
    )


@bp.route("/filings/<int:filing_id>")
@enterprise_role_required()
def filings_detail(filing_id: int):
    filing = get_owned_or_404(Filing, filing_id)
    return render_template(
        "portal/filings/detail.html",
        filing=filing,
        snapshot=service.read_snapshot(filing),
        current=service.snapshot_of(filing),
    )


@bp.route("/filings/<int:filing_id>/submit", methods=["POST"])
@enterprise_role_required("admin")
def filings_submit(filing_id: int):
    filing = get_owned_or_404(Filing, filing_id)
    try:
        service.submit_filing(filing, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("portal.filings_detail", filing_id=filing_id)), 303
    db.session.commit()
    flash(_("The filing is submitted. A regulator of your region will review it."), "success")
    return redirect(url_for("portal.filings_detail", filing_id=filing_id))
