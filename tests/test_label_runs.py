"""Print runs as a service and from the CLI: which codes a run holds, files split at the
per-file limit with a manifest that accounts for every code exactly once, refusals."""

import io
import shutil
import subprocess
import zipfile

import PIL.Image
import pytest
import zxingcpp
from flask_babel import force_locale

from labels.runs import create_run, execute_run, result_path
from labels.settings import RunSettings
from labels.sources import MAX_RUN_LABELS, LabelSource, Segment
from suyuan.extensions import db
from suyuan.identity import CodeKey, code_key
from tests.conftest import missing
from tests.factories import make_pool
from tests.factories_labels import bind, make_run, manifest_indices, read_zip, second_batch


@pytest.fixture(autouse=True)
def english(ctx):
    """Service messages are checked in English (outside a request the default is Chinese)."""
    with force_locale("en"):
        yield


@pytest.fixture
def folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "LABELS_FOLDER", str(tmp_path / "labels"))
    return tmp_path


def finished(run):
    execute_run(run.id, run.attempt)
    db.session.refresh(run)
    assert run.status == "done", (run.error_code, run.error_detail)
    archive, rows, manifest = read_zip(result_path(run).read_bytes())
    return archive, rows, manifest


def test_label_source_maps_positions_across_segments():
    source = LabelSource(
        CodeKey.from_secret("k"),
        "http://h",
        [Segment(10, 12, "Apple", "L1"), Segment(50, 51), Segment(90, 94, "Tea", "L2")],
    )
    assert len(source) == 10
    assert [source.index_at(p) for p in range(10)] == [10, 11, 12, 50, 51, 90, 91, 92, 93, 94]
    middle = source(2, 6)
    key = CodeKey.from_secret("k")
    assert [key.decode(item.code) for item in middle] == [12, 50, 51, 90]
    assert [(item.product_name, item.lot) for item in middle] == [
        ("Apple", "L1"), (None, None), (None, None), ("Tea", "L2"),
    ]  # fmt: skip
    assert middle[0].url == f"http://h/q/{middle[0].code}"


def test_run_over_ten_thousand_labels_splits_files_and_accounts_for_every_code(world, folder):
    total = 10_001
    pool = make_pool(world.a.enterprise, 5000, total + 100)
    other = second_batch(world.a, "SPLIT-2")
    bind(world.a, 5000, 9999)
    bind(world.a, 10_000, 15_000, batch=other)  # one pool run covers both batches' codes
    db.session.commit()
    run = make_run(world.a, pool=pool, first=5000, last=5000 + total - 1)
    assert run.per_file == 10_000 and run.total == total

    archive, rows, manifest = finished(run)
    pdfs = sorted(name for name in archive.namelist() if name.endswith(".pdf"))
    assert pdfs == ["labels-0001.pdf", "labels-0002.pdf"]
    per_file = {}
    for row in rows:
        per_file[row["file"]] = per_file.get(row["file"], 0) + int(row["count"])
    assert per_file == {"labels-0001.pdf": 9984, "labels-0002.pdf": 17}  # whole 24-label pages
    order = list(range(5000, 5000 + total))
    covered = manifest_indices(rows, order)
    assert covered == order and len(set(covered)) == total
    assert manifest["pages"] == [{**row, "page": int(row["page"]), "count": int(row["count"])} for row in rows]  # fmt: skip


def test_small_per_file_and_a_batch_of_several_ranges(world, folder):
    bind(world.a, 100, 149)
    bind(world.a, 300, 339)
    db.session.commit()
    run = make_run(world.a, settings=RunSettings(per_file=30), batch=world.a.batch)
    archive, rows, _manifest = finished(run)
    assert len([n for n in archive.namelist() if n.startswith("labels-")]) == 4  # 24,24,24,18
    order = [*range(100, 150), *range(300, 340)]
    assert manifest_indices(rows, order) == order


def test_one_range_of_a_batch_and_png_images(world, folder):
    bind(world.a, 0, 4)
    second = bind(world.a, 10, 12)
    db.session.commit()
    run = make_run(world.a, settings=RunSettings(fmt="png", per_file=2), code_range=second)
    archive, rows, _manifest = finished(run)
    assert [r["count"] for r in rows] == ["1", "1", "1"]
    inner = zipfile.ZipFile(io.BytesIO(archive.read(rows[0]["file"])))
    image = PIL.Image.open(io.BytesIO(inner.read(inner.namelist()[0])))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [
        f"http://suyuan.test/q/{code_key().encode(10)}"
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"first": 20, "last": 10}, "swap the two codes"),
        ({"first": 990, "last": 1010}, "must lie in pool"),
    ],
)
def test_bad_pool_ranges_are_refused(world, folder, source, message):
    from suyuan.services.errors import DomainError

    with pytest.raises(DomainError, match=message):
        create_run(world.a.recorder, world.a.enterprise, RunSettings(), pool=world.a.pool, **source)


