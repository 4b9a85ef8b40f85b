"""Notices (通知公告): a regulator writes to the enterprises of its region; they see it on
their overview and list, reading marks it read; regulators see their region's notices only."""

import io

import pytest

from suyuan.extensions import db
from suyuan.models import Notice
from suyuan.services import notices as service
from tests.factories import make_enterprise, make_member

EN = {"Accept-Language": "en"}
PDF = b"%PDF-1.4 circular"


def fetch(client, url):
    with client.get(url) as response:
        return response.status_code, response.data


@pytest.fixture
def notices(world):
    from werkzeug.datastructures import FileStorage

    gansu = service.create_notice(
        world.gansu,
        "Gansu apple inspection campaign",
        "All orchards: keep spraying records.",
        FileStorage(io.BytesIO(PDF), filename="circular.pdf"),
    )
    zhejiang = service.create_notice(world.zhejiang, "Zhejiang tea labelling", "Label rules.")
    national = service.create_notice(world.national, "National traceability week", "Everyone.")
    db.session.commit()
    return {"gansu": gansu, "zhejiang": zhejiang, "national": national}


def test_regulator_writes_a_notice_through_the_console(world, login):
    client = login(world.gansu)
    missing = client.post("/admin/notices/new", data={"title": "", "body": ""}, headers=EN)
    assert missing.status_code == 400
    assert "This field is required" in missing.get_data(as_text=True)
    bad_file = client.post(
        "/admin/notices/new",
        data={"title": "T", "body": "B", "file": (io.BytesIO(b"MZ exe"), "x.exe")},
        headers=EN,
    )
    assert bad_file.status_code == 400
    assert "Only PNG or JPEG images and PDF" in bad_file.get_data(as_text=True)
    assert db.session.query(Notice).count() == 0
    response = client.post(
        "/admin/notices/new",
        data={
            "title": "Spring checks",
            "body": "Line one\nLine two",
            "file": (io.BytesIO(PDF), "c.pdf"),
        },
        headers=EN,
    )
    assert response.status_code == 302
    notice = db.session.query(Notice).one()
    assert notice.region_code == "620000" and notice.file_name == "c.pdf"
    page = client.get(response.location, headers=EN).get_data(as_text=True)
    assert "Read receipts: 0 of 1 enterprises" in page


def test_enterprise_sees_its_regions_and_national_notices_and_reads_them(world, notices, login):
    client = login(world.a.recorder)
    overview = client.get("/portal/", headers=EN).get_data(as_text=True)
    assert "Gansu apple inspection campaign" in overview
    assert "National traceability week" in overview
    assert "Zhejiang tea labelling" not in overview
    assert "2 unread" in overview and "Notices (2)" in overview
    listing = client.get("/portal/notices?unread=1", headers=EN).get_data(as_text=True)
    assert "Gansu apple inspection campaign" in listing
    gansu = notices["gansu"]
    page = client.get(f"/portal/notices/{gansu.id}", headers=EN).get_data(as_text=True)
    assert "keep spraying records" in page
    assert fetch(client, f"/portal/notices/{gansu.id}/file") == (200, PDF)
    unread = client.get("/portal/notices?unread=1", headers=EN).get_data(as_text=True)
    assert "Gansu apple inspection campaign" not in unread
    assert "Notices (1)" in client.get("/portal/", headers=EN).get_data(as_text=True)
    # Another region's notice and its file answer 404.
    other = notices["zhejiang"]
    assert client.get(f"/portal/notices/{other.id}").status_code == 404
    assert fetch(client, f"/portal/notices/{other.id}/file")[0] == 404
    search = client.get("/portal/notices?q=traceability", headers=EN).get_data(as_text=True)
    assert "National traceability week" in search
    assert "Gansu apple inspection campaign" not in search


def test_read_receipt_is_per_enterprise_and_shown_to_the_regulator(world, notices, login):
    second = make_enterprise("Lanzhou Pears", region="620100")
    make_member(second, name="Pear recorder")
    db.session.commit()
    gansu = notices["gansu"]
    login(world.a.recorder).get(f"/portal/notices/{gansu.id}")
    login(world.a.admin, "admin").get(f"/portal/notices/{gansu.id}")
    regulator = login(world.gansu)
    page = regulator.get(f"/admin/notices/{gansu.id}", headers=EN).get_data(as_text=True)
    assert "Read receipts: 1 of 2 enterprises" in page
    assert world.a.recorder.name in page


def test_regulator_sees_exactly_its_regions_notices(world, notices, login):
    gansu, zhejiang, national = notices["gansu"], notices["zhejiang"], notices["national"]
    client = login(world.gansu)
    listing = client.get("/admin/notices", headers=EN).get_data(as_text=True)
    assert "Gansu apple inspection campaign" in listing
    assert "Zhejiang tea labelling" not in listing
    assert "National traceability week" not in listing
    search = client.get("/admin/notices?q=labelling", headers=EN).get_data(as_text=True)
    assert "Zhejiang tea labelling" not in search
    assert fetch(client, f"/admin/notices/{gansu.id}/file") == (200, PDF)
    for notice in (zhejiang, national):
        assert client.get(f"/admin/notices/{notice.id}").status_code == 404
        assert fetch(client, f"/admin/notices/{notice.id}/file")[0] == 404
    everything = login(world.national).get("/admin/notices", headers=EN).get_data(as_text=True)
    for title in ("Gansu apple", "Zhejiang tea", "National traceability"):
        assert title in everything


def test_enterprises_cannot_write_notices(world, login):
    client = login(world.a.admin, "admin")
    assert client.get("/admin/notices/new").status_code == 403
    assert client.post("/admin/notices/new", data={"title": "x", "body": "y"}).status_code == 403
