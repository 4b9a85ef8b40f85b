"""Regulator accounts (platform admin, seed 001): a region and permissions per console module;
create, edit, reset the password, deactivate (注销) and reactivate."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from wtforms import EmailField, PasswordField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from admin import bp
from portal.forms.recalls import CheckboxesField
from suyuan.extensions import db
from suyuan.forms import page_arg, save_form
from suyuan.models import User
from suyuan.permissions import platform_admin_required
from suyuan.services import regulators as service
from suyuan.services.accounts import set_account_active
from suyuan.services.errors import DomainError
from suyuan.validators import region_prefix


class RegulatorForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    region = StringField(_l("Region overseen"), validators=[DataRequired(), Length(max=6)])
    modules = CheckboxesField(
        _l("Permissions"),
        choices=[SelectChoice(key, label) for key, label in service.MODULES.items()],
    )


class NewRegulatorForm(RegulatorForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        _l("Initial password"), validators=[DataRequired(), Length(min=10, max=128)]
    )


class PasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=10, max=128)]
    )


def _regulator_or_404(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    if not user.is_regulator:
        from flask import abort

        abort(404)
    return user


@bp.route("/regulators")
@platform_admin_required
def regulators():
    q = request.args.get("q", "").strip()
    region = request.args.get("region", "").strip()
    state = (
        request.args.get("state") if request.args.get("state") in ("active", "inactive") else None
    )
    query = select(User).where(User.regulator_region.is_not(None))
    if q:
        query = query.where(or_(User.name.ilike(f"%{q}%"), User.email.ilike(f"%{q}%")))
    if region.isdigit() and len(region) == 6:
        query = query.where(User.regulator_region.like(region_prefix(region) + "%"))
    if state:
        query = query.where(User.is_active_account.is_(state == "active"))
    page = db.paginate(
        query.order_by(User.regulator_region, User.name), page=page_arg(), per_page=20
    )
    return render_template(
        "admin/regulators/list.html", page=page, q=q, region=region, state=state,
        modules=service.MODULES,
    )  # fmt: skip


@bp.route("/regulators/new", methods=["GET", "POST"])
@platform_admin_required
def regulators_new():
    form = NewRegulatorForm()
    if request.method == "GET":
        form.modules.data = list(service.MODULES)
    user, status = save_form(
        form,
        lambda: service.create_regulator(
            form.email.data,
            form.name.data,
            form.password.data,
            form.region.data,
            form.modules.data,
        ),  # fmt: skip
    )
    if user:
        flash(_("The regulator account %(email)s is created.", email=user.email), "success")
        return redirect(url_for("admin.regulators"))
    return render_template("admin/regulators/form.html", form=form, user=None), status


@bp.route("/regulators/<int:user_id>", methods=["GET", "POST"])
@platform_admin_required
def regulators_edit(user_id: int):
    user = _regulator_or_404(user_id)
    form = RegulatorForm(obj=None if request.method == "POST" else user)
    if request.method == "GET":
        form.region.data = user.regulator_region
        form.modules.data = service.granted_modules(user)
    saved, status = save_form(
        form,
        lambda: service.update_regulator(user, form.name.data, form.region.data, form.modules.data),
    )
    if saved:
        flash(_("The account is saved."), "success")
        return redirect(url_for("admin.regulators_edit", user_id=user.id))
    return render_template(
        "admin/regulators/form.html", form=form, user=user, password_form=PasswordForm()
    ), status


@bp.route("/regulators/<int:user_id>/password", methods=["POST"])
@platform_admin_required
def regulators_password(user_id: int):
    user = _regulator_or_404(user_id)
    form = PasswordForm()
    if not form.validate_on_submit():
        flash(_("A password has at least 10 characters."), "error")
        return redirect(url_for("admin.regulators_edit", user_id=user.id)), 303
    service.reset_password(user, form.password.data)
    db.session.commit()
    flash(_("The password is reset; %(name)s is logged out everywhere.", name=user.name), "success")
    return redirect(url_for("admin.regulators_edit", user_id=user.id))


@bp.route("/regulators/<int:user_id>/<any(deactivate, reactivate):action>", methods=["POST"])
@platform_admin_required
def regulators_set_active(user_id: int, action: str):
    user = _regulator_or_404(user_id)
    try:
        set_account_active(user, current_user, active=action == "reactivate")
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("admin.regulators")), 303
    db.session.commit()
    if action == "reactivate":
        flash(_("%(name)s can log in again.", name=user.name), "success")
    else:
        flash(_("%(name)s is deactivated and logged out everywhere.", name=user.name), "success")
    return redirect(url_for("admin.regulators"))
