"""The public query site: code entry, scan errors, the JSON form, languages, files."""

from datetime import UTC, datetime

import pytest

from suyuan.extensions import db
from suyuan.identity import code_key, damm_digit, group
from tests.factories import make_area, make_range, make_record, make_stored_attachment

EN = {"Accept-Language": "en"}


@pytest.fixture
def code(world):
    """A code of world.a's batch, inside a bound range."""
    make_range(world.a.pool, world.a.batch, 0, 99, world.a.recorder)
    db.session.commit()
    return code_key().encode(5)


def publish_all(side):
    side.enterprise.is_profile_public = True
    side.enterprise.is_filings_public = True
    side.product.is_public = True
    side.batch.is_public = True
    for record in side.batch.records:
        record.is_public = True
        for attachment in record.attachments:
            attachment.is_public = True
    db.session.commit()


def mistype(code: str, position: int = 7) -> str:
    digit = str((int(code[position]) + 1) % 10)
    return code[:position] + digit + code[position + 1 :]


def forge(code: str) -> str:
    """Well-formed (right length, right check digit) but with a tag the key never made."""
    body = code[:13] + f"{(int(code[13:19]) + 1) % 10**6:06d}"
    return body + str(damm_digit(body))


def test_code_entry_redirects_to_the_scan_page(client):
    response = client.get("/lookup", query_string={"code": "1234 5678-9012 3456 7890"})
    assert response.status_code == 302
    # the scan page learns the code was typed (channel "typed"), not scanned from a QR code
    assert response.location.endswith("/q/12345678901234567890?via=typed")


def test_empty_code_entry_goes_back_to_the_start(client):
    response = client.get("/lookup?code=")
    assert response.status_code == 302
    assert response.location.endswith("/")


def test_grouped_code_in_the_path_is_accepted(client, code):
    response = client.get(f"/q/{group(code)}", headers=EN)
    assert response.status_code == 200
    assert "registered" in response.text


def test_mistyped_digit_is_reported(client, code, world):
    response = client.get(f"/q/{mistype(code)}", headers=EN)
    assert response.status_code == 404
    assert "One of the digits is mistyped: please check the digits" in response.text
    assert "Gansu Apples" not in response.text


def test_short_code_is_reported(client, code):
    response = client.get(f"/q/{code[:-1]}", headers=EN)
    assert response.status_code == 404
    assert "An identity code has 20 digits" in response.text


def test_forged_code_is_not_registered(client, code):
    forged = forge(code)
    assert forged != code
    response = client.get(f"/q/{forged}", headers=EN)
    assert response.status_code == 404
    assert "This is not a registered identity code" in response.text


def test_allocated_but_unbound_code_is_not_registered(client, code, world):
    publish_all(world.a)
    response = client.get(f"/q/{code_key().encode(500)}", headers=EN)
    assert response.status_code == 404
    # issue 5: a pooled but unbound code has its own verdict, "not activated"
    assert "This code has not been activated" in response.text
    assert "Gansu Apples" not in response.text


@pytest.mark.parametrize(
    ("make_code", "reason"),
    [(mistype, "checksum"), (forge, "unregistered"), (lambda c: c[:10], "format")],
)
def test_errors_as_json(client, code, make_code, reason):
    response = client.get(f"/q/{make_code(code)}.json")
    assert response.status_code == 404
    body = response.get_json()
    assert body["reason"] == reason
    assert isinstance(body["error"], str)
    assert body["verdict"] == "unknown"
    assert set(body) == {"error", "reason", "verdict"}


