"""The first page of a run as a PNG for the web preview, drawn with Pillow from the same
label plan as the PDF (no PDF rasteriser needed on the server)."""

import io

from PIL import Image, ImageDraw, ImageFont

from labels.fonts import CJK_FONT_PATH, text_font
from labels.pdf import PT_PER_MM, text_lines
from labels.qr import QUIET_ZONE, qr_matrix
from labels.readiness import LEADING, plan_label
from suyuan.identity import group


def preview_png(items, options, dpi: int) -> bytes:
    layout = options.layout
    scale = dpi / 25.4  # pixels per mm
    size = (round(layout.page_w_mm * scale), round(layout.page_h_mm * scale))
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    text_font()  # the same missing-font error as the PDF
    with_text = options.show_product or options.show_lot
    for slot in range(layout.per_page):
        x_mm, y_mm = layout.label_origin_mm(slot)
        outline = [x_mm * scale, y_mm * scale]
        outline += [(x_mm + layout.label_w_mm) * scale, (y_mm + layout.label_h_mm) * scale]
        draw.rectangle(outline, outline=200)
        if slot < len(items):
            _draw_label(draw, items[slot], options, x_mm, y_mm, scale, with_text)
    out = io.BytesIO()
    page.save(out, "PNG", optimize=True)
    return out.getvalue()


def _font(size_pt: float, scale: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(CJK_FONT_PATH, max(1, round(size_pt / PT_PER_MM * scale)))


def _draw_label(draw, item, options, x_mm, y_mm, scale, with_text) -> None:
    dpi = options.dpi or options.layout.dpi
    matrix = qr_matrix(item.url, options.error_correction)
    plan = plan_label(options.layout, dpi, matrix.size, with_text)
    module = plan.module_mm * scale
    left = (x_mm + plan.qr_x_mm) * scale + QUIET_ZONE * module
    top = (y_mm + plan.qr_y_mm) * scale + QUIET_ZONE * module
    for row, col, length in matrix.runs:
        x0, y0 = left + col * module, top + row * module
        draw.rectangle([x0, y0, x0 + length * module - 1, y0 + module - 1], fill=0)
    digits = _font(plan.digits_pt, scale)
    anchor = ((x_mm + plan.digits_x_mm) * scale, (y_mm + plan.digits_baseline_mm) * scale)
    draw.text(anchor, group(item.code), font=digits, fill=0, anchor="ms")
    size, lines = text_lines(item, options, plan)
    if lines:
        tx, ty, _tw, _th = plan.text_box
        font = _font(size, scale)
        for index, line in enumerate(lines):
            baseline = (y_mm + ty) * scale + (size + index * size * LEADING) / PT_PER_MM * scale
            draw.text(((x_mm + tx) * scale, baseline), line, font=font, fill=0, anchor="ls")
