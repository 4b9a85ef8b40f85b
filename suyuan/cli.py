"""The ``suyuan`` command: the Flask CLI group with the project's commands."""

import os
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from suyuan.api_cli import tokens_group
from suyuan.cli_flow import drill_command
from suyuan.extensions import db


def main() -> None:
    from suyuan import create_app

    FlaskGroup(create_app=create_app, add_version_option=False, load_dotenv=False)(
        prog_name="suyuan"
    )


def init_app(app) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(serve_command)
    app.cli.add_command(users_group)
    app.cli.add_command(codes_group)
    app.cli.add_command(audit_group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(tokens_group)
    app.cli.add_command(drill_command)

    from labels.cli import jobs_group, labels_group

    app.cli.add_command(labels_group)
    app.cli.add_command(jobs_group)


def exec_gunicorn(host: str, port: int, workers: int = 2) -> None:
    """Replace this process with gunicorn serving the app (threads: I/O-bound pages)."""
    os.environ.setdefault("SUYUAN_BASE_URL", f"http://{host}:{port}")
    args = [
        sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}",
        "--workers", str(workers), "--worker-class", "gthread", "--threads", "4",
        "--access-logfile", "-", "suyuan.wsgi:app",
    ]  # fmt: skip
    os.execv(args[0], args)  # noqa: S606 - fixed argument list, no shell


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve_command(host: str, port: int, workers: int) -> None:
    """Serve the app with gunicorn (production server)."""
    exec_gunicorn(host, port, workers)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Seed and print the logins, but do not serve.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Migrate the database, seed the demo when it is empty, print logins and codes, serve."""
    from flask_migrate import upgrade

    from suyuan.demo import demo_summary, seed_demo

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("The demo data set is not for production databases.")
    upgrade()
    seeded = seed_demo()
    db.session.commit()
    click.echo("Seeded the demo data." if seeded else "Demo data already present.")
    click.echo(demo_summary(f"http://{host}:{port}"))
    if no_serve:
        return
    db.session.remove()
    db.engine.dispose()
    click.echo(f"Serving on http://{host}:{port}  (Ctrl+C to stop)")
    os.environ["SUYUAN_BASE_URL"] = f"http://{host}:{port}"
    start_job_worker()
    exec_gunicorn(host, port)


def start_job_worker() -> None:
    """A background-job worker (label runs) beside the demo server, in the same process group,
    so Ctrl+C stops both."""
    import subprocess
    from pathlib import Path

    command = Path(sys.executable).with_name("suyuan")
    subprocess.Popen([str(command), "jobs", "worker"])  # noqa: S603 - our own entry point


@click.group("users")
def users_group() -> None:
    """Manage accounts."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--platform-admin", is_flag=True, help="Give platform administration rights.")
@click.option("--regulator-region", help="Make a regulator for this GB/T 2260 region.")
@with_appcontext
def users_create(email, name, password, platform_admin, regulator_region) -> None:
    """Create a platform admin or regulator account."""
    from suyuan.services.accounts import create_user
    from suyuan.services.errors import DomainError
    from suyuan.validators import region_error

    if regulator_region and regulator_region != "000000" and region_error(regulator_region):
        raise click.BadParameter("not a GB/T 2260 region code", param_hint="--regulator-region")
    try:
        user = create_user(
            email, name, password,
            regulator_region=regulator_region, is_platform_admin=platform_admin,
        )  # fmt: skip
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created user {user.email} (id {user.id}).")


@click.group("codes")
def codes_group() -> None:
    """Identity codes: allocate pools, encode and decode codes."""


def _code_service_call(call, *args):
    """Run a codes service in English (the CLI has no request to pick a locale from)."""
    from flask_babel import force_locale

    from suyuan.services.errors import DomainError

    with force_locale("en"):
        try:
            return call(*args)
        except DomainError as error:
            raise click.ClickException(str(error.message)) from error


