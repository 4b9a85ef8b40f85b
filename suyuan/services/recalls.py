"""Recalls (产品召回): declared by an enterprise or ordered by a regulator, on whole batches or
code ranges; declared → notified downstream → in progress → completed, every step recorded.

A recall is shown on every scan of an affected code whatever the publication settings:
safety overrides privacy. A completed recall keeps showing ("recalled on …, completed"): a
consumer may still hold a unit that was never returned, and must learn not to use it.
"""

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from suyuan.extensions import db
from suyuan.models import (
    Batch,
    CodeRange,
    Enterprise,
    Product,
    Recall,
    RecallEvent,
    RecallNotice,
    RecallTarget,
    User,
)
from suyuan.models.base import utcnow
from suyuan.models.codes import LIVE_RANGE_STATUSES
from suyuan.models.recalls import RECALL_STATES, SEVERITIES
from suyuan.services.codes import printed
from suyuan.services.errors import DomainError, NotAllowed
from suyuan.services.filings import in_region
from suyuan.validators import region_prefix
from suyuan.vocab_recalls import label

#: Each state and the one that follows it.
NEXT_STATE = {"declared": "notified", "notified": "in_progress", "in_progress": "completed"}


def declare_recall(
    actor: User,
    product: Product,
    *,
    severity: str,
    reason: str,
    consumer_advice: str,
    batches: list[Batch] = (),
    code_ranges: list[tuple[int, int]] = (),
    nonconformance=None,
) -> Recall:
    """Declare (enterprise) or order (regulator) a recall of ``product``.

    ``batches`` are recalled whole; each ``(first, last)`` in ``code_ranges`` must lie inside
    code ranges bound to one batch of the product.
    """
    if severity not in SEVERITIES:
        raise DomainError(_("Choose the severity class I, II or III."), field="severity")
    if not (reason or "").strip():
        raise DomainError(_("Say what is wrong with the product."), field="reason")
    if not (consumer_advice or "").strip():
        raise DomainError(_("Say what consumers should do."), field="consumer_advice")
    targets = [_whole_batch(product, batch) for batch in batches]
    targets += [_code_range(product, first, last) for first, last in code_ranges]
    if not targets:
        raise DomainError(_("Choose at least one batch or a range of codes."), field="batches")
    recall = Recall(
        enterprise_id=product.enterprise_id,
        product=product,
        origin="regulator" if actor.is_regulator else "enterprise",
        severity=severity,
        reason=reason.strip(),
        consumer_advice=consumer_advice.strip(),
        declared_by=actor,
        nonconformance=nonconformance,
        targets=targets,
    )
    recall.events.append(RecallEvent(state="declared", actor=actor))
    db.session.add(recall)
    db.session.flush()
    return recall


def _whole_batch(product: Product, batch: Batch) -> RecallTarget:
    if batch.product_id != product.id:
        raise DomainError(_("Batch %(lot)s is not of this product.", lot=batch.lot_number))
    return RecallTarget(batch=batch)


def _code_range(product: Product, first: int, last: int) -> RecallTarget:
    if first > last:
        raise DomainError(_("The first code comes after the last code."), field="first_code")
    ranges = _live_ranges_touching(first, last)
    batches = {r.batch for r in ranges}
    covered = sum(min(r.end_index, last) - max(r.start_index, first) + 1 for r in ranges)
    if len(batches) != 1 or batches.pop().product_id != product.id or covered != last - first + 1:
        raise DomainError(
            _(
                "The codes %(first)s to %(last)s are not all bound to one batch of this product.",
                first=printed(first),
                last=printed(last),
            ),
            field="first_code",
        )
    return RecallTarget(batch_id=ranges[0].batch_id, first_index=first, last_index=last)


def _live_ranges_touching(first: int, last: int) -> list[CodeRange]:
    return db.session.scalars(
        select(CodeRange).where(
            CodeRange.status.in_(LIVE_RANGE_STATUSES),
            CodeRange.start_index <= last,
            CodeRange.end_index >= first,
        )
    ).all()


