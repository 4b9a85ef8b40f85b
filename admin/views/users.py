"""Accounts console (platform admin): list, create regulators and platform admins,
deactivate (注销) and reactivate."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from admin import bp
from admin.forms import AccountForm
from suyuan.extensions import db
from suyuan.forms import page_arg
from suyuan.models import Membership, User
from suyuan.permissions import platform_admin_required
from suyuan.services.accounts import create_user, set_account_active
from suyuan.services.errors import DomainError

ROLE_FILTERS = ("regulator", "platform_admin", "member", "inactive")


def _users_query(q: str, role: str | None):
    query = select(User)
    if q:
        pattern = f"%{q}%"
        query = query.where(or_(User.name.ilike(pattern), User.email.ilike(pattern)))
    if role == "regulator":
        query = query.where(User.regulator_region.is_not(None))
    elif role == "platform_admin":
        query = query.where(User.is_platform_admin.is_(True))
    elif role == "member":
        query = query.where(User.id.in_(select(Membership.user_id)))
    elif role == "inactive":
        query = query.where(User.is_active_account.is_(False))
    return query.order_by(User.name, User.id)


@bp.route("/users")
@platform_admin_required
def users():
    q = request.args.get("q", "").strip()
    role = request.args.get("role") if request.args.get("role") in ROLE_FILTERS else None
    page = db.paginate(_users_query(q, role), page=page_arg(), per_page=20)
    return render_template("admin/users/list.html", page=page, q=q, role=role)


@bp.route("/users/new", methods=["GET", "POST"])
@platform_admin_required
def users_new():
    form = AccountForm()
    if form.validate_on_submit():
        is_regulator = form.kind.data == "regulator"
        try:
            create_user(
                form.email.data,
                form.name.data,
                form.password.data,
                regulator_region=form.region.data.strip() if is_regulator else None,
                is_platform_admin=not is_regulator,
            )
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "email").errors = [error.message]
            return render_template("admin/users/form.html", form=form), error.status_code
        db.session.commit()
        flash(_("The account is created."), "success")
        return redirect(url_for("admin.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/users/form.html", form=form), status


@bp.route("/users/<int:user_id>/<any(deactivate, reactivate):action>", methods=["POST"])
@platform_admin_required
def users_set_active(user_id: int, action: str):
    user = db.get_or_404(User, user_id)
    try:
        set_account_active(user, current_user, active=action == "reactivate")
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("admin.users")), 303
    db.session.commit()
    if action == "reactivate":
        flash(_("%(name)s can log in again.", name=user.name), "success")
    else:
        flash(_("%(name)s is deactivated and logged out everywhere.", name=user.name), "success")
    return redirect(url_for("admin.users"))
