"""Every preset prints a full page whose QR codes scan back to their URLs, in order, with
the code's digits printed under each."""

import io
import re

import PIL.Image
import pytest
import zxingcpp

from labels import fonts
from labels.engine import RenderOptions, check_readiness, render
from labels.layouts import PRESETS, LayoutError, custom_layout, get_layout
from suyuan.identity import group
from tests.label_support import (
    decode_in_reading_order,
    items,
    pdf_fonts,
    pdf_text,
    rasterise,
)

#: Pure code, no database: run once, not again in the PostgreSQL pass.
pytestmark = pytest.mark.nodb

GROUPED = re.compile(r"\d{4}(?: \d{4}){4}")


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_full_page_scans_back_in_order_with_digits(tmp_path, key):
    layout = get_layout(key)
    run = items(layout.per_page, start=1000, product="Potatoes", lot="L-7")
    pdf = tmp_path / "page.pdf"
    with pdf.open("wb") as out:
        pages = render(run, RenderOptions(layout), out)
    assert [(p.page, p.first_code, p.last_code, p.count) for p in pages] == [
        (1, run[0].code, run[-1].code, layout.per_page)
    ]
    (png,) = rasterise(pdf, layout.dpi)
    row_px = (layout.label_h_mm + layout.gap_y_mm) / 25.4 * layout.dpi
    assert decode_in_reading_order(png, row_px) == [item.url for item in run]
    assert GROUPED.findall(pdf_text(pdf)) == [group(item.code) for item in run]


@pytest.mark.parametrize("key", ["a4-3x8", "roll-40x30"])
def test_chinese_product_name_is_printed_with_an_embedded_font(tmp_path, key):
    run = items(3, product="甘肃定西马铃薯（特级）", lot="批次-2026-001")
    pdf = tmp_path / "cn.pdf"
    with pdf.open("wb") as out:
        render(run, RenderOptions(get_layout(key)), out)
    fonts = [line.split() for line in pdf_fonts(pdf).splitlines() if "WenQuanYi" in line]
    assert fonts, "the CJK font is missing from the PDF"
    assert all(row[-5] == "yes" for row in fonts)  # the "emb" column
    text = "".join(pdf_text(pdf).split())
    assert text.count("甘肃定西马铃薯（特级）") == 3 and text.count("批次-2026-001") == 3


def test_a_long_name_shrinks_then_is_cut_to_fit(tmp_path):
    name = "宁夏中宁枸杞子特级头茬鲜果晾晒礼盒装五百克" * 4
    pdf = tmp_path / "long.pdf"
    with pdf.open("wb") as out:
        render(items(1, product=name), RenderOptions(get_layout("roll-40x30")), out)
    text = pdf_text(pdf)
    assert "宁夏中宁枸杞" in text and "…" in text and name not in text.replace("\n", "")


def test_custom_grid_in_millimetres(tmp_path):
    layout = custom_layout(
        page_w_mm=210,
        page_h_mm=297,
        label_w_mm=60,
        label_h_mm=40,
        rows=2,
        cols=3,
        margin_left_mm=10,
        margin_top_mm=20,
        gap_x_mm=5,
        gap_y_mm=5,
    )
    run = items(6, start=50)
    pdf = tmp_path / "custom.pdf"
    with pdf.open("wb") as out:
        render(run, RenderOptions(layout, show_product=False, show_lot=False), out)
    (png,) = rasterise(pdf, 300)
    assert decode_in_reading_order(png, 45 / 25.4 * 300) == [item.url for item in run]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"label_w_mm": 80, "label_h_mm": 40, "rows": 8, "cols": 3}, "the page is 210 × 297 mm"),
        ({"label_w_mm": 5, "label_h_mm": 40, "rows": 1, "cols": 1}, "at least 10 mm"),
        ({"label_w_mm": 50, "label_h_mm": 40, "rows": 0, "cols": 1}, "at least one row"),
        ({"label_w_mm": "wide", "label_h_mm": 40, "rows": 1, "cols": 1}, "number of millimetres"),
        ({"label_w_mm": 50, "label_h_mm": 40}, "needs the label size, rows and columns"),
        ({"label_w_mm": 50, "label_h_mm": 40, "rows": 1, "cols": 1, "gap_x_mm": -1}, "negative"),
    ],
)
def test_impossible_custom_layouts_are_refused_with_a_reason(values, message):
    with pytest.raises(LayoutError, match=message):
        custom_layout(**values)


def test_unknown_preset_names_the_choices():
    with pytest.raises(LayoutError, match="a4-3x8"):
        get_layout("a4-9x99")


def test_multi_page_run_numbers_pages_and_splits_codes(tmp_path):
    layout = get_layout("a4-2x7")
    run = items(30)
    with (tmp_path / "three.pdf").open("wb") as out:
        pages = render(run, RenderOptions(layout), out)
    assert [(p.page, p.count) for p in pages] == [(1, 14), (2, 14), (3, 2)]
    assert [p.first_code for p in pages] == [run[0].code, run[14].code, run[28].code]
    assert pages[-1].last_code == run[-1].code


@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_error_correction_level_is_the_one_chosen(tmp_path, level):
    run = items(1, start=77)
    pdf = tmp_path / "ec.pdf"
    with pdf.open("wb") as out:
        render(run, RenderOptions(get_layout("roll-60x40"), error_correction=level), out)
    (png,) = rasterise(pdf, 203)
    (result,) = zxingcpp.read_barcodes(PIL.Image.open(png))
    assert (result.text, result.ec_level) == (run[0].url, level)


@pytest.mark.parametrize("key", ["a4-4x10", "letter-3x10", "roll-40x30"])
def test_quiet_zone_of_four_modules_stays_white(tmp_path, key):
    layout = get_layout(key)
    options = RenderOptions(layout)
    run = items(layout.per_page, product="宁夏中宁枸杞子特级头茬鲜果" * 3, lot="L-2026-0001")
    pdf = tmp_path / "quiet.pdf"
    with pdf.open("wb") as out:
        render(run, options, out)
    (png,) = rasterise(pdf, layout.dpi)
    image = PIL.Image.open(png).convert("L")
    module = check_readiness(options, run[0].url).dots_per_module
    results = zxingcpp.read_barcodes(image)
    assert len(results) == layout.per_page
    for result in results:
        corners = (result.position.top_left, result.position.bottom_right)
        left, top = min(p.x for p in corners), min(p.y for p in corners)
        right, bottom = max(p.x for p in corners), max(p.y for p in corners)
        ring = (left - 4 * module, top - 4 * module, right + 4 * module, bottom + 4 * module)
        assert ring[0] >= 0 and ring[1] >= 0
        assert ring[2] < image.width and ring[3] < image.height
        # Everything between the symbol's edge and 4 modules out is paper.
        for box in (
            (ring[0], ring[1], ring[2], top - 1),  # above
            (ring[0], bottom + 2, ring[2], ring[3]),  # below
            (ring[0], ring[1], left - 1, ring[3]),  # left
            (right + 2, ring[1], ring[2], ring[3]),  # right
        ):
            assert image.crop(tuple(int(v) for v in box)).getextrema()[0] > 200, box


def test_a_missing_font_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "CJK_FONT_PATH", str(tmp_path / "gone.ttc"))
    fonts.text_font.cache_clear()
    try:
        with pytest.raises(fonts.FontError, match="fonts-wqy-microhei"):
            render(items(1, product="米"), RenderOptions(get_layout("roll-40x30")), io.BytesIO())
    finally:
        fonts.text_font.cache_clear()
