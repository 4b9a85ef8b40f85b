"""Who is calling: a bearer token in the Authorization header, never in the query string and
never a session cookie (so CSRF cannot apply to the API), and what the token may do."""

from functools import wraps

from flask import abort, g, request
from flask_babel import gettext as _

from suyuan.extensions import db
from suyuan.services import tokens

#: Query parameters that look like a credential; any value with the token prefix counts too.
CREDENTIAL_PARAMS = frozenset({"access_token", "token", "api_key", "apikey", "auth", "bearer"})


def _refuse_token_in_query() -> None:
    names = {name.lower() for name in request.args}
    values = request.args.to_dict(flat=False).values()
    if names & CREDENTIAL_PARAMS or any(
        v.startswith(tokens.TOKEN_PREFIX) for vs in values for v in vs
    ):
        abort(
            400,
            description=_(
                "API tokens are not accepted in the query string (URLs end up in logs). "
                "Send the token in the Authorization header: Bearer <token>."
            ),
        )


def _bearer_secret() -> str:
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        abort(
            401, description=_("Send your API token in the Authorization header: Bearer <token>.")
        )
    return secret.strip()


def authenticate_request(kind: str) -> None:
    """Run before every API view: find the live token and check it fits the endpoint ``kind``
    ("enterprise" or "regulator")."""
    _refuse_token_in_query()
    token = tokens.authenticate(_bearer_secret())
    if token is None:
        abort(401, description=_("This API token is unknown or has been revoked."))
    if kind == "regulator" and not token.is_regulator:
        abort(403, description=_("Regulator endpoints need a regulator's token."))
    if kind == "enterprise" and token.is_regulator:
        abort(403, description=_("A regulator's token can only use the regulator endpoints."))
    g.api_token = token
    g.api_user = token.created_by
    g.enterprise = token.enterprise
    tokens.touch(token)
    db.session.commit()


def requires(permission: str):
    """The token needs ``permission``; the spec's operation description says so."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if permission not in g.api_token.permission_set:
                abort(
                    403,
                    description=_(
                        "This token lacks the “%(permission)s” permission.", permission=permission
                    ),
                )
            return view(*args, **kwargs)

        note = f"Needs the `{permission}` permission."
        wrapped.__doc__ = f"{(view.__doc__ or '').rstrip()}\n\n{note}"
        return wrapped

    return decorator


def acting_user():
    """The person the token acts as: the admin who created it, or the regulator."""
    return g.api_user
