"""Identity codes: pools allocated to enterprises, ranges bound to batches, resolving a code."""

from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import CodeRange
from suyuan.models.codes import LIVE_RANGE_STATUSES


def resolve_code(index: int) -> CodeRange | None:
    """The live (bound or void) range that holds code ``index``, or None.

    ``start_index <= i ORDER BY start_index DESC LIMIT 1`` walks one btree entry; the end is
    compared afterwards. Live ranges never overlap, so the nearest start decides.
    """
    candidate = db.session.scalar(
        select(CodeRange)
        .where(CodeRange.status.in_(LIVE_RANGE_STATUSES), CodeRange.start_index <= index)
        .order_by(CodeRange.start_index.desc())
        .limit(1)
    )
    if candidate is None or candidate.end_index < index:
        return None
    return candidate
