"""PDF label sheets and roll labels: each QR is vector runs of dark modules written as raw
PDF path operators (about 5× faster than reportlab's path API, see STACK.md)."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from labels.fonts import DIGITS_FONT, fit_lines, text_font
from labels.qr import qr_path_ops
from labels.readiness import (
    LEADING,
    MM_PER_PT,
    TEXT_LINES,
    TEXT_MAX_PT,
    TEXT_MIN_PT,
    LabelPlan,
    plan_label,
)
from suyuan.identity import group

PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class PageInfo:
    page: int
    first_code: str
    last_code: str
    count: int


def pages_of(items: Iterable, per_page: int) -> Iterator[list]:
    iterator = iter(items)
    while page := list(islice(iterator, per_page)):
        yield page


def text_lines(item, options, plan: LabelPlan) -> tuple[float, tuple[str, ...]]:
    """(size in pt, lines) of the product name and lot that fit the plan's text box."""
    if plan.text_box is None:
        return 0.0, ()
    width_pt = plan.text_box[2] * PT_PER_MM
    lines_fit = max(1, int(plan.text_box[3] / (TEXT_MIN_PT * MM_PER_PT * LEADING)))
    lines_fit = min(lines_fit, TEXT_LINES + 2)
    product = item.product_name if options.show_product else None
    lot = f"{options.lot_label} {item.lot}" if options.show_lot and item.lot else None
    lot_lines = 1 if lot else 0
    size, name_lines = (TEXT_MAX_PT, ())
    if product:
        size, name_lines = fit_lines(
            product, text_font(), width_pt, max(1, lines_fit - lot_lines), TEXT_MAX_PT, TEXT_MIN_PT
        )
    if lot:
        lot_size, lot_fit = fit_lines(lot, text_font(), width_pt, 1, size, TEXT_MIN_PT)
        return min(size, lot_size), name_lines + lot_fit
    return size, name_lines


def render_pdf(
    items: Iterable,
    options,
    out: BinaryIO,
    progress: Callable[[int], None] | None = None,
    first_page: int = 1,
) -> list[PageInfo]:
    with _binary_streams():
        return _render_pdf(items, options, out, progress, first_page)


@contextmanager
def _binary_streams():
    """Deflate page streams without reportlab's default ASCII85 pass, which runs in pure
    Python here and cost as much as the QR encoder (measured: 0.2 ms per label)."""
    saved, rl_config.useA85 = rl_config.useA85, 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _render_pdf(items, options, out, progress, first_page) -> list[PageInfo]:
    layout = options.layout
    dpi = options.dpi or layout.dpi
    with_text = options.show_product or options.show_lot
    page_h = layout.page_h_mm * PT_PER_MM
    canvas = Canvas(
        out, pagesize=(layout.page_w_mm * PT_PER_MM, page_h), pageCompression=1, invariant=1
    )
    canvas.setTitle("Suyuan labels")
    pages, done = [], 0
    for number, page in enumerate(pages_of(items, layout.per_page), start=first_page):
        for slot, item in enumerate(page):
            size, ops = qr_path_ops(item.url, options.error_correction)
            plan = plan_label(layout, dpi, size, with_text)
            x_mm, y_mm = layout.label_origin_mm(slot)
            _draw_label(canvas, page_h, x_mm, y_mm, plan, ops, item, options)
        canvas.showPage()
        pages.append(PageInfo(number, page[0].code, page[-1].code, len(page)))
        done += len(page)
        if progress:
            progress(done)
    if not pages:
        canvas.showPage()
    canvas.save()
    return pages


def _draw_label(canvas, page_h, x_mm, y_mm, plan, ops: str, item, options) -> None:
    module = plan.module_mm * PT_PER_MM
    left = (x_mm + plan.qr_x_mm) * PT_PER_MM
    top = page_h - (y_mm + plan.qr_y_mm) * PT_PER_MM
    # Scale to modules with y pointing down, then one "col row len 1 re" per dark run.
    canvas.addLiteral(f"q {module:.5f} 0 0 {-module:.5f} {left:.3f} {top:.3f} cm\n{ops}\nf Q")
    canvas.setFont(DIGITS_FONT, plan.digits_pt)
    canvas.drawCentredString(
        (x_mm + plan.digits_x_mm) * PT_PER_MM,
        page_h - (y_mm + plan.digits_baseline_mm) * PT_PER_MM,
        group(item.code),
    )
    size, lines = text_lines(item, options, plan)
    if lines:
        tx, ty, _tw, _th = plan.text_box
        canvas.setFont(text_font(), size)
        step = size * LEADING
        baseline = page_h - (y_mm + ty) * PT_PER_MM - size
        for index, line in enumerate(lines):
            canvas.drawString((x_mm + tx) * PT_PER_MM, baseline - index * step, line)
