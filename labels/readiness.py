"""Where things go on one label, and whether it will scan once printed.

Sizes are millimetres from the label's top-left corner. A QR module is a whole number of
printer dots (a fraction of a dot prints as ragged modules on a thermal head), and at least
3 dots (ISO/IEC 15415 print-quality guidance; common Zebra advice for 203 dpi heads).
"""

from dataclasses import dataclass, field
from functools import lru_cache

from labels.fonts import DIGITS_FONT, text_width
from labels.layouts import Layout
from labels.qr import EC_LEVELS, QUIET_ZONE, qr_size
from labels.texts import _

MM_PER_PT = 25.4 / 72
MIN_DOTS = 3
PAD_MM = 1.0  # clear edge inside each label: die-cut and roll drift tolerance
GAP_MM = 1.0  # between the QR column and the text column
LEADING = 1.25
DIGITS_MIN_PT, DIGITS_MAX_PT = 4.0, 8.0
TEXT_MIN_PT, TEXT_MAX_PT = 4.5, 8.0
TEXT_LINES = 3  # product name on up to two lines, the lot on one
SIDE_TEXT_MIN_MM = 16.0
FORMATS = ("pdf", "zpl", "png", "svg")
SAMPLE_CODE = "1" * 20


@lru_cache(maxsize=1)
def _digits_mm_per_pt() -> float:
    return text_width("0000 0000 0000 0000 0000", DIGITS_FONT, 1.0) * MM_PER_PT


@dataclass(frozen=True)
class LabelPlan:
    modules: int  # per side, quiet zone included
    dots: int  # printer dots per module
    module_mm: float
    qr_x_mm: float  # top-left of the quiet-zone box
    qr_y_mm: float
    digits_pt: float
    digits_x_mm: float  # centre of the digit line
    digits_baseline_mm: float
    text_box: tuple[float, float, float, float] | None  # x, y, width, height
    room_mm: float  # side of the square the QR could use before snapping to dots
    side: bool  # text column beside the QR (else below it, or no text)

    @property
    def box_mm(self) -> float:
        return self.modules * self.module_mm


@dataclass(frozen=True)
class Readiness:
    ok: bool
    qr_version: int
    modules: int  # per side, without the quiet zone
    module_mm: float
    dots_per_module: float
    dpi: int
    problems: list[str] = field(default_factory=list)


def _digits_pt(width_mm: float) -> float:
    return min(DIGITS_MAX_PT, width_mm / _digits_mm_per_pt())


def _line_mm(size_pt: float) -> float:
    return size_pt * MM_PER_PT * LEADING


@lru_cache(maxsize=512)
def plan_label(layout: Layout, dpi: int, size: int, with_text: bool) -> LabelPlan:
    """Place the QR (``size`` modules without quiet zone), the digits and the text box."""
    inner_w, inner_h = layout.label_w_mm - 2 * PAD_MM, layout.label_h_mm - 2 * PAD_MM
    modules = size + 2 * QUIET_ZONE
    text_mm = TEXT_LINES * _line_mm(TEXT_MIN_PT)
    candidates = [("below", inner_w, inner_h - text_mm)] if with_text else []
    if with_text and inner_w - SIDE_TEXT_MIN_MM - GAP_MM > 0:
        candidates.append(("side", inner_w - SIDE_TEXT_MIN_MM - GAP_MM, inner_h))
    if not with_text:
        candidates.append(("alone", inner_w, inner_h))
    best = max((_room(mode, w, h) + (mode,) for mode, w, h in candidates), key=lambda c: c[0])
    room, digits_pt, mode = best
    dots = max(1, int(room / 25.4 * dpi / modules + 1e-9))
    module_mm = dots * 25.4 / dpi
    box = modules * module_mm
    digits_h = _line_mm(digits_pt)
    block_h = box + digits_h + (text_mm if mode == "below" else 0.0)
    top = PAD_MM + max(0.0, (inner_h - block_h) / 2)
    if mode == "side":
        qr_x = PAD_MM + max(0.0, room - box) / 2
        text_x = PAD_MM + max(box, room) + GAP_MM
        text_box = (text_x, PAD_MM, layout.label_w_mm - PAD_MM - text_x, inner_h)
    else:
        qr_x = (layout.label_w_mm - box) / 2
        text_box = (PAD_MM, top + box + digits_h, inner_w, text_mm) if mode == "below" else None
    return LabelPlan(
        modules=modules,
        dots=dots,
        module_mm=module_mm,
        qr_x_mm=_snap(qr_x, dpi),
        qr_y_mm=_snap(top, dpi),
        digits_pt=digits_pt,
        digits_x_mm=PAD_MM + max(box, room) / 2 if mode == "side" else layout.label_w_mm / 2,
        digits_baseline_mm=top + box + digits_pt * MM_PER_PT * 0.95,
        text_box=text_box,
        room_mm=room,
        side=mode == "side",
    )


