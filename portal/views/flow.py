"""Goods-flow documents (进销存交易): list, new, show, edit drafts, submit, delete drafts,
correct submitted documents, confirm or dispute a counterparty's document (勾兑); stock and
mismatches."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import bp
from portal.forms.flow import CorrectionForm, DisputeForm, TransactionForm
from portal.views.batches import show_error
from suyuan.extensions import db
from suyuan.models import Counterparty, Transaction
from suyuan.models.flow import TRANSACTION_KINDS, TRANSACTION_STATUSES
from suyuan.permissions import enterprise_role_required, get_owned_or_404
from suyuan.services.codes import printed
from suyuan.services.counterparties import usable_counterparties
from suyuan.services.errors import DomainError
from suyuan.services.flow import (
    KIND_ROLES,
    batch_choices,
    correct_transaction,
    create_transaction,
    delete_draft,
    dispute_counterpart,
    document_history,
    pending_count,
    submit_transaction,
    transactions_query,
    update_draft,
)
from suyuan.services.matching import (
    MISMATCH_REASONS,
    current_source,
    mismatches,
    overdue_days,
    page_of,
)
from suyuan.services.stock import stock_rows
from suyuan.vocab import label_for

LINES_FIELD = {"lines": "_lines"}  # line errors are flashed above the form


def parse_date(value):
    from datetime import date

    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.route("/transactions")
@enterprise_role_required()
def transactions():
    args = request.args
    status = args.get("status", "")
    query = transactions_query(
        g.enterprise, args.get("q", ""), args.get("kind", ""),
        status if status in TRANSACTION_STATUSES else "",
        parse_date(args.get("since")), parse_date(args.get("until")),
    )  # fmt: skip
    page = db.paginate(query, page=args.get("page", 1, type=int), per_page=20)
    return render_template(
        "portal/flow/transactions.html", page=page, kinds=TRANSACTION_KINDS,
        statuses=[s for s in TRANSACTION_STATUSES if s != "superseded"],
        pending=pending_count(g.enterprise),
    )  # fmt: skip


def document_form(form_class, enterprise, kind, **values):
    form = form_class(**values)
    roles = KIND_ROLES.get(kind, ())
    form.set_choices(usable_counterparties(enterprise, roles) if roles else [], batches(enterprise))
    return form


def batches(enterprise):
    """The batch choices, loaded once per request (not per app context: rows loaded by an
    earlier request in the same context are detached from this request's session)."""
    if not hasattr(request, "batch_choices"):
        request.batch_choices = batch_choices(enterprise)
    return request.batch_choices


def form_values(form, kind) -> tuple[dict, list[dict]]:
    """The header and the non-empty lines; a batch outside the enterprise's choices is None
    (the service refuses it like a missing one)."""
    counterparty = None
    if form.counterparty_id.data:
        counterparty = db.session.get(Counterparty, form.counterparty_id.data)
        if counterparty is None or counterparty.enterprise_id != g.enterprise.id:
            counterparty = None
    allowed = {batch.id: batch for batch in batches(g.enterprise)}
    rows = [
        {
            "batch": allowed.get(entry.form.batch_id.data),
            "quantity": entry.form.quantity.data,
            "unit": entry.form.unit.data,
            "first_code": entry.form.first_code.data,
            "last_code": entry.form.last_code.data,
        }
        for entry in form.lines
        if not entry.form.is_empty
    ]
    values = {
        "kind": kind,
        "number": form.number.data,
        "moved_on": form.moved_on.data,
        "counterparty": counterparty,
        "note": form.note.data,
    }
    return values, rows


def existing_values(txn: Transaction) -> dict:
    return {
        "number": txn.number,
        "moved_on": txn.moved_on,
        "counterparty_id": txn.counterparty_id or 0,
        "note": txn.note,
        "lines": [
            {
                "batch_id": line.batch_id,
                "quantity": str(line.quantity.normalize()) if line.quantity else "",
                "unit": line.unit,
                "first_code": printed(line.first_index) if line.first_index is not None else "",
                "last_code": printed(line.last_index) if line.last_index is not None else "",
            }
            for line in txn.lines
        ],
    }


def render_form(form, kind, status, txn=None, correcting=False):
    return render_template(
        "portal/flow/transaction_form.html",
        form=form, kind=kind, txn=txn, correcting=correcting,
    ), status  # fmt: skip


@bp.route("/transactions/new", methods=["GET", "POST"])
@enterprise_role_required("recorder")
def transaction_new():
    kind = request.args.get("kind", "")
    if kind not in TRANSACTION_KINDS:
        return render_template("portal/flow/transaction_kinds.html", kinds=TRANSACTION_KINDS)
    form = document_form(TransactionForm, g.enterprise, kind)
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        values, rows = form_values(form, kind)
        try:
            txn = create_transaction(
                g.enterprise, current_user, values, rows, bool(form.submit.data)
            )
        except DomainError as error:
            status = show_error(form, error, LINES_FIELD)
        else:
            db.session.commit()
            flash(saved_message(txn), "success")
            return redirect(url_for("portal.transaction_detail", transaction_id=txn.id))
    return render_form(form, kind, status)


@bp.route("/transactions/<int:transaction_id>")
@enterprise_role_required()
def transaction_detail(transaction_id):
    return detail_page(get_owned_or_404(Transaction, transaction_id))


def detail_page(txn: Transaction, status: int = 200, message: str | None = None):
    """The document; a refused action shows its message here with the refusal's status."""
    if message:
        flash(message, "error")
    return render_template(
        "portal/flow/transaction_detail.html", txn=txn, versions=document_history(txn),
        source=current_source(txn), dispute_form=DisputeForm(), printed=printed,
    ), status  # fmt: skip


@bp.route("/transactions/<int:transaction_id>/edit", methods=["GET", "POST"])
@enterprise_role_required("recorder")
def transaction_edit(transaction_id):
    txn = get_owned_or_404(Transaction, transaction_id)
    if txn.is_locked:
        message = _("This document is submitted and locked. To change it, submit a correction.")
        return detail_page(txn, 409, message)
    values = existing_values(txn) if request.method == "GET" else {}
    form = document_form(TransactionForm, g.enterprise, txn.kind, **values)
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        header, rows = form_values(form, txn.kind)
        try:
            update_draft(txn, header, rows)
            if form.submit.data:
                submit_transaction(txn, current_user)
        except DomainError as error:
            status = show_error(form, error, LINES_FIELD)
        else:
            db.session.commit()
            flash(saved_message(txn), "success")
            return redirect(url_for("portal.transaction_detail", transaction_id=txn.id))
    return render_form(form, txn.kind, status, txn)


@bp.route("/transactions/<int:transaction_id>/submit", methods=["POST"])
@enterprise_role_required("recorder")
def transaction_submit(transaction_id):
    txn = get_owned_or_404(Transaction, transaction_id)
    try:
        submit_transaction(txn, current_user)
    except DomainError as error:
        db.session.rollback()
        return detail_page(txn, error.status_code, error.message)
    db.session.commit()
    flash(saved_message(txn), "success")
    return redirect(url_for("portal.transaction_detail", transaction_id=txn.id))


@bp.route("/transactions/<int:transaction_id>/dispute", methods=["POST"])
@enterprise_role_required("recorder")
def transaction_dispute(transaction_id):
    txn = get_owned_or_404(Transaction, transaction_id)
    form = DisputeForm()
    if not form.validate_on_submit():
        return detail_page(txn, 400, _("Give the reason for the dispute."))
    dispute_counterpart(txn, current_user, form.reason.data)
    db.session.commit()
    flash(_("The document is disputed; the counterparty sees your reason."), "success")
    return redirect(url_for("portal.transaction_detail", transaction_id=txn.id))


@bp.route("/transactions/<int:transaction_id>/delete", methods=["POST"])
@enterprise_role_required("recorder")
def transaction_delete(transaction_id):
    txn = get_owned_or_404(Transaction, transaction_id)
    delete_draft(txn)
    db.session.commit()
    flash(_("The draft was deleted."), "success")
    return redirect(url_for("portal.transactions"))


@bp.route("/transactions/<int:transaction_id>/correct", methods=["GET", "POST"])
@enterprise_role_required("recorder")
def transaction_correct(transaction_id):
    txn = get_owned_or_404(Transaction, transaction_id)
    if txn.status != "submitted":
        message = _("Only the current submitted version of a document can be corrected.")
        return detail_page(txn, 409, message)
    values = existing_values(txn) if request.method == "GET" else {}
    form = document_form(CorrectionForm, g.enterprise, txn.kind, **values)
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        header, rows = form_values(form, txn.kind)
        try:
            fixed = correct_transaction(txn, current_user, header, rows, form.reason.data)
        except DomainError as error:
            status = show_error(form, error, LINES_FIELD)
        else:
            db.session.commit()
            flash(
                _("Version %(n)s saved; it replaces the earlier one.", n=fixed.version), "success"
            )
            return redirect(url_for("portal.transaction_detail", transaction_id=fixed.id))
    return render_form(form, txn.kind, status, txn, correcting=True)


def stock_list_rows() -> list:
    """The stock page's rows with its search (the page and its export)."""
    return stock_rows(g.enterprise, request.args.get("q", ""), bool(request.args.get("empty")))


def mismatch_rows() -> list:
    reason = request.args.get("reason", "")
    return mismatches(enterprise_id=g.enterprise.id,
                      reason=reason if reason in MISMATCH_REASONS else "")  # fmt: skip


@bp.route("/stock")
@enterprise_role_required()
def stock():
    rows = stock_list_rows()
    page = page_of(rows, request.args.get("page", 1, type=int), 30)
    return render_template("portal/flow/stock.html", page=page)


@bp.route("/mismatches")
@enterprise_role_required()
def mismatches_page():
    page = page_of(mismatch_rows(), request.args.get("page", 1, type=int))
    return render_template(
        "portal/flow/mismatches.html",
        page=page,
        reasons=MISMATCH_REASONS,
        overdue_days=overdue_days(),
    )


def saved_message(txn) -> str:
    if txn.status == "submitted":
        return _("%(kind)s %(number)s was submitted and is now locked.",
                 kind=label_for("transaction_kind", txn.kind), number=txn.number)  # fmt: skip
    return _("The draft was saved. It can still be edited until it is submitted.")
