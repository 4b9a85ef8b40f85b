"""Consumer feedback (工单): reports sent from the scan page, answered by the enterprise,
seen by the regulator of the enterprise's region when they concern fakes or adverse
reactions, and followed by the consumer with a check code (核对码)."""

import secrets

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from suyuan.extensions import db
from suyuan.models import Enterprise, Feedback, FeedbackEvent
from suyuan.models.feedback import FEEDBACK_CATEGORIES, FEEDBACK_STATUSES, REGULATOR_CATEGORIES
from suyuan.services.errors import DomainError
from suyuan.services.files import sniff_content_type, store_upload
from suyuan.validators import region_prefix

#: No 0/O, 1/I/L: a check code is read off a screen and typed again.
CHECK_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CHECK_LENGTH = 12

CATEGORY_LABELS = {
    "suspected_fake": _l("Suspected fake"),
    "quality": _l("Quality problem"),
    "adverse_reaction": _l("Allergy or adverse reaction"),
    "other": _l("Other"),
}
STATUS_LABELS = {
    "received": _l("Received"),
    "in_progress": _l("In progress"),
    "answered": _l("Answered"),
    "closed": _l("Closed"),
}


def category_label(value: str) -> str:
    return str(CATEGORY_LABELS.get(value, value))


def status_label(value: str) -> str:
    return str(STATUS_LABELS.get(value, value))


def new_check_code() -> str:
    return "".join(secrets.choice(CHECK_ALPHABET) for _ in range(CHECK_LENGTH))


def show_check_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize_check_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:CHECK_LENGTH]


def submit_feedback(code_range, code_index, category, description, contact="", photo=None):
    """A consumer's report on a code; returns the new Feedback with its check code."""
    if category not in FEEDBACK_CATEGORIES:
        raise DomainError(_("Please choose what the problem is."), field="category")
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Please describe the problem."), field="description")
    enterprise = db.session.get(Enterprise, code_range.enterprise_id)
    feedback = Feedback(
        check_code=new_check_code(),
        enterprise_id=enterprise.id,
        batch_id=code_range.batch_id,
        code_index=code_index,
        category=category,
        description=description[:4000],
        contact=(contact or "").strip()[:200],
        status="received",
    )
    if photo is not None and photo.filename:
        feedback.photo = _store_photo(photo, enterprise)
    feedback.events.append(FeedbackEvent(status="received"))
    db.session.add(feedback)
    db.session.flush()
    return feedback


def _store_photo(photo, enterprise):
    head = photo.stream.read(16)
    photo.stream.seek(0)
    kind = sniff_content_type(head)
    if kind is None or not kind.startswith("image/"):
        raise DomainError(_("The photo must be a PNG or JPEG image."), field="photo")
    return store_upload(photo, enterprise)


def find_by_check_code(text: str) -> Feedback | None:
    code = normalize_check_code(text)
    if len(code) != CHECK_LENGTH:
        return None
    return db.session.scalar(select(Feedback).where(Feedback.check_code == code))


def answer_feedback(feedback: Feedback, actor, status: str, message: str) -> FeedbackEvent:
    """The enterprise changes the status and/or answers; the consumer sees both."""
    if status not in FEEDBACK_STATUSES:
        raise DomainError(_("Please choose a status."), field="status")
    message = (message or "").strip()
    if status == feedback.status and not message:
        raise DomainError(_("Write an answer or choose another status."), field="message")
    if feedback.status == "closed" and status == "closed":
        raise DomainError(_("This report is closed."))
    event = FeedbackEvent(status=status, message=message[:4000], actor_id=actor.id)
    feedback.events.append(event)
    feedback.status = status
    db.session.flush()
    return event


def inbox_query(enterprise, status=None, category=None, q=""):
    """The enterprise's reports, newest first, filtered."""
    stmt = select(Feedback).where(Feedback.enterprise_id == enterprise.id)
    return _filtered(stmt, status, category, q)


def regulator_query(user, status=None, category=None, q=""):
    """Suspected fakes and adverse reactions about enterprises in the regulator's region."""
    stmt = (
        select(Feedback)
        .join(Enterprise, Feedback.enterprise_id == Enterprise.id)
        .where(
            Feedback.category.in_(REGULATOR_CATEGORIES),
            Enterprise.region_code.startswith(region_prefix(user.regulator_region)),
        )
    )
    if category not in REGULATOR_CATEGORIES:
        category = None
    return _filtered(stmt, status, category, q)


def _filtered(stmt, status, category, q):
    if status in FEEDBACK_STATUSES:
        stmt = stmt.where(Feedback.status == status)
    if category in FEEDBACK_CATEGORIES:
        stmt = stmt.where(Feedback.category == category)
    q = (q or "").strip()
    if q:
        stmt = stmt.where(
            or_(
                Feedback.description.icontains(q, autoescape=True),
                Feedback.check_code == normalize_check_code(q),
            )
        )
    return stmt.order_by(Feedback.created_at.desc(), Feedback.id.desc())


def visible_to_regulator(user, feedback: Feedback) -> bool:
    from suyuan.permissions import can_oversee

    return feedback.concerns_regulator and can_oversee(user, feedback.enterprise)
