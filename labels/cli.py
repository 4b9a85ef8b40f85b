"""``suyuan labels``: render label files from the command line, list print runs;
``suyuan jobs``: run the background worker."""

import os
import shutil
import tempfile
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from labels.layouts import PRESETS
from labels.packaging import write_zip
from labels.runs import label_source, recover_runs
from labels.settings import RunSettings, readiness, refuse_unready
from labels.sources import check_size, pool_segments
from suyuan.extensions import db
from suyuan.services.errors import DomainError

FORMATS = ("pdf", "zpl", "png", "svg")


@click.group("labels")
def labels_group() -> None:
    """Label files: render codes to PDF, ZPL, PNG or SVG; list print runs."""


@labels_group.command("render")
@click.option("--first", "first_code", required=True, help="First code (20 digits).")
@click.option("--last", "last_code", required=True, help="Last code (20 digits).")
@click.option(
    "--layout", default="a4-3x8", show_default=True, help=f"One of: {', '.join(PRESETS)}."
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="pdf", show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--ec", type=click.Choice(["L", "M", "Q", "H"]), default="M", show_default=True)
@click.option("--dpi", type=click.IntRange(100, 1200), help="Printer resolution.")
@click.option("--per-file", type=click.IntRange(1, 100_000), help="Labels per file.")
@click.option("--no-product", is_flag=True, help="Do not print the product name.")
@click.option("--no-lot", is_flag=True, help="Do not print the lot number.")
@with_appcontext
def render_command(first_code, last_code, layout, fmt, output, ec, dpi, per_file, **flags):
    """Render codes FIRST..LAST (one pool, registered here) into OUTPUT: one PDF or ZPL file
    when they fit in one file, else a ZIP of files with a manifest (PNG/SVG: always a ZIP)."""
    from flask import current_app

    settings = RunSettings(
        layout_key=layout, fmt=fmt, error_correction=ec, dpi=dpi,
        show_product=not flags["no_product"], show_lot=not flags["no_lot"],
        per_file=per_file or current_app.config["LABELS_PER_FILE"],
    )  # fmt: skip
    with force_locale("en"):
        try:
            source = _checked_source(first_code, last_code, settings)
            options = settings.options()
        except DomainError as error:
            raise click.ClickException(str(error.message)) from error
        single = fmt in ("pdf", "zpl") and source.total <= settings.per_file
        with click.progressbar(length=source.total, label="Rendering", file=None) as bar:
            progress = _progress(bar)
            if single:
                _render_one_file(source, options, output, progress)
            else:
                files = _render_zip(source, settings, options, output, progress)
    what = "1 file" if single else f"a ZIP of {len(files)} files and a manifest"
    click.echo(f"Wrote {source.total:,} labels ({what}) to {output}.")


def _checked_source(first_code: str, last_code: str, settings: RunSettings):
    from flask_babel import gettext as _

    from suyuan.services.codes import parse_code, pool_at, printed

    first = parse_code(first_code, field="first")
    last = parse_code(last_code, field="last")
    pool = pool_at(first)
    if pool is None:
        raise DomainError(
            _("Code %(code)s is in no code pool: it was never issued.", code=printed(first))
        )
    source = label_source(pool_segments(pool, first, last))
    check_size(source.total)
    settings.layout()
    refuse_unready(readiness(settings, source))
    return source


def _progress(bar):
    def report(done: int, *_ignored) -> None:
        bar.update(done - bar.pos)

    return report


def _render_one_file(source, options, output: Path, progress) -> None:
    from labels.engine import render

    partial = output.with_name(f".{output.name}.partial")
    try:
        with open(partial, "wb") as out:
            render(source.items(), options, out, progress=progress)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)


def _render_zip(source, settings, options, output: Path, progress):
    from labels.engine import render_files

    work = Path(tempfile.mkdtemp(prefix="suyuan-labels-"))
    try:
        files = render_files(
            source, source.total, options, work, per_file=settings.per_file, progress=progress
        )
        about = {"format": settings.fmt, "layout": settings.layout_key, "total": source.total}
        write_zip(output, work, files, settings.fmt, about)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return files


@labels_group.command("runs")
@click.option("--status", type=click.Choice(["queued", "running", "done", "failed"]))
@click.option("--limit", default=20, show_default=True, type=int)
@with_appcontext
def runs_command(status, limit) -> None:
    """List the latest print runs of every enterprise."""
    from sqlalchemy import select

    from suyuan.models import PrintRun

    query = select(PrintRun).order_by(PrintRun.id.desc()).limit(limit)
    if status:
        query = query.where(PrintRun.status == status)
    for run in db.session.scalars(query):
        click.echo(
            f"#{run.id:<6} {run.status:<8} {run.done:>9,}/{run.total:<9,} "
            f"{run.layout_key:<12} {run.format:<4} enterprise {run.enterprise_id} "
            f"{run.created_at:%Y-%m-%d %H:%M} {run.error_code}"
        )


@labels_group.command("cleanup")
@click.option("--days", default=30, show_default=True, type=click.IntRange(0, 3650))
@with_appcontext
def cleanup_command(days: int) -> None:
    """Delete the ZIP files of print runs finished more than DAYS days ago."""
    from datetime import timedelta

    from labels.runs import expire_results

    count = expire_results(timedelta(days=days))
    db.session.commit()
    click.echo(f"Deleted the files of {count} print run(s).")


@click.group("jobs")
def jobs_group() -> None:
    """Background jobs (label print runs)."""


@jobs_group.command("worker")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 16))
@with_appcontext
def worker_command(workers: int) -> None:
    """Run a job worker until stopped (Ctrl+C or SIGTERM). Marks failed first the runs of
    workers that died."""
    from flask import current_app

    from suyuan.jobs import configure_worker_logging, jobs

    configure_worker_logging()
    click.echo(f"Job storage: {current_app.config['JOBS_URL']}")
    jobs().run_worker(workers)


@jobs_group.command("recover")
@with_appcontext
def recover_command() -> None:
    """Mark failed the print runs whose worker died (what a starting worker does)."""
    click.echo(f"{recover_runs()} interrupted run(s) marked failed.")
