"""ZPL II roll labels: one format per label, the printer's ^BQ QR carrying exactly the URL."""

import io
import re

import PIL.Image
import pytest
import zxingcpp

from labels.engine import NotReady, RenderOptions, check_readiness, render
from labels.layouts import PRESETS, get_layout
from labels.qr import qr_matrix
from suyuan.identity import group
from tests.label_support import items

#: Pure code, no database: run once, not again in the PostgreSQL pass.
pytestmark = pytest.mark.nodb

FORMAT = re.compile(r"\^XA(.*?)\^XZ", re.S)
QR_FIELD = re.compile(r"\^FO(\d+),(\d+)\^BQN,2,(\d+)\^FH\\\^FD([LMQH])A,(.*?)\^FS")
TEXT_FIELD = re.compile(r"\^A[0@][^\^]*(?:\^FB[^\^]*)?\^FH\\\^FD(.*?)\^FS")


def unescape(data: str) -> str:
    return re.sub(r"\\([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), data)


def zpl(run, **options) -> str:
    out = io.BytesIO()
    render(run, RenderOptions(fmt="zpl", **options), out)
    return out.getvalue().decode()


def print_qr(block: str) -> list[str]:
    """Draw the label's ^BQ symbol where a printer would and scan it back."""
    width = int(re.search(r"\^PW(\d+)", block).group(1))
    length = int(re.search(r"\^LL(\d+)", block).group(1))
    x, y, magnification, level, data = QR_FIELD.search(block).groups()
    x, y, magnification = int(x), int(y), int(magnification)
    matrix = qr_matrix(unescape(data), level)
    assert x + matrix.size * magnification <= width and y + matrix.size * magnification <= length
    image = PIL.Image.new("L", (width, length), 255)
    for row, col, run in matrix.runs:
        left, top = x + col * magnification, y + row * magnification
        image.paste(0, (left, top, left + run * magnification, top + magnification))
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("key", [key for key in PRESETS if key.startswith("roll-")])
def test_one_format_per_label_with_the_url_and_digits(key):
    run = items(5, start=300, product="Potatoes", lot="L-7")
    text = zpl(run, layout=get_layout(key), error_correction="Q")
    assert text.count("^XA") == text.count("^XZ") == 5
    blocks = FORMAT.findall(text)
    assert len(blocks) == 5
    for block, item in zip(blocks, run, strict=True):
        _x, _y, magnification, level, data = QR_FIELD.search(block).groups()
        assert (level, unescape(data)) == ("Q", item.url)
        assert int(magnification) >= 3
        texts = [unescape(value) for value in TEXT_FIELD.findall(block)]
        assert texts == [group(item.code), "Potatoes", "Lot L-7"]
        assert print_qr(block) == [item.url]


def test_magnification_grows_with_the_label_and_the_printer():
    run = items(1)
    small = zpl(run, layout=get_layout("roll-40x30"), show_product=False, show_lot=False)
    large = zpl(run, layout=get_layout("roll-60x40"), show_product=False, show_lot=False)
    fine = zpl(run, layout=get_layout("roll-40x30"), dpi=300, show_product=False, show_lot=False)
    mags = [int(QR_FIELD.search(t).group(3)) for t in (small, large, fine)]
    assert mags[0] < mags[1] and mags[0] < mags[2]


def test_caret_and_tilde_in_text_cannot_break_the_format():
    run = items(1, product="A^XZ~JR", lot="^FS")
    text = zpl(run, layout=get_layout("roll-60x40"))
    assert text.count("^XA") == text.count("^XZ") == 1
    assert [unescape(v) for v in TEXT_FIELD.findall(text)][1:] == ["A^XZ~JR", "Lot ^FS"]


def test_chinese_text_uses_the_resident_cjk_font():
    text = zpl(items(1, product="马铃薯"), layout=get_layout("roll-50x30"))
    assert re.search(r"\^CI28", text)
    assert re.search(r"\^A@N,\d+,\d+,E:ANMDS\.TTF\^FH\\\^FD马铃薯\^FS", text)


def test_zpl_is_refused_for_office_sheets():
    options = RenderOptions(get_layout("a4-3x8"), fmt="zpl")
    verdict = check_readiness(options, items(1)[0].url)
    assert not verdict.ok and "roll layout" in verdict.problems[0]
    with pytest.raises(NotReady, match="roll layout"):
        render(items(1), options, io.BytesIO())
