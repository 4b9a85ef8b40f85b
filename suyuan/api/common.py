"""What every resource module shares: its blueprint (authenticated, rate-limited, CSRF-exempt,
JSON errors), safe input fields and scoped lookups."""

from datetime import date, datetime

from flask import abort, current_app, g, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from marshmallow import ValidationError, fields, validate

from suyuan.api import errors
from suyuan.api.auth import authenticate_request
from suyuan.extensions import csrf, db, limiter
from suyuan.services.errors import DomainError
from suyuan.services.tokens import hash_secret

#: Ids are 32-bit in the database; anything larger cannot exist (and must not reach SQL).
MAX_ID = 2**31 - 1
#: Blueprints to register, in order, filled by ``resource_blueprint``.
BLUEPRINTS: list[Blueprint] = []


def rate_limit_key() -> str:
    """Per token (hashed, so the limiter's storage never holds a secret); per address when
    no token is sent."""
    header = request.headers.get("Authorization", "")
    if header:
        return "api-token:" + hash_secret(header)
    return "api-addr:" + (request.remote_addr or "")


def rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", "600 per minute")


def resource_blueprint(name: str, description: str, *, kind: str = "enterprise") -> Blueprint:
    """A resource's blueprint: every request authenticates with a token of ``kind``."""
    bp = Blueprint(f"api_{name}", __name__, description=description)
    bp.before_request(lambda: authenticate_request(kind))
    bp.after_request(_no_cookies)
    errors.register_on(bp)
    csrf.exempt(bp)
    limiter.limit(rate_limit, key_func=rate_limit_key)(bp)
    BLUEPRINTS.append(bp)
    return bp


def _no_cookies(response):
    """The API never sets a cookie (a ?lang= switch would otherwise be remembered in one)."""
    session.modified = False
    return response


# Input fields


def _safe_text(value: str) -> None:
    if "\x00" in value or any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise ValidationError(_("Text may not contain NUL characters or broken Unicode."))


def Text(max_length: int, *, required: bool = False, **kwargs) -> fields.String:  # noqa: N802
    """A string field that fits its column and that every database can store."""
    checks = [validate.Length(max=max_length, error=_l("At most {max} characters.")), _safe_text]
    if required:
        checks.insert(0, validate.Length(min=1, error=_l("This field may not be empty.")))
    return fields.String(required=required, validate=checks, **kwargs)


def Id(**kwargs) -> fields.Integer:  # noqa: N802
    return fields.Integer(validate=between(1, MAX_ID), **kwargs)


def between(low: int, high: int) -> validate.Range:
    return validate.Range(min=low, max=high, error=_l("Give a number from {min} to {max}."))


def one_of(choices) -> validate.OneOf:
    return validate.OneOf(list(choices), error=_l("Choose one of: {choices}."))


def _plausible_year(value) -> None:
    if not 1900 <= value.year <= 2200:
        raise ValidationError(_("Give a year between 1900 and 2200."))


def Day(**kwargs) -> fields.Date:  # noqa: N802
    return fields.Date(validate=_plausible_year, **kwargs)


def Moment(**kwargs) -> fields.DateTime:  # noqa: N802
    return fields.DateTime(validate=_plausible_year, **kwargs)


# Scoped lookups


def get_or_404(model, object_id: int):
    if not 1 <= object_id <= MAX_ID:
        abort(404)
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def owned_or_404(model, object_id: int):
    """An object of the token's enterprise; another enterprise's answers 404 like a missing one."""
    obj = get_or_404(model, object_id)
    if obj.enterprise_id != g.enterprise.id:
        abort(404)
    return obj


def owned_or_invalid(model, object_id: int, field: str):
    """For an id given in the body: a missing or foreign object is an invalid field (422),
    with the same message either way."""
    obj = db.session.get(model, object_id)
    if obj is None or obj.enterprise_id != g.enterprise.id:
        raise DomainError(_("No such item in your enterprise."), field=field)
    return obj


def no_content():
    return current_app.response_class(status=204)


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
