"""Runs split into files: every code exactly once, files appear only when complete, progress
is reported, and one code as PNG/SVG comes out as a ZIP of images."""

import functools
import io
import re
import subprocess
import sys
import time
import zipfile
from concurrent.futures.process import BrokenProcessPool

import PIL.Image
import pytest
import segno
import zxingcpp
from segno import consts

from labels.engine import NotReady, RenderOptions, render, render_files, render_preview_png
from labels.layouts import get_layout
from labels.qr import qr_matrix
from labels.render import code_url
from tests.label_support import (
    decode_in_reading_order,
    fetch,
    fetch_or_die,
    fetch_or_fail,
    items,
    need,
    rasterise,
)

#: Pure code, no database: run once, not again in the PostgreSQL pass.
pytestmark = pytest.mark.nodb

A4 = get_layout("a4-3x8")


def pdf_pages(path) -> int:
    need("pdfinfo")
    info = subprocess.run(["pdfinfo", path], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def test_a_run_is_split_into_whole_page_files_covering_every_code_once(tmp_path):
    run = items(100)
    seen = []
    files = render_files(
        run, 100, RenderOptions(A4), tmp_path, per_file=50, workers=1, progress=seen.append
    )
    # 50 labels per file is rounded down to whole pages of 24.
    assert [(f.name, f.count) for f in files] == [
        ("labels-0001.pdf", 48),
        ("labels-0002.pdf", 48),
        ("labels-0003.pdf", 4),
    ]
    pages = [page for f in files for page in f.pages]
    assert [p.page for p in pages] == [1, 2, 3, 4, 5]
    assert [p.first_code for p in pages] == [run[i].code for i in (0, 24, 48, 72, 96)]
    assert [p.last_code for p in pages] == [run[i].code for i in (23, 47, 71, 95, 99)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f.name for f in files]
    assert [pdf_pages(tmp_path / f.name) for f in files] == [2, 2, 1]
    assert seen == sorted(seen) and seen[-1] == 100
    (png,) = rasterise(tmp_path / "labels-0003.pdf", 300)
    assert decode_in_reading_order(png, 37 / 25.4 * 300) == [item.url for item in run[96:]]


def test_two_worker_processes_build_their_own_items(tmp_path):
    seen = []
    files = render_files(
        functools.partial(fetch, product="苹果"),
        130,
        RenderOptions(A4),
        tmp_path,
        per_file=48,
        workers=2,
        progress=seen.append,
    )
    assert [f.count for f in files] == [48, 48, 34]
    expected = items(130)
    assert [f.pages[0].first_code for f in files] == [expected[i].code for i in (0, 48, 96)]
    assert files[-1].pages[-1].last_code == expected[-1].code
    assert seen[-1] == 130 and seen == sorted(seen)


def test_a_failing_file_leaves_no_file_behind(tmp_path):
    source = functools.partial(fetch_or_fail, fail_at=60)
    with pytest.raises(RuntimeError, match="database went away"):
        render_files(source, 100, RenderOptions(A4), tmp_path, per_file=48, workers=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["labels-0001.pdf"]


def test_a_killed_worker_leaves_no_partial_file(tmp_path):
    source = functools.partial(fetch_or_die, die_at=100)
    with pytest.raises(BrokenProcessPool):
        render_files(source, 144, RenderOptions(A4), tmp_path, per_file=48, workers=2)
    names = [p.name for p in tmp_path.iterdir()]
    assert "labels-0003.pdf" not in names and not [n for n in names if n.endswith(".part")]
    # A rerun into the same directory completes every file.
    files = render_files(fetch, 144, RenderOptions(A4), tmp_path, per_file=48, workers=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f.name for f in files]
    assert sum(f.count for f in files) == 144


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_images_for_artwork_come_as_a_zip_of_one_file_per_code(fmt):
    run = items(3)
    out = io.BytesIO()
    pages = render(run, RenderOptions(A4, fmt=fmt), out)
    assert [p.first_code for p in pages] == [item.code for item in run]
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [f"{item.code}.{fmt}" for item in run]
        if fmt == "png":
            for item in run:
                image = PIL.Image.open(io.BytesIO(archive.read(f"{item.code}.png")))
                assert [r.text for r in zxingcpp.read_barcodes(image)] == [item.url]
        else:
            assert all(b"<svg" in archive.read(name) for name in archive.namelist())


def test_zpl_and_image_runs_split_into_files_too(tmp_path):
    files = render_files(
        items(5),
        5,
        RenderOptions(get_layout("roll-40x30"), fmt="zpl"),
        tmp_path,
        per_file=2,
        workers=1,
    )
    assert [(f.name, f.count) for f in files] == [
        ("labels-0001.zpl", 2),
        ("labels-0002.zpl", 2),
        ("labels-0003.zpl", 1),
    ]
    assert (tmp_path / "labels-0002.zpl").read_text().count("^XA") == 2


def test_preview_shows_the_first_page_that_scans():
    run = items(30, product="马铃薯", lot="L1")
    png = render_preview_png(run, RenderOptions(A4), dpi=150)
    image = PIL.Image.open(io.BytesIO(png))
    assert image.size == (round(210 / 25.4 * 150), round(297 / 25.4 * 150))
    decoded = {r.text for r in zxingcpp.read_barcodes(image)}
    assert decoded == {item.url for item in run[:24]}


def test_an_empty_run_is_refused():
    with pytest.raises(NotReady, match="no codes"):
        render([], RenderOptions(A4), io.BytesIO())


KILLED_RUN = """
import sys
from pathlib import Path
from labels.engine import RenderOptions, render_files
from labels.layouts import get_layout
from tests.label_support import fetch
render_files(fetch, 9600, RenderOptions(get_layout("a4-3x8")), Path(sys.argv[1]),
             per_file=2400, workers=2, progress=lambda n: print(n, flush=True))
"""


def test_killing_the_caller_stops_its_workers_and_leaves_no_partial_file(tmp_path):
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_RUN, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as caller:
        assert int(caller.stdout.readline()) > 0  # the workers are writing pages
        caller.kill()
    time.sleep(3)  # workers notice within a second, drop their temp file and exit
    names = sorted(p.name for p in tmp_path.iterdir())
    assert not [name for name in names if name.endswith(".part")]
    time.sleep(2)
    assert sorted(p.name for p in tmp_path.iterdir()) == names  # nobody is still writing


@pytest.mark.parametrize(
    "base", ["http://127.0.0.1:5000", "https://suyuan.example.cn", "HTTPS://SUYUAN.EXAMPLE.CN"]
)
@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_bulk_encoder_is_never_bigger_than_the_two_segment_encoding(base, level):
    code = items(1)[0].code
    url = code_url(base, code)
    prefix, digits = url[: -len(code)], code
    segno_size = segno.make_qr(
        [(prefix, consts.MODE_BYTE), (digits, consts.MODE_NUMERIC)], error=level, boost_error=False
    ).symbol_size(border=0)[0]
    matrix = qr_matrix(url, level)
    assert matrix.size <= segno_size
    image = PIL.Image.new("L", (matrix.modules * 4,) * 2, 255)
    for row, col, length in matrix.runs:
        x, y = (col + 4) * 4, (row + 4) * 4
        image.paste(0, (x, y, x + length * 4, y + 4))
    (result,) = zxingcpp.read_barcodes(image)
    assert (result.text, result.ec_level) == (url, level)
