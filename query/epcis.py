"""The public EPCIS 2.0 export of one code: ``/q/<code>/epcis.json``, published items only.

It answers the same errors as the scan page (404 for an unknown or mistyped code, 410 for
a voided one), as JSON.
"""

from flask import current_app, jsonify

from query import bp, views
from suyuan.extensions import limiter
from suyuan.identity import CodeError, code_key, normalize
from suyuan.services.codes import resolve_code
from suyuan.services.epcis import MEDIA_TYPE, public_code_document


@bp.route("/q/<code>/epcis.json")
@limiter.limit(views.SCAN_LIMIT)
def scan_epcis(code):
    code = normalize(code)
    try:
        index = code_key().decode(code)
    except CodeError as error:
        return views._problem(error.reason, code, as_json=True)
    code_range = resolve_code(index)
    if code_range is None:
        return views._problem("unregistered", code, as_json=True)
    if code_range.status == "void":
        return views.scan.__wrapped__(code + ".json")  # the scan page's own 410
    document = public_code_document(code, code_range, current_app.config["BASE_URL"])
    response = jsonify(document)
    response.mimetype = MEDIA_TYPE
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-cache"
    return response
