"""The regulator's goods-flow console: transactions and mismatches where either party lies in
the region, the trace of a batch or a code (chain, graph, export), and mock-recall drills."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from admin import bp
from portal.views.flow_trace import export_response, unit_name
from suyuan.extensions import db
from suyuan.forms import page_arg
from suyuan.identity import CodeError, code_key
from suyuan.models import Batch, MockRecallDrill, Transaction
from suyuan.models.flow import TRANSACTION_KINDS, TRANSACTION_STATUSES
from suyuan.permissions import module_required
from suyuan.services.codes import printed, resolve_code
from suyuan.services.drills import (
    EXPORT_HEADERS,
    export_rows,
    full_trace,
    may_trace,
    run_drill,
)
from suyuan.services.flow import document_history, filter_transactions
from suyuan.services.matching import (
    MISMATCH_REASONS,
    current_counterpart,
    current_source,
    either_party_in_region,
    mismatches,
    page_of,
)
from suyuan.services.trace_export import chain_graph, graph_svg, graph_table, sort_rows


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def region_transactions_query():
    """Current documents where either party lies in the region, with the list's filters."""
    args = request.args
    status = args.get("status", "")
    query = select(Transaction).where(
        Transaction.status != "superseded", either_party_in_region(current_user.regulator_region)
    )
    query = filter_transactions(
        query, args.get("q", ""), args.get("kind", ""),
        status if status in TRANSACTION_STATUSES else "",
        _date(args.get("since")), _date(args.get("until")),
    )  # fmt: skip
    return query


@bp.route("/transactions")
@module_required("flow")
def transactions():
    page = db.paginate(region_transactions_query(), page=page_arg(), per_page=20)
    return render_template(
        "admin/flow/transactions.html", page=page, kinds=TRANSACTION_KINDS,
        statuses=TRANSACTION_STATUSES,
    )  # fmt: skip


def get_transaction_in_region_or_404(transaction_id: int) -> Transaction:
    txn = db.session.scalar(
        select(Transaction).where(
            Transaction.id == transaction_id, either_party_in_region(current_user.regulator_region)
        )
    )
    if txn is None:
        abort(404)
    return txn


@bp.route("/transactions/<int:transaction_id>")
@module_required("flow")
def transactions_detail(transaction_id: int):
    txn = get_transaction_in_region_or_404(transaction_id)
    counterpart = current_counterpart(txn.origin_id) if txn.origin_id else None
    return render_template(
        "admin/flow/transaction_detail.html", txn=txn, versions=document_history(txn),
        source=current_source(txn), counterpart=counterpart, printed=printed,
    )  # fmt: skip


def region_mismatches() -> list:
    reason = request.args.get("reason", "")
    return mismatches(region=current_user.regulator_region,
                      reason=reason if reason in MISMATCH_REASONS else "")  # fmt: skip


@bp.route("/mismatches")
@module_required("flow")
def mismatches_list():
    found = region_mismatches()
    return render_template(
        "admin/flow/mismatches.html", page=page_of(found, page_arg()), reasons=MISMATCH_REASONS
    )


def get_traceable_or_404(batch_id: int) -> Batch:
    batch = db.session.get(Batch, batch_id)
    if batch is None or not may_trace(current_user.regulator_region, batch):
        abort(404)
    return batch


@bp.route("/trace")
@module_required("flow")
def trace_search():
    """Find a batch by id, lot number or identity code, then show its trace."""
    text = request.args.get("q", "").strip()
    if not text:
        return render_template("admin/flow/trace_search.html", drills=_drills())
    region = current_user.regulator_region
    found = [batch for batch in _batches_for(text) if may_trace(region, batch)]
    if len(found) == 1:
        return redirect(url_for("admin.trace", batch_id=found[0].id))
    if not found:
        flash(_("Nothing in your region matches %(q)s.", q=text), "error")
    status = 200 if found else 404
    return render_template("admin/flow/trace_search.html", drills=_drills(), found=found), status


def _batches_for(text: str) -> list[Batch]:
    """The batch of an identity code, or the batches with this lot number or id."""
    digits = "".join(text.split())
    if len(digits) == 20 and digits.isdigit():
        try:
            holder = resolve_code(code_key().decode(digits))
        except CodeError:
            return []
        return [holder.batch] if holder is not None else []
    found = list(db.session.scalars(select(Batch).where(Batch.lot_number == text).limit(50)))
    if not found and text.isdigit():
        found = [b for b in [db.session.get(Batch, int(text))] if b is not None]
    return found


@bp.route("/trace/<int:batch_id>")
@module_required("flow")
def trace(batch_id: int):
    batch = get_traceable_or_404(batch_id)
    result = full_trace(batch)
    sort = request.args.get("sort", "date")
    rows = sort_rows(export_rows(result.movements), sort, request.args.get("desc") == "1")
    graph = chain_graph(result.movements)
    svg = graph_svg(graph, _("Goods flow of lot %(lot)s", lot=batch.lot_number), unit_name)
    return render_template(
        "admin/flow/trace.html", batch=batch, trace=result, rows=rows, sort=sort,
        headers=EXPORT_HEADERS, svg=svg, drills=_drills(batch), edges=graph_table(graph, unit_name),
    )  # fmt: skip


@bp.route("/trace/<int:batch_id>/export.<any(xlsx, csv):fmt>")
@module_required("flow")
def trace_export(batch_id: int, fmt: str):
    batch = get_traceable_or_404(batch_id)
    rows = sort_rows(export_rows(full_trace(batch).movements), request.args.get("sort", "date"),
                     request.args.get("desc") == "1")  # fmt: skip
    return export_response(rows, fmt, f"trace-{batch.lot_number}")


@bp.route("/trace/<int:batch_id>/drill", methods=["POST"])
@module_required("flow")
def trace_drill(batch_id: int):
    batch = get_traceable_or_404(batch_id)
    drill, _trace, _book = run_drill(batch, current_user)
    db.session.commit()
    flash(_("Mock recall of lot %(lot)s finished in %(ms)s ms: %(rows)s movements, "
            "%(n)s receiving enterprises.", lot=batch.lot_number, ms=drill.duration_ms,
            rows=drill.export_rows, n=drill.enterprise_count), "success")  # fmt: skip
    return redirect(url_for("admin.trace", batch_id=batch.id))


def _drills(batch=None):
    """Past drills this regulator may see (of batches whose chain touches its region)."""
    query = select(MockRecallDrill).order_by(MockRecallDrill.id.desc()).limit(200)
    if batch is not None:
        query = query.where(MockRecallDrill.batch_id == batch.id)
    region = current_user.regulator_region
    return [d for d in db.session.scalars(query) if may_trace(region, d.batch)][:50]
