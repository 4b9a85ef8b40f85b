"""Public query views: the code-entry page, the scan page (HTML or JSON) and published files.

Every error page of a scan says only what is wrong with the code, never whose it is. A voided
code answers 410 Gone: the code existed, and the producer withdrew it on purpose.
"""

from flask import (
    abort,
    current_app,
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
from query.forms import FeedbackForm, RegionForm
from query.scanning import observe
from suyuan.clients import client_address
from suyuan.errors import wants_json
from suyuan.extensions import db, limiter
from suyuan.identity import CodeError, code_key, normalize
from suyuan.models import Attachment
from suyuan.services.codes import pool_at, resolve_code
from suyuan.services.files import storage_path
from suyuan.services.trace import is_file_public, public_chain
from suyuan.services.verdict import verdict_for
from suyuan.validators import region_error

FILE_MAX_AGE = 30 * 24 * 3600
REGION_COOKIE = "suyuan_region"


def scan_limit() -> str:
    return current_app.config["SCAN_RATE_LIMIT"]


def failure_limit() -> str:
    return current_app.config["SCAN_FAILURE_LIMIT"]


def global_limit() -> str:
    return current_app.config["SCAN_GLOBAL_LIMIT"]


def is_failure(response) -> bool:
    """A code that does not resolve: what an enumerating client mostly gets."""
    return response.status_code == 404


def everyone() -> str:
    return "everyone"


def throttled(_limit):
    """The 429 answer, built cheaply: a throttled guesser may send thousands of requests."""
    message = _("Too many requests; please wait a moment")
    if wants_json():
        response = jsonify(error=message, status=429)
    else:
        response = make_response(render_template("error.html", status=429, title=message))
    response.status_code = 429
    return response


# Per client; per client counting only failures (throttles guessing far sooner); and one
# budget for the whole site, so that many clients together cannot walk the code space.
scan_limits = [
    limiter.limit(scan_limit, key_func=client_address, on_breach=throttled),
    limiter.limit(
        failure_limit,
        key_func=client_address,
        deduct_when=is_failure,
        scope="scan-failures",
        on_breach=throttled,
    ),
    limiter.shared_limit(global_limit, scope="scan-global", key_func=everyone, on_breach=throttled),
]


def limited(view):
    for decorate in reversed(scan_limits):
        view = decorate(view)
    return view


@bp.route("/")
def index():
    return render_template("query/index.html")


@bp.route("/lookup")
def lookup():
    code = normalize(request.args.get("code", ""))
    if not code:
        return redirect(url_for("query.index"))
    return redirect(url_for("query.scan", code=code, via="typed"))


@bp.route("/q/<code>")
@limited
def scan(code):
    return scan_page(code)


def scan_page(code: str):
    """The scan answer (HTML or JSON) without the rate limits: the GS1 serial page and the
    EPCIS export reuse it under their own (identical) limits."""
    as_json = code.endswith(".json")
    code = normalize(code[:-5] if as_json else code)
    as_json = as_json or wants_json()
    try:
        index = code_key().decode(code)
    except CodeError as error:
        return _problem(error.reason, code, as_json)
    code_range = resolve_code(index)
    if code_range is None:
        return _unresolved(index, code, as_json)
    chain = public_chain(code, code_range)
    observation = observe(code_range, index, _channel(as_json), _region(as_json))
    verdict = verdict_for(
        observation.state,
        observation.history,
        observation.scan,
        observation.rules,
        observation.sales_regions,
        recall=chain.get("recall"),
        is_new=observation.is_new,
    )
    observation.record(verdict)
    status = 410 if chain["status"] == "void" else 200
    if as_json:
        body = {**chain, **public_verdict(verdict)}
        if status == 410:
            body["error"], body["reason"] = _("This code was voided by the producer"), "void"
        return _vary(jsonify(body), status)
    page = render_template(
        "query/scan.html",
        chain=chain,
        verdict=verdict,
        preview=False,
        region_form=RegionForm(formdata=None, region=request.cookies.get(REGION_COOKIE)),
        feedback_form=FeedbackForm(formdata=None),
    )
    return _vary(page, status)


def public_verdict(verdict: dict) -> dict:
    return {key: verdict[key] for key in ("verdict", "scan", "reasons")}


def _channel(as_json: bool) -> str:
    if as_json:
        return "json"
    return "typed" if request.args.get("via") == "typed" else "qr"


def _region(as_json: bool) -> str | None:
    """The region the consumer shared: ``?region=`` (API clients), else their cookie."""
    value = request.args.get("region") if as_json else None
    value = value or request.cookies.get(REGION_COOKIE)
    value = (value or "").strip()
    return value if value and region_error(value) is None else None


def _unresolved(index: int, code: str, as_json: bool):
    if pool_at(index) is None:
        return _problem("unregistered", code, as_json)
    verdict = verdict_for("not_activated", _empty_history())
    message = verdict["reasons"][0]
    if as_json:
        body = {"error": message, "reason": "not_activated", **public_verdict(verdict)}
        return _vary(jsonify(body), 404)
    page = render_template(
        "query/problem.html", message=message, code=code[:40], verdict="not_activated"
    )
    return _vary(page, 404)


def _empty_history():
    from suyuan.services.scans import ScanHistory

    return ScanHistory()


@bp.route("/files/<int:attachment_id>/<name>")
@limiter.limit(scan_limit, key_func=client_address)
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
        return _vary(jsonify(error=message, reason=public_reason, verdict="unknown"), 404)
    page = render_template("query/problem.html", message=message, code=code[:40], verdict="unknown")
    return _vary(page, 404)


def _vary(body, status: int):
    response = make_response(body, status)
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    response.headers["Cache-Control"] = "no-cache"
    return response
