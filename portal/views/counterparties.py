"""Suppliers and sales customers (供应商 / 销售客户): list, create, edit, disable, enable."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import bp
from portal.forms.flow import CounterpartyForm
from portal.views.batches import show_error
from suyuan.extensions import db
from suyuan.models import Counterparty
from suyuan.models.flow import COUNTERPARTY_STATUSES
from suyuan.permissions import enterprise_role_required, get_owned_or_404
from suyuan.services.counterparties import (
    counterparties_query,
    create_counterparty,
    set_counterparty_status,
    update_counterparty,
)
from suyuan.services.errors import DomainError


@bp.route("/counterparties")
@enterprise_role_required()
def counterparties():
    args = request.args
    query = counterparties_query(
        g.enterprise, args.get("q", ""), args.get("role", ""), args.get("status", ""),
        args.get("linked", ""),
    )  # fmt: skip
    page = db.paginate(query, page=args.get("page", 1, type=int), per_page=20)
    return render_template(
        "portal/flow/counterparties.html", page=page, statuses=COUNTERPARTY_STATUSES
    )


@bp.route("/counterparties/new", methods=["GET", "POST"])
@enterprise_role_required("recorder", "admin")
def counterparty_new():
    form = CounterpartyForm()
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            counterparty = create_counterparty(g.enterprise, form.values())
        except DomainError as error:
            status = show_error(form, error)
        else:
            db.session.commit()
            flash(_("Counterparty %(name)s saved.", name=counterparty.name), "success")
            return redirect(url_for("portal.counterparties"))
    return render_template("portal/flow/counterparty_form.html", form=form, item=None), status


@bp.route("/counterparties/<int:counterparty_id>/edit", methods=["GET", "POST"])
@enterprise_role_required("recorder", "admin")
def counterparty_edit(counterparty_id):
    counterparty = get_owned_or_404(Counterparty, counterparty_id)
    form = CounterpartyForm(obj=counterparty)
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            update_counterparty(counterparty, form.values())
        except DomainError as error:
            status = show_error(form, error)
        else:
            db.session.commit()
            flash(_("Counterparty %(name)s saved.", name=counterparty.name), "success")
            return redirect(url_for("portal.counterparties"))
    return render_template(
        "portal/flow/counterparty_form.html", form=form, item=counterparty
    ), status


@bp.route("/counterparties/<int:counterparty_id>/status", methods=["POST"])
@enterprise_role_required("recorder", "admin")
def counterparty_status(counterparty_id):
    counterparty = get_owned_or_404(Counterparty, counterparty_id)
    status = request.form.get("status", "")
    set_counterparty_status(counterparty, status)
    db.session.commit()
    if status == "disabled":
        flash(_("%(name)s is disabled: it cannot be chosen on new documents.",
                name=counterparty.name), "success")  # fmt: skip
    else:
        flash(_("%(name)s is enabled again.", name=counterparty.name), "success")
    return redirect(url_for("portal.counterparties"))
