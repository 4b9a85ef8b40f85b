"""The producers' portal: enterprise information, products, batches, stage records, identity
codes and publication (查询管理)."""

from flask import Blueprint

bp = Blueprint("portal", __name__, template_folder="templates")

from portal import views  # noqa: E402,F401
