"""PDF label sheets and roll labels: each QR is vector runs of dark modules written as raw
PDF path operators (about 5× faster than reportlab's path API, see STACK.md)."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFZCompress
from reportlab.pdfgen.canvas import Canvas

from labels.fonts import DIGITS_FONT, fit_lines, text_font, text_width
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


@dataclass(frozen=True, slots=True)  # a 1,000,000-label run keeps ~42,000 of these
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
    painter = _Painter(canvas, page_h, options)
    pages, done = [], 0
    for number, page in enumerate(pages_of(items, layout.per_page), start=first_page):
        painter.start_page()
        for slot, item in enumerate(page):
            size, ops = qr_path_ops(item.url, options.error_correction)
            plan = plan_label(layout, dpi, size, with_text)
            painter.label(*layout.label_origin_mm(slot), plan, ops, item)
        canvas.showPage()
        _compress_last_page(canvas)
        pages.append(PageInfo(number, page[0].code, page[-1].code, len(page)))
        done += len(page)
        if progress:
            progress(done)
    if not pages:
        canvas.showPage()
    canvas.save()
    return pages


def _compress_last_page(canvas: Canvas) -> None:
    """Deflate the page just finished now rather than at ``save``: reportlab keeps every
    page's operators as text until then (~3 KB a label, 30 MB for a 10,000-label file)."""
    page = canvas._doc.Pages.pages[-1]
    flate = PDFDictionary({"Filter": PDFArray([PDFName("FlateDecode")])})
    page.Contents = PDFStream(flate, PDFZCompress.encode(page.stream))
    page.stream = None


class _Painter:
    """Writes each label as raw operators. The digits are Helvetica, whose digits all have
    one width, so a code's line has a fixed width per size; the product/lot block is the
    same for most labels of a run, so its text operators are built once per file and
    placed with a translation."""

    def __init__(self, canvas: Canvas, page_h: float, options):
        self.canvas, self.page_h, self.options = canvas, page_h, options
        self.blocks: dict[tuple, str] = {}
        self.digits: dict[float, tuple[str, float]] = {}

    def start_page(self) -> None:
        # Name both fonts in this page's resources; the operators below use them directly.
        self.canvas.setFont(DIGITS_FONT, 8)
        if self.options.show_product or self.options.show_lot:
            self.canvas.setFont(text_font(), 8)

    def label(self, x_mm: float, y_mm: float, plan: LabelPlan, ops: str, item) -> None:
        module = plan.module_mm * PT_PER_MM
        left = (x_mm + plan.qr_x_mm) * PT_PER_MM
        top = self.page_h - (y_mm + plan.qr_y_mm) * PT_PER_MM
        font, width = self._digits_font(plan.digits_pt)
        digits_x = (x_mm + plan.digits_x_mm) * PT_PER_MM - width / 2
        digits_y = self.page_h - (y_mm + plan.digits_baseline_mm) * PT_PER_MM
        # Scale to modules with y pointing down, then one "col row len 1 re" per dark run.
        self.canvas.addLiteral(
            f"q {module:.5f} 0 0 {-module:.5f} {left:.3f} {top:.3f} cm\n{ops}\nf Q\n"
            f"BT {font} {plan.digits_pt:.2f} Tf {digits_x:.3f} {digits_y:.3f} Td "
            f"({group(item.code)}) Tj ET"
        )
        size, lines = text_lines(item, self.options, plan)
        if lines:
            tx, ty, _tw, _th = plan.text_box
            x, y = (x_mm + tx) * PT_PER_MM, self.page_h - (y_mm + ty) * PT_PER_MM - size
            self.canvas.addLiteral(f"q 1 0 0 1 {x:.3f} {y:.3f} cm {self._block(lines, size)} Q")

    def _digits_font(self, size: float) -> tuple[str, float]:
        if size not in self.digits:
            name = self.canvas._doc.getInternalFontName(DIGITS_FONT)
            self.digits[size] = (name, text_width(group("0" * 20), DIGITS_FONT, size))
        return self.digits[size]

    def _block(self, lines: tuple[str, ...], size: float) -> str:
        key = (lines, size)
        if key not in self.blocks:
            text = self.canvas.beginText(0, 0)
            text.setFont(text_font(), size, size * LEADING)
            for line in lines:
                text.textLine(line)
            self.blocks[key] = text.getCode()
        return self.blocks[key]
