"""The scan verdict on /q/<code> and its JSON: first scan, the same device again, many
devices, far-apart regions, outside the declared sales regions, withdrawn, not activated,
void, unknown, recalled — and the page still answering when the scan store fails."""

import time
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from suyuan.extensions import db
from suyuan.models import Batch, BatchSalesRegion, ScanDaily, ScanEvent, SuspicionFlag
from suyuan.models.base import utcnow
from suyuan.services.scans import PastScan, ScanHistory
from suyuan.services.verdict import verdict_for
from tests import factories_scans
from tests.factories_scans import device
from tests.test_query import forge

coded, recording = factories_scans.coded, factories_scans.recording  # fixtures

EN = {"Accept-Language": "en"}


def as_json(client, code):
    return client.get(f"/q/{code}.json", headers=EN)


def page(client, code):
    return client.get(f"/q/{code}", headers=EN)


def test_first_scan_is_genuine(app, coded):
    response = as_json(device(app, 1), coded.code)
    assert response.status_code == 200
    body = response.get_json()
    assert body["verdict"] == "genuine"
    assert body["scan"]["count"] == 1
    assert body["scan"]["distinct_scanners"] == 1
    assert body["scan"]["first_at"] is not None
    assert body["scan"]["current"] is True
    assert body["reasons"] == [
        "Genuine code, first query: nobody has checked this code before you."
    ]
    html = page(device(app, 2), coded.other_code).text
    assert "Genuine code, first query" in html


def test_same_device_rescanning_raises_no_warning(app, coded):
    phone = device(app, 1)
    for _ in range(4):
        response = page(phone, coded.code)
    assert response.status_code == 200
    assert "Genuine code. It has been checked 4 times, all from this device." in response.text
    assert "suspicious" not in response.text.split("<main")[1]  # the inlined CSS names it
    body = as_json(phone, coded.code).get_json()
    assert body["verdict"] == "genuine"
    assert body["scan"]["count"] == 5 and body["scan"]["distinct_scanners"] == 1


def test_many_devices_make_it_seen_before(app, coded):
    for number in range(1, 3):
        page(device(app, number, region="620100"), coded.code)
    body = as_json(device(app, 3), coded.code).get_json()
    assert body["verdict"] == "seen_before"
    assert body["scan"]["count"] == 3
    assert body["scan"]["distinct_scanners"] == 3
    assert body["scan"]["first_region"] == "620100"
    day = body["scan"]["first_at"][:10]
    [reason] = body["reasons"]
    assert reason.startswith("This code has been queried 3 times by 3 different devices; first on")
    assert "Lanzhou" in reason
    html = page(device(app, 4), coded.code).text
    assert "This code has been queried 4 times by 4 different devices" in html
    assert day in html or str(int(day[:4])) in html


def test_two_regions_far_apart_within_an_hour_are_suspicious(app, coded):
    page(device(app, 1, region="620100"), coded.code)
    response = as_json(device(app, 2, region="330100"), coded.code)
    body = response.get_json()
    assert body["verdict"] == "suspicious"
    [reason] = body["reasons"]
    assert "far apart" in reason and "Lanzhou" in reason and "Hangzhou" in reason
    assert "60 minutes" in reason
    html = page(device(app, 3, region="330100"), coded.code).text
    assert "Be careful: this code looks suspicious" in html
    assert "far apart" in html
    assert "report it below" in html
    with app.app_context():
        flag = db.session.scalar(select(SuspicionFlag))
        assert flag.rule == "far_regions" and flag.status == "open"
        assert flag.detail == "330100 620100" and flag.hits == 2


def test_same_province_is_not_far(app, coded):
    page(device(app, 1, region="620100"), coded.code)
    body = as_json(device(app, 2, region="620500"), coded.code).get_json()
    assert body["verdict"] == "seen_before"


def test_scan_outside_the_declared_sales_regions(app, coded):
    with app.app_context():
        db.session.add(BatchSalesRegion(batch_id=coded.batch_id, region_code="620000"))
        db.session.commit()
    inside = as_json(device(app, 1, region="620500"), coded.code).get_json()
    assert inside["verdict"] == "genuine"
    outside = as_json(device(app, 2, region="440100"), coded.code).get_json()
    assert outside["verdict"] == "suspicious"
    assert any("outside the regions where the producer sells" in r for r in outside["reasons"])
    assert any("Guangzhou" in r for r in outside["reasons"])
    html = page(device(app, 3, region="620100"), coded.code).text
    assert "outside the regions where the producer sells this batch" in html


def test_not_activated_code(app, coded):
    response = as_json(device(app, 1), coded.unbound_code)
    assert response.status_code == 404
    body = response.get_json()
    assert body["verdict"] == "not_activated" and body["reason"] == "not_activated"
    assert "not been activated" in body["reasons"][0]
    html = page(device(app, 1), coded.unbound_code)
    assert html.status_code == 404
    assert "This code has not been activated" in html.text


def test_void_code(app, coded):
    response = as_json(device(app, 1), coded.void_code)
    assert response.status_code == 410
    body = response.get_json()
    assert body["verdict"] == "void" and body["reason"] == "void"
    assert body["batch"] is None
    html = page(device(app, 1), coded.void_code)
    assert html.status_code == 410
    assert "Voided code" in html.text
    assert "Report a problem" not in html.text


