"""Errors on /api/v1: one JSON shape, ``{"error": {"code", "message", "fields"}}``, for every
status, whether a view aborts, a service refuses, webargs rejects the input or routing fails."""

from flask import jsonify, request
from flask_babel import gettext as _
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from suyuan.api.messages import translated
from suyuan.extensions import db
from suyuan.services.errors import DomainError

API_PREFIX = "/api/v1/"

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "server_error",
}


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"description": "Stable machine-readable code."})
    message = fields.String(required=True, metadata={"description": "A translated sentence."})
    fields = fields.Dict(
        keys=fields.String(),
        metadata={"description": "Per input field: the list of what is wrong with it."},
    )


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


def _default_messages() -> dict:
    return {
        400: _("The request could not be understood."),
        401: _("Send a valid API token in the Authorization header: Bearer <token>."),
        403: _("This token may not do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        409: _("This conflicts with the current state of the data."),
        413: _("The request is too large."),
        415: _("Send the body as application/json."),
        422: _("Some fields are not valid."),
        429: _("Too many requests; slow down and try again shortly."),
        500: _("Something went wrong on our side."),
    }


def error_response(status: int, message: str | None = None, fields: dict | None = None, code=None):
    body = {
        "code": code or CODES.get(status, "error"),
        "message": message or _default_messages().get(status, _("Error")),
        "fields": fields or {},
    }
    response = jsonify(error=body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="suyuan"'
    return response


def _webargs_fields(error: HTTPException) -> dict:
    """webargs puts its messages in ``error.data["messages"]`` keyed by location; the API shows
    them keyed by field (locations never share field names here)."""
    messages = (getattr(error, "data", None) or {}).get("messages") or {}
    merged: dict = {}
    for by_field in messages.values():
        if isinstance(by_field, dict):
            merged.update(by_field)
        else:
            merged.setdefault("_body", []).extend(by_field)
    return translated(merged)


def handle_http_exception(error: HTTPException):
    db.session.rollback()
    status = error.code or 500
    fields = _webargs_fields(error)
    custom = error.description if error.description != type(error).description else None
    if status == 400 and "_body" in fields:
        custom = _("The body is not valid JSON.")
    if status == 422 and not fields:
        custom = custom or _("Some fields are not valid.")
    response = error_response(status, custom, fields)
    if error.response is None and isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_domain_error(error: DomainError):
    """A service's refusal: a plain one is invalid input (422), a state clash is 409."""
    db.session.rollback()
    status = 422 if error.status_code == 400 else error.status_code
    fields = {error.field: [error.message]} if error.field else {}
    return error_response(status, error.message, fields)


def handle_unexpected(error: Exception):
    from flask import current_app

    db.session.rollback()
    current_app.logger.exception("unhandled API error")
    return error_response(500)


def register_on(blueprint) -> None:
    blueprint.register_error_handler(HTTPException, handle_http_exception)
    blueprint.register_error_handler(DomainError, handle_domain_error)
    blueprint.register_error_handler(Exception, handle_unexpected)


def register_routing_errors(app) -> None:
    """Unknown paths and methods under /api/v1 fail in routing, before any blueprint is known,
    so the app-wide page for them would answer; these handlers answer API clients in the API
    shape and hand everything else to the app's usual error page."""
    from suyuan.errors import render_error

    def routing_error(error: HTTPException):
        if request.path.startswith(API_PREFIX):
            return handle_http_exception(error)
        if error.response is not None:
            return error.response
        custom = error.description if error.description != type(error).description else None
        return render_error(error.code, custom)

    app.register_error_handler(NotFound, routing_error)
    app.register_error_handler(MethodNotAllowed, routing_error)
