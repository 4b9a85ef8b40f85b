"""Recalls in the portal and the console: declaring, ordering, the state machine with its
refusals, downstream notification through the goods flow, acknowledgement, completion."""

import pytest

from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.models import Recall, RecallNotice
from tests.factories import make_range
from tests.factories_recalls import make_recall

EN = {"Accept-Language": "en"}


def _recall_form(batch_ids=(), first="", last="", **fields):
    return {
        "severity": fields.get("severity", "I"),
        "reason": fields.get("reason", "Pesticide residue above the limit"),
        "consumer_advice": fields.get("consumer_advice", "Do not eat; return for a refund"),
        "batches": [str(i) for i in batch_ids],
        "first_code": first,
        "last_code": last,
        "nonconformance_id": "0",
    }


def test_enterprise_admin_declares_a_recall_on_a_code_range(world, login):
    a = world.a
    make_range(a.pool, a.batch, 0, 99, a.recorder)
    db.session.commit()
    client = login(a.admin, "admin")
    form = client.get(f"/portal/recalls/new?product={a.product.id}", headers=EN)
    assert form.status_code == 200
    assert "Class I" in form.get_data(as_text=True)
    key = code_key()
    response = client.post(
        f"/portal/recalls/new?product={a.product.id}",
        data=_recall_form(first=key.encode(10), last=key.encode(20)),
        headers=EN,
    )
    assert response.status_code == 302
    recall = db.session.query(Recall).one()
    assert (recall.targets[0].first_index, recall.targets[0].last_index) == (10, 20)
    assert recall.origin == "enterprise"
    page = client.get(response.location, headers=EN).get_data(as_text=True)
    assert "Pesticide residue above the limit" in page
    assert "Notify downstream enterprises" in page
    listing = client.get("/portal/recalls?q=Pesticide", headers=EN).get_data(as_text=True)
    assert f"#{recall.id}" in listing


def test_code_range_outside_the_product_is_refused_with_a_message(world, login):
    a, b = world.a, world.b
    make_range(b.pool, b.batch, 1000, 1099, b.recorder)
    db.session.commit()
    client = login(a.admin, "admin")
    key = code_key()
    response = client.post(
        f"/portal/recalls/new?product={a.product.id}",
        data=_recall_form(first=key.encode(1000), last=key.encode(1001)),
        headers=EN,
    )
    assert response.status_code == 400
    assert "not all bound to one batch of this product" in response.get_data(as_text=True)
    nothing = client.post(
        f"/portal/recalls/new?product={a.product.id}", data=_recall_form(), headers=EN
    )
    assert nothing.status_code == 400
    assert "Choose at least one batch" in nothing.get_data(as_text=True)
    assert db.session.query(Recall).count() == 0


def test_recorder_cannot_declare(world, login):
    client = login(world.a.recorder)
    response = client.get(f"/portal/recalls/new?product={world.a.product.id}", headers=EN)
    assert response.status_code == 403


def test_another_enterprises_recall_and_product_answer_404(world, login):
    b = world.b
    recall = make_recall(b.admin, b.product, batches=[b.batch])
    client = login(world.a.admin, "admin")
    assert client.get(f"/portal/recalls/{recall.id}").status_code == 404
    assert client.post(f"/portal/recalls/{recall.id}/notified").status_code == 404
    assert client.get(f"/portal/recalls/new?product={b.product.id}").status_code == 404
    assert "Zhejiang Tea product" not in client.get("/portal/recalls").get_data(as_text=True)


def test_state_machine_in_order_and_refusals(world, login):
    a = world.a
    recall = make_recall(a.admin, a.product, batches=[a.batch])
    client = login(a.admin, "admin")
    url = f"/portal/recalls/{recall.id}"
    # Out of order: completing or starting a declared recall is refused with a message.
    refused = client.post(f"{url}/in_progress", headers=EN, follow_redirects=True)
    assert "cannot be moved to In progress" in refused.get_data(as_text=True)
    refused = client.post(
        f"{url}/completed", data={"quantity_recovered": "3"}, headers=EN, follow_redirects=True
    )
    assert "cannot be moved to Completed" in refused.get_data(as_text=True)
    db.session.refresh(recall)
    assert recall.state == "declared"
    assert client.post(f"{url}/notified", data={"note": "nobody"}).status_code == 302
    assert client.post(f"{url}/in_progress", data={"note": "collecting"}).status_code == 302
    missing = client.post(f"{url}/completed", data={}, headers=EN, follow_redirects=True)
    assert "This field is required" in missing.get_data(as_text=True)
    done = client.post(
        f"{url}/completed",
        data={"quantity_recovered": "120", "note": "120 boxes destroyed"},
        headers=EN,
        follow_redirects=True,
    )
    page = done.get_data(as_text=True)
    assert "120 boxes destroyed" in page
    db.session.refresh(recall)
    assert recall.state == "completed"
    assert recall.quantity_recovered == 120
    assert [e.state for e in recall.events] == ["declared", "notified", "in_progress", "completed"]
    assert all(e.actor_id == a.admin.id for e in recall.events)
    again = client.post(f"{url}/notified", headers=EN, follow_redirects=True)
    assert "cannot be moved" in again.get_data(as_text=True)
    # Every step is on the page with who did it.
    assert page.count(a.admin.name) >= 4