# State changes


def can_manage(user: User, recall: Recall) -> bool:
    """The recalling enterprise's admin, or a regulator overseeing it, moves a recall on."""
    from suyuan.permissions import active_role, can_oversee

    if user.is_regulator:
        return can_oversee(user, recall.enterprise) and user.has_module("recalls")
    member = user.membership
    return bool(member and member.enterprise_id == recall.enterprise_id) and (
        active_role() == "admin"
    )


def advance(recall: Recall, actor: User, to_state: str, note: str = "") -> None:
    """Move ``recall`` to ``to_state``, which must be the next state."""
    # Lock the row (PostgreSQL): two people pressing the same button cannot both move it.
    db.session.refresh(recall, with_for_update=True)
    if NEXT_STATE.get(recall.state) != to_state:
        raise NotAllowed(
            _(
                "A recall that is %(state)s cannot be moved to %(target)s.",
                state=state_label(recall.state),
                target=state_label(to_state),
            )
        )
    recall.state = to_state
    recall.events.append(RecallEvent(state=to_state, actor=actor, note=(note or "").strip()))
    db.session.flush()


def notify_downstream(recall: Recall, actor: User, note: str = "") -> list[Enterprise]:
    """Tell every platform enterprise that received the recalled batches (found by the
    forward trace, transitively); each must acknowledge in its portal."""
    from suyuan.services.tracing import downstream_enterprises

    advance(recall, actor, "notified", note)
    batch_ids = sorted({t.batch_id for t in recall.targets})
    reached = [e for e in downstream_enterprises(batch_ids) if e.id != recall.enterprise_id]
    known = {n.enterprise_id for n in recall.notices}
    for enterprise in reached:
        if enterprise.id not in known:
            recall.notices.append(RecallNotice(enterprise_id=enterprise.id))
    db.session.flush()
    return reached


def complete_recall(recall: Recall, actor: User, quantity_recovered: int, note: str = "") -> None:
    if quantity_recovered is None or quantity_recovered < 0:
        raise DomainError(
            _("Enter the quantity recovered (0 or more)."), field="quantity_recovered"
        )
    advance(recall, actor, "completed", note)
    recall.quantity_recovered = quantity_recovered
    recall.completion_note = (note or "").strip()
    recall.completed_at = utcnow()
    db.session.flush()


def acknowledge(notice: RecallNotice, actor: User, note: str = "") -> None:
    if notice.acknowledged_at is not None:
        raise NotAllowed(_("Your enterprise has already acknowledged this recall."))
    notice.acknowledged_at = utcnow()
    notice.acknowledged_by = actor
    notice.note = (note or "").strip()
    db.session.flush()


def state_label(state: str) -> str:
    return label("recall_state", state)


# The public scan


def active_recall(batch_id: int, code_index: int) -> Recall | None:
    """The recall covering code ``code_index`` of batch ``batch_id``, or None.

    One probe of the ``(batch_id, first_index)`` index answers the common case, an unrecalled
    batch (a join with ``recalls`` costs PostgreSQL 4× more to plan; bench/RESULTS.md). Only
    on a hit are the few recalls loaded: an open recall wins over a completed one, then the
    latest declared.
    """
    rows = db.session.execute(
        select(RecallTarget.recall_id, RecallTarget.first_index, RecallTarget.last_index).where(
            RecallTarget.batch_id == batch_id
        )
    ).all()
    ids = {r for r, first, last in rows if first is None or first <= code_index <= last}
    if not ids:
        return None
    found = [db.session.get(Recall, recall_id) for recall_id in sorted(ids)]
    return min(found, key=lambda r: (r.is_completed, -r.declared_at.timestamp(), -r.id))


