"""QR labels: pure renderers (``labels.render``, ``labels.engine``), print runs
(``labels.runs``) and the views that check ownership and stream their output."""

from flask import Blueprint

bp = Blueprint("labels", __name__, template_folder="templates", static_folder="static")

from labels import run_views, views  # noqa: E402,F401
