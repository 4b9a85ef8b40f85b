"""Sign-in, sign-out, enterprise self-registration and role switching."""

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")

from suyuan.auth import views  # noqa: E402,F401
