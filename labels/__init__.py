"""QR labels: pure renderers (``labels.render``) and the views that check ownership and
stream their output."""

from flask import Blueprint

bp = Blueprint("labels", __name__, template_folder="templates")

from labels import views  # noqa: E402,F401
