"""The regulator's view of scanning in its region: the same aggregates across enterprises,
suspicious clusters, and the consumer reports of suspected fakes and adverse reactions."""

from flask import abort, render_template, request
from flask_login import current_user

from admin import bp
from portal.views.analytics import csv_export, dashboard, flag_context, period
from portal.views.feedback import send_photo
from suyuan.extensions import db
from suyuan.models import Feedback
from suyuan.models.feedback import FEEDBACK_STATUSES, REGULATOR_CATEGORIES
from suyuan.permissions import regulator_required
from suyuan.services import analytics
from suyuan.services.codes import printed
from suyuan.services.feedback import regulator_query, show_check_code, visible_to_regulator


def region_scope() -> analytics.Scope:
    return analytics.Scope(region=current_user.regulator_region)


@bp.route("/scans")
@regulator_required
def scan_dashboard():
    scope = region_scope()
    data = dashboard(scope, period())
    flags = db.session.scalars(analytics.flags_query(scope, "open").limit(20)).all()
    adverse = db.session.scalars(
        regulator_query(current_user, category="adverse_reaction").limit(10)
    ).all()
    return render_template(
        "admin/analytics/dashboard.html",
        flags=flags,
        clusters=analytics.suspicious_clusters(scope),
        adverse=adverse,
        **data,
        **flag_context(),
    )


@bp.route("/scans/<table>.csv")
@regulator_required
def scan_csv(table: str):
    return csv_export(region_scope(), table, period())


@bp.route("/reports")
@regulator_required
def reports():
    args = request.args
    query = regulator_query(
        current_user, args.get("status"), args.get("category"), args.get("q", "")
    )
    page = db.paginate(query, page=args.get("page", 1, type=int), per_page=20, error_out=False)
    return render_template(
        "admin/analytics/reports.html",
        page=page,
        statuses=FEEDBACK_STATUSES,
        categories=REGULATOR_CATEGORIES,
    )


def _report_or_404(feedback_id: int) -> Feedback:
    feedback = db.session.get(Feedback, feedback_id)
    if feedback is None or not visible_to_regulator(current_user, feedback):
        abort(404)
    return feedback


@bp.route("/reports/<int:feedback_id>")
@regulator_required
def report_detail(feedback_id: int):
    feedback = _report_or_404(feedback_id)
    return render_template(
        "admin/analytics/report.html",
        feedback=feedback,
        check=show_check_code(feedback.check_code),
        printed_code=printed(feedback.code_index),
    )


@bp.route("/reports/<int:feedback_id>/photo")
@regulator_required
def report_photo(feedback_id: int):
    return send_photo(_report_or_404(feedback_id))
