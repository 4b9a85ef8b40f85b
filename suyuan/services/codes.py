"""Identity codes: pools allocated to enterprises, ranges bound to batches, releasing and
voiding part of a range, resolving a code.

Every pool and every range is ONE row whatever its length: binding ten million codes costs
the same as binding ten. Overlaps are found in SQL by comparing range ends, never by walking
codes. The database has the last word: PostgreSQL's exclusion constraints reject an
overlapping row a concurrent transaction slipped in; SQLite serializes writers.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import BigInteger, bindparam, func, select
from sqlalchemy import text as sql
from sqlalchemy.exc import IntegrityError

from suyuan.extensions import db
from suyuan.identity import SERIAL_SPACE, CodeError, code_key, group
from suyuan.models import Batch, CodePool, CodeRange, Enterprise
from suyuan.models.base import utcnow
from suyuan.models.codes import LIVE_RANGE_STATUSES
from suyuan.services.errors import Conflict, DomainError, NotAllowed

MAX_POOL_SIZE = 10**9
OVERLAPS_SHOWN = 5


def printed(index: int) -> str:
    """The printed form of code ``index``, grouped by four digits."""
    return group(code_key().encode(index))


# Pools


def find_enterprise(credit_code: str) -> Enterprise:
    enterprise = db.session.scalar(
        select(Enterprise).where(Enterprise.credit_code == credit_code.strip().upper())
    )
    if enterprise is None:
        raise DomainError(
            _("No enterprise has this unified social credit code."), field="credit_code"
        )
    return enterprise


def allocate_pool(enterprise: Enterprise, count: int, actor=None) -> CodePool:
    """Give ``enterprise`` the next ``count`` code indices after every pool allocated so far.

    The enterprise need not be approved: handing out codes is the platform's decision, and
    binding them to batches still waits for the approved filings.
    """
    if not 1 <= count <= MAX_POOL_SIZE:
        raise DomainError(
            _("A pool holds from 1 to %(max)s codes.", max=f"{MAX_POOL_SIZE:,}"), field="count"
        )
    if db.engine.dialect.name == "postgresql":
        # Two allocations reading the same maximum would hand out the same indices; this lock
        # queues them (it conflicts with itself, not with readers).
        db.session.execute(sql("LOCK TABLE code_pools IN SHARE ROW EXCLUSIVE MODE"))
    highest = db.session.scalar(select(func.max(CodePool.end_index)))
    start = 0 if highest is None else highest + 1
    if start + count > SERIAL_SPACE:
        raise Conflict(
            _("Only %(left)s codes are left to allocate.", left=f"{SERIAL_SPACE - start:,}"),
            field="count",
        )
    pool = CodePool(
        enterprise_id=enterprise.id,
        start_index=start,
        end_index=start + count - 1,
        allocated_by_id=actor.id if actor else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(pool)
    except IntegrityError as error:
        raise Conflict(_("Another pool was allocated at the same moment; try again.")) from error
    return pool


def pool_at(index: int) -> CodePool | None:
    """The pool holding code ``index`` (pools never overlap: the nearest start decides)."""
    candidate = db.session.scalar(
        select(CodePool)
        .where(CodePool.start_index <= index)
        .order_by(CodePool.start_index.desc())
        .limit(1)
    )
    if candidate is None or candidate.end_index < index:
        return None
    return candidate


def own_pool_at(enterprise: Enterprise, index: int) -> CodePool:
    """The enterprise's pool holding ``index``; another enterprise's code says nothing more."""
    pool = pool_at(index)
    if pool is None or pool.enterprise_id != enterprise.id:
        raise DomainError(
            _("Code %(code)s is not in your enterprise's code pools.", code=printed(index))
        )
    return pool


def pool_positions(pool: CodePool, first: int, last: int) -> tuple[int, int]:
    """Code indices from 1-based positions inside ``pool``."""
    for position in (first, last):
        if not 1 <= position <= pool.size:
            raise DomainError(
                _("Positions in this pool run from 1 to %(size)s.", size=f"{pool.size:,}")
            )
    return pool.start_index + first - 1, pool.start_index + last - 1


# Parsing printed codes


def code_error_message(reason: str) -> str:
    if reason == "format":
        return _("An identity code has 20 digits (spaces between groups are fine).")
    if reason == "checksum":
        return _(
            "This code does not add up: a digit is mistyped or two are swapped. Please check the digits."
        )
    return _("This is not a code issued by this platform.")


def parse_code(text: str, field: str | None = None) -> int:
    """The index of a printed code, or a DomainError saying what is wrong with it."""
    try:
        return code_key().decode(text or "")
    except CodeError as error:
        raise DomainError(code_error_message(error.reason), field=field) from error


# Binding


def _check_may_bind(batch: Batch) -> None:
    if not batch.product.enterprise.is_approved:
        raise NotAllowed(
            _("Codes can be bound once a regulator has approved your enterprise filing.")
        )
    if not batch.product.is_approved:
        raise NotAllowed(
            _(
                "The product filing of %(product)s is not approved yet; codes can be bound to its batches once it is.",
                product=batch.product.name,
            )
        )


def _check_order(first: int, last: int) -> None:
    if first > last:
        raise DomainError(
            _("The first code comes after the last code in the pool: swap the two codes.")
        )


def live_overlaps(first: int, last: int, limit: int = OVERLAPS_SHOWN + 1) -> list[CodeRange]:
    """Live ranges sharing at least one code with ``first..last``, in index order."""
    # Live ranges never overlap, so none that overlaps starts before the nearest live start
    # at or below ``first``: that bound keeps the scan to the few rows that matter.
    starts = [db.session.scalar(query, {"index": first}) for query in _NEAREST_START.values()]
    floor = max((start for start in starts if start is not None), default=None)
    return list(
        db.session.scalars(
            select(CodeRange)
            .where(
                CodeRange.status.in_(LIVE_RANGE_STATUSES),
                CodeRange.start_index >= (first if floor is None else floor),
                CodeRange.start_index <= last,
                CodeRange.end_index >= first,
            )
            .order_by(CodeRange.start_index)
            .limit(limit)
        )
    )


def _overlap_message(found: list[CodeRange], first: int, last: int) -> str:
    other = found[0]
    common = min(other.end_index, last) - max(other.start_index, first) + 1
    values = {
        "first": printed(other.start_index),
        "last": printed(other.end_index),
        "lot": other.batch.lot_number,
        "n": f"{common:,}",
    }
    if other.status == "void":
        message = _(
            "%(n)s of these codes are in the voided range %(first)s – %(last)s (batch %(lot)s); voided codes cannot be bound again.",
            **values,
        )
    else:
        message = _(
            "%(n)s of these codes are already bound: range %(first)s – %(last)s of batch %(lot)s.",
            **values,
        )
    if len(found) > 1:
        message += " " + _("Other ranges overlap too.")
    return message


def bind_code_range(batch: Batch, first_index: int, last_index: int, actor) -> CodeRange:
    """Bind the continuous codes ``first_index..last_index`` of one pool to ``batch``."""
    _check_may_bind(batch)
    _check_order(first_index, last_index)
    enterprise = batch.product.enterprise
    pool = own_pool_at(enterprise, first_index)
    if last_index > pool.end_index:
        own_pool_at(enterprise, last_index)
        raise DomainError(
            _(
                "The range spans two pools: code %(code)s is outside the pool of the first code. Bind one range per pool.",
                code=printed(last_index),
            )
        )
    found = live_overlaps(first_index, last_index)
    if found:
        raise Conflict(_overlap_message(found, first_index, last_index))
    code_range = CodeRange(
        enterprise_id=enterprise.id,
        pool_id=pool.id,
        batch_id=batch.id,
        start_index=first_index,
        end_index=last_index,
        status="bound",
        created_by_id=actor.id,
    )
    _insert_live(code_range)
    return code_range


def _insert_live(*rows: CodeRange) -> None:
    try:
        with db.session.begin_nested():
            db.session.add_all(rows)
    except IntegrityError as error:
        raise Conflict(
            _(
                "Some of these codes were bound by someone else a moment ago. Reload the page and check the ranges."
            )
        ) from error


# Releasing and voiding part of a bound range


def release_codes(batch: Batch, first_index: int, last_index: int, actor, reason: str):
    """Undo the binding of ``first..last``: the codes may be bound again (to any batch)."""
    return _end_part(batch, first_index, last_index, actor, reason, "released")


def void_codes(batch: Batch, first_index: int, last_index: int, actor, reason: str):
    """Kill ``first..last`` (damaged or lost labels): the codes can never be bound again."""
    return _end_part(batch, first_index, last_index, actor, reason, "void")


def _end_part(batch, first, last, actor, reason, status) -> CodeRange:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please give a reason."), field="reason")
    _check_order(first, last)
    original = _bound_range_holding(batch, first, last)
    now = utcnow()
    original.status, original.ended_at, original.ended_by_id = "released", now, actor.id
    original.reason = reason
    # The original must leave the live set before its pieces enter it (exclusion constraint).
    db.session.flush()

    def piece(start, end, piece_status):
        row = CodeRange(
            enterprise_id=original.enterprise_id,
            pool_id=original.pool_id,
            batch_id=batch.id,
            start_index=start,
            end_index=end,
            status=piece_status,
            parent_id=original.id,
            created_by_id=actor.id,
        )
        if piece_status != "bound":
            row.ended_at, row.ended_by_id, row.reason = now, actor.id, reason
        return row

    affected = piece(first, last, status)
    rows = [affected]
    if original.start_index < first:
        rows.insert(0, piece(original.start_index, first - 1, "bound"))
    if last < original.end_index:
        rows.append(piece(last + 1, original.end_index, "bound"))
    _insert_live(*rows)
    return affected


def _bound_range_holding(batch: Batch, first: int, last: int) -> CodeRange:
    holder = db.session.scalar(
        select(CodeRange)
        .where(
            CodeRange.batch_id == batch.id,
            CodeRange.status == "bound",
            CodeRange.start_index <= first,
        )
        .order_by(CodeRange.start_index.desc())
        .limit(1)
    )
    if holder is None or holder.end_index < last:
        raise DomainError(
            _(
                "Codes %(first)s – %(last)s do not lie inside one bound range of this batch.",
                first=printed(first),
                last=printed(last),
            )
        )
    return holder


# Reading


def resolve_code(index: int) -> CodeRange | None:
    """The live (bound or void) range that holds code ``index``, or None.

    ``start_index <= i ORDER BY start_index DESC LIMIT 1`` walks one btree entry; the end is
    compared afterwards. Live ranges never overlap, so per live status the nearest start
    decides.
    """
    for status in LIVE_RANGE_STATUSES:  # "bound" first: nearly every scan ends there
        candidate = db.session.scalar(_NEAREST_RANGE[status], {"index": index})
        if candidate is not None and candidate.end_index >= index:
            return candidate
    return None


def _nearest_start(status: str, *columns):
    """``status = s AND start_index <= :index ORDER BY start_index DESC LIMIT 1``.

    One query per live status, each one backward step on the (status, start_index) btree.
    A single ``status IN ('bound', 'void')`` makes PostgreSQL sort every live range below
    the index instead (measured: 11 ms at 100,000 ranges, against 0.5 ms).
    """
    return (
        select(*(columns or (CodeRange,)))
        .where(
            CodeRange.status == status,
            CodeRange.start_index <= bindparam("index", type_=BigInteger),
        )
        .order_by(CodeRange.start_index.desc())
        .limit(1)
    )


# Built once: constructing a statement costs more than running it.
_NEAREST_RANGE = {status: _nearest_start(status) for status in LIVE_RANGE_STATUSES}
_NEAREST_START = {
    status: _nearest_start(status, CodeRange.start_index) for status in LIVE_RANGE_STATUSES
}


@dataclass
class PoolSummary:
    pool: CodePool
    bound: int
    void: int

    @property
    def free(self) -> int:
        return self.pool.size - self.bound - self.void


def enterprise_code_summary(enterprise: Enterprise) -> list[PoolSummary]:
    """Each pool of the enterprise with how many of its codes are bound, void and free."""
    pools = db.session.scalars(
        select(CodePool)
        .where(CodePool.enterprise_id == enterprise.id)
        .order_by(CodePool.start_index)
    ).all()
    size = func.sum(CodeRange.end_index - CodeRange.start_index + 1)
    counts = {
        (pool_id, status): total
        for pool_id, status, total in db.session.execute(
            select(CodeRange.pool_id, CodeRange.status, size)
            .where(
                CodeRange.enterprise_id == enterprise.id,
                CodeRange.status.in_(LIVE_RANGE_STATUSES),
            )
            .group_by(CodeRange.pool_id, CodeRange.status)
        )
    }
    return [
        PoolSummary(pool, counts.get((pool.id, "bound"), 0), counts.get((pool.id, "void"), 0))
        for pool in pools
    ]


@dataclass
class CodeLookup:
    index: int
    pool: CodePool
    range: CodeRange | None  # None: the code is free

    @property
    def position(self) -> int:
        return self.index - self.pool.start_index + 1


def find_code(enterprise: Enterprise, index: int) -> CodeLookup:
    """Where one of the enterprise's codes stands: its pool, and its live range if any."""
    pool = own_pool_at(enterprise, index)
    return CodeLookup(index, pool, resolve_code(index))


def ranges_query(enterprise: Enterprise, status: str | None = None, lot: str | None = None):
    """The enterprise's ranges, newest first, for a paginated list."""
    query = (
        select(CodeRange)
        .join(Batch, CodeRange.batch_id == Batch.id)
        .where(CodeRange.enterprise_id == enterprise.id)
        .order_by(CodeRange.created_at.desc(), CodeRange.id.desc())
    )
    if status:
        query = query.where(CodeRange.status == status)
    if lot:
        query = query.where(Batch.lot_number.contains(lot.strip(), autoescape=True))
    return query


def range_history(batch: Batch) -> list[CodeRange]:
    """Every range the batch has had: live ones and the history of releases and splits."""
    return list(
        db.session.scalars(
            select(CodeRange)
            .where(CodeRange.batch_id == batch.id)
            .order_by(CodeRange.start_index, CodeRange.id)
        )
    )
