"""The enterprise's recalls (产品召回): declare, notify downstream, carry out, complete; and
the recalls of others that reached this enterprise, to acknowledge."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import bp
from portal.forms.recalls import (
    CompleteForm,
    NoteForm,
    RecallForm,
    declare_from_form,
    set_nonconformance_choices,
)
from suyuan.extensions import db
from suyuan.forms import page_arg, save_form
from suyuan.models import Product, Recall, RecallNotice
from suyuan.models.recalls import RECALL_STATES, SEVERITIES
from suyuan.permissions import current_enterprise, enterprise_role_required, get_owned_or_404
from suyuan.services import recalls as service
from suyuan.services.codes import printed
from suyuan.services.errors import DomainError
from suyuan.vocab_recalls import label


@bp.app_context_processor
def recall_vocabulary():
    """Recall words and the enterprise's pending counts for every template (nav badges)."""
    return {"recall_label": label, "recall_badges": _badges, "printed_code": printed}


def _badges() -> dict:
    from suyuan.services.notices import unread_count

    enterprise = current_enterprise()
    if enterprise is None:
        return {"recalls": 0, "notices": 0}
    return {
        "recalls": service.pending_acknowledgements(enterprise),
        "notices": unread_count(enterprise),
    }


def list_filters() -> dict:
    state = request.args.get("state")
    severity = request.args.get("severity")
    return {
        "q": request.args.get("q", "").strip(),
        "state": state if state in RECALL_STATES else None,
        "severity": severity if severity in SEVERITIES else None,
    }


@bp.route("/recalls")
@enterprise_role_required()
def recalls():
    filters = list_filters()
    query = service.enterprise_recalls_query(g.enterprise, **filters)
    return render_template(
        "portal/recalls/list.html",
        page=db.paginate(query, page=page_arg(), per_page=20),
        pending=service.pending_acknowledgements(g.enterprise),
        states=RECALL_STATES,
        severities=SEVERITIES,
        **filters,
    )


@bp.route("/recalls/new", methods=["GET", "POST"])
@enterprise_role_required("admin")
def recalls_new():
    product_id = request.args.get("product", type=int)
    if product_id is None:
        return render_template("portal/recalls/choose_product.html", products=g.enterprise.products)
    product = get_owned_or_404(Product, product_id)
    form = RecallForm()
    form.set_batches(product)
    set_nonconformance_choices(form, product)
    recall, status = save_form(form, lambda: declare_from_form(form, current_user, product))
    if recall:
        flash(_("The recall is declared. Now notify the downstream holders."), "success")
        return redirect(url_for("portal.recalls_detail", recall_id=recall.id))
    return render_template("portal/recalls/form.html", form=form, product=product), status


@bp.route("/recalls/<int:recall_id>")
@enterprise_role_required()
def recalls_detail(recall_id: int):
    recall = get_owned_or_404(Recall, recall_id)
    return render_template(
        "portal/recalls/detail.html",
        recall=recall,
        note_form=NoteForm(),
        complete_form=CompleteForm(),
        can_manage=service.can_manage(current_user, recall),
        action_endpoint="portal.recalls_advance",
    )


@bp.route(
    "/recalls/<int:recall_id>/<any(notified, in_progress, completed):to_state>", methods=["POST"]
)
@enterprise_role_required("admin")
def recalls_advance(recall_id: int, to_state: str):
    recall = get_owned_or_404(Recall, recall_id)
    advance_from_form(recall, to_state)
    return redirect(url_for("portal.recalls_detail", recall_id=recall.id))


def advance_from_form(recall: Recall, to_state: str) -> None:
    """Run one state change from the detail page's forms (portal and console share it)."""
    form = CompleteForm() if to_state == "completed" else NoteForm()
    if not form.validate_on_submit():
        errors = [e for errs in form.errors.values() for e in errs]
        flash(" ".join(str(e) for e in errors) or _("Please check the form."), "error")
        return
    try:
        if to_state == "notified":
            reached = service.notify_downstream(recall, current_user, form.note.data)
        elif to_state == "completed":
            service.complete_recall(
                recall, current_user, form.quantity_recovered.data, form.note.data
            )
        else:
            service.advance(recall, current_user, to_state, form.note.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return
    db.session.commit()
    if to_state == "notified":
        flash(_("%(n)s downstream enterprises are notified.", n=len(reached)), "success")
    else:
        flash(_("The recall is now: %(state)s.", state=service.state_label(to_state)), "success")


# Recalls of others that reached this enterprise


@bp.route("/recalls/received")
@enterprise_role_required()
def recalls_received():
    pending_only = request.args.get("pending") == "1"
    query = service.received_notices_query(g.enterprise, pending_only=pending_only)
    return render_template(
        "portal/recalls/received.html",
        page=db.paginate(query, page=page_arg(), per_page=20),
        pending_only=pending_only,
    )


@bp.route("/recalls/received/<int:notice_id>")
@enterprise_role_required()
def recalls_received_detail(notice_id: int):
    notice = get_owned_or_404(RecallNotice, notice_id)
    return render_template("portal/recalls/received_detail.html", notice=notice, form=NoteForm())


@bp.route("/recalls/received/<int:notice_id>/acknowledge", methods=["POST"])
@enterprise_role_required()
def recalls_acknowledge(notice_id: int):
    notice = get_owned_or_404(RecallNotice, notice_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            service.acknowledge(notice, current_user, form.note.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Acknowledged. Take the recalled goods off sale."), "success")
    return redirect(url_for("portal.recalls_received_detail", notice_id=notice.id))