def test_json_fields_and_types(client, code, world):
    a = world.a
    a.batch.production_area = make_area(a.enterprise, "North orchard", is_public=True)
    make_record(a.batch, a.recorder, stage_type="grafting", title="Grafted")
    make_record(
        a.batch,
        a.recorder,
        stage_type="harvest",
        title="Picked",
        occurred_at=datetime(2026, 9, 1, 1, 30, tzinfo=UTC),
    )
    make_record(a.batch, a.recorder, status="draft", title="Not yet")
    publish_all(a)
    a.batch.records[-1].is_public = False  # the last one by time (harvest) stays closed
    db.session.commit()

    body = client.get(f"/q/{code}.json").get_json()
    assert body["code"] == code and len(body["code"]) == 20
    assert body["status"] == "bound"
    assert body["enterprise"]["name"] == "Gansu Apples"
    assert body["enterprise"]["filings"]["enterprise"] == "approved"
    assert body["product"]["name"] == "Gansu Apples product"
    assert isinstance(body["product"]["images"], list)
    assert body["batch"]["lot_number"] == a.batch.lot_number
    assert body["batch"]["production_date"] == "2026-09-01"
    assert body["batch"]["production_area"]["name"] == "North orchard"
    assert body["published"] == {"stages": 1, "total_stages": 2}
    [stage] = body["stages"]
    assert stage["type"] == "grafting"
    assert isinstance(stage["type_label"], str)
    assert stage["title"] == "Grafted"
    assert stage["occurred_at"] == "2026-05-01T10:00:00+08:00"  # Asia/Shanghai
    assert stage["attachments"] == []


def test_accept_json_gives_the_same_data(client, code, world):
    publish_all(world.a)
    as_json = client.get(f"/q/{code}", headers={"Accept": "application/json"})
    assert as_json.mimetype == "application/json"
    assert as_json.get_json() == client.get(f"/q/{code}.json").get_json()
    assert "Accept" in as_json.headers["Vary"]
    as_html = client.get(f"/q/{code}", headers={"Accept": "text/html"})
    assert as_html.mimetype == "text/html"
    assert "Accept" in as_html.headers["Vary"]


def test_nothing_published_says_so(client, code, world):
    make_record(world.a.batch, world.a.recorder)
    db.session.commit()
    page = client.get(f"/q/{code}", headers=EN).text
    assert "The producer has not published details for this code yet." in page
    assert "0 of 1 stage records are published" in page
    assert "Gansu Apples" not in page


def test_zh_and_en_render(client, code, world):
    publish_all(world.a)
    zh = client.get(f"/q/{code}", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert zh.status_code == 200
    assert 'lang="zh-CN"' in zh.text
    assert "English" in zh.text  # the switch to the other language
    en = client.get(f"/q/{code}?lang=en")
    assert 'lang="en"' in en.text
    assert "Producer" in en.text


def test_producer_text_is_escaped(client, code, world):
    make_record(world.a.batch, world.a.recorder, title="<script>alert(1)</script>")
    world.a.product.description = "<b onmouseover=x>bold</b>"
    publish_all(world.a)
    page = client.get(f"/q/{code}", headers=EN).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b onmouseover" not in page


def test_void_code_says_so(client, world):
    make_range(world.a.pool, world.a.batch, 200, 209, world.a.recorder, status="void")
    make_record(world.a.batch, world.a.recorder, title="Grafted")
    publish_all(world.a)
    void = code_key().encode(205)
    response = client.get(f"/q/{void}", headers=EN)
    assert response.status_code == 410
    assert "This code was voided by the producer" in response.text
    assert "Grafted" not in response.text
    body = client.get(f"/q/{void}.json").get_json()
    assert body["status"] == "void" and body["reason"] == "void"
    assert body["batch"] is None and body["stages"] == []


def test_published_files_are_served_and_shown(client, code, world):
    record = make_record(world.a.batch, world.a.recorder)
    image = make_stored_attachment(world.a.enterprise, filename="leaf.png", stage_record=record)
    pdf = make_stored_attachment(
        world.a.enterprise, filename="report.pdf", data=b"%PDF-1.4 x", stage_record=record
    )
    publish_all(world.a)
    page = client.get(f"/q/{code}", headers=EN).text
    assert f'src="/files/{image.id}/leaf.png"' in page and 'loading="lazy"' in page
    assert f'href="/files/{pdf.id}/report.pdf"' in page
    with client.get(f"/files/{image.id}/leaf.png") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/png"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.cache_control.max_age >= 86400
    with client.get(f"/files/{pdf.id}/wrong-name.pdf") as response:
        assert response.status_code == 404


def test_unpublished_file_is_not_served(client, code, world):
    record = make_record(world.a.batch, world.a.recorder)
    image = make_stored_attachment(world.a.enterprise, filename="leaf.png", stage_record=record)
    publish_all(world.a)
    record.is_public = False
    db.session.commit()
    with client.get(f"/files/{image.id}/leaf.png") as response:
        assert response.status_code == 404
