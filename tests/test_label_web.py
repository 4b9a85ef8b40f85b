"""Print pages in the portal, as a member sees them: settings, preview with the readiness
verdict, starting a run, its page, the download; and every other enterprise's object a 404."""

import io
import re
from html import unescape

import PIL.Image
import pytest
import zxingcpp

from labels.runs import execute_run
from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.models import PrintRun
from tests.factories import make_pool
from tests.factories_labels import bind, make_run, manifest_indices, read_zip

BASE = "http://suyuan.test/q/"


@pytest.fixture
def immediate_jobs(app, tmp_path, monkeypatch):
    """Jobs run as soon as they are queued (Huey's immediate mode), files in a temp folder."""
    monkeypatch.setitem(app.config, "JOBS_URL", "memory://")
    monkeypatch.setitem(app.config, "JOBS_IMMEDIATE", True)
    monkeypatch.setitem(app.config, "LABELS_FOLDER", str(tmp_path / "labels"))
    monkeypatch.delitem(app.extensions, "suyuan_jobs", raising=False)
    yield
    app.extensions.pop("suyuan_jobs", None)


@pytest.fixture
def login(login):
    """Members who read English (the pages' refusals are compared with English text)."""

    def english(user, role=None):
        client = login(user, role)
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return english


def fetch(client, url: str):
    """GET a file; the response is closed (a streamed file would stay open otherwise)."""
    with client.get(url) as response:
        response.data  # read before closing  # noqa: B018
        return response


def decoded(png: bytes) -> list[str]:
    image = PIL.Image.open(io.BytesIO(png))
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def preview_src(html: str) -> str:
    return unescape(re.search(r'<img class="label-preview" src="([^"]+)"', html).group(1))


def url_of(index: int) -> str:
    return BASE + code_key().encode(index)


def test_batch_print_flow_preview_start_download(world, login, immediate_jobs):
    bind(world.a, 0, 99)
    db.session.commit()
    client = login(world.a.recorder)

    page = client.get(f"/labels/batches/{world.a.batch.id}/print")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Ready to print." in html and "100 labels." in html
    preview = client.get(preview_src(html))
    assert preview.status_code == 200 and preview.mimetype == "image/png"
    assert sorted(decoded(preview.data)) == sorted(url_of(i) for i in range(24))

    started = client.post(
        f"/labels/batches/{world.a.batch.id}/print",
        data={"action": "start", "code_range": "all", "layout": "a4-3x8", "fmt": "pdf",
              "error_correction": "M", "show_product": "y", "show_lot": "y", "per_file": "48"},
    )  # fmt: skip
    assert started.status_code == 302
    run_page = client.get(started.headers["Location"])
    html = run_page.get_data(as_text=True)
    assert "Print run #" in html and "queued: 100 labels" in html
    assert 'id="download"' in html

    download = fetch(client, re.search(r'id="download" href="([^"]+)"', html).group(1))
    assert download.status_code == 200 and download.mimetype == "application/zip"
    archive, rows, manifest = read_zip(download.data)
    assert [name for name in archive.namelist() if name.endswith(".pdf")] == [
        "labels-0001.pdf", "labels-0002.pdf", "labels-0003.pdf",
    ]  # fmt: skip
    assert manifest["total"] == 100 and len(manifest["pages"]) == len(rows) == 5
    assert rows[0] == {
        "file": "labels-0001.pdf", "page": "1", "count": "24",
        "first_code": code_key().encode(0), "last_code": code_key().encode(23),
    }  # fmt: skip
    assert manifest_indices(rows, list(range(100))) == list(range(100))


def test_pool_print_runs_free_and_bound_codes(world, login, immediate_jobs):
    bind(world.a, 10, 19)
    db.session.commit()
    client = login(world.a.admin)
    page = client.get(f"/labels/pools/{world.a.pool.id}/print")
    assert page.status_code == 200 and "1,000 labels." in page.get_data(as_text=True)
    started = client.post(
        f"/labels/pools/{world.a.pool.id}/print",
        data={"action": "start", "first_code": code_key().encode(5),
              "last_code": code_key().encode(29), "layout": "roll-50x30", "fmt": "zpl",
              "error_correction": "M", "show_product": "y", "show_lot": "y"},
    )  # fmt: skip
    assert started.status_code == 302
    run = db.session.scalar(db.select(PrintRun))
    assert (run.source, run.status, run.total) == ("pool", "done", 25)
    archive, rows, _manifest = read_zip(fetch(client, f"/labels/runs/{run.id}/download").data)
    zpl = archive.read("labels-0001.zpl").decode()
    assert zpl.count("^XA") == 25 and world.a.batch.lot_number in zpl
    assert manifest_indices(rows, list(range(5, 30))) == list(range(5, 30))


