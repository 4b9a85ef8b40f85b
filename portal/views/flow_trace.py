"""An enterprise's trace of a batch it made or moved, its export, and mock-recall drills.

An enterprise sees only the movements it is a party to (see ``services.drills``)."""

from flask import abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import bp
from suyuan.extensions import db
from suyuan.models import Batch, MockRecallDrill, Transaction, TransactionLine
from suyuan.permissions import enterprise_role_required
from suyuan.services.drills import EXPORT_HEADERS, enterprise_trace, export_rows, run_drill
from suyuan.services.trace_export import (
    chain_graph,
    graph_svg,
    graph_table,
    rows_to_csv,
    rows_to_xlsx,
    sort_rows,
)
from suyuan.vocab import label_for


def get_traceable_or_404(batch_id: int) -> Batch:
    """A batch the enterprise made or has a document of; anything else answers 404."""
    batch = db.session.get(Batch, batch_id)
    if batch is None:
        abort(404)
    if batch.enterprise_id == g.enterprise.id:
        return batch
    moved = db.session.scalar(
        select(TransactionLine.id)
        .join(Transaction, TransactionLine.transaction_id == Transaction.id)
        .where(TransactionLine.batch_id == batch.id, Transaction.enterprise_id == g.enterprise.id)
        .limit(1)
    )
    if moved is None:
        abort(404)
    return batch


def unit_name(unit: str) -> str:
    return label_for("unit", unit)


@bp.route("/trace/<int:batch_id>")
@enterprise_role_required()
def trace(batch_id):
    batch = get_traceable_or_404(batch_id)
    result = enterprise_trace(batch, g.enterprise)
    sort = request.args.get("sort", "date")
    rows = sort_rows(export_rows(result.movements), sort, request.args.get("desc") == "1")
    graph = chain_graph(result.movements, {g.enterprise.credit_code})
    return render_template(
        "portal/flow/trace.html", batch=batch, trace=result, rows=rows, sort=sort,
        headers=EXPORT_HEADERS, svg=graph_svg(graph, _("Goods flow of lot %(lot)s", lot=batch.lot_number), unit_name),
        drills=_drills(batch), edges=graph_table(graph, unit_name),
    )  # fmt: skip


@bp.route("/trace/<int:batch_id>/export.<any(xlsx, csv):fmt>")
@enterprise_role_required()
def trace_export(batch_id, fmt):
    batch = get_traceable_or_404(batch_id)
    result = enterprise_trace(batch, g.enterprise)
    rows = sort_rows(export_rows(result.movements), request.args.get("sort", "date"),
                     request.args.get("desc") == "1")  # fmt: skip
    return export_response(rows, fmt, f"trace-{batch.lot_number}")


@bp.route("/trace/<int:batch_id>/drill", methods=["POST"])
@enterprise_role_required("admin")
def trace_drill(batch_id):
    batch = get_traceable_or_404(batch_id)
    if batch.enterprise_id != g.enterprise.id:
        abort(404)
    drill, _trace, _book = run_drill(batch, current_user, g.enterprise)
    db.session.commit()
    flash(_("Mock recall of lot %(lot)s finished in %(ms)s ms: %(rows)s movements, "
            "%(n)s receiving enterprises.", lot=batch.lot_number, ms=drill.duration_ms,
            rows=drill.export_rows, n=drill.enterprise_count), "success")  # fmt: skip
    return redirect(url_for("portal.trace", batch_id=batch.id))


@bp.route("/drills")
@enterprise_role_required()
def drills():
    """Every mock recall drill the enterprise has run, newest first."""
    query = (
        select(MockRecallDrill)
        .where(MockRecallDrill.enterprise_id == g.enterprise.id)
        .order_by(MockRecallDrill.id.desc())
    )
    page = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=20)
    return render_template("portal/flow/drills.html", page=page)


def _drills(batch):
    return list(
        db.session.scalars(
            select(MockRecallDrill)
            .where(
                MockRecallDrill.batch_id == batch.id,
                MockRecallDrill.enterprise_id == g.enterprise.id,
            )
            .order_by(MockRecallDrill.id.desc())
            .limit(20)
        )
    )


def export_response(rows, fmt: str, name: str):
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in name)
    if fmt == "xlsx":
        body = rows_to_xlsx(rows, EXPORT_HEADERS)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = rows_to_csv(rows, EXPORT_HEADERS)
        mimetype = "text/csv; charset=utf-8"
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
