"""A regulator's own API tokens: read-only, over the regulator's region; created (shown once)
and revoked here."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from admin import bp
from suyuan.extensions import db
from suyuan.models import ApiToken
from suyuan.permissions import regulator_required
from suyuan.services import tokens as service


class RegulatorTokenForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=200)], description=_l("What it is for")
    )


def _page(form, status: int = 200, secret: str | None = None, created=None):
    page = db.paginate(
        service.regulator_tokens_query(current_user),
        page=request.args.get("page", 1, type=int),
        per_page=20,
        error_out=False,
    )
    html = render_template(
        "admin/api_tokens.html", form=form, page=page, secret=secret, created=created
    )
    return html, status, {"Cache-Control": "no-store"}


@bp.get("/api-tokens")
@regulator_required
def api_tokens():
    return _page(RegulatorTokenForm(formdata=None))


@bp.post("/api-tokens")
@regulator_required
def api_tokens_create():
    form = RegulatorTokenForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    token, secret = service.create_regulator_token(current_user, form.name.data)
    db.session.commit()
    return _page(RegulatorTokenForm(formdata=None), 201, secret=secret, created=token)


@bp.post("/api-tokens/<int:token_id>/revoke")
@regulator_required
def api_tokens_revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or not token.is_regulator or token.created_by_id != current_user.id:
        abort(404)
    if service.revoke_token(token):
        db.session.commit()
        flash(_("Token “%(name)s” is revoked: it stops working now.", name=token.name), "success")
    else:
        flash(_("This token was already revoked."), "warning")
    return redirect(url_for("admin.api_tokens"))