def public_recall(recall: Recall | None) -> dict | None:
    """What every scan shows of a recall, published or not."""
    if recall is None:
        return None
    return {
        "state": recall.state,
        "state_label": state_label(recall.state),
        "severity": recall.severity,
        "severity_label": label("severity", recall.severity),
        "reason": recall.reason,
        "consumer_advice": recall.consumer_advice,
        "product": recall.product.name,
        "enterprise": recall.enterprise.name,
        "declared_at": recall.declared_at.date().isoformat(),
        "completed_at": recall.completed_at.date().isoformat() if recall.completed_at else None,
    }


# Lists


def regulator_recalls_query(user: User, *, q: str = "", state=None, severity=None):
    """Recalls by enterprises of the region, and recalls that reached a holder in it."""
    holder = aliased(Enterprise)
    reached = (
        select(RecallNotice.recall_id)
        .join(holder, holder.id == RecallNotice.enterprise_id)
        .where(holder.region_code.like(region_prefix(user.regulator_region) + "%"))
    )
    query = (
        select(Recall)
        .join(Enterprise)
        .join(Product)
        .where(or_(in_region(user.regulator_region), Recall.id.in_(reached)))
    )
    return _filtered(query, q, state, severity)


def regulator_sees(user: User, recall: Recall) -> bool:
    """A regulator follows a recall of its region's enterprise, or one that reached a holder
    in its region (read-only: only the recalling enterprise's regulators move it on)."""
    from suyuan.permissions import can_oversee

    if can_oversee(user, recall.enterprise):
        return True
    return any(can_oversee(user, notice.enterprise) for notice in recall.notices)


def enterprise_recalls_query(enterprise: Enterprise, *, q: str = "", state=None, severity=None):
    query = (
        select(Recall).join(Enterprise).join(Product).where(Recall.enterprise_id == enterprise.id)
    )
    return _filtered(query, q, state, severity)


def _filtered(query, q, state, severity):
    if q:
        pattern = f"%{q.strip()}%"
        lots = select(RecallTarget.recall_id).join(Batch).where(Batch.lot_number.ilike(pattern))
        query = query.where(
            or_(
                Product.name.ilike(pattern),
                Enterprise.name.ilike(pattern),
                Enterprise.credit_code.ilike(pattern),
                Recall.reason.ilike(pattern),
                Recall.id.in_(lots),
            )
        )
    if state in RECALL_STATES:
        query = query.where(Recall.state == state)
    if severity in SEVERITIES:
        query = query.where(Recall.severity == severity)
    return query.order_by(Recall.declared_at.desc(), Recall.id.desc())


def received_notices_query(enterprise: Enterprise, *, pending_only: bool = False):
    query = select(RecallNotice).where(RecallNotice.enterprise_id == enterprise.id)
    if pending_only:
        query = query.where(RecallNotice.acknowledged_at.is_(None))
    return query.order_by(RecallNotice.notified_at.desc(), RecallNotice.id.desc())


def pending_acknowledgements(enterprise: Enterprise) -> int:
    return db.session.scalar(
        select(func.count(RecallNotice.id)).where(
            RecallNotice.enterprise_id == enterprise.id, RecallNotice.acknowledged_at.is_(None)
        )
    )


def batch_problems(batch: Batch) -> dict:
    """Recalls and non-conformance records naming ``batch`` (the regulator's chain)."""
    from suyuan.models import NonConformance
    from suyuan.models.recalls import nonconformance_batches

    recalls = db.session.scalars(
        select(Recall)
        .where(
            Recall.id.in_(select(RecallTarget.recall_id).where(RecallTarget.batch_id == batch.id))
        )
        .order_by(Recall.declared_at.desc())
    ).all()
    records = db.session.scalars(
        select(NonConformance)
        .join(nonconformance_batches)
        .where(nonconformance_batches.c.batch_id == batch.id)
        .order_by(NonConformance.created_at.desc())
    ).all()
    return {"recalls": recalls, "nonconformance": records}