def test_unknown_code(app, coded):
    response = as_json(device(app, 1), forge(coded.code))
    assert response.status_code == 404
    assert response.get_json()["verdict"] == "unknown"
    html = page(device(app, 1), forge(coded.code))
    assert html.status_code == 404
    assert "This is not a registered identity code" in html.text


def test_withdrawn_batch(app, coded):
    with app.app_context():
        db.session.get(Batch, coded.batch_id).status = "withdrawn"
        db.session.commit()
    body = as_json(device(app, 1), coded.code).get_json()
    assert body["verdict"] == "withdrawn"
    assert "withdrawn this batch from the market" in body["reasons"][0]
    html = page(device(app, 1), coded.code).text
    assert "Batch withdrawn from the market" in html


def test_recall_overrides_everything(app):
    now = utcnow()
    history = ScanHistory(
        count=1,
        distinct_scanners=1,
        first_at=now - timedelta(minutes=5),
        first_region="620100",
        recent=[PastScan(now - timedelta(minutes=5), "620100", "a")],
    )
    scan = PastScan(now, "330100", "b")
    with app.test_request_context(headers=EN):
        assert verdict_for("bound", history, scan)["verdict"] == "suspicious"
        recalled = verdict_for("bound", history, scan, recall={"reason": "Salmonella found"})
        assert recalled["verdict"] == "recalled"
        assert recalled["reasons"][1] == "Salmonella found"
        assert verdict_for("withdrawn", history, scan, recall={})["verdict"] == "recalled"


def test_counts_feed_the_daily_table(app, coded):
    page(device(app, 1, region="620100"), coded.code)
    page(device(app, 1, region="620100"), coded.code)
    page(device(app, 2), coded.other_code)
    with app.app_context():
        rows = {
            r.region_code: (r.scans, r.first_scans) for r in db.session.scalars(select(ScanDaily))
        }
        assert rows == {"620100": (2, 1), "": (1, 1)}
        channels = set(db.session.scalars(select(ScanEvent.channel)))
        assert channels == {"qr"}


def test_typed_code_is_recorded_as_typed(app, coded):
    client = device(app, 1)
    response = client.get("/lookup", query_string={"code": coded.code}, follow_redirects=True)
    assert response.status_code == 200
    as_json(client, coded.code)
    with app.app_context():
        assert sorted(db.session.scalars(select(ScanEvent.channel))) == ["json", "typed"]


def test_store_failure_still_answers_not_current(app, coded, monkeypatch):
    def broken(code_index):
        raise OperationalError("SELECT", {}, Exception("scan store down"))

    monkeypatch.setattr("suyuan.services.scans.scan_history", broken)
    response = as_json(device(app, 1), coded.code)
    assert response.status_code == 200
    body = response.get_json()
    assert body["scan"]["current"] is False
    assert body["product"]["name"] == "Gansu Apples product"
    html = page(device(app, 1), coded.code)
    assert html.status_code == 200
    assert "not current" in html.text


def test_write_failure_marks_the_count_not_current(app, coded, monkeypatch):
    def broken(records):
        raise OperationalError("INSERT", {}, Exception("disk full"))

    monkeypatch.setattr("suyuan.services.scans.write_scans", broken)
    body = as_json(device(app, 1), coded.code).get_json()
    assert body["verdict"] == "genuine" and body["scan"]["current"] is False


def test_sharing_a_region_moves_the_scan(app, coded):
    phone = device(app, 1)
    page(phone, coded.code)
    response = phone.post(f"/q/{coded.code}/region", data={"region": "330100"})
    assert response.status_code == 302
    assert response.location.endswith("via=region")
    assert "suyuan_region=330100" in response.headers["Set-Cookie"]
    reloaded = phone.get(response.location, headers=EN).text
    assert "Checked 1 times by 1 devices." in reloaded  # the reload is not a new scan
    with app.app_context():
        assert db.session.scalar(select(ScanEvent.region_code)) == "330100"
        rows = {r.region_code: r.scans for r in db.session.scalars(select(ScanDaily))}
        assert rows == {"": 0, "330100": 1}
        assert db.session.scalar(select(func.count()).select_from(ScanEvent)) == 1


def test_sharing_an_unknown_region_is_refused(app, coded):
    response = device(app, 1).post(f"/q/{coded.code}/region", data={"region": "999999"}, headers=EN)
    assert response.status_code == 400
    assert "Please choose a region from the list." in response.text


def test_queued_scans_are_written_by_the_background_thread(app, coded):
    from suyuan.services.scans import scan_queue

    app.config["SCAN_WRITES"] = "queue"
    for number in (1, 2):
        assert as_json(device(app, number, region="620100"), coded.code).status_code == 200
    queue = scan_queue(app)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with app.app_context():
            stored = db.session.scalar(select(func.count()).select_from(ScanEvent))
            db.session.remove()
        if stored == 2:
            break
        time.sleep(0.1)
    assert stored == 2 and queue.dropped == 0
    body = as_json(device(app, 3), coded.code).get_json()
    assert body["verdict"] == "seen_before" and body["scan"]["count"] == 3
    queue.flush()
