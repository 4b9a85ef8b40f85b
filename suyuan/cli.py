"""The ``suyuan`` command: the Flask CLI group with the project's commands."""

import os
import subprocess
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

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


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve_command(host: str, port: int, workers: int) -> None:
    """Serve the app with gunicorn (production server)."""
    args = [
        sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}",
        "--workers", str(workers), "--worker-class", "gthread", "--threads", "4",
        "--access-logfile", "-", "suyuan.wsgi:app",
    ]  # fmt: skip
    os.execvp(args[0], args)  # noqa: S606 - fixed argument list, no shell


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
    click.echo(f"Serving on http://{host}:{port}  (Ctrl+C to stop)")
    current_app.config["BASE_URL"] = f"http://{host}:{port}"
    subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-m", "flask", "--app", "suyuan:create_app", "run",
         "--host", host, "--port", str(port), "--no-reload"],
        env={**os.environ, "SUYUAN_BASE_URL": f"http://{host}:{port}"},
        check=False,
    )  # fmt: skip


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
