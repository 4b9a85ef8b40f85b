"""Notices (通知公告) a regulator writes to the enterprises of its region, with read receipts."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from admin import bp
from portal.views.notices import send_notice_file
from suyuan.extensions import db
from suyuan.forms import page_arg, save_form
from suyuan.models import Notice
from suyuan.permissions import module_required
from suyuan.services import notices as service


class NoticeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=20000)])
    file = FileField(_l("Attachment (PDF or image, optional)"))


def _in_scope_or_404(notice_id: int) -> Notice:
    notice = db.session.get(Notice, notice_id)
    if notice is None or not service.in_scope(current_user, notice):
        abort(404)
    return notice


@bp.route("/notices")
@module_required("notices")
def notices():
    q = request.args.get("q", "").strip()
    query = service.regulator_notices_query(current_user, q=q)
    page = db.paginate(query, page=page_arg(), per_page=20)
    return render_template("admin/notices/list.html", page=page, q=q)


@bp.route("/notices/new", methods=["GET", "POST"])
@module_required("notices")
def notices_new():
    form = NoticeForm()
    notice, status = save_form(
        form,
        lambda: service.create_notice(
            current_user, form.title.data, form.body.data, form.file.data
        ),
    )
    if notice:
        flash(_("The notice is published to the enterprises of your region."), "success")
        return redirect(url_for("admin.notices_detail", notice_id=notice.id))
    return render_template("admin/notices/form.html", form=form), status


@bp.route("/notices/<int:notice_id>")
@module_required("notices")
def notices_detail(notice_id: int):
    notice = _in_scope_or_404(notice_id)
    return render_template(
        "admin/notices/detail.html", notice=notice, recipients=service.recipients_count(notice)
    )


@bp.route("/notices/<int:notice_id>/file")
@module_required("notices")
def notices_file(notice_id: int):
    return send_notice_file(_in_scope_or_404(notice_id))
