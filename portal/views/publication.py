"""Query management (查询管理): open and close items for public query, the log of every
toggle, and the preview of what a consumer sees for one code."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from portal import bp
from suyuan.auth.views import safe_next
from suyuan.extensions import db
from suyuan.identity import CodeError, code_key, normalize
from suyuan.models import Batch, CodeRange, Product, PublicationEvent, StageRecord, User
from suyuan.permissions import enterprise_role_required, get_owned_or_404
from suyuan.services.codes import resolve_code
from suyuan.services.errors import DomainError
from suyuan.services.publication import (
    ITEM_MODELS,
    is_item_public,
    set_batch_records_public,
    set_public,
)
from suyuan.services.trace import preview_chain

PER_PAGE = 20
STATES = ("open", "closed")


@bp.route("/publication")
@enterprise_role_required("admin")
def publication():
    enterprise = g.enterprise
    q = request.args.get("q", "").strip()
    state = request.args.get("state", "")
    stmt = select(Batch).join(Product).where(Batch.enterprise_id == enterprise.id)
    if q:
        stmt = stmt.where(
            or_(
                Batch.lot_number.icontains(q, autoescape=True),
                Product.name.icontains(q, autoescape=True),
            )
        )
    if state in STATES:
        stmt = stmt.where(Batch.is_public.is_(state == "open"))
    stmt = stmt.order_by(Batch.production_date.desc(), Batch.id.desc())
    page = db.paginate(stmt, page=_page(), per_page=PER_PAGE, error_out=False)
    items = [row for row in public_items(enterprise) if _state_matches(row, state)]
    return render_template("portal/publication/index.html", items=items, batches=page, state=state)


@bp.route("/publication/batches/<int:batch_id>")
@enterprise_role_required("admin")
def publication_batch(batch_id):
    batch = get_owned_or_404(Batch, batch_id)
    return render_template(
        "portal/publication/batch.html",
        batch=batch,
        records=batch.submitted_records,
        preview_code=_preview_code(batch),
    )


@bp.route("/publication/<item_type>/<int:item_id>/<any(open, close):action>", methods=["POST"])
@enterprise_role_required("admin")
def publication_toggle(item_type, item_id, action):
    item = _owned_item_or_404(item_type, item_id)
    back = _back(item_type, item)
    try:
        changed = set_public(current_user, item, action == "open", item_type=item_type)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    if not changed:
        flash(_("Nothing changed."), "warning")
    elif action == "open":
        flash(_("Opened for public query."), "success")
    else:
        flash(_("Closed for public query."), "success")
    return redirect(back)


@bp.route("/publication/batches/<int:batch_id>/records/<any(open, close):action>", methods=["POST"])
@enterprise_role_required("admin")
def publication_batch_records(batch_id, action):
    batch = get_owned_or_404(Batch, batch_id)
    changed = set_batch_records_public(current_user, batch, action == "open")
    db.session.commit()
    if action == "open":
        flash(_("%(n)s stage records opened for public query.", n=changed), "success")
    else:
        flash(_("%(n)s stage records closed for public query.", n=changed), "success")
    return redirect(url_for("portal.publication_batch", batch_id=batch.id))


@bp.route("/publication/log")
@enterprise_role_required("admin")
def publication_log():
    q = request.args.get("q", "").strip()
    stmt = (
        select(PublicationEvent)
        .join(User, PublicationEvent.actor_id == User.id)
        .where(PublicationEvent.enterprise_id == g.enterprise.id)
    )
    if q:
        stmt = stmt.where(
            or_(
                PublicationEvent.item_label.icontains(q, autoescape=True),
                User.name.icontains(q, autoescape=True),
            )
        )
    stmt = stmt.order_by(PublicationEvent.created_at.desc(), PublicationEvent.id.desc())
    page = db.paginate(stmt, page=_page(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "portal/publication/log.html", events=page, item_type_labels=item_type_labels()
    )


@bp.route("/preview")
@enterprise_role_required()
def preview():
    code = normalize(request.args.get("code", ""))[:40]
    if not code:
        return render_template("portal/publication/preview.html", code="", message=None)
    code_range = _own_range(code, g.enterprise)
    if code_range is None:
        message = _("This code is not bound to a batch of your enterprise.")
        page = render_template("portal/publication/preview.html", code=code, message=message)
        return page, 404
    return render_template("query/scan.html", chain=preview_chain(code, code_range), preview=True)


def item_type_labels() -> dict:
    return {
        "enterprise_profile": _("Enterprise profile"),
        "filings": _("Filing status"),
        "production_area": _("Production area"),
        "product": _("Product"),
        "batch": _("Batch"),
        "stage_record": _("Stage record"),
        "attachment": _("Attachment"),
    }


def public_items(enterprise) -> list[dict]:
    """The public-info items of seed 002, in the order the page lists them."""
    rows = [
        _row("enterprise_profile", enterprise, _("Enterprise profile"), enterprise.name),
        _row("filings", enterprise, _("Filing status"), _("Enterprise and product filings")),
    ]
    rows += [_row("production_area", a, _("Production area"), a.name) for a in enterprise.areas]
    for product in enterprise.products:
        rows.append(_row("product", product, _("Product"), product.name))
        rows += [
            _row("attachment", image, _("Product image"), f"{product.name} · {image.filename}")
            for image in product.images
        ]
    return rows


def _row(item_type, item, kind, label) -> dict:
    return {
        "type": item_type,
        "id": item.id,
        "kind": kind,
        "label": label,
        "is_public": is_item_public(item, item_type),
    }


def _state_matches(row: dict, state: str) -> bool:
    return state not in STATES or row["is_public"] == (state == "open")


def _owned_item_or_404(item_type: str, item_id: int):
    """The item inside the current enterprise; another enterprise's item answers 404."""
    if item_type not in ITEM_MODELS:
        abort(404)
    if item_type in ("enterprise_profile", "filings"):
        if item_id != g.enterprise.id:
            abort(404)
        return g.enterprise
    if item_type == "stage_record":
        record = db.session.get(StageRecord, item_id)
        if record is None:
            abort(404)
        get_owned_or_404(Batch, record.batch_id)
        return record
    return get_owned_or_404(ITEM_MODELS[item_type][0], item_id)


def _back(item_type: str, item) -> str:
    target = safe_next(request.args.get("next"))
    if target and target.startswith("/portal/"):
        return target
    if item_type == "batch":
        return url_for("portal.publication_batch", batch_id=item.id)
    if item_type == "stage_record":
        return url_for("portal.publication_batch", batch_id=item.batch_id)
    if item_type == "attachment" and item.stage_record is not None:
        return url_for("portal.publication_batch", batch_id=item.stage_record.batch_id)
    return url_for("portal.publication")


def _own_range(code: str, enterprise) -> CodeRange | None:
    try:
        index = code_key().decode(code)
    except CodeError:
        return None
    code_range = resolve_code(index)
    if code_range is None or code_range.enterprise_id != enterprise.id:
        return None
    return code_range


def _preview_code(batch) -> str | None:
    """A code of the batch's first bound range, to preview the batch as consumers see it."""
    start = db.session.scalar(
        select(CodeRange.start_index)
        .where(CodeRange.batch_id == batch.id, CodeRange.status == "bound")
        .order_by(CodeRange.start_index)
        .limit(1)
    )
    return code_key().encode(start) if start is not None else None


def _page() -> int:
    return max(request.args.get("page", 1, type=int), 1)
