"""Console views for regulators and the platform admin."""

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from suyuan.permissions import _refuse, login_required
from suyuan.services.filings import pending_count


@bp.route("/")
@login_required
def index():
    if not (current_user.is_regulator or current_user.is_platform_admin):
        _refuse(403, _("This page is for regulators and platform administrators."))
    pending = pending_count(current_user) if current_user.is_regulator else None
    return render_template("admin/index.html", pending=pending)
