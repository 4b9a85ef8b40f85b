"""Counterpart matching (勾兑, seed 000) and the mismatches it finds.

When A submits a sales outbound (or a purchase return) to a counterparty that is platform
enterprise B, B gets a pending purchase inbound (or sales return) prefilled with A's lines
and A's batches. B confirms it (it becomes B's submitted document and moves B's stock) or
disputes it. A correction by A refreshes B's counterpart while B has not confirmed it.
"""

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import or_, select

from suyuan.extensions import db
from suyuan.models import Enterprise, Transaction, TransactionLine
from suyuan.models.base import utcnow
from suyuan.models.flow import COUNTERPART_KIND
from suyuan.services.counterparties import counterparty_for
from suyuan.validators import region_prefix

DEFAULT_OVERDUE_DAYS = 7
MISMATCH_REASONS = ("quantity", "batch", "overdue", "disputed", "unmatched")


def match_counterpart(source: Transaction) -> Transaction | None:
    """Create or refresh the partner's counterpart of ``source`` (just submitted). A
    correction that changes the partner (or drops it) withdraws an unconfirmed counterpart."""
    current = current_counterpart(source.origin_id)
    if current is not None and current.enterprise_id != source.partner_enterprise_id:
        if current.status == "submitted":
            return current  # the former partner confirmed it: theirs to correct
        db.session.delete(current)
        db.session.flush()
        current = None
    if source.partner_enterprise_id is None:
        return None
    if current is not None and current.status == "submitted":
        return current  # confirmed already: any difference is listed as a mismatch
    if current is None:
        partner = db.session.get(Enterprise, source.partner_enterprise_id)
        role = "supplier" if COUNTERPART_KIND[source.kind] == "purchase_in" else "customer"
        current = Transaction(
            enterprise_id=partner.id,
            kind=COUNTERPART_KIND[source.kind],
            number=_free_number(partner.id, source.number),
            counterparty=counterparty_for(partner, source.enterprise, role),
            partner_enterprise_id=source.enterprise_id,
            counterpart_of_id=source.origin_id,
        )
        db.session.add(current)
    current.status = "pending"
    current.dispute_reason = ""
    current.moved_on = source.moved_on
    current.note = source.note
    current.lines = [
        TransactionLine(
            position=line.position,
            product_id=line.product_id,
            batch_id=line.batch_id,
            quantity=line.quantity,
            unit=line.unit,
            first_index=line.first_index,
            last_index=line.last_index,
        )
        for line in source.lines
    ]
    db.session.flush()
    if current.origin_id is None:
        current.origin_id = current.id
        db.session.flush()
    return current


def current_counterpart(origin_id: int) -> Transaction | None:
    return db.session.scalar(
        select(Transaction).where(
            Transaction.counterpart_of_id == origin_id, Transaction.status != "superseded"
        )
    )


def current_source(txn: Transaction) -> Transaction | None:
    """The current version of the document ``txn`` answers (None when it is not matched)."""
    if txn.counterpart_of_id is None:
        return None
    return db.session.scalar(
        select(Transaction).where(
            Transaction.origin_id == txn.counterpart_of_id, Transaction.status != "superseded"
        )
    )


def _free_number(enterprise_id: int, number: str) -> str:
    """The source's number (the delivery note both sides know), suffixed when taken."""
    taken = set(
        db.session.scalars(
            select(Transaction.number).where(
                Transaction.enterprise_id == enterprise_id,
                Transaction.number.startswith(number, autoescape=True),
            )
        )
    )
    candidate, n = number, 1
    while candidate in taken:
        n += 1
        candidate = f"{number}-{n}"
    return candidate


@dataclass
class Mismatch:
    source: Transaction
    counterpart: Transaction | None
    reasons: list[str] = field(default_factory=list)


def overdue_days() -> int:
    """``MATCH_OVERDUE_DAYS`` from the app config (tests), else ``SUYUAN_MATCH_OVERDUE_DAYS``
    from the environment, else 7."""
    value = current_app.config.get("MATCH_OVERDUE_DAYS") or os.environ.get(
        "SUYUAN_MATCH_OVERDUE_DAYS"
    )
    try:
        return max(1, int(value)) if value else DEFAULT_OVERDUE_DAYS
    except ValueError:
        return DEFAULT_OVERDUE_DAYS