def _room(mode: str, width: float, height: float) -> tuple[float, float]:
    """(side of the QR square, digit size) for a column ``width`` × ``height`` mm; the digit
    line spans the label in "alone"/"below" mode and the QR column in "side" mode."""
    digits_pt = _digits_pt(width)
    room = min(width, height - _line_mm(digits_pt))
    if mode == "side":  # digits as wide as the QR: shrink both until they agree
        for _step in range(3):
            digits_pt = _digits_pt(room)
            room = min(width, height - _line_mm(digits_pt))
    return room, digits_pt


def _snap(mm: float, dpi: int) -> float:
    """Round to the printer's dot grid so module edges fall on dots."""
    return round(mm / 25.4 * dpi) * 25.4 / dpi


def check_readiness(options, sample_url: str) -> Readiness:
    """Refuse settings whose labels would not scan or fit, saying what to change."""
    layout, dpi, ec = options.layout, options.dpi or options.layout.dpi, options.error_correction
    problems = _setting_problems(options, dpi)
    if problems:
        return Readiness(False, 0, 0, 0.0, 0.0, dpi, problems)
    try:
        size = qr_size(sample_url, ec)
    except ValueError:
        msg = _("The address is too long for a QR code: use a shorter base URL.")
        return Readiness(False, 0, 0, 0.0, 0.0, dpi, [msg])
    with_text = options.show_product or options.show_lot
    plan = plan_label(layout, dpi, size, with_text)
    problems = _fit_problems(options, plan, dpi, size, sample_url, with_text)
    return Readiness(
        ok=not problems,
        qr_version=(size - 17) // 4,
        modules=size,
        module_mm=round(plan.module_mm, 3),
        dots_per_module=float(plan.dots if plan.room_mm >= plan.box_mm else 0),
        dpi=dpi,
        problems=problems,
    )


def _setting_problems(options, dpi: int) -> list[str]:
    problems = []
    if options.fmt not in FORMATS:
        problems.append(_("Choose an output format: PDF, ZPL, PNG or SVG."))
    if options.error_correction not in EC_LEVELS:
        problems.append(_("Choose an error-correction level: L, M, Q or H."))
    if options.fmt == "zpl" and options.layout.kind != "roll":
        problems.append(_("ZPL is for thermal roll printers: choose a roll layout."))
    if not 100 <= dpi <= 1200:
        problems.append(_("The printer resolution must be between 100 and 1200 dpi."))
    return problems


def _fit_problems(options, plan, dpi, size, url, with_text) -> list[str]:
    if options.fmt in ("png", "svg"):
        return []  # one image per code for artwork: the designer sets the printed size
    problems = []
    if plan.room_mm < plan.box_mm or plan.dots < MIN_DOTS:
        dots = max(0.0, plan.room_mm / 25.4 * dpi / plan.modules)
        problems.append(
            _(
                "A QR module would be %(dots)s printer dots at %(dpi)s dpi; "
                "at least %(min)s are needed for the code to scan.",
                dots=f"{dots:.1f}",
                dpi=dpi,
                min=MIN_DOTS,
            )
        )
        problems.extend(_remedies(options, plan, dpi, size, url, with_text))
    if plan.digits_pt < DIGITS_MIN_PT:
        problems.append(_("The printed digits would be too small to read: use a wider label."))
    return problems


def _remedies(options, plan, dpi, size, url, with_text) -> list[str]:
    layout = options.layout
    need_box = plan.modules * MIN_DOTS * 25.4 / dpi
    grow = need_box - plan.room_mm
    remedies = [
        _(
            "Use a label at least %(w)s × %(h)s mm.",
            w=f"{layout.label_w_mm + max(0.0, grow):.0f}",
            h=f"{layout.label_h_mm + max(0.0, grow):.0f}",
        )
    ]
    for level in reversed(EC_LEVELS[: EC_LEVELS.index(options.error_correction)]):
        smaller = plan_label(layout, dpi, qr_size(url, level), with_text)
        if smaller.dots >= MIN_DOTS and smaller.room_mm >= smaller.box_mm:
            remedies.append(_("Or choose error correction %(level)s.", level=level))
            break
    for better in (300, 600):
        sharper = plan_label(layout, better, size, with_text)
        if better > dpi and sharper.dots >= MIN_DOTS and sharper.room_mm >= sharper.box_mm:
            remedies.append(_("Or print at %(dpi)s dpi.", dpi=better))
            break
    bare = plan_label(layout, dpi, size, False)
    if with_text and bare.dots >= MIN_DOTS and bare.room_mm >= bare.box_mm:
        remedies.append(_("Or leave out the product name and lot."))
    remedies.append(
        _(
            "Or use a shorter base URL (this one makes a %(n)s-character address).",
            n=len(url),
        )
    )
    return remedies