def test_unready_layout_is_refused_with_its_problems(world, login, immediate_jobs):
    bind(world.a, 0, 9)
    db.session.commit()
    client = login(world.a.recorder)
    tiny = {"code_range": "all", "layout": "custom", "kind": "roll", "label_w_mm": "12",
            "label_h_mm": "12", "fmt": "pdf", "error_correction": "H", "dpi": "203",
            "show_product": "y"}  # fmt: skip
    preview = client.post(f"/labels/batches/{world.a.batch.id}/print", data=tiny)
    html = preview.get_data(as_text=True)
    assert "Not print-ready" in html and "printer dots" in html
    assert re.search(r'value="start" class="primary" disabled', html)
    started = client.post(
        f"/labels/batches/{world.a.batch.id}/print", data={**tiny, "action": "start"}
    )
    assert started.status_code == 409
    assert "not print-ready" in started.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(PrintRun.id))) == 0


def test_bad_codes_of_a_pool_say_what_is_wrong(world, login, immediate_jobs):
    client = login(world.a.recorder)
    answer = client.post(
        f"/labels/pools/{world.a.pool.id}/print",
        data={"action": "preview", "first_code": code_key().encode(5),
              "last_code": code_key().encode(1500), "layout": "a4-3x8", "fmt": "pdf",
              "error_correction": "M"},
    )  # fmt: skip
    assert answer.status_code == 400
    assert "must lie in pool" in answer.get_data(as_text=True)
    typo = client.post(
        f"/labels/pools/{world.a.pool.id}/print",
        data={"action": "preview", "first_code": "1234", "last_code": code_key().encode(9),
              "layout": "a4-3x8", "fmt": "pdf", "error_correction": "M"},
    )  # fmt: skip
    assert typo.status_code == 400 and "20 digits" in typo.get_data(as_text=True)


def test_batch_without_codes_explains_instead_of_printing(world, login):
    html = login(world.a.recorder).get(f"/labels/batches/{world.a.batch.id}/print")
    text = html.get_data(as_text=True)
    assert "No codes are bound to this batch yet" in text
    assert re.search(r'value="start" class="primary" disabled', text)


def test_download_waits_for_a_done_run_and_failed_runs_run_again(world, login, immediate_jobs):
    code_range = bind(world.a, 0, 29)
    run = make_run(world.a, batch=world.a.batch)
    client = login(world.a.recorder)
    waiting = client.get(f"/labels/runs/{run.id}/download")
    assert waiting.status_code == 409 and "not finished yet" in waiting.get_data(as_text=True)
    assert "refreshes by itself" in client.get(f"/labels/runs/{run.id}").get_data(as_text=True)

    code_range.status = "void"  # the codes die before a worker gets to them
    db.session.commit()
    execute_run(run.id, run.attempt)
    page = client.get(f"/labels/runs/{run.id}").get_data(as_text=True)
    assert "Failed" in page and "No codes are bound to batch" in page and "Run again" in page
    assert client.get(f"/labels/runs/{run.id}/download").status_code == 409

    code_range.status = "bound"
    db.session.commit()
    assert client.post(f"/labels/runs/{run.id}/retry").status_code == 302
    status = client.get(f"/labels/runs/{run.id}.json").get_json()
    assert status["status"] == "done" and status["done"] == status["total"] == 30
    assert fetch(client, status["download_url"]).status_code == 200
    again = client.post(f"/labels/runs/{run.id}/retry")
    assert again.status_code == 409 and "Only a failed run" in again.get_data(as_text=True)


