"""``suyuan tokens``: create, list and revoke API tokens from the command line (scripts,
tests, regulator tokens)."""

import click
from flask.cli import with_appcontext

from suyuan.extensions import db
from suyuan.models.api import TOKEN_PERMISSIONS


def _english(call, *args):
    """Run a service in English; its refusal becomes a CLI error."""
    from flask_babel import force_locale

    from suyuan.services.errors import DomainError

    with force_locale("en"):
        try:
            return call(*args)
        except DomainError as error:
            raise click.ClickException(str(error.message)) from error


def _permissions(value: str) -> list[str]:
    return [p for p in value.replace(",", " ").split() if p]


@click.group("tokens")
def tokens_group() -> None:
    """API tokens: create (the token is printed once), list, revoke."""


@tokens_group.command("create")
@click.option("--enterprise", "credit_code", help="Unified social credit code of the enterprise.")
@click.option("--regulator", "regulator_email", help="E-mail of a regulator (read-only token).")
@click.option("--name", required=True, help="What the token is for.")
@click.option(
    "--permissions",
    default="read",
    show_default=True,
    help=f"Comma-separated, from: {', '.join(TOKEN_PERMISSIONS)}.",
)
@click.option("--as", "admin_email", help="The enterprise admin it acts as (default: the first).")
@with_appcontext
def tokens_create(credit_code, regulator_email, name, permissions, admin_email) -> None:
    """Create a token and print it (it is never shown again)."""
    from suyuan.services import tokens
    from suyuan.services.accounts import find_user_by_email
    from suyuan.services.codes import find_enterprise

    if bool(credit_code) == bool(regulator_email):
        raise click.UsageError("Give exactly one of --enterprise or --regulator.")
    if regulator_email:
        regulator = find_user_by_email(regulator_email)
        if regulator is None:
            raise click.ClickException("No account has this e-mail address.")
        token, secret = _english(tokens.create_regulator_token, regulator, name)
    else:
        enterprise = _english(find_enterprise, credit_code)
        admin = find_user_by_email(admin_email) if admin_email else None
        if admin_email and admin is None:
            raise click.ClickException("No account has this e-mail address.")
        admin = admin or _english(tokens.first_admin, enterprise)
        token, secret = _english(
            tokens.create_enterprise_token, admin, enterprise, name, _permissions(permissions)
        )
    db.session.commit()
    click.echo(secret)
    click.echo(
        f"Token {token.id} ({token.permissions}); store it now, it is not shown again.", err=True
    )


@tokens_group.command("list")
@click.option("--enterprise", "credit_code", required=True)
@with_appcontext
def tokens_list(credit_code) -> None:
    """List an enterprise's tokens (prefixes only)."""
    from suyuan.services import tokens
    from suyuan.services.codes import find_enterprise

    enterprise = _english(find_enterprise, credit_code)
    for token in db.session.scalars(tokens.enterprise_tokens_query(enterprise)):
        state = "revoked" if token.is_revoked else "live"
        click.echo(f"{token.id}\t{token.prefix}…\t{state}\t{token.permissions}\t{token.name}")


@tokens_group.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def tokens_revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID at once."""
    from suyuan.models import ApiToken
    from suyuan.services import tokens

    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException("No such token.")
    changed = tokens.revoke_token(token)
    db.session.commit()
    click.echo("Revoked." if changed else "It was already revoked.")


@tokens_group.command("prune-keys")
@click.option("--hours", default=24, show_default=True, type=click.IntRange(min=1))
@with_appcontext
def tokens_prune_keys(hours: int) -> None:
    """Forget Idempotency-Key records older than HOURS (run it daily, e.g. from cron)."""
    from datetime import timedelta

    from suyuan.services.tokens import prune_idempotency_keys

    count = prune_idempotency_keys(timedelta(hours=hours))
    db.session.commit()
    click.echo(f"Forgot {count} idempotency keys.")
