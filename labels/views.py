"""Label views: load the code (404 outside the caller's enterprise), then render."""

from flask import Response, abort, current_app

from labels import bp
from labels.render import code_url, qr_png, qr_svg
from suyuan.identity import CodeError, code_key
from suyuan.permissions import current_enterprise, login_required
from suyuan.services.codes import pool_at

RENDERERS = {"svg": (qr_svg, "image/svg+xml"), "png": (qr_png, "image/png")}


@bp.route("/code/<code>.<any(svg, png):fmt>")
@login_required
def code_qr(code: str, fmt: str):
    """The QR of one code, for a member of the enterprise whose pool holds it."""
    try:
        index = code_key().decode(code)
    except CodeError:
        abort(404)
    enterprise = current_enterprise()
    pool = pool_at(index)
    if enterprise is None or pool is None or pool.enterprise_id != enterprise.id:
        abort(404)
    canonical = code_key().encode(index)
    render, mimetype = RENDERERS[fmt]
    body = render(code_url(current_app.config["BASE_URL"], canonical))
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{canonical}.{fmt}"'},
    )
