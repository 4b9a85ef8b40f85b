"""Print-run views: the enterprise's runs, one run's progress (HTML that refreshes itself,
and JSON for the page's small poller), the download, and "Run again"."""

from flask import abort, flash, g, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from labels import bp
from labels.runs import (
    failure_message,
    is_stale,
    may_retry,
    result_path,
    retry_run,
    runs_query,
    start_run,
)
from suyuan.extensions import db
from suyuan.models import PrintRun
from suyuan.models.labels import RUN_STATUSES
from suyuan.permissions import enterprise_role_required, get_owned_or_404
from suyuan.services.codes import printed

RUN_STATUS_LABELS = {
    "queued": _l("Queued"),
    "running": _l("Running"),
    "done": _l("Done"),
    "failed": _l("Failed"),
}
FORMAT_LABELS = {"pdf": "PDF", "zpl": "ZPL", "png": "PNG", "svg": "SVG"}


@bp.context_processor
def run_helpers():
    return {
        "run_status": lambda status: str(RUN_STATUS_LABELS.get(status, status)),
        "run_source": describe_source,
        "failure_message": failure_message,
        "is_stale": is_stale,
        "may_retry": may_retry,
        "format_label": FORMAT_LABELS.get,
    }


def describe_source(run: PrintRun) -> str:
    if run.source == "pool":
        return _(
            "Pool #%(id)s: %(first)s – %(last)s",
            id=run.pool_id,
            first=printed(run.first_index),
            last=printed(run.last_index),
        )
    if run.source == "range" and run.code_range is not None:
        return _(
            "Batch %(lot)s: %(first)s – %(last)s",
            lot=run.batch.lot_number,
            first=printed(run.code_range.start_index),
            last=printed(run.code_range.end_index),
        )
    return _("Batch %(lot)s: every bound code", lot=run.batch.lot_number)


@bp.get("/runs")
@enterprise_role_required()
def runs():
    status = request.args.get("status", "")
    status = status if status in RUN_STATUSES else None
    page = db.paginate(
        runs_query(g.enterprise, status, request.args.get("q", "")),
        page=request.args.get("page", 1, type=int),
        per_page=20,
    )
    return render_template(
        "labels/runs.html", page=page, statuses=RUN_STATUSES, labels=RUN_STATUS_LABELS
    )


@bp.get("/runs/<int:run_id>")
@enterprise_role_required()
def run_detail(run_id: int):
    run = get_owned_or_404(PrintRun, run_id)
    return render_template("labels/run.html", run=run, downloadable=result_path(run) is not None)


@bp.get("/runs/<int:run_id>.json")
@enterprise_role_required()
def run_status(run_id: int):
    run = get_owned_or_404(PrintRun, run_id)
    stale = is_stale(run)
    return jsonify(
        id=run.id,
        status=run.status,
        status_label=str(RUN_STATUS_LABELS[run.status]),
        done=run.done,
        total=run.total,
        percent=run.percent,
        stale=stale,
        finished=run.is_finished or stale,
        error=failure_message(run) if run.status == "failed" else None,
        download_url=(url_for("labels.run_download", run_id=run.id) if result_path(run) else None),
    )


@bp.get("/runs/<int:run_id>/download")
@enterprise_role_required()
def run_download(run_id: int):
    run = get_owned_or_404(PrintRun, run_id)
    path = result_path(run)
    if path is None:
        abort(409, description=_not_downloadable(run))
    name = f"labels-{run.batch.lot_number if run.batch else 'pool'}-run{run.id}.zip"
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=name)


def _not_downloadable(run: PrintRun) -> str:
    if run.status == "failed":
        return _("This print run failed, so there is nothing to download: run it again.")
    if run.status == "done":
        return _("The file of this print run is no longer stored: run it again.")
    return _("This print run is not finished yet; its file can be downloaded once it is done.")


@bp.post("/runs/<int:run_id>/retry")
@enterprise_role_required()
def run_retry(run_id: int):
    run = get_owned_or_404(PrintRun, run_id)
    retry_run(run)  # a DomainError answers 409 with its message
    attempt = run.attempt
    db.session.commit()
    start_run(run_id, attempt)
    flash(_("Print run #%(id)s queued again.", id=run.id), "success")
    return redirect(url_for("labels.run_detail", run_id=run.id))
