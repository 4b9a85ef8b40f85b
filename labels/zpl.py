"""ZPL II for Zebra-compatible thermal printers: one ``^XA…^XZ`` format per label.

The QR is the printer's own ``^BQN,2,<magnification>`` (model 2, magnification = dots per
module) with ``^FD<EC level>A,<url>`` (automatic data mode, Zebra ZPL II manual, ^BQ). The
printer draws no quiet zone: the field origin leaves 4 modules clear around the symbol.
Field data goes through ``^FH`` so a ``^`` or ``~`` in text cannot end a command.
"""

from collections.abc import Callable, Iterable
from typing import BinaryIO

from labels.fonts import fit_lines
from labels.pdf import PT_PER_MM, PageInfo
from labels.qr import QUIET_ZONE, qr_size
from labels.readiness import LEADING, MM_PER_PT, PAD_MM, TEXT_MAX_PT, TEXT_MIN_PT, plan_label
from suyuan.identity import group

MAX_MAGNIFICATION = 10  # ^BQ accepts 1–10
CJK_FONT = "E:ANMDS.TTF"  # Zebra's resident simplified-Chinese font on Asian-market printers


def _field(text: str) -> str:
    """``^FH\\^FD<text>^FS`` with ``\\``, ``^`` and ``~`` written as hex escapes."""
    escaped = "".join(f"\\{ord(c):02X}" if c in "\\^~" else c for c in text)
    return f"^FH\\^FD{escaped}^FS"


def render_zpl(
    items: Iterable,
    options,
    out: BinaryIO,
    progress: Callable[[int], None] | None = None,
    first_page: int = 1,
) -> list[PageInfo]:
    pages = []
    for number, item in enumerate(items, start=first_page):
        out.write(label_zpl(item, options).encode())
        pages.append(PageInfo(number, item.code, item.code, 1))
        if progress and len(pages) % 100 == 0:
            progress(len(pages))
    if progress:
        progress(len(pages))
    return pages


def label_zpl(item, options) -> str:
    layout = options.layout
    dpi = options.dpi or layout.dpi
    with_text = options.show_product or options.show_lot
    plan = plan_label(layout, dpi, qr_size(item.url, options.error_correction), with_text)
    magnification = min(plan.dots, MAX_MAGNIFICATION)
    dot = dpi / 25.4  # dots per mm

    def dots(mm: float) -> int:
        return round(mm * dot)

    quiet = QUIET_ZONE * magnification
    digits_h = max(10, round(plan.digits_pt * dpi / 72))
    digits_top = plan.digits_baseline_mm - plan.digits_pt * MM_PER_PT * 0.95
    # The digit line is centred in a field block: under the QR, or across the whole label.
    box_x, box_w = (
        (dots(PAD_MM), dots(max(plan.box_mm, plan.room_mm)))
        if plan.side
        else (0, dots(layout.label_w_mm))
    )
    lines = [
        "^XA",
        "^CI28",
        f"^PW{dots(layout.label_w_mm)}",
        f"^LL{dots(layout.label_h_mm)}",
        "^LH0,0",
        f"^FO{dots(plan.qr_x_mm) + quiet},{dots(plan.qr_y_mm) + quiet}"
        f"^BQN,2,{magnification}" + _field(f"{options.error_correction}A,{item.url}"),
        f"^FO{box_x},{dots(digits_top)}^A0N,{digits_h},{digits_h}^FB{box_w},1,0,C"
        + _field(group(item.code)),
    ]
    lines.extend(_text_fields(item, options, plan, dots, dpi))
    lines.append("^XZ")
    return "\n".join(lines) + "\n"


def _text_fields(item, options, plan, dots, dpi) -> list[str]:
    if plan.text_box is None:
        return []
    x, y, width, _height = plan.text_box
    texts = []
    if options.show_product and item.product_name:
        texts.append(item.product_name)
    if options.show_lot and item.lot:
        texts.append(f"{options.lot_label} {item.lot}")
    fields = []
    for text in texts:
        # Helvetica metrics approximate the printer font closely enough to size the line.
        size, (line, *_rest) = fit_lines(
            text, "Helvetica", width * PT_PER_MM, 1, TEXT_MAX_PT, TEXT_MIN_PT
        )
        height = max(10, round(size * dpi / 72))
        font = f"^A0N,{height},{height}" if line.isascii() else f"^A@N,{height},{height},{CJK_FONT}"
        fields.append(f"^FO{dots(x)},{dots(y)}{font}" + _field(line))
        y += size * MM_PER_PT * LEADING
    return fields