@codes_group.command("allocate")
@click.option("--enterprise", "credit_code", required=True, help="Unified social credit code.")
@click.option("--count", required=True, type=int, help="How many codes the pool holds.")
@with_appcontext
def codes_allocate(credit_code: str, count: int) -> None:
    """Allocate the next COUNT codes to an enterprise (approved or not)."""
    from suyuan.services.codes import allocate_pool, find_enterprise, printed

    enterprise = _code_service_call(find_enterprise, credit_code)
    pool = _code_service_call(allocate_pool, enterprise, count)
    db.session.commit()
    click.echo(f"Allocated pool {pool.id} to {enterprise.name}: {pool.size:,} codes.")
    click.echo(f"Indices:    {pool.start_index}–{pool.end_index}")
    click.echo(f"First code: {printed(pool.start_index)}")
    click.echo(f"Last code:  {printed(pool.end_index)}")


@codes_group.command("encode")
@click.argument("index", type=int)
@with_appcontext
def codes_encode(index: int) -> None:
    """Print the code of a global code INDEX."""
    from suyuan.identity import SERIAL_SPACE, code_key

    if not 0 <= index < SERIAL_SPACE:
        raise click.BadParameter(f"must be from 0 to {SERIAL_SPACE - 1}", param_hint="INDEX")
    click.echo(code_key().encode(index))


@codes_group.command("decode")
@click.argument("code", nargs=-1, required=True)
@with_appcontext
def codes_decode(code: tuple[str, ...]) -> None:
    """Print the global index of a printed CODE (groups may be separate arguments)."""
    from suyuan.identity import CodeError, code_key
    from suyuan.services.codes import code_error_message

    try:
        click.echo(code_key().decode(" ".join(code)))
    except CodeError as error:
        message = _code_service_call(code_error_message, error.reason)
        raise click.ClickException(f"{error.reason}: {message}") from error


@click.group("audit")
def audit_group() -> None:
    """Check the hash-chained audit log."""


def _anchor_path(path: str | None):
    from pathlib import Path

    return Path(path or current_app.config["AUDIT_ANCHOR"])


@audit_group.command("verify")
@click.option("--anchor", "anchor_path", help="Head written by `suyuan audit anchor`.")
@with_appcontext
def audit_verify(anchor_path: str | None) -> None:
    """Recompute the chain and its signatures; report the first broken link."""
    import json

    from suyuan.audit import verify_chain

    path = _anchor_path(anchor_path)
    anchor = json.loads(path.read_text()) if path.exists() else None
    report = verify_chain(db.session, current_app.config["AUDIT_KEY"], anchor)
    if not report.ok:
        click.echo(
            f"Audit chain BROKEN at entry {report.broken_at}: {report.reason} "
            f"({report.entries} entries verified before it).",
            err=True,
        )
        raise SystemExit(1)
    suffix = f", anchored head {anchor['id']} present" if anchor else ", no anchor file"
    click.echo(f"Audit chain intact: {report.entries} entries, head {report.head[:16]}{suffix}.")


@audit_group.command("anchor")
@click.option("--anchor", "anchor_path", help="Where to write the head (default: instance).")
@with_appcontext
def audit_anchor(anchor_path: str | None) -> None:
    """Write the current head outside the database, so cutting entries off the end shows."""
    from suyuan.audit import write_anchor

    path = _anchor_path(anchor_path)
    anchor = write_anchor(db.session, path)
    click.echo(f"Anchored entry {anchor['id']} in {path}." if anchor else "The log is empty.")


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path: str | None) -> None:
    """Write the database and the uploaded files to one archive (default: instance/backups)."""
    from datetime import UTC, datetime
    from pathlib import Path

    from suyuan.backup import BackupError, create_backup

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(path or Path(current_app.instance_path) / "backups" / f"suyuan-{stamp}.tar.gz")
    try:
        manifest = create_backup(target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    head = manifest["audit_head"]
    click.echo(
        f"Backup written to {target} ({manifest['database']}, audit head {head and head['id']})."
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: str, yes: bool) -> None:
    """Replace the database and the uploaded files with a backup, then verify the audit log."""
    from pathlib import Path

    from suyuan.audit import verify_chain
    from suyuan.backup import BackupError, restore_backup

    if not yes:
        click.confirm("This replaces ALL current data and files. Continue?", abort=True)
    try:
        manifest = restore_backup(Path(path))
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    report = verify_chain(db.session, current_app.config["AUDIT_KEY"])
    click.echo(f"Restored the backup of {manifest['created_at']}.")
    if not report.ok:
        raise click.ClickException(
            f"Audit chain BROKEN at entry {report.broken_at}: {report.reason}"
        )
    click.echo(f"Audit chain intact: {report.entries} entries.")
