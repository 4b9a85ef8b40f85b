"""Sign-in, sign-out, enterprise self-registration and role switching."""

from flask import Blueprint, g

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.before_app_request
def forget_cached_user_and_locale():
    # Flask-Login and Flask-Babel cache the user and the locale on ``g``, which belongs to the
    # app context, not the request: a caller that keeps one app context across requests (the
    # test fixtures do) would otherwise see the previous request's user, even after that user
    # was deactivated, and its language.
    g.pop("_login_user", None)
    g.pop("_flask_babel", None)


from suyuan.auth import views  # noqa: E402,F401
from suyuan.auth.sessions import enforce_session_lifetime  # noqa: E402

bp.before_app_request(enforce_session_lifetime)
