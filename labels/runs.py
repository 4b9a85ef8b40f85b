"""Print runs (service): create a run from a batch or a pool, queue it, render it in a worker,
pack the ZIP, and recover runs whose worker died.

The state lives on the ``PrintRun`` row. A worker claims a queued run (running, its
``host:pid``, a heartbeat), renders into a private folder, renames the finished ZIP into
place and only then marks the run done. A worker that dies leaves a running run with a
stale heartbeat or a dead pid: the next worker to start (and every worker, each minute)
marks it failed and deletes what it left behind. Only done runs whose file exists download.
"""

import logging
import os
import shutil
import socket
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from labels.engine import NotReady, render_files
from labels.heartbeat import Heartbeat
from labels.packaging import counted, write_zip
from labels.settings import RunSettings, readiness, refuse_unready
from labels.sources import (
    LabelSource,
    Segment,
    batch_segments,
    check_size,
    pool_segments,
    range_segments,
)
from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.jobs import job, jobs, on_worker_start, periodic
from suyuan.models import Batch, PrintRun
from suyuan.models.base import utcnow
from suyuan.services.errors import DomainError, NotAllowed

log = logging.getLogger(__name__)

JOB_NAME = "labels.print_run"

FAILURES = {
    "interrupted": _l(
        "The worker stopped while rendering this run (it was shut down or crashed). "
        "Nothing of it was kept: run it again."
    ),
    "source": _l("The codes of this run cannot be printed: %(detail)s"),
    "queue": _l("The job queue could not be reached (%(detail)s). Run it again later."),
    "renderer": _l("Rendering failed (%(detail)s). Run it again; if it fails again, report it."),
    "storage": _l("The finished file could not be written (%(detail)s)."),
}


def failure_message(run: PrintRun) -> str:
    message = FAILURES.get(run.error_code)
    if message is None:
        return run.error_detail
    return str(message) % {"detail": run.error_detail}


def label_source(segments: list[Segment]) -> LabelSource:
    return LabelSource(code_key(), current_app.config["BASE_URL"], segments)


# Creating and queueing


def create_run(actor, enterprise, settings: RunSettings, **source) -> PrintRun:
    """A queued run of ``source`` (``code_range=``, ``batch=``, or ``pool=, first=, last=``),
    refused unless its codes exist, fit in one run and the layout is print-ready."""
    run = PrintRun(
        enterprise_id=enterprise.id,
        created_by_id=actor.id,
        layout_key=settings.layout_key,
        custom_layout=settings.custom if settings.layout_key == "custom" else None,
        format=settings.fmt,
        error_correction=settings.error_correction,
        dpi=settings.dpi,
        show_product=settings.show_product,
        show_lot=settings.show_lot,
        per_file=settings.per_file,
        locale=str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
        **_source_columns(enterprise, **source),
    )
    labels = label_source(source_segments(**source))
    check_size(labels.total)
    refuse_unready(readiness(settings, labels))
    run.total = labels.total
    db.session.add(run)
    db.session.flush()
    return run


def _source_columns(enterprise, code_range=None, batch=None, pool=None, first=None, last=None):
    for owned in (code_range, batch, pool):
        if owned is not None and owned.enterprise_id != enterprise.id:
            raise DomainError(_("These codes do not belong to your enterprise."))
    if code_range is not None:
        return {"source": "range", "code_range": code_range, "batch": code_range.batch}
    if batch is not None:
        return {"source": "batch", "batch": batch}
    return {"source": "pool", "pool": pool, "first_index": first, "last_index": last}


def source_segments(code_range=None, batch=None, pool=None, first=None, last=None):
    """The segments of a source given as ``create_run``'s keywords."""
    if code_range is not None:
        return range_segments(code_range)
    if batch is not None:
        return batch_segments(batch)
    return pool_segments(pool, first, last)


def run_segments(run: PrintRun) -> list[Segment]:
    if run.source == "range":
        return range_segments(run.code_range)
    if run.source == "batch":
        return batch_segments(run.batch)
    return pool_segments(run.pool, run.first_index, run.last_index)


