"""Stage records (生产档案): new, show, edit drafts, submit, delete drafts, correct submitted
records as new versions, version history; and downloading attachments."""

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import bp
from portal.forms.batches import CorrectionForm, RecordForm
from portal.views.batches import show_error
from suyuan.extensions import db
from suyuan.models import Attachment, Batch, StageRecord
from suyuan.permissions import enterprise_role_required, get_owned_or_404
from suyuan.services.errors import DomainError
from suyuan.services.files import storage_path
from suyuan.services.records import (
    correct_record,
    create_record,
    delete_draft,
    editable_values,
    local_occurred_at,
    record_history,
    submit_record,
    update_draft,
)
from suyuan.vocab import stage_types_for

FILE_FIELD = {"file": "attachments"}


def get_record_or_404(record_id: int) -> StageRecord:
    """A stage record of the caller's enterprise (scoped through its batch), else 404."""
    record = db.session.get(StageRecord, record_id)
    if record is None:
        abort(404)
    get_owned_or_404(Batch, record.batch_id)
    return record


def render(template: str, status: int = 200, **context):
    return render_template(template, local_time=local_occurred_at, **context), status


def record_form(form_class, batch, **values):
    form = form_class(**values)
    form.set_stage_types(stage_types_for(batch.product.category))
    return form


def uploads(form) -> list:
    return [file for file in request.files.getlist(form.attachments.name) if file.filename]


@bp.route("/batches/<int:batch_id>/records/new", methods=["GET", "POST"])
@enterprise_role_required("recorder")
def record_new(batch_id):
    batch = get_owned_or_404(Batch, batch_id)
    form = record_form(RecordForm, batch, stage_type=request.args.get("stage"))
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        submit = bool(form.submit.data)
        try:
            record = create_record(batch, current_user, form.values(), submit, uploads(form))
        except DomainError as error:
            status = show_error(form, error, FILE_FIELD)
        else:
            db.session.commit()
            flash(saved_message(record), "success")
            return redirect(url_for("portal.record_detail", record_id=record.id))
    return render("portal/records/form.html", status, form=form, batch=batch, record=None)


@bp.route("/records/<int:record_id>")
@enterprise_role_required()
def record_detail(record_id):
    record = get_record_or_404(record_id)
    history = record_history(record)
    return render("portal/records/detail.html", record=record, current=history[-1])


@bp.route("/records/<int:record_id>/edit", methods=["GET", "POST"])
@enterprise_role_required("recorder")
def record_edit(record_id):
    record = get_record_or_404(record_id)
    if record.is_locked:
        return locked(record)
    form = record_form(RecordForm, record.batch, **editable_values(record))
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            update_draft(record, form.values(), uploads(form))
            if form.submit.data:
                submit_record(record)
        except DomainError as error:
            status = show_error(form, error, FILE_FIELD)
        else:
            db.session.commit()
            flash(saved_message(record), "success")
            return redirect(url_for("portal.record_detail", record_id=record.id))
    return render("portal/records/form.html", status, form=form, batch=record.batch, record=record)


@bp.route("/records/<int:record_id>/submit", methods=["POST"])
@enterprise_role_required("recorder")
def record_submit(record_id):
    record = get_record_or_404(record_id)
    submit_record(record)  # a locked record raises NotAllowed: the error page says why
    db.session.commit()
    flash(saved_message(record), "success")
    return redirect(url_for("portal.record_detail", record_id=record.id))


@bp.route("/records/<int:record_id>/delete", methods=["POST"])
@enterprise_role_required("recorder")
def record_delete(record_id):
    record = get_record_or_404(record_id)
    batch_id = record.batch_id
    delete_draft(record)
    db.session.commit()
    flash(_("The draft was deleted."), "success")
    return redirect(url_for("portal.batch_detail", batch_id=batch_id))


@bp.route("/records/<int:record_id>/correct", methods=["GET", "POST"])
@enterprise_role_required("recorder")
def record_correct(record_id):
    record = get_record_or_404(record_id)
    if record.status != "submitted":
        return locked(record)
    form = record_form(CorrectionForm, record.batch, **editable_values(record))
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            correction = correct_record(
                record, current_user, form.values(), form.reason.data, uploads(form)
            )
        except DomainError as error:
            status = show_error(form, error, FILE_FIELD)
        else:
            db.session.commit()
            flash(_("Version %(n)s saved; it replaces the earlier one.", n=correction.version))
            return redirect(url_for("portal.record_detail", record_id=correction.id))
    return render("portal/records/form.html", status, form=form, batch=record.batch, record=record)


@bp.route("/records/<int:record_id>/history", endpoint="record_history")
@enterprise_role_required()
def record_history_page(record_id):
    record = get_record_or_404(record_id)
    return render("portal/records/history.html", record=record, versions=record_history(record))


@bp.route("/attachments/<int:attachment_id>")
@enterprise_role_required()
def attachment(attachment_id):
    item = get_owned_or_404(Attachment, attachment_id)
    path = storage_path(item.sha256)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=item.content_type,
        as_attachment=not item.is_image,
        download_name=item.filename,
        conditional=True,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=0"
    return response


def locked(record):
    """A record that cannot be changed in this way: say why, with a way forward (409)."""
    if record.status == "superseded":
        message = _("This version has been superseded: only the current version can be corrected.")
    elif record.status == "submitted":
        message = _("This record is submitted and locked. To change it, submit a correction.")
    else:
        message = _("This record is a draft: edit it directly.")
    return render("portal/records/locked.html", 409, record=record, message=message)


def saved_message(record) -> str:
    if record.status == "submitted":
        return _("The record was submitted and is now locked.")
    return _("The draft was saved. It can still be edited until it is submitted.")