def test_recorder_cannot_move_a_recall(world, login):
    a = world.a
    recall = make_recall(a.admin, a.product, batches=[a.batch])
    client = login(a.recorder)
    assert client.post(f"/portal/recalls/{recall.id}/notified").status_code == 403


@pytest.fixture
def chain(ctx):
    from tests.factories_flow import make_chain

    return make_chain()


def test_notify_downstream_reaches_every_receiver_who_must_acknowledge(chain, login):
    producer_user = chain.users[chain.producer]
    recall = make_recall(producer_user, chain.batch.product, batches=[chain.batch])
    producer = login(producer_user, "admin")
    response = producer.post(
        f"/portal/recalls/{recall.id}/notified", headers=EN, follow_redirects=True
    )
    assert "3 downstream enterprises are notified" in response.get_data(as_text=True)
    notified = {n.enterprise_id for n in db.session.query(RecallNotice)}
    assert notified == {chain.distributor.id, chain.retailer_gs.id, chain.retailer_zj.id}
    # The supplier upstream is not told; the retailer sees a badge and the recall.
    supplier = login(chain.users[chain.supplier], "admin")
    assert "Recalls (" not in supplier.get("/portal/", headers=EN).get_data(as_text=True)
    retailer = login(chain.users[chain.retailer_zj], "admin")
    overview = retailer.get("/portal/", headers=EN).get_data(as_text=True)
    assert "Recalls (1)" in overview
    assert "wait for your acknowledgement" in overview
    received = retailer.get("/portal/recalls/received?pending=1", headers=EN)
    assert "Red Fuji apple" in received.get_data(as_text=True)
    notice = db.session.query(RecallNotice).filter_by(enterprise_id=chain.retailer_zj.id).one()
    detail = retailer.get(f"/portal/recalls/received/{notice.id}", headers=EN)
    assert "RF-2026-01" in detail.get_data(as_text=True)
    ack = retailer.post(
        f"/portal/recalls/received/{notice.id}/acknowledge",
        data={"note": "25 boxes held"},
        headers=EN,
        follow_redirects=True,
    )
    assert "Acknowledged" in ack.get_data(as_text=True)
    assert "Recalls (1)" not in retailer.get("/portal/", headers=EN).get_data(as_text=True)
    twice = retailer.post(
        f"/portal/recalls/received/{notice.id}/acknowledge", headers=EN, follow_redirects=True
    )
    assert "already acknowledged" in twice.get_data(as_text=True)
    # The producer sees who acknowledged; another enterprise cannot open the notice.
    page = producer.get(f"/portal/recalls/{recall.id}", headers=EN).get_data(as_text=True)
    assert "25 boxes held" in page
    assert "Hangzhou Fresh" in page
    assert supplier.get(f"/portal/recalls/received/{notice.id}").status_code == 404
    assert supplier.post(f"/portal/recalls/received/{notice.id}/acknowledge").status_code == 404


def test_regulators_of_a_holders_region_follow_the_recall_read_only(chain, login):
    producer_user = chain.users[chain.producer]
    recall = make_recall(producer_user, chain.batch.product, batches=[chain.batch])
    zhejiang = login(chain.zhejiang)
    # Before notification the recall has not reached Zhejiang.
    assert "Red Fuji apple" not in zhejiang.get("/admin/recalls").get_data(as_text=True)
    assert zhejiang.get(f"/admin/recalls/{recall.id}").status_code == 404
    login(producer_user, "admin").post(f"/portal/recalls/{recall.id}/notified")
    assert "Red Fuji apple" in zhejiang.get("/admin/recalls").get_data(as_text=True)
    page = zhejiang.get(f"/admin/recalls/{recall.id}", headers=EN)
    assert page.status_code == 200
    assert "Start recovering the goods" not in page.get_data(as_text=True)
    assert zhejiang.post(f"/admin/recalls/{recall.id}/in_progress").status_code == 404
    shanghai = login(chain.shanghai)
    assert "Red Fuji apple" not in shanghai.get("/admin/recalls").get_data(as_text=True)
    assert shanghai.get(f"/admin/recalls/{recall.id}").status_code == 404
    gansu = login(chain.gansu)
    page = gansu.get(f"/admin/recalls/{recall.id}", headers=EN).get_data(as_text=True)
    assert "Start recovering the goods" in page
