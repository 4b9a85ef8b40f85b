"""Notices (通知公告) from the regulators of the enterprise's region: a list, and a page that
marks the notice read for the enterprise."""

from flask import abort, g, render_template, request, send_file

from portal import bp
from suyuan.extensions import db
from suyuan.forms import page_arg
from suyuan.models import Notice
from suyuan.permissions import enterprise_role_required
from suyuan.services import notices as service
from suyuan.services.files import storage_path


def _addressed_or_404(notice_id: int) -> Notice:
    notice = db.session.get(Notice, notice_id)
    if notice is None or not service.reaches(notice, g.enterprise):
        abort(404)
    return notice


@bp.route("/notices")
@enterprise_role_required()
def notices():
    q = request.args.get("q", "").strip()
    unread_only = request.args.get("unread") == "1"
    query = service.enterprise_notices_query(g.enterprise, q=q, unread_only=unread_only)
    page = db.paginate(query, page=page_arg(), per_page=20)
    read = service.read_notice_ids(g.enterprise, [n.id for n in page.items])
    return render_template(
        "portal/notices/list.html", page=page, read=read, q=q, unread_only=unread_only
    )


@bp.route("/notices/<int:notice_id>")
@enterprise_role_required()
def notices_detail(notice_id: int):
    from flask_login import current_user

    notice = _addressed_or_404(notice_id)
    service.mark_read(notice, g.enterprise, current_user)
    db.session.commit()
    return render_template("portal/notices/detail.html", notice=notice)


@bp.route("/notices/<int:notice_id>/file")
@enterprise_role_required()
def notices_file(notice_id: int):
    notice = _addressed_or_404(notice_id)
    return send_notice_file(notice)


def send_notice_file(notice: Notice):
    if not notice.has_file or not storage_path(notice.file_sha256).is_file():
        abort(404)
    response = send_file(
        storage_path(notice.file_sha256),
        mimetype=notice.file_type,
        download_name=notice.file_name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.app_context_processor
def notice_overview():
    """``overview_notices()`` for the portal start page: the latest notices and which are read."""

    def overview_notices(limit: int = 5) -> dict:
        enterprise = g.get("enterprise")
        if enterprise is None:
            return {"items": [], "read": set()}
        items = db.session.scalars(service.enterprise_notices_query(enterprise).limit(limit)).all()
        return {"items": items, "read": service.read_notice_ids(enterprise, [n.id for n in items])}

    return {"overview_notices": overview_notices}
