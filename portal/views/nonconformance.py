"""The enterprise's non-conforming product records (不合格): its own findings and a regulator's
findings about its products."""

from flask import abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import bp
from portal.forms.recalls import NonConformanceForm, NonConformanceStatusForm, record_from_form
from suyuan.extensions import db
from suyuan.forms import page_arg, save_form
from suyuan.models import NonConformance, Product
from suyuan.models.recalls import FOUND_BY, NONCONFORMANCE_STATUSES
from suyuan.permissions import enterprise_role_required, get_owned_or_404
from suyuan.services import nonconformance as service
from suyuan.services.errors import DomainError
from suyuan.services.files import storage_path


def nc_filters() -> dict:
    status, found_by = request.args.get("status"), request.args.get("found_by")
    return {
        "q": request.args.get("q", "").strip(),
        "status": status if status in NONCONFORMANCE_STATUSES else None,
        "found_by": found_by if found_by in FOUND_BY else None,
    }


@bp.route("/nonconformance")
@enterprise_role_required()
def nonconformance():
    filters = nc_filters()
    query = service.enterprise_query(g.enterprise, **filters)
    return render_template(
        "portal/recalls/nc_list.html",
        page=db.paginate(query, page=page_arg(), per_page=20),
        statuses=NONCONFORMANCE_STATUSES,
        sources=FOUND_BY,
        detail="portal.nonconformance_detail",
        **filters,
    )


@bp.route("/nonconformance/new", methods=["GET", "POST"])
@enterprise_role_required("admin")
def nonconformance_new():
    product_id = request.args.get("product", type=int)
    if product_id is None:
        return render_template(
            "portal/recalls/nc_choose_product.html", products=g.enterprise.products
        )
    product = get_owned_or_404(Product, product_id)
    form = NonConformanceForm()
    form.set_batches(product)
    record, status = save_form(form, lambda: record_from_form(form, current_user, product))
    if record:
        flash(_("The non-conformance record is saved."), "success")
        return redirect(url_for("portal.nonconformance_detail", record_id=record.id))
    return render_template("portal/recalls/nc_form.html", form=form, product=product), status


@bp.route("/nonconformance/<int:record_id>")
@enterprise_role_required()
def nonconformance_detail(record_id: int):
    record = get_owned_or_404(NonConformance, record_id)
    return render_template(
        "portal/recalls/nc_detail.html",
        record=record,
        form=NonConformanceStatusForm(),
        status_endpoint="portal.nonconformance_status",
        report_endpoint="portal.nonconformance_report",
        can_change=g.enterprise.id == record.enterprise_id and _is_admin(),
    )


def _is_admin() -> bool:
    from suyuan.permissions import active_role

    return active_role() == "admin"


@bp.route("/nonconformance/<int:record_id>/status", methods=["POST"])
@enterprise_role_required("admin")
def nonconformance_status(record_id: int):
    record = get_owned_or_404(NonConformance, record_id)
    change_status_from_form(record)
    return redirect(url_for("portal.nonconformance_detail", record_id=record.id))


def change_status_from_form(record: NonConformance) -> None:
    form = NonConformanceStatusForm()
    if not form.validate_on_submit():
        flash(_("Choose a status."), "error")
        return
    try:
        service.set_status(record, form.status.data, form.note.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return
    db.session.commit()
    flash(_("The status is changed."), "success")


@bp.route("/nonconformance/<int:record_id>/report")
@enterprise_role_required()
def nonconformance_report(record_id: int):
    record = get_owned_or_404(NonConformance, record_id)
    return send_report(record)


def send_report(record: NonConformance):
    """The inspection report, to whoever was allowed to load ``record``."""
    report = record.report
    if report is None or not storage_path(report.sha256).is_file():
        abort(404)
    response = send_file(
        storage_path(report.sha256),
        mimetype=report.content_type,
        download_name=report.filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
