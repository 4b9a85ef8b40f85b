"""Sign-in and registration views."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from suyuan.auth import bp
from suyuan.auth.forms import LoginForm, RegisterForm
from suyuan.auth.sessions import mark_signed_in
from suyuan.extensions import db, limiter
from suyuan.permissions import granted_roles, login_required, membership
from suyuan.services.accounts import check_password, find_user_by_email, revoke_sessions
from suyuan.services.enterprises import ENTERPRISE_FIELDS, register_enterprise
from suyuan.services.errors import DomainError


def home_for(user) -> str:
    if user.is_platform_admin or user.is_regulator:
        return url_for("admin.index")
    return url_for("portal.index")


def safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def submitted_account() -> str:
    return "login:" + request.form.get("email", "").strip().casefold()[:254]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 100 per hour", methods=["POST"])
@limiter.limit("5 per minute; 30 per hour", key_func=submitted_account, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if not check_password(user, form.password.data) or not user.is_active:
            flash(_("Wrong e-mail or password."), "error")
            return render_template("auth/login.html", form=form), 401
        session.clear()
        login_user(user)
        session.permanent = True
        mark_signed_in()
        return redirect(safe_next(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    revoke_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        account = {
            "email": form.email.data,
            "name": form.account_name.data,
            "password": form.password.data,
        }
        enterprise = {field: getattr(form, field).data for field in ENTERPRISE_FIELDS}
        try:
            user, _enterprise = register_enterprise(account, enterprise)
        except DomainError as error:
            getattr(form, error.field or "name").errors.append(error.message)
            return render_template("auth/register.html", form=form), error.status_code
        db.session.commit()
        session.clear()
        login_user(user)
        session.permanent = True
        mark_signed_in()
        flash(
            _("Your enterprise is registered. Complete and submit its filing for review."),
            "success",
        )
        return redirect(url_for("portal.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/role", methods=["POST"])
@login_required
def switch_role():
    role = request.form.get("role")
    if role not in granted_roles(membership()):
        flash(_("You do not hold that role."), "error")
        return redirect(url_for("portal.index")), 303
    session["role"] = role
    flash(_("You now work as %(role)s.", role=role_label(role)), "info")
    return redirect(url_for("portal.index"))


def role_label(role: str) -> str:
    return _("Enterprise admin") if role == "admin" else _("Recorder")
