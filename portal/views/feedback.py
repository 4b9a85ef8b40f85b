"""The enterprise's feedback inbox (工单): reports sent by consumers from the scan page, with
their status and the answers the consumer reads with the check code."""

from flask import abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal import bp
from suyuan.extensions import db
from suyuan.models import Feedback
from suyuan.models.feedback import FEEDBACK_CATEGORIES, FEEDBACK_STATUSES
from suyuan.permissions import enterprise_role_required, get_owned_or_404
from suyuan.services.codes import printed
from suyuan.services.errors import DomainError
from suyuan.services.feedback import answer_feedback, inbox_query, show_check_code, status_label
from suyuan.services.files import storage_path


class AnswerForm(FlaskForm):
    status = SelectField(_l("Status"), validators=[DataRequired()])
    message = TextAreaField(_l("Answer to the consumer"), validators=[Length(max=4000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [(value, status_label(value)) for value in FEEDBACK_STATUSES]


@bp.route("/feedback")
@enterprise_role_required()
def feedback_inbox():
    args = request.args
    query = inbox_query(g.enterprise, args.get("status"), args.get("category"), args.get("q", ""))
    page = db.paginate(query, page=args.get("page", 1, type=int), per_page=20, error_out=False)
    return render_template(
        "portal/feedback/list.html",
        page=page,
        statuses=FEEDBACK_STATUSES,
        categories=FEEDBACK_CATEGORIES,
    )


@bp.route("/feedback/<int:feedback_id>", methods=["GET", "POST"])
@enterprise_role_required()
def feedback_detail(feedback_id: int):
    feedback = get_owned_or_404(Feedback, feedback_id)
    form = AnswerForm(status=feedback.status)
    status = 200
    if form.validate_on_submit():
        try:
            answer_feedback(feedback, current_user, form.status.data, form.message.data)
        except DomainError as error:
            db.session.rollback()
            form.message.errors = [*form.message.errors, error.message]
            status = error.status_code
        else:
            db.session.commit()
            flash(_("The report is updated; the consumer sees it with the check code."), "success")
            return redirect(url_for("portal.feedback_detail", feedback_id=feedback.id))
    elif form.errors:
        status = 400
    page = render_template(
        "portal/feedback/detail.html",
        feedback=feedback,
        form=form,
        check=show_check_code(feedback.check_code),
        printed_code=printed(feedback.code_index),
    )
    return page, status


@bp.route("/feedback/<int:feedback_id>/photo")
@enterprise_role_required()
def feedback_photo(feedback_id: int):
    feedback = get_owned_or_404(Feedback, feedback_id)
    return send_photo(feedback)


def send_photo(feedback: Feedback):
    photo = feedback.photo
    if photo is None or not storage_path(photo.sha256).is_file():
        abort(404)
    response = send_file(
        storage_path(photo.sha256), mimetype=photo.content_type, download_name=photo.filename
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