def mismatches(enterprise_id: int | None = None, region: str | None = None, reason: str = ""):
    """Matched documents whose two sides disagree: quantities, batches, a counterpart still
    pending after the configured days, or disputed. Scoped to one enterprise (either side)
    or to a region (either side's enterprise in it); neither means everything.
    A receipt or return recorded against a platform enterprise that never recorded its side
    is ``unmatched``."""
    query = select(Transaction).where(
        Transaction.status == "submitted",
        Transaction.kind.in_(tuple(COUNTERPART_KIND)),
        Transaction.partner_enterprise_id.is_not(None),
    )
    query = _scoped(query, enterprise_id, region)
    sources = list(db.session.scalars(query.order_by(Transaction.moved_on.desc(), Transaction.id)))
    counterparts = _counterparts([s.origin_id for s in sources])
    found = []
    for source in sources:
        item = Mismatch(source, counterparts.get(source.origin_id))
        item.reasons = _reasons(source, item.counterpart)
        if item.reasons and (not reason or reason in item.reasons):
            found.append(item)
    if reason in ("", "unmatched"):
        found += [Mismatch(doc, None, ["unmatched"]) for doc in _unmatched(enterprise_id, region)]
    return sorted(found, key=lambda m: (m.source.moved_on, m.source.id), reverse=True)


def _scoped(query, enterprise_id: int | None, region: str | None):
    if enterprise_id is not None:
        query = query.where(
            or_(
                Transaction.enterprise_id == enterprise_id,
                Transaction.partner_enterprise_id == enterprise_id,
            )
        )
    if region is not None:
        query = query.where(either_party_in_region(region))
    return query


def _unmatched(enterprise_id: int | None, region: str | None) -> list[Transaction]:
    """Submitted purchase inbounds and sales returns naming a platform enterprise, entered by
    hand rather than confirmed from that enterprise's own document."""
    query = select(Transaction).where(
        Transaction.status == "submitted",
        Transaction.kind.in_(tuple(COUNTERPART_KIND.values())),
        Transaction.partner_enterprise_id.is_not(None),
        Transaction.counterpart_of_id.is_(None),
    )
    return list(db.session.scalars(_scoped(query, enterprise_id, region)))


def either_party_in_region(region: str):
    """A transaction where the recording or the partner enterprise lies in ``region``."""
    in_region = select(Enterprise.id).where(
        Enterprise.region_code.startswith(region_prefix(region))
    )
    return or_(
        Transaction.enterprise_id.in_(in_region), Transaction.partner_enterprise_id.in_(in_region)
    )


def _counterparts(origin_ids: list[int]) -> dict[int, Transaction]:
    if not origin_ids:
        return {}
    rows = db.session.scalars(
        select(Transaction).where(
            Transaction.counterpart_of_id.in_(origin_ids), Transaction.status != "superseded"
        )
    )
    return {row.counterpart_of_id: row for row in rows}


def _reasons(source: Transaction, counterpart: Transaction | None) -> list[str]:
    if counterpart is None:
        return []
    if counterpart.status == "disputed":
        return ["disputed"]
    if counterpart.status == "pending":
        limit = timedelta(days=overdue_days())
        overdue = source.submitted_at is not None and utcnow() - source.submitted_at > limit
        return ["overdue"] if overdue else []
    ours, theirs = _totals(source), _totals(counterpart)
    reasons = []
    if {b for b, _u in ours} != {b for b, _u in theirs}:
        reasons.append("batch")
    elif ours != theirs:
        reasons.append("quantity")
    return reasons


def _totals(txn: Transaction) -> dict[tuple[int, str], Decimal]:
    totals: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for line in txn.lines:
        totals[(line.batch_id, line.unit)] += Decimal(line.quantity)
    return dict(totals)


@dataclass
class ListPage:
    """A page of an already computed list, with the attributes ``_macros.pager`` reads."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_of(items: list, page: int, per_page: int = 20) -> ListPage:
    page = max(1, page)
    start = (page - 1) * per_page
    return ListPage(items[start : start + per_page], page, per_page, len(items))
