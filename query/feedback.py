"""Public feedback views: share a region with a scan, report a problem (工单) about a code,
follow the report with its check code (核对码)."""

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from query import bp
from query.forms import CheckCodeForm, FeedbackForm, RegionForm
from query.views import REGION_COOKIE, scan_limit
from suyuan.clients import client_address, scanner_hash
from suyuan.extensions import db, limiter
from suyuan.identity import CodeError, code_key, normalize
from suyuan.services.codes import resolve_code
from suyuan.services.errors import DomainError
from suyuan.services.feedback import (
    category_label,
    find_by_check_code,
    show_check_code,
    status_label,
    submit_feedback,
)
from suyuan.services.scans import flush_pending, share_region

REGION_COOKIE_DAYS = 30

bp.add_app_template_global(status_label, "feedback_status_label")
bp.add_app_template_global(category_label, "feedback_category_label")


def feedback_limit() -> str:
    return current_app.config["FEEDBACK_RATE_LIMIT"]


def _bound_range_or_404(code: str):
    code = normalize(code)
    try:
        index = code_key().decode(code)
    except CodeError:
        abort(404)
    code_range = resolve_code(index)
    if code_range is None or code_range.status != "bound":
        abort(404)
    return code, index, code_range


@bp.post("/q/<code>/region")
@limiter.limit(scan_limit, key_func=client_address)
def share_scan_region(code):
    flush_pending()  # the scan being located may still wait in the queue
    code, index, code_range = _bound_range_or_404(code)
    form = RegionForm()
    if not form.validate_on_submit():
        abort(400, description=_("Please choose a region from the list."))
    region = form.region.data
    share_region(code_range, index, scanner_hash(), region)
    db.session.commit()
    response = redirect(url_for("query.scan", code=code, via="region"))
    response.set_cookie(
        REGION_COOKIE,
        region,
        max_age=REGION_COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
    return response


@bp.route("/q/<code>/report", methods=["GET", "POST"])
@limiter.limit(feedback_limit, key_func=client_address, methods=["POST"])
def report(code):
    code, index, code_range = _bound_range_or_404(code)
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            feedback = submit_feedback(
                code_range,
                index,
                form.category.data,
                form.description.data,
                form.contact.data,
                request.files.get(form.photo.name),
            )
        except DomainError as error:
            _field_error(form, error)
        else:
            db.session.commit()
            check = show_check_code(feedback.check_code)
            return render_template("query/report_sent.html", check=check, code=code)
    status = 400 if form.errors else 200
    return render_template("query/report.html", form=form, code=code), status


def _field_error(form, error: DomainError) -> None:
    db.session.rollback()
    target = getattr(form, error.field or "", None) or form.description
    target.errors = [*target.errors, error.message]


@bp.get("/feedback")
def feedback_status():
    form = CheckCodeForm(request.args)
    if not request.args.get("check"):
        return render_template("query/feedback_status.html", form=form, feedback=None)
    feedback = find_by_check_code(form.check.data) if form.validate() else None
    if feedback is None:
        message = _("No report has this check code. Please check the code and try again.")
        page = render_template(
            "query/feedback_status.html", form=form, feedback=None, message=message
        )
        return page, 404
    return render_template(
        "query/feedback_status.html",
        form=form,
        feedback=feedback,
        check=show_check_code(feedback.check_code),
    )
