"""Consoles for regulators (filings, enterprises in their region) and the platform admin
(accounts, identity-code pools)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates")

from admin import views  # noqa: E402,F401
