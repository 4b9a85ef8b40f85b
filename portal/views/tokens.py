"""API tokens in the portal: the enterprise admin creates one (its secret is shown once, on
the page that answers the creation), sees the list, and revokes with a confirmation."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import bp
from portal.forms.tokens import TokenForm
from suyuan.extensions import db
from suyuan.models import ApiToken
from suyuan.permissions import enterprise_role_required, get_owned_or_404
from suyuan.services import tokens as service
from suyuan.services.errors import DomainError

STATES = ("live", "revoked")


def _page(form, status: int = 200, secret: str | None = None, created=None):
    state = request.args.get("state", "")
    page = db.paginate(
        service.enterprise_tokens_query(g.enterprise, state=state if state in STATES else ""),
        page=request.args.get("page", 1, type=int),
        per_page=20,
        error_out=False,
    )
    response = render_template(
        "portal/tokens/index.html",
        form=form,
        page=page,
        state=state,
        secret=secret,
        created=created,
    )
    return response, status, {"Cache-Control": "no-store"}


@bp.get("/tokens")
@enterprise_role_required("admin")
def tokens():
    return _page(TokenForm(formdata=None))


@bp.post("/tokens")
@enterprise_role_required("admin")
def tokens_create():
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        token, secret = service.create_enterprise_token(
            current_user, g.enterprise, form.name.data, form.permissions.data
        )
    except DomainError as error:
        db.session.rollback()
        getattr(form, error.field or "name").errors.append(error.message)
        return _page(form, error.status_code)
    db.session.commit()
    # Answered directly, not through a redirect: the secret exists only in this response.
    return _page(TokenForm(formdata=None), 201, secret=secret, created=token)


@bp.post("/tokens/<int:token_id>/revoke")
@enterprise_role_required("admin")
def tokens_revoke(token_id: int):
    token = get_owned_or_404(ApiToken, token_id)
    if service.revoke_token(token):
        db.session.commit()
        flash(_("Token “%(name)s” is revoked: it stops working now.", name=token.name), "success")
    else:
        flash(_("This token was already revoked."), "warning")
    return redirect(url_for("portal.tokens"))
