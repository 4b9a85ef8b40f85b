"""The public query site: enter or scan a code, see the published trace chain."""

from flask import Blueprint

bp = Blueprint("query", __name__, template_folder="templates")

from query import digital_link, epcis, feedback, help, meta, views  # noqa: E402,F401
