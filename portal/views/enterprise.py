"""Enterprise information: the profile (admin edits, recorder reads), members and production
areas (生产区)."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from portal import bp
from portal.forms.enterprise import AreaForm, EnterpriseForm, MemberForm
from suyuan.extensions import db
from suyuan.forms import page_arg, show_domain_error
from suyuan.models import Membership, ProductionArea
from suyuan.permissions import (
    active_role,
    enterprise_role_required,
    get_owned_or_404,
    role_refusal,
)
from suyuan.services import enterprises as service
from suyuan.services.errors import DomainError
from suyuan.services.filings import is_locked


@bp.route("/enterprise", methods=["GET", "POST"])
@enterprise_role_required()
def enterprise_profile():
    enterprise = g.enterprise
    is_admin = active_role() == "admin"
    form = EnterpriseForm(obj=enterprise)
    status = 200
    if request.method == "POST":
        if not is_admin:
            abort(403, description=role_refusal(("admin",)))
        if form.validate():
            try:
                service.update_enterprise(enterprise, form.data)
            except DomainError as error:
                db.session.rollback()
                show_domain_error(form, error)
                status = error.status_code
            else:
                db.session.commit()
                flash(_("The enterprise information is saved."), "success")
                return redirect(url_for("portal.enterprise_profile"))
        else:
            status = 400
    members = db.session.scalars(
        select(Membership).where(Membership.enterprise_id == enterprise.id).order_by(Membership.id)
    ).all()
    return render_template(
        "portal/enterprise/profile.html",
        enterprise=enterprise,
        form=form,
        can_edit=is_admin,
        locked=is_locked(enterprise.enterprise_filing),
        members=members,
    ), status


@bp.route("/enterprise/members/new", methods=["GET", "POST"])
@enterprise_role_required("admin")
def enterprise_profile_member_new():
    form = MemberForm()
    if form.validate_on_submit():
        try:
            service.add_enterprise_member(
                g.enterprise, form.name.data, form.email.data, form.password.data, form.roles.data
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return render_template(
                "portal/enterprise/member_form.html", form=form
            ), error.status_code
        db.session.commit()
        flash(_("The member can now log in with the initial password."), "success")
        return redirect(url_for("portal.enterprise_profile"))
    status = 400 if form.is_submitted() else 200
    return render_template("portal/enterprise/member_form.html", form=form), status


@bp.route("/enterprise/members/<int:membership_id>/<role>/<action>", methods=["POST"])
@enterprise_role_required("admin")
def enterprise_profile_member_role(membership_id: int, role: str, action: str):
    membership = get_owned_or_404(Membership, membership_id)
    if action not in ("grant", "remove") or role not in ("recorder", "admin"):
        return redirect(url_for("portal.enterprise_profile")), 303
    name, is_self = membership.user.name, membership.user_id == current_user.id
    try:
        if action == "grant":
            service.grant_member_role(membership, role)
            left = False
        else:
            left = service.remove_member_role(membership, role)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("portal.enterprise_profile")), 303
    db.session.commit()
    if left:
        flash(_("%(name)s no longer belongs to the enterprise.", name=name), "success")
    else:
        flash(_("The roles of %(name)s are changed.", name=name), "success")
    if is_self and action == "remove":
        return redirect(url_for("portal.index"))
    return redirect(url_for("portal.enterprise_profile"))


# Production areas


@bp.route("/areas")
@enterprise_role_required()
def areas():
    q = request.args.get("q", "").strip()
    query = select(ProductionArea).where(ProductionArea.enterprise_id == g.enterprise.id)
    if q:
        pattern = f"%{q}%"
        query = query.where(
            or_(ProductionArea.name.ilike(pattern), ProductionArea.location.ilike(pattern))
        )
    page = db.paginate(query.order_by(ProductionArea.name), page=page_arg(), per_page=20)
    return render_template("portal/enterprise/areas.html", page=page, q=q)


@bp.route("/areas/new", methods=["GET", "POST"])
@enterprise_role_required()
def areas_new():
    return _area_form(None)


@bp.route("/areas/<int:area_id>/edit", methods=["GET", "POST"])
@enterprise_role_required()
def areas_edit(area_id: int):
    return _area_form(get_owned_or_404(ProductionArea, area_id))


def _area_form(area):
    form = AreaForm(obj=area)
    if form.validate_on_submit():
        try:
            if area is None:
                service.create_area(g.enterprise, form.data)
            else:
                service.update_area(area, form.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return render_template("portal/enterprise/area_form.html", form=form, area=area), 409
        db.session.commit()
        flash(_("The production area is saved."), "success")
        return redirect(url_for("portal.areas"))
    status = 400 if form.is_submitted() else 200
    in_use = service.area_batch_count(area) if area else 0
    return render_template(
        "portal/enterprise/area_form.html", form=form, area=area, in_use=in_use
    ), status


@bp.route("/areas/<int:area_id>/delete", methods=["POST"])
@enterprise_role_required()
def areas_delete(area_id: int):
    area = get_owned_or_404(ProductionArea, area_id)
    try:
        service.delete_area(area)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("portal.areas_edit", area_id=area_id)), 303
    db.session.commit()
    flash(_("The production area is deleted."), "success")
    return redirect(url_for("portal.areas"))
