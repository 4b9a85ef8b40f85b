"""Scan analytics in the portal: the dashboard (scans per day, product, batch, region; the
first-scan rate per batch), CSV exports, suspicious codes to review, the rule thresholds and
a batch's declared sales regions. ``dashboard`` and ``csv_export`` serve the regulator's
console too, with a region scope."""

import csv
import io

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from portal import bp
from query.forms import region_choices
from query.scanning import forget_rules
from suyuan import charts
from suyuan.extensions import db
from suyuan.models import Batch, SuspicionFlag
from suyuan.models.scans import FLAG_STATUSES, SUSPICION_RULES
from suyuan.permissions import enterprise_role_required, get_owned_or_404
from suyuan.regions import region_name
from suyuan.services import analytics
from suyuan.services.codes import printed
from suyuan.services.errors import DomainError
from suyuan.services.feedback import inbox_query
from suyuan.services.verdict import finding_text
from suyuan.vocab import FLAG_LABELS, RULE_LABELS


class ReviewForm(FlaskForm):
    status = SelectField(_l("Your judgement"), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [(s, str(FLAG_LABELS[s])) for s in FLAG_STATUSES if s != "open"]


class RulesForm(FlaskForm):
    max_scanners = IntegerField(
        _l("Suspicious from this many different devices"), [InputRequired()]
    )
    region_window_minutes = IntegerField(
        _l("Scans in two provinces within (minutes)"), [InputRequired()]
    )
    burst_scans = IntegerField(_l("Burst: scans from one device"), [InputRequired()])
    burst_window_minutes = IntegerField(_l("Burst: within (minutes)"), [InputRequired()])


class SalesRegionsForm(FlaskForm):
    regions = SelectMultipleField(_l("Regions where this batch is sold"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions.choices = region_choices()


def period() -> int:
    days = request.args.get("days", 30, type=int)
    return days if days in analytics.PERIODS else 30


def dashboard(scope: analytics.Scope, days: int) -> dict:
    """Everything a dashboard shows, charts included."""
    day_rows = analytics.per_day(scope, days)
    products = analytics.per_product(scope, days)
    regions = [(code, region_label(code), n) for code, n in analytics.per_region(scope, days)]
    return {
        "days": days,
        "periods": analytics.PERIODS,
        "totals": analytics.totals(day_rows),
        "day_rows": day_rows,
        "day_chart": charts.column_chart(
            _("Scans per day"), [(d.strftime("%m-%d"), n) for d, n, _f in day_rows]
        ),
        "products": products,
        "product_chart": charts.bar_chart(_("Scans per product"), products[:12]),
        "batches": analytics.per_batch(scope, days),
        "regions": regions,
        "region_chart": charts.bar_chart(
            _("Scans per region"), [(label, n) for _c, label, n in regions[:12]]
        ),
    }


def region_label(code: str) -> str:
    return region_name(code, _locale()) if code else _("Not shared")


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale())


def csv_export(scope: analytics.Scope, table: str, days: int) -> Response:
    if table == "days":
        header = [_("Day"), _("Scans"), _("First scans")]
        rows = [(d.isoformat(), n, f) for d, n, f in analytics.per_day(scope, days)]
    elif table == "products":
        header, rows = [_("Product"), _("Scans")], analytics.per_product(scope, days)
    elif table == "regions":
        header = [_("Region code"), _("Region"), _("Scans")]
        rows = [(c, region_label(c), n) for c, n in analytics.per_region(scope, days)]
    elif table == "batches":
        header = [
            _("Enterprise"),
            _("Lot number"),
            _("Product"),
            _("Scans"),
            _("Codes scanned"),
            _("Bound codes"),
            _("First-scan rate"),
        ]
        rows = [
            (b.enterprise, b.lot_number, b.product, b.scans, b.first_scans, b.bound_codes,
             "" if b.first_scan_rate is None else f"{b.first_scan_rate:.4f}")
            for b in analytics.per_batch(scope, days, limit=10_000)
        ]  # fmt: skip
    else:
        abort(404)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_csv_safe(value) for value in row] for row in rows)
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename=scans-{table}-{days}d.csv"
    return response


