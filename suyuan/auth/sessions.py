"""Session lifetime for staff: an idle timeout and an absolute timeout.

Every signed-in person is staff (consumers never sign in), so both apply to every session:
after ``SESSION_IDLE_MINUTES`` without a request, or ``SESSION_ABSOLUTE_HOURS`` after signing
in, the next request signs the person out and asks them to sign in again.
"""

import time

from flask import current_app, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from suyuan.errors import wants_json

#: Refresh the last-seen time at most this often, so most responses carry no new cookie.
SEEN_RESOLUTION = 60


def mark_signed_in() -> None:
    now = time.time()
    session["_started"] = now
    session["_seen"] = now


def expired_reason(now: float) -> str | None:
    started, seen = session.get("_started"), session.get("_seen")
    if started is None or seen is None:
        return _("Please sign in again.")
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    if now - started > absolute:
        return _(
            "You were signed out: sessions end %(hours)d hours after signing in.",
            hours=current_app.config["SESSION_ABSOLUTE_HOURS"],
        )
    if now - seen > idle:
        return _(
            "You were signed out after %(minutes)d minutes without activity.",
            minutes=current_app.config["SESSION_IDLE_MINUTES"],
        )
    return None


def enforce_session_lifetime():
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = time.time()
    reason = expired_reason(now)
    if reason is None:
        if now - session["_seen"] >= SEEN_RESOLUTION:
            session["_seen"] = now
        return None
    logout_user()
    session.clear()
    if wants_json():
        return jsonify({"error": reason}), 401
    flash(reason, "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
