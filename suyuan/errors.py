"""Error pages: HTML for people, JSON for API clients, same status codes for both."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from suyuan.extensions import db
from suyuan.services.errors import DomainError


def wants_json() -> bool:
    """The client asked for JSON: a .json or /api/ path, or JSON preferred over HTML."""
    if request.path.endswith(".json") or request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _titles() -> dict:
    return {
        400: _("The request could not be understood"),
        401: _("Please log in"),
        403: _("You are not allowed to do this"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("The file is too large"),
        429: _("Too many requests; please wait a moment"),
        500: _("Something went wrong on our side"),
    }


def render_error(status: int, message: str | None = None):
    title = _titles().get(status, _("Error"))
    if wants_json():
        return jsonify(error=message or title, status=status), status
    return render_template("error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400, _("The form expired or was sent from elsewhere. Please try again.")
        )

    @app.errorhandler(DomainError)
    def domain_error(error):
        db.session.rollback()
        return render_error(error.status_code, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.response is not None:
            return error.response
        description = error.description if error.description != type(error).description else None
        return render_error(error.code or 500, description)

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def out_of_range(error):
        # A search or page number too large for the database: the client's mistake, not ours.
        db.session.rollback()
        return render_error(400, _("A number in the request is out of range."))

    @app.errorhandler(Exception)
    def server_error(error):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return render_error(500)