def test_runs_list_filters_and_searches(world, login, immediate_jobs):
    from tests.factories_labels import second_batch

    other = second_batch(world.a, "APPLE-77")
    bind(world.a, 0, 9)
    bind(world.a, 10, 19, batch=other)
    first = make_run(world.a, batch=world.a.batch)
    second = make_run(world.a, batch=other)
    execute_run(second.id, second.attempt)
    client = login(world.a.recorder)
    listing = client.get("/labels/runs").get_data(as_text=True)
    assert f"#{first.id}" in listing and f"#{second.id}" in listing
    done = client.get("/labels/runs?status=done").get_data(as_text=True)
    assert f">#{second.id}<" in done and f">#{first.id}<" not in done
    found = client.get("/labels/runs?q=APPLE-77").get_data(as_text=True)
    assert f">#{second.id}<" in found and f">#{first.id}<" not in found
    by_number = client.get(f"/labels/runs?q=%23{first.id}").get_data(as_text=True)
    assert f">#{first.id}<" in by_number and f">#{second.id}<" not in by_number
    a_code = client.get(f"/labels/runs?q={code_key().encode(0)}")
    assert a_code.status_code == 200 and "No print runs match." in a_code.get_data(as_text=True)


def test_forms_need_the_csrf_token(world, login, app, monkeypatch, immediate_jobs):
    bind(world.a, 0, 9)
    run = make_run(world.a, batch=world.a.batch)
    client = login(world.a.recorder)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    start = client.post(
        f"/labels/batches/{world.a.batch.id}/print", data={"action": "start", "layout": "a4-3x8"}
    )
    assert start.status_code == 400
    assert client.post(f"/labels/runs/{run.id}/retry").status_code == 400


def _b_objects(world):
    b_range = bind(world.b, 1000, 1009)
    b_run = make_run(world.b, batch=world.b.batch)
    return {
        "batch": f"/labels/batches/{world.b.batch.id}/print",
        "batch_preview": f"/labels/batches/{world.b.batch.id}/preview.png?layout=a4-3x8",
        "range": f"/labels/batches/{world.b.batch.id}/print?range={b_range.id}",
        "pool": f"/labels/pools/{world.b.pool.id}/print",
        "pool_preview": f"/labels/pools/{world.b.pool.id}/preview.png?layout=a4-3x8",
        "run": f"/labels/runs/{b_run.id}",
        "run_json": f"/labels/runs/{b_run.id}.json",
        "download": f"/labels/runs/{b_run.id}/download",
    }


@pytest.mark.parametrize(
    "target",
    ["batch", "batch_preview", "range", "pool", "pool_preview", "run", "run_json", "download"],
)
def test_other_enterprises_objects_are_404(world, login, target, immediate_jobs):
    url = _b_objects(world)[target]
    assert login(world.a.recorder).get(url).status_code == 404
    assert fetch(login(world.b.recorder), url).status_code in (200, 409)


def test_other_enterprises_posts_are_404(world, login, immediate_jobs):
    urls = _b_objects(world)
    client = login(world.a.admin)
    assert client.post(urls["batch"], data={"action": "start"}).status_code == 404
    assert client.post(urls["pool"], data={"action": "start"}).status_code == 404
    assert client.post(urls["run"] + "/retry").status_code == 404


def test_regulators_and_visitors_cannot_print(world, login, client):
    url = f"/labels/batches/{world.a.batch.id}/print"
    assert login(world.national).get(url).status_code == 403
    assert client.get(url).status_code == 302
    assert client.get("/labels/runs").status_code == 302


def test_portal_links_to_printing(world, login):
    bind(world.a, 0, 9)
    db.session.commit()
    client = login(world.a.recorder)
    assert "/labels/runs" in client.get("/portal/").get_data(as_text=True)
    batch_page = client.get(f"/portal/batches/{world.a.batch.id}").get_data(as_text=True)
    assert f"/labels/batches/{world.a.batch.id}/print" in batch_page
    codes_page = client.get("/portal/codes").get_data(as_text=True)
    assert f"/labels/pools/{world.a.pool.id}/print" in codes_page


def test_preview_of_a_pool_decodes_in_order(world, login):
    make_pool(world.a.enterprise, 5000, 100)
    db.session.commit()
    client = login(world.a.recorder)
    first, last = code_key().encode(0), code_key().encode(39)
    png = client.get(
        f"/labels/pools/{world.a.pool.id}/preview.png?layout=a4-4x10&fmt=pdf&error_correction=M"
        f"&first_code={first}&last_code={last}"
    )
    assert png.status_code == 200
    assert sorted(decoded(png.data)) == sorted(url_of(i) for i in range(40))