def _csv_safe(value):
    """Producer text starting with = + - @ would run as a formula in a spreadsheet."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def flag_context() -> dict:
    return {
        "flag_labels": FLAG_LABELS,
        "rule_labels": RULE_LABELS,
        "finding_text": finding_text,
        "printed": printed,
        "rules": SUSPICION_RULES,
        "flag_statuses": FLAG_STATUSES,
    }


@bp.route("/analytics")
@enterprise_role_required()
def analytics_dashboard():
    scope = analytics.Scope(enterprise_id=g.enterprise.id)
    data = dashboard(scope, period())
    flags = db.session.scalars(analytics.flags_query(scope, "open").limit(10)).all()
    inbox = db.session.scalars(inbox_query(g.enterprise, "received").limit(5)).all()
    return render_template(
        "portal/analytics/dashboard.html", flags=flags, inbox=inbox, **data, **flag_context()
    )


@bp.route("/analytics/<table>.csv")
@enterprise_role_required()
def analytics_csv(table: str):
    return csv_export(analytics.Scope(enterprise_id=g.enterprise.id), table, period())


@bp.route("/analytics/flags")
@enterprise_role_required()
def analytics_flags():
    scope = analytics.Scope(enterprise_id=g.enterprise.id)
    rule = request.args.get("rule")
    query = analytics.flags_query(
        scope, request.args.get("status"), rule if rule in SUSPICION_RULES else None
    )
    page = db.paginate(
        query, page=request.args.get("page", 1, type=int), per_page=20, error_out=False
    )
    return render_template(
        "portal/analytics/flags.html", page=page, form=ReviewForm(formdata=None), **flag_context()
    )


@bp.post("/analytics/flags/<int:flag_id>")
@enterprise_role_required("admin")
def analytics_flag_review(flag_id: int):
    flag = get_owned_or_404(SuspicionFlag, flag_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        flash(_("Choose reviewed, genuine or counterfeit."), "error")
        return redirect(url_for("portal.analytics_flags"))
    try:
        analytics.review_flag(flag, current_user, form.status.data, form.note.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("portal.analytics_flags"))
    db.session.commit()
    flash(
        _("Marked %(status)s. The code stays usable.", status=FLAG_LABELS[flag.status]), "success"
    )
    return redirect(url_for("portal.analytics_flags"))


@bp.route("/analytics/rules", methods=["GET", "POST"])
@enterprise_role_required("admin")
def analytics_rules():
    rules = analytics.rules_of(g.enterprise)
    form = RulesForm(obj=rules)
    if form.validate_on_submit():
        values = {
            name: form[name].data
            for name in (
                "max_scanners",
                "region_window_minutes",
                "burst_scans",
                "burst_window_minutes",
            )
        }
        try:
            analytics.save_rules(g.enterprise, values)
            forget_rules(g.enterprise)
        except DomainError as error:
            db.session.rollback()
            form[error.field].errors = [*form[error.field].errors, error.message]
            return render_template("portal/analytics/rules.html", form=form), 400
        db.session.commit()
        flash(_("The thresholds are saved; they apply to the next scans."), "success")
        return redirect(url_for("portal.analytics_rules"))
    status = 400 if form.errors else 200
    return render_template("portal/analytics/rules.html", form=form), status


@bp.route("/batches/<int:batch_id>/sales-regions", methods=["GET", "POST"])
@enterprise_role_required()
def batch_sales_regions(batch_id: int):
    batch = get_owned_or_404(Batch, batch_id)
    form = SalesRegionsForm(regions=analytics.sales_regions(batch))
    if request.method == "POST":
        if not can_declare():
            abort(
                403,
                description=_("Only the enterprise admin can do this. Switch role if you hold it."),
            )
        if form.validate_on_submit():
            analytics.set_sales_regions(batch, form.regions.data)
            db.session.commit()
            flash(
                _("The sales regions of batch %(lot)s are saved.", lot=batch.lot_number), "success"
            )
            return redirect(url_for("portal.batch_sales_regions", batch_id=batch.id))
    status = 400 if form.errors else 200
    return render_template(
        "portal/analytics/sales_regions.html", batch=batch, form=form, can_declare=can_declare()
    ), status


def can_declare() -> bool:
    from suyuan.permissions import active_role

    return active_role() == "admin"