def start_run(run_id: int, attempt: int) -> None:
    """Queue a committed run. Call it with no transaction open (take the id and attempt
    before committing): in immediate mode the job runs right here, and on SQLite an open
    transaction would hold the write lock the job needs."""
    try:
        jobs().enqueue(JOB_NAME, run_id, attempt)
    except Exception as error:  # the queue's own errors (Redis down, disk full) vary
        log.exception("could not queue print run %s", run_id)
        _mark_failed(run_id, attempt, "queue", type(error).__name__)


def may_retry(run: PrintRun) -> bool:
    """Failed, abandoned by its worker, or done but its file deleted since."""
    if run.status == "done":
        return result_path(run) is None
    return run.status == "failed" or is_stale(run)


def retry_run(run: PrintRun) -> None:
    """Queue a failed run again as a new attempt (a job left for an old attempt does nothing)."""
    if not may_retry(run):
        raise NotAllowed(_("Only a failed run, or one whose file was deleted, can be run again."))
    remove_work(run)
    run.attempt += 1
    run.status, run.done, run.error_code, run.error_detail = "queued", 0, "", ""
    run.worker, run.result_name, run.result_size = "", None, None
    run.started_at = run.heartbeat_at = run.finished_at = None
    db.session.flush()


# Reading


def runs_query(enterprise, status: str | None = None, q: str | None = None):
    query = (
        select(PrintRun)
        .outerjoin(Batch, PrintRun.batch_id == Batch.id)
        .where(PrintRun.enterprise_id == enterprise.id)
        .order_by(PrintRun.created_at.desc(), PrintRun.id.desc())
    )
    if status:
        query = query.where(PrintRun.status == status)
    if q and q.strip():
        text = q.strip()
        matches = [Batch.lot_number.contains(text, autoescape=True)]
        number = text.lstrip("#")
        if number.isdigit() and len(number) <= 9:  # a run number, not a 20-digit code
            matches.append(PrintRun.id == int(number))
        query = query.where(or_(*matches))
    return query


def is_stale(run: PrintRun) -> bool:
    """A running run whose worker has not reported for longer than the stale timeout."""
    if run.status != "running":
        return False
    last = run.heartbeat_at or run.started_at
    limit = timedelta(seconds=current_app.config["JOBS_STALE_SECONDS"])
    return last is None or utcnow() - last > limit


def labels_folder() -> Path:
    return Path(current_app.config["LABELS_FOLDER"])


def result_path(run: PrintRun) -> Path | None:
    """The finished ZIP of a done run, or None (not done, or its file is gone)."""
    if run.status != "done" or not run.result_name:
        return None
    path = labels_folder() / run.result_name
    return path if path.is_file() else None


def work_dir(run: PrintRun) -> Path:
    return labels_folder() / "work" / f"run-{run.id}-{run.attempt}"


def remove_work(run: PrintRun) -> None:
    shutil.rmtree(work_dir(run), ignore_errors=True)


# The job


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@job(JOB_NAME)
def execute_run(run_id: int, attempt: int) -> None:
    run = _claim(run_id, attempt)
    if run is None:
        return
    with force_locale(run.locale):
        _execute(run, run_id, attempt)


def _execute(run: PrintRun, run_id: int, attempt: int) -> None:
    directory = work_dir(run)
    try:
        settings, source = _prepare(run, directory)
        # From here until the run is finished nothing reads ``run``: on SQLite a transaction
        # opened by reloading it would hold the write lock and stall the heartbeat.
        with Heartbeat(current_app._get_current_object(), run_id, attempt) as heartbeat:
            files = _render(settings, source, directory, heartbeat)
            name = f"print-run-{run_id}-{attempt}.zip"
            about = {"run": run_id, "format": settings.fmt, "layout": settings.layout_key}
            about["total"] = source.total
            size = write_zip(labels_folder() / name, directory, files, settings.fmt, about)
        _finish(run_id, attempt, name, size)
    except DomainError as error:
        _mark_failed(run_id, attempt, "source", str(error.message))
    except NotReady as error:
        _mark_failed(run_id, attempt, "source", " ".join(error.problems))
    except OSError as error:
        log.exception("print run %s: storage", run_id)
        _mark_failed(run_id, attempt, "storage", f"{type(error).__name__}: {error}")
    except Exception as error:  # a renderer bug must still end the run with a reason
        log.exception("print run %s failed", run_id)
        _mark_failed(run_id, attempt, "renderer", f"{type(error).__name__}: {error}")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _claim(run_id: int, attempt: int) -> PrintRun | None:
    run = db.session.get(PrintRun, run_id, with_for_update=True)
    if run is None or run.attempt != attempt or run.status != "queued":
        db.session.rollback()
        return None
    run.status, run.worker, run.done = "running", worker_name(), 0
    run.started_at = run.heartbeat_at = utcnow()
    db.session.commit()
    return run


