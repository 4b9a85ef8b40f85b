"""Public query views: the code-entry page."""

from flask import redirect, render_template, request, url_for

from query import bp
from suyuan.identity import normalize


@bp.route("/")
def index():
    return render_template("query/index.html")


@bp.route("/lookup")
def lookup():
    code = normalize(request.args.get("code", ""))
    if not code:
        return redirect(url_for("query.index"))
    return redirect(url_for("query.scan", code=code))
