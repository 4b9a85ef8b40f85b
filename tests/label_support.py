"""Helpers for label tests: codes from a test key, PDFs rasterised and read back."""

import shutil
import subprocess
from pathlib import Path

import PIL.Image
import zxingcpp

from labels.engine import LabelItem
from labels.render import code_url
from suyuan.identity import CodeKey
from tests.conftest import missing

BASE_URL = "https://suyuan.example.cn"
KEY = CodeKey.from_secret("label-tests")


def items(count: int, start: int = 0, product: str | None = None, lot: str | None = None):
    codes = [KEY.encode(index) for index in range(start, start + count)]
    return [LabelItem(code, code_url(BASE_URL, code), product, lot) for code in codes]


def need(*tools: str) -> None:
    for tool in tools:
        if shutil.which(tool) is None:
            missing(f"{tool} (poppler-utils) is not installed")


def rasterise(pdf: Path, dpi: int) -> list[Path]:
    need("pdftoppm")
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", pdf, prefix], check=True)
    return sorted(pdf.parent.glob(f"{prefix.name}-*.png"))


def decode_in_reading_order(png: Path, row_height_px: float) -> list[str]:
    """Texts of every QR on the page, sorted by row then by column."""
    found = zxingcpp.read_barcodes(PIL.Image.open(png))

    def place(result):
        x = sum(p.x for p in (result.position.top_left, result.position.bottom_right)) / 2
        y = sum(p.y for p in (result.position.top_left, result.position.bottom_right)) / 2
        return (int(y // row_height_px), x)

    return [result.text for result in sorted(found, key=place)]


def pdf_text(pdf: Path) -> str:
    need("pdftotext")
    return subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_fonts(pdf: Path) -> str:
    need("pdffonts")
    return subprocess.run(["pdffonts", pdf], check=True, capture_output=True, text=True).stdout


def fetch(start: int, stop: int, product: str | None = None) -> list:
    """A picklable item source for worker processes."""
    return items(stop - start, start=start, product=product)


def fetch_or_die(start: int, stop: int, die_at: int) -> list:
    """Like ``fetch``, but the worker process that gets ``die_at`` dies on the spot."""
    import os

    if start <= die_at < stop:
        os._exit(9)
    return fetch(start, stop)


def fetch_or_fail(start: int, stop: int, fail_at: int):
    """Like ``fetch``, but producing the label ``fail_at`` fails part-way through a file."""
    for index, item in enumerate(fetch(start, stop), start=start):
        if index == fail_at:
            raise RuntimeError("database went away")
        yield item