def _prepare(run: PrintRun, directory: Path) -> tuple[RunSettings, LabelSource]:
    """The run's settings and codes as they are now, checked again; commits."""
    settings = RunSettings.of(run)
    source = label_source(run_segments(run))
    check_size(source.total)
    refuse_unready(readiness(settings, source))
    run.total, run.done = source.total, 0
    db.session.commit()
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return settings, source


def _render(settings: RunSettings, source: LabelSource, directory: Path, heartbeat):
    files = render_files(
        source,
        source.total,
        settings.options(),
        directory,
        per_file=settings.per_file,
        progress=heartbeat.report,
    )
    if counted(files) != source.total:
        raise RuntimeError(f"the files hold {counted(files)} of {source.total} labels")
    return files


def _finish(run_id: int, attempt: int, name: str, size: int) -> None:
    """Done, only now that the ZIP is in place; unless the run was declared dead meanwhile."""
    finished = db.session.execute(
        update(PrintRun)
        .where(PrintRun.id == run_id, PrintRun.attempt == attempt, PrintRun.status == "running")
        .values(
            status="done",
            done=PrintRun.total,
            result_name=name,
            result_size=size,
            finished_at=utcnow(),
            heartbeat_at=utcnow(),
        )  # fmt: skip
    )
    db.session.commit()
    if finished.rowcount == 0:  # its file must not linger for a later attempt to meet
        (labels_folder() / name).unlink(missing_ok=True)


def _mark_failed(run_id: int, attempt: int, code: str, detail: str = "") -> None:
    db.session.rollback()
    db.session.execute(
        update(PrintRun)
        .where(PrintRun.id == run_id, PrintRun.attempt == attempt)
        .where(PrintRun.status.in_(("queued", "running")))
        .values(status="failed", error_code=code, error_detail=detail[:2000], finished_at=utcnow())
    )
    db.session.commit()


# Recovery


def _worker_is_dead(worker: str) -> bool:
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's worker: only its heartbeat tells
    return not _pid_alive(int(pid))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@on_worker_start
def remove_partial_files() -> None:
    """Delete half-written ZIPs of workers that were killed while packing (``write_zip``
    names them ``.<name>.<pid>.partial``)."""
    for path in labels_folder().glob(".print-run-*.partial"):
        pid = path.name.split(".")[-2]
        if pid.isdigit() and not _pid_alive(int(pid)):
            path.unlink(missing_ok=True)


@on_worker_start
@periodic("labels.recover_runs", minute="*")
def recover_runs() -> int:
    """Mark failed every running run whose worker is dead or silent; delete its leftovers."""
    running = db.session.scalars(select(PrintRun).where(PrintRun.status == "running")).all()
    dead = [run for run in running if _worker_is_dead(run.worker) or is_stale(run)]
    for run in dead:
        log.warning("print run %s: worker %s stopped; marking it failed", run.id, run.worker)
        run.status, run.error_code, run.finished_at = "failed", "interrupted", utcnow()
        remove_work(run)
    db.session.commit()
    return len(dead)


def expire_results(older_than: timedelta) -> int:
    """Delete the ZIPs of runs finished more than ``older_than`` ago; their pages then say
    the file is no longer stored and offer to run them again."""
    cutoff = utcnow() - older_than
    runs = db.session.scalars(
        select(PrintRun).where(
            PrintRun.status == "done",
            PrintRun.result_name.is_not(None),
            PrintRun.finished_at < cutoff,
        )
    ).all()
    for run in runs:
        (labels_folder() / run.result_name).unlink(missing_ok=True)
        run.result_name, run.result_size = None, None
    db.session.flush()
    return len(runs)
