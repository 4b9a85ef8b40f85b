"""What a print run prints: the codes of its source as segments of consecutive code indices,
each with the product name and lot of the batch it is bound to (none for free codes).

``LabelSource`` turns positions ``0..total-1`` of a run into label items without the
database or Flask, so the renderer's worker processes can build their own slice of the run.
"""

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from labels.engine import LabelItem
from labels.render import code_url
from suyuan.extensions import db
from suyuan.identity import CodeKey
from suyuan.models import Batch, CodePool, CodeRange
from suyuan.services.codes import printed
from suyuan.services.errors import DomainError

#: A run is at most this many labels (a day of a large packing line); split bigger jobs.
MAX_RUN_LABELS = 1_000_000


@dataclass(frozen=True)
class Segment:
    start_index: int
    end_index: int
    product_name: str | None = None
    lot: str | None = None

    @property
    def size(self) -> int:
        return self.end_index - self.start_index + 1


class LabelSource:
    """Label items by position; picklable (the code key, the base URL and the segments)."""

    def __init__(self, key: CodeKey, base_url: str, segments: list[Segment]):
        self.key = key
        self.base_url = base_url
        self.segments = segments
        self.offsets = []
        total = 0
        for segment in segments:
            self.offsets.append(total)
            total += segment.size
        self.total = total

    def __len__(self) -> int:
        return self.total

    def index_at(self, position: int) -> int:
        number = bisect_right(self.offsets, position) - 1
        return self.segments[number].start_index + position - self.offsets[number]

    def items(self, start: int = 0, stop: int | None = None) -> Iterator[LabelItem]:
        """The label items at positions ``start..stop-1``, in order."""
        stop = self.total if stop is None else min(stop, self.total)
        if start >= stop:
            return
        first = bisect_right(self.offsets, start) - 1
        for number in range(first, len(self.segments)):
            segment, offset = self.segments[number], self.offsets[number]
            if offset >= stop:
                return
            low = segment.start_index + max(start - offset, 0)
            high = segment.start_index + min(stop - offset, segment.size)
            for index in range(low, high):
                code = self.key.encode(index)
                yield LabelItem(
                    code, code_url(self.base_url, code), segment.product_name, segment.lot
                )

    def __call__(self, start: int, stop: int) -> list[LabelItem]:
        """The renderer's ``fetch(start, stop)``: each worker process builds its own slice."""
        return list(self.items(start, stop))


def _of_batch(batch: Batch, start: int, end: int) -> Segment:
    return Segment(start, end, batch.product.name, batch.lot_number)


def range_segments(code_range: CodeRange) -> list[Segment]:
    if code_range.status != "bound":
        raise DomainError(
            _(
                "The code range %(first)s – %(last)s is no longer bound to batch %(lot)s.",
                first=printed(code_range.start_index),
                last=printed(code_range.end_index),
                lot=code_range.batch.lot_number,
            )
        )
    return [_of_batch(code_range.batch, code_range.start_index, code_range.end_index)]


def bound_ranges(batch: Batch) -> list[CodeRange]:
    return list(
        db.session.scalars(
            select(CodeRange)
            .where(CodeRange.batch_id == batch.id, CodeRange.status == "bound")
            .order_by(CodeRange.start_index)
        )
    )


def batch_segments(batch: Batch) -> list[Segment]:
    segments = [_of_batch(batch, r.start_index, r.end_index) for r in bound_ranges(batch)]
    if not segments:
        raise DomainError(_("No codes are bound to batch %(lot)s.", lot=batch.lot_number))
    return segments


def pool_segments(pool: CodePool, first: int, last: int) -> list[Segment]:
    """Codes ``first..last`` of ``pool``: bound parts carry their batch's product and lot."""
    if first > last:
        raise DomainError(_("The first code comes after the last code: swap the two codes."))
    if first < pool.start_index or last > pool.end_index:
        raise DomainError(
            _(
                "Both codes must lie in pool #%(id)s (%(first)s – %(last)s).",
                id=pool.id,
                first=printed(pool.start_index),
                last=printed(pool.end_index),
            )
        )
    bound = db.session.scalars(
        select(CodeRange)
        .where(
            CodeRange.pool_id == pool.id,
            CodeRange.status == "bound",
            CodeRange.start_index <= last,
            CodeRange.end_index >= first,
        )
        .order_by(CodeRange.start_index)
    )
    segments, cursor = [], first
    for code_range in bound:
        start, end = max(code_range.start_index, first), min(code_range.end_index, last)
        if cursor < start:
            segments.append(Segment(cursor, start - 1))
        segments.append(_of_batch(code_range.batch, start, end))
        cursor = end + 1
    if cursor <= last:
        segments.append(Segment(cursor, last))
    return segments


def check_size(total: int) -> None:
    if total > MAX_RUN_LABELS:
        raise DomainError(
            _(
                "A print run holds at most %(max)s labels; this one would hold %(n)s. Split it into several runs.",
                max=f"{MAX_RUN_LABELS:,}",
                n=f"{total:,}",
            )
        )
