"""Recalls and non-conformance in the regulator's region: lists with search and filters,
details, ordering a recall (责令召回) and recording a regulator's finding."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from portal.forms.recalls import (
    CompleteForm,
    NonConformanceForm,
    NoteForm,
    RecallForm,
    declare_from_form,
    record_from_form,
    set_nonconformance_choices,
)
from portal.views.nonconformance import change_status_from_form, nc_filters, send_report
from portal.views.recalls import advance_from_form, list_filters
from suyuan.extensions import db
from suyuan.forms import page_arg, save_form
from suyuan.models import NonConformance, Product, Recall
from suyuan.models.recalls import FOUND_BY, NONCONFORMANCE_STATUSES, RECALL_STATES, SEVERITIES
from suyuan.permissions import get_in_region_or_404, module_required
from suyuan.services import nonconformance as nc_service
from suyuan.services import recalls as service


@bp.app_context_processor
def batch_problem_lookup():
    return {"batch_problems": service.batch_problems}


@bp.route("/recalls")
@module_required("recalls")
def recalls():
    filters = list_filters()
    query = service.regulator_recalls_query(current_user, **filters)
    return render_template(
        "admin/recalls/list.html",
        page=db.paginate(query, page=page_arg(), per_page=20),
        states=RECALL_STATES,
        severities=SEVERITIES,
        **filters,
    )


@bp.route("/recalls/<int:recall_id>")
@module_required("recalls")
def recalls_detail(recall_id: int):
    recall = db.session.get(Recall, recall_id)
    if recall is None or not service.regulator_sees(current_user, recall):
        abort(404)
    return render_template(
        "admin/recalls/detail.html",
        recall=recall,
        note_form=NoteForm(),
        complete_form=CompleteForm(),
        can_manage=service.can_manage(current_user, recall),
        action_endpoint="admin.recalls_advance",
    )


@bp.route(
    "/recalls/<int:recall_id>/<any(notified, in_progress, completed):to_state>", methods=["POST"]
)
@module_required("recalls")
def recalls_advance(recall_id: int, to_state: str):
    recall = get_in_region_or_404(Recall, recall_id)
    advance_from_form(recall, to_state)
    return redirect(url_for("admin.recalls_detail", recall_id=recall.id))


@bp.route("/products/<int:product_id>/recalls/new", methods=["GET", "POST"])
@module_required("recalls")
def recalls_order(product_id: int):
    product = get_in_region_or_404(Product, product_id)
    form = RecallForm()
    form.set_batches(product)
    set_nonconformance_choices(form, product)
    recall, status = save_form(form, lambda: declare_from_form(form, current_user, product))
    if recall:
        flash(_("The recall is ordered. The enterprise sees it in its portal."), "success")
        return redirect(url_for("admin.recalls_detail", recall_id=recall.id))
    return render_template("admin/recalls/form.html", form=form, product=product), status


# Non-conformance


@bp.route("/nonconformance")
@module_required("recalls")
def nonconformance():
    filters = nc_filters()
    query = nc_service.regulator_query(current_user, **filters)
    return render_template(
        "admin/recalls/nc_list.html",
        page=db.paginate(query, page=page_arg(), per_page=20),
        statuses=NONCONFORMANCE_STATUSES,
        sources=FOUND_BY,
        detail="admin.nonconformance_detail",
        **filters,
    )


@bp.route("/nonconformance/<int:record_id>")
@module_required("recalls")
def nonconformance_detail(record_id: int):
    from portal.forms.recalls import NonConformanceStatusForm

    record = get_in_region_or_404(NonConformance, record_id)
    return render_template(
        "admin/recalls/nc_detail.html",
        record=record,
        form=NonConformanceStatusForm(),
        status_endpoint="admin.nonconformance_status",
        report_endpoint="admin.nonconformance_report",
        can_change=True,
    )


@bp.route("/nonconformance/<int:record_id>/status", methods=["POST"])
@module_required("recalls")
def nonconformance_status(record_id: int):
    record = get_in_region_or_404(NonConformance, record_id)
    change_status_from_form(record)
    return redirect(url_for("admin.nonconformance_detail", record_id=record.id))


@bp.route("/nonconformance/<int:record_id>/report")
@module_required("recalls")
def nonconformance_report(record_id: int):
    return send_report(get_in_region_or_404(NonConformance, record_id))


@bp.route("/products/<int:product_id>/nonconformance/new", methods=["GET", "POST"])
@module_required("recalls")
def nonconformance_new(product_id: int):
    product = get_in_region_or_404(Product, product_id)
    form = NonConformanceForm()
    form.set_batches(product)
    record, status = save_form(form, lambda: record_from_form(form, current_user, product))
    if record:
        flash(_("The non-conformance record is saved."), "success")
        return redirect(url_for("admin.nonconformance_detail", record_id=record.id))
    page = render_template("admin/recalls/nc_form.html", form=form, product=product)
    return page, status
