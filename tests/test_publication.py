"""Query management (查询管理): opening and closing items in the portal, the log, the preview."""

import re

import pytest

from suyuan.extensions import db
from suyuan.identity import code_key
from tests.factories import make_member, make_range, make_record, make_stored_attachment

EN = {"Accept-Language": "en"}


@pytest.fixture
def code(world):
    make_range(world.a.pool, world.a.batch, 0, 99, world.a.recorder)
    make_range(world.b.pool, world.b.batch, 1000, 1099, world.b.recorder)
    db.session.commit()
    return code_key().encode(5)


def toggle(client, item_type, item_id, action):
    return client.post(f"/portal/publication/{item_type}/{item_id}/{action}", headers=EN)


def consumer_page(client, code) -> str:
    return client.get(f"/q/{code}", headers=EN).text


def trace_article(page: str) -> str:
    return re.search(r'<article class="trace" id="trace">.*?</article>', page, re.S).group(0)


def test_opening_and_closing_changes_the_consumer_page(world, login, client, code):
    record = make_record(world.a.batch, world.a.recorder, title="Grafted the seedlings")
    db.session.commit()
    admin = login(world.a.admin)
    lot = world.a.batch.lot_number
    assert lot not in consumer_page(client, code)

    assert toggle(admin, "batch", world.a.batch.id, "open").status_code == 302
    assert toggle(admin, "stage_record", record.id, "open").status_code == 302
    page = consumer_page(client, code)
    assert lot in page and "Grafted the seedlings" in page
    assert "1 of 1 stage records are published" in page

    toggle(admin, "stage_record", record.id, "close")
    page = consumer_page(client, code)
    assert "Grafted the seedlings" not in page
    assert "0 of 1 stage records are published" in page


def test_enterprise_items_through_the_portal(world, login, client, code):
    admin = login(world.a.admin)
    enterprise_id = world.a.enterprise.id
    toggle(admin, "enterprise_profile", enterprise_id, "open")
    toggle(admin, "product", world.a.product.id, "open")
    page = consumer_page(client, code)
    assert "Gansu Apples product" in page and "1 Orchard Road" in page


def test_recorder_cannot_toggle(world, login, code):
    recorder = login(world.a.recorder)
    response = toggle(recorder, "batch", world.a.batch.id, "open")
    assert response.status_code == 403
    assert "Only the enterprise admin can do this" in response.text
    page = recorder.get("/portal/publication", headers=EN)
    assert page.status_code == 403


@pytest.mark.parametrize("item", ["enterprise_profile", "filings", "product", "batch", "record"])
def test_other_enterprise_items_answer_404(world, login, code, item):
    b = world.b
    record = make_record(b.batch, b.recorder)
    db.session.commit()
    ids = {"record": record.id, "batch": b.batch.id, "product": b.product.id}
    item_type = "stage_record" if item == "record" else item
    admin = login(world.a.admin)
    response = toggle(admin, item_type, ids.get(item, b.enterprise.id), "open")
    assert response.status_code == 404
    assert admin.get(f"/portal/publication/batches/{b.batch.id}").status_code == 404
    db.session.expire_all()
    assert not (b.batch.is_public or record.is_public or b.enterprise.is_profile_public)


def test_draft_record_is_refused_with_a_message(world, login, code):
    draft = make_record(world.a.batch, world.a.recorder, status="draft")
    db.session.commit()
    admin = login(world.a.admin)
    response = toggle(admin, "stage_record", draft.id, "open")
    assert response.status_code == 302
    page = admin.get(response.location, headers=EN).text
    assert "A draft record cannot be published" in page
    db.session.expire_all()
    assert draft.is_public is False


def test_every_toggle_is_logged(world, login, code):
    admin = login(world.a.admin)
    toggle(admin, "batch", world.a.batch.id, "open")
    toggle(admin, "batch", world.a.batch.id, "open")  # no change: no entry
    toggle(admin, "product", world.a.product.id, "open")
    toggle(admin, "batch", world.a.batch.id, "close")
    page = admin.get("/portal/publication/log", headers=EN).text
    rows = re.findall(r"<tr>\s*<td><time.*?</tr>", page, re.S)
    assert len(rows) == 3
    assert "Batch: " + world.a.batch.lot_number in rows[0]  # newest first: the close
    assert rows[0].index("Opened") < rows[0].index("Not opened")
    assert "Product: Gansu Apples product" in rows[1]
    assert rows[1].index("Not opened") < rows[1].index("Opened")
    assert "Gansu Apples admin" in rows[0]
    lot = world.a.batch.lot_number
    found = admin.get(f"/portal/publication/log?q={lot}", headers=EN).text
    assert len(re.findall(r"<tr>\s*<td><time", found)) == 2


