"""Public query views: the code-entry page, the scan page (HTML or JSON) and published files.

Every error page of a scan says only what is wrong with the code, never whose it is. A voided
code answers 410 Gone: the code existed, and the producer withdrew it on purpose.
"""

from flask import (
    abort,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from query import bp
from suyuan.errors import wants_json
from suyuan.extensions import db, limiter
from suyuan.identity import CodeError, code_key, normalize
from suyuan.models import Attachment
from suyuan.services.codes import resolve_code
from suyuan.services.files import storage_path
from suyuan.services.trace import is_file_public, public_chain

SCAN_LIMIT = "120 per minute"
FILE_MAX_AGE = 30 * 24 * 3600


@bp.route("/")
def index():
    return render_template("query/index.html")


@bp.route("/lookup")
def lookup():
    code = normalize(request.args.get("code", ""))
    if not code:
        return redirect(url_for("query.index"))
    return redirect(url_for("query.scan", code=code))


@bp.route("/q/<code>")
@limiter.limit(SCAN_LIMIT)
def scan(code):
    as_json = code.endswith(".json")
    code = normalize(code[:-5] if as_json else code)
    as_json = as_json or wants_json()
    try:
        index = code_key().decode(code)
    except CodeError as error:
        return _problem(error.reason, code, as_json)
    code_range = resolve_code(index)
    if code_range is None:
        return _problem("unregistered", code, as_json)
    chain = public_chain(code, code_range)
    status = 410 if chain["status"] == "void" else 200
    if as_json:
        body = chain
        if status == 410:
            body = {"error": _("This code was voided by the producer"), "reason": "void", **chain}
        return _vary(jsonify(body), status)
    return _vary(render_template("query/scan.html", chain=chain, preview=False), status)


@bp.route("/files/<int:attachment_id>/<name>")
@limiter.limit(SCAN_LIMIT)
def file(attachment_id, name):
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.filename != name or not is_file_public(attachment):
        abort(404)
    path = storage_path(attachment.sha256)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=attachment.content_type,
        download_name=attachment.filename,
        max_age=FILE_MAX_AGE,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.public = True
    return response


def problem_message(reason: str) -> str:
    if reason == "format":
        return _("An identity code has 20 digits")
    if reason == "checksum":
        return _("One of the digits is mistyped: please check the digits")
    return _("This is not a registered identity code")


def _problem(reason: str, code: str, as_json: bool):
    # "version" and "forged" look the same as an unbound code: no oracle for guessing.
    public_reason = reason if reason in ("format", "checksum") else "unregistered"
    message = problem_message(public_reason)
    if as_json:
        return _vary(jsonify(error=message, reason=public_reason), 404)
    page = render_template("query/problem.html", message=message, code=code[:40])
    return _vary(page, 404)


def _vary(body, status: int):
    response = make_response(body, status)
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    response.headers["Cache-Control"] = "no-cache"
    return response
