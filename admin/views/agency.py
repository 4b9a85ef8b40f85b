"""Agency bindings (本企业代理) and unbinding (解绑) by a regulator of the agent's region or
the platform admin."""

from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from suyuan.extensions import db
from suyuan.forms import page_arg
from suyuan.models import AgencyBinding
from suyuan.permissions import get_in_region_or_404, login_required
from suyuan.services import agency as service
from suyuan.services.errors import DomainError


def unbinder_required(view):
    """The platform admin, or a regulator holding the enterprises module."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not (current_user.is_platform_admin or current_user.has_module("enterprises")):
            abort(403, description=_("Only a regulator or the platform admin can unbind."))
        return view(*args, **kwargs)

    return wrapped


def _binding_or_404(binding_id: int) -> AgencyBinding:
    if current_user.is_regulator:
        return get_in_region_or_404(AgencyBinding, binding_id)
    return db.get_or_404(AgencyBinding, binding_id)


@bp.route("/agency")
@unbinder_required
def agency():
    q = request.args.get("q", "").strip()
    live = {"live": True, "ended": False}.get(request.args.get("state", ""))
    region = current_user.regulator_region if current_user.is_regulator else None
    query = service.bindings_query(region=region, q=q, live=live)
    page = db.paginate(query, page=page_arg(), per_page=20)
    return render_template(
        "admin/recalls/agency.html", page=page, q=q, state=request.args.get("state", "")
    )


@bp.route("/agency/<int:binding_id>/unbind", methods=["POST"])
@unbinder_required
def agency_unbind(binding_id: int):
    binding = _binding_or_404(binding_id)
    try:
        service.unbind_agency(binding, current_user, request.form.get("reason", ""))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("admin.agency")), 303
    db.session.commit()
    flash(
        _("GTIN %(gtin)s is unbound; another enterprise may now bind it.", gtin=binding.gtin),
        "success",
    )
    return redirect(url_for("admin.agency"))
