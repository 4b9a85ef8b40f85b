"""Filings (备案): what each kind covers, locking while under review, submit / approve / reject,
and the regulator's region-scoped queries."""

import json

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from suyuan.extensions import db
from suyuan.models import Enterprise, Filing, FilingEvent, Product, User
from suyuan.models.base import utcnow
from suyuan.services.errors import DomainError, NotAllowed
from suyuan.validators import region_prefix

ENTERPRISE_FILED_FIELDS = (
    "name",
    "credit_code",
    "region_code",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
)
PRODUCT_FILED_FIELDS = ("name", "category", "spec", "packaging_spec", "gtin")
FILED_FIELDS = {"enterprise": ENTERPRISE_FILED_FIELDS, "product": PRODUCT_FILED_FIELDS}

#: A filing in review or approved pins the fields it covers; draft and rejected ones do not.
LOCKING_STATUSES = ("submitted", "approved")
SUBMITTABLE_STATUSES = ("draft", "rejected")


def is_locked(filing: Filing | None) -> bool:
    return filing is not None and filing.status in LOCKING_STATUSES


def filed_object(filing: Filing):
    return filing.product if filing.kind == "product" else filing.enterprise


def refuse_locked_changes(filing: Filing | None, obj, values: dict) -> None:
    """Refuse any change to a filed field of ``obj`` while ``filing`` locks it."""
    if not is_locked(filing):
        return
    for field in FILED_FIELDS[filing.kind]:
        if field in values and (values[field] or None) != (getattr(obj, field) or None):
            raise NotAllowed(
                _(
                    "This field is covered by the filing, which is submitted or approved: "
                    "it cannot be changed now."
                ),
                field=field,
            )


def snapshot_of(filing: Filing) -> dict:
    obj = filed_object(filing)
    return {field: getattr(obj, field) for field in FILED_FIELDS[filing.kind]}


def read_snapshot(filing: Filing) -> dict:
    return json.loads(filing.snapshot or "{}")


def _log(filing: Filing, action: str, actor: User, reason: str = "") -> None:
    db.session.add(FilingEvent(filing=filing, action=action, actor_id=actor.id, reason=reason))


def submit_filing(filing: Filing, actor: User) -> None:
    """提交评审: freeze the filed fields into the snapshot and put the filing in the queue."""
    if filing.status not in SUBMITTABLE_STATUSES:
        raise NotAllowed(_("Only a draft or rejected filing can be submitted."))
    filing.snapshot = json.dumps(snapshot_of(filing), ensure_ascii=False)
    filing.status = "submitted"
    filing.submitted_at = utcnow()
    filing.decided_at = None
    filing.decided_by_id = None
    _log(filing, "submit", actor)
    db.session.flush()


def _decide(filing: Filing, actor: User, status: str, reason: str) -> None:
    if filing.status != "submitted":
        raise NotAllowed(_("Only a filing that is submitted for review can be decided."))
    filing.status = status
    filing.reason = reason
    filing.decided_at = utcnow()
    filing.decided_by_id = actor.id
    _log(filing, "approve" if status == "approved" else "reject", actor, reason)
    db.session.flush()


def approve_filing(filing: Filing, actor: User) -> None:
    _decide(filing, actor, "approved", "")


def reject_filing(filing: Filing, actor: User, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the rejection."), field="reason")
    _decide(filing, actor, "rejected", reason)


def in_region(region: str):
    """SQL condition: the enterprise lies in ``region`` (a regulator's scope)."""
    return Enterprise.region_code.like(region_prefix(region) + "%")


def regulator_filings_query(user: User, *, status=None, kind=None, q=""):
    """The filings a regulator may see, newest submission first, filtered in SQL."""
    query = (
        select(Filing)
        .join(Enterprise, Filing.enterprise_id == Enterprise.id)
        .outerjoin(Product, Filing.product_id == Product.id)
        .where(in_region(user.regulator_region))
    )
    if status:
        query = query.where(Filing.status == status)
    if kind:
        query = query.where(Filing.kind == kind)
    if q:
        pattern = f"%{q.strip()}%"
        query = query.where(
            or_(
                Enterprise.name.ilike(pattern),
                Enterprise.credit_code.ilike(pattern),
                Product.name.ilike(pattern),
            )
        )
    return query.order_by(Filing.submitted_at.desc().nulls_last(), Filing.id.desc())


def enterprise_filings_query(enterprise: Enterprise, *, status=None, q=""):
    """The enterprise's product filings for its own filings page."""
    query = (
        select(Filing)
        .join(Product, Filing.product_id == Product.id)
        .where(Filing.enterprise_id == enterprise.id, Filing.kind == "product")
    )
    if status:
        query = query.where(Filing.status == status)
    if q:
        query = query.where(Product.name.ilike(f"%{q.strip()}%"))
    return query.order_by(Product.name, Product.id)


def pending_count(user: User) -> int:
    """How many filings wait for a decision in the regulator's region."""
    query = regulator_filings_query(user, status="submitted").order_by(None)
    return db.session.scalar(select(func.count()).select_from(query.subquery()))