def test_log_shows_only_own_enterprise(world, login, code):
    toggle(login(world.b.admin), "batch", world.b.batch.id, "open")
    page = login(world.a.admin).get("/portal/publication/log", headers=EN).text
    assert world.b.batch.lot_number not in page


def test_management_pages_list_items(world, login, code):
    record = make_record(world.a.batch, world.a.recorder, title="Irrigated")
    make_record(world.a.batch, world.a.recorder, title="Unfinished", status="draft")
    make_stored_attachment(world.a.enterprise, filename="soil.pdf", stage_record=record)
    make_stored_attachment(world.a.enterprise, filename="apple.png", product=world.a.product)
    db.session.commit()
    admin = login(world.a.admin)
    page = admin.get("/portal/publication", headers=EN).text
    assert "Enterprise profile" in page and "apple.png" in page
    assert world.a.batch.lot_number in page and world.b.batch.lot_number not in page
    assert "Not yet opened" in page
    detail = admin.get(f"/portal/publication/batches/{world.a.batch.id}", headers=EN).text
    assert "Irrigated" in detail and "soil.pdf" in detail
    assert "Unfinished" not in detail
    assert "Open all records" in detail


def test_batch_search_and_state_filter(world, login, code):
    admin = login(world.a.admin)
    lot = world.a.batch.lot_number
    assert lot not in admin.get("/portal/publication?q=nothing-like-it", headers=EN).text
    assert lot in admin.get(f"/portal/publication?q={lot}", headers=EN).text
    assert lot in admin.get("/portal/publication?state=closed", headers=EN).text
    assert lot not in admin.get("/portal/publication?state=open", headers=EN).text


def test_bulk_open_of_all_records(world, login, client, code):
    for title in ("First step", "Second step"):
        make_record(world.a.batch, world.a.recorder, title=title)
    db.session.commit()
    admin = login(world.a.admin)
    toggle(admin, "batch", world.a.batch.id, "open")
    admin.post(f"/portal/publication/batches/{world.a.batch.id}/records/open")
    page = consumer_page(client, code)
    assert "First step" in page and "Second step" in page
    admin.post(f"/portal/publication/batches/{world.a.batch.id}/records/close")
    assert "First step" not in consumer_page(client, code)


def test_preview_equals_the_public_page(world, login, client, code):
    make_record(world.a.batch, world.a.recorder, title="Grafted", is_public=True)
    make_record(world.a.batch, world.a.recorder, title="Hidden step")
    world.a.batch.is_public = True
    world.a.enterprise.is_profile_public = True
    db.session.commit()
    member = login(world.a.recorder)  # any member may preview
    preview = member.get(f"/portal/preview?code={code}", headers=EN)
    assert preview.status_code == 200
    assert "Preview — this is what consumers see" in preview.text
    assert trace_article(preview.text) == trace_article(consumer_page(client, code))
    assert "Hidden step" not in preview.text


def test_preview_refuses_other_enterprise_codes(world, login, code):
    world.b.enterprise.is_profile_public = True
    world.b.batch.is_public = True
    db.session.commit()
    other = code_key().encode(1005)
    response = login(world.a.admin).get(f"/portal/preview?code={other}", headers=EN)
    assert response.status_code == 404
    assert "This code is not bound to a batch of your enterprise." in response.text
    assert "Zhejiang Tea" not in response.text
    assert world.b.batch.lot_number not in response.text


def test_non_member_cannot_preview(world, login, code):
    response = login(world.national).get(f"/portal/preview?code={code}", headers=EN)
    assert response.status_code == 403


def test_csrf_is_required_for_toggles(app, world, code):
    outsider = make_member(world.a.enterprise, recorder=False, admin=True)
    db.session.commit()
    client = app.test_client()
    client.post("/auth/login", data={"email": outsider.email, "password": "correct horse battery"})
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = toggle(client, "batch", world.a.batch.id, "open")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