def test_other_enterprises_codes_and_oversized_runs_are_refused(world, folder):
    from suyuan.services.errors import DomainError

    with pytest.raises(DomainError, match="do not belong"):
        create_run(world.a.recorder, world.a.enterprise, RunSettings(), batch=world.b.batch)
    big = make_pool(world.a.enterprise, 10_000, MAX_RUN_LABELS + 1)
    with pytest.raises(DomainError, match="at most 1,000,000 labels"):
        create_run(
            world.a.recorder, world.a.enterprise, RunSettings(),
            pool=big, first=big.start_index, last=big.end_index,
        )  # fmt: skip


def test_unready_settings_are_refused_before_queueing(world, folder):
    from suyuan.services.errors import NotAllowed

    bind(world.a, 0, 9)
    tiny = RunSettings(layout_key="custom", custom={"kind": "roll", "label_w_mm": 12, "label_h_mm": 12}, error_correction="H")  # fmt: skip
    with pytest.raises(NotAllowed, match="not print-ready"):
        create_run(world.a.recorder, world.a.enterprise, tiny, batch=world.a.batch)
    zpl_on_sheets = RunSettings(layout_key="a4-3x8", fmt="zpl")
    with pytest.raises(NotAllowed, match="ZPL"):
        create_run(world.a.recorder, world.a.enterprise, zpl_on_sheets, batch=world.a.batch)


# The CLI


def test_cli_lists_runs(world, folder, runner):
    bind(world.a, 0, 9)
    done = make_run(world.a, batch=world.a.batch)
    execute_run(done.id, done.attempt)
    queued = make_run(world.a, batch=world.a.batch)
    listing = runner.invoke(args=["labels", "runs"]).output
    assert f"#{done.id} " in listing and f"#{queued.id} " in listing
    only_done = runner.invoke(args=["labels", "runs", "--status", "done"]).output
    assert f"#{done.id} " in only_done and f"#{queued.id} " not in only_done


def cli(runner, *args):
    return runner.invoke(args=["labels", "render", *args])


def test_cli_renders_a_pdf_whose_qr_codes_decode(world, runner, tmp_path):
    if shutil.which("pdftoppm") is None:
        missing("pdftoppm (poppler-utils) is not installed")
    bind(world.a, 0, 23)
    db.session.commit()
    out = tmp_path / "labels.pdf"
    result = cli(runner, "--first", code_key().encode(0), "--last", code_key().encode(23),
                 "--layout", "a4-3x8", "--format", "pdf", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Wrote 24 labels (1 file)" in result.output
    assert out.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")], check=True)  # fmt: skip
    page = next(tmp_path.glob("page*.png"))
    texts = [r.text for r in zxingcpp.read_barcodes(PIL.Image.open(page))]
    assert sorted(texts) == sorted(
        f"http://suyuan.test/q/{code_key().encode(i)}" for i in range(24)
    )


def test_cli_writes_a_zip_when_the_run_needs_several_files(world, runner, tmp_path):
    out = tmp_path / "labels.zip"
    result = cli(runner, "--first", code_key().encode(0), "--last", code_key().encode(59),
                 "--layout", "roll-50x30", "--format", "zpl", "--per-file", "25", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "a ZIP of 3 files and a manifest" in result.output
    archive, rows, manifest = read_zip(out.read_bytes())
    assert manifest["total"] == 60
    assert manifest_indices(rows, list(range(60))) == list(range(60))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--first", "1234", "--last", "5678"], "20 digits"),
        (["--first", "@5000", "--last", "@5001"], "never issued"),
        (["--first", "@0", "--last", "@1500"], "must lie in pool"),
        (["--first", "@9", "--last", "@0"], "swap"),
        (["--first", "@0", "--last", "@9", "--layout", "a5-1x1"], "Unknown label layout"),
        (["--first", "@0", "--last", "@9", "--layout", "roll-40x30", "--ec", "H", "--dpi", "100"], "not print-ready"),
    ],
)  # fmt: skip
def test_cli_explains_bad_codes_ranges_layouts(world, runner, tmp_path, args, message):
    args = [code_key().encode(int(a[1:])) if a.startswith("@") else a for a in args]
    result = cli(runner, *args, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code != 0
    assert message in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_cleanup_deletes_old_files_and_the_run_can_be_run_again(world, folder, runner):
    from datetime import timedelta

    from labels.runs import may_retry, retry_run

    bind(world.a, 0, 9)
    run = make_run(world.a, batch=world.a.batch)
    execute_run(run.id, run.attempt)
    db.session.refresh(run)
    path = result_path(run)
    assert path.is_file() and not may_retry(run)
    run.finished_at -= timedelta(days=31)
    db.session.commit()
    assert "files of 1 print run(s)" in runner.invoke(args=["labels", "cleanup"]).output
    db.session.refresh(run)
    assert not path.exists() and result_path(run) is None and may_retry(run)
    retry_run(run)
    db.session.commit()
    execute_run(run.id, run.attempt)
    db.session.refresh(run)
    assert run.status == "done" and result_path(run).is_file()
