"""/recalls, /recall-notices, /nonconformance and the regulators' read-only views of them."""

from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.services.codes import printed
from tests import factories
from tests.api.conftest import error_of
from tests.factories_api import make_regulator_token, make_token
from tests.factories_flow import confirm, document, make_counterparty
from tests.factories_recalls import make_recall


def declaration(world, **extra) -> dict:
    return {"product_id": world.a.product.id, "severity": "II", "reason": "Mould in samples",
            "consumer_advice": "Return it", "batch_ids": [world.a.batch.id], **extra}  # fmt: skip


def shipped_to_b(world):
    """a's batch reached b (a shipped it, b confirmed): b is downstream."""
    a, b = world.a, world.b
    document(a.enterprise, a.recorder, "finished_in", "IN", [(a.batch, 10, "box")])
    to_b = make_counterparty(a.enterprise, b.enterprise, role="customer")
    confirm(document(a.enterprise, a.recorder, "sales_out", "OUT", [(a.batch, 4, "box")], to_b),
            b.recorder)  # fmt: skip
    db.session.commit()


def test_declare_and_carry_out_a_recall(api, a, tokens, world):
    shipped_to_b(world)
    created = a.post("/recalls", json=declaration(world))
    assert created.status_code == 201, created.get_json()
    recall = created.get_json()
    assert (recall["state"], recall["origin"]) == ("declared", "enterprise")
    assert recall["targets"] == [{"batch_id": world.a.batch.id, "lot_number": world.a.batch.lot_number,
                                  "first_code": None, "last_code": None}]  # fmt: skip
    notified = a.post(f"/recalls/{recall['id']}/advance", json={"state": "notified"})
    assert notified.status_code == 200
    assert [n["enterprise_name"] for n in notified.get_json()["notices"]] == ["Zhejiang Tea"]
    skipped = a.post(f"/recalls/{recall['id']}/advance", json={"state": "completed"})
    assert skipped.status_code == 422 and "quantity_recovered" in error_of(skipped)["fields"]
    early = a.post(
        f"/recalls/{recall['id']}/advance", json={"state": "completed", "quantity_recovered": 3}
    )
    assert early.status_code == 409  # in_progress comes first
    a.post(f"/recalls/{recall['id']}/advance", json={"state": "in_progress", "note": "Trucks out"})
    done = a.post(
        f"/recalls/{recall['id']}/advance", json={"state": "completed", "quantity_recovered": 3}
    ).get_json()
    assert (done["state"], done["quantity_recovered"]) == ("completed", 3)
    assert [e["state"] for e in done["events"]] == ["declared", "notified", "in_progress",
                                                    "completed"]  # fmt: skip
    # b acknowledges the notice it received
    b = api(tokens.b)
    (notice,) = b.get("/recall-notices?pending=true").get_json()["items"]
    assert notice["recall"]["reason"] == "Mould in samples"
    acknowledged = b.post(f"/recall-notices/{notice['id']}/acknowledge", json={"note": "Off sale"})
    assert acknowledged.status_code == 200 and acknowledged.get_json()["acknowledged_at"]
    assert b.post(f"/recall-notices/{notice['id']}/acknowledge", json={}).status_code == 409
    assert b.get("/recall-notices?pending=true").get_json()["total"] == 0
    assert a.get(f"/recall-notices/{notice['id']}").status_code == 404  # b's notice


def test_a_recall_of_a_code_range(a, world):
    factories.make_range(world.a.pool, world.a.batch, 0, 99, world.a.recorder)
    db.session.commit()
    first, last = code_key().encode(10), code_key().encode(19)
    body = declaration(world, batch_ids=[], first_code=first, last_code=last)
    created = a.post("/recalls", json=body)
    assert created.status_code == 201, created.get_json()
    (target,) = created.get_json()["targets"]
    assert (target["first_code"], target["last_code"]) == (printed(10), printed(19))
    outside = a.post("/recalls", json={**body, "last_code": code_key().encode(500)})
    assert outside.status_code == 422 and "first_code" in error_of(outside)["fields"]
    half = a.post("/recalls", json={**body, "last_code": ""})
    assert half.status_code == 422 and "last_code" in error_of(half)["fields"]


def test_recall_validation(a, world):
    missing = a.post("/recalls", json={})
    assert missing.status_code == 422
    assert {"product_id", "severity", "reason", "consumer_advice"} <= set(
        error_of(missing)["fields"]
    )
    nothing = a.post("/recalls", json=declaration(world, batch_ids=[]))
    assert nothing.status_code == 422 and "batches" in error_of(nothing)["fields"]
    wrong = a.post("/recalls", json=declaration(world, severity="IV"))
    assert wrong.status_code == 422 and "severity" in error_of(wrong)["fields"]
    foreign = a.post("/recalls", json=declaration(world, batch_ids=[world.b.batch.id]))
    assert foreign.status_code == 422 and "batch_ids" in error_of(foreign)["fields"]
    theirs = a.post("/recalls", json=declaration(world, product_id=world.b.product.id))
    assert theirs.status_code == 422 and "product_id" in error_of(theirs)["fields"]
    assert a.get("/recalls").get_json()["total"] == 0


def test_recalls_of_others_are_404_and_reading_needs_no_write(api, a, tokens, world):
    recall = make_recall(world.b.admin, world.b.product, batches=[world.b.batch])
    assert a.get(f"/recalls/{recall.id}").status_code == 404
    assert a.post(f"/recalls/{recall.id}/advance", json={"state": "notified"}).status_code == 404
    reader = api(make_token(world.b, permissions=("read",)))
    assert reader.get(f"/recalls/{recall.id}").status_code == 200
    refused = reader.post(f"/recalls/{recall.id}/advance", json={"state": "notified"})
    assert refused.status_code == 403


def test_list_filters_and_pagination(a, world):
    for severity in ("I", "II", "III"):
        make_recall(world.a.admin, world.a.product, batches=[world.a.batch], severity=severity)
    page = a.get("/recalls?per_page=2").get_json()
    assert (page["total"], page["pages"], len(page["items"])) == (3, 2, 2)
    assert [r["severity"] for r in a.get("/recalls?severity=I").get_json()["items"]] == ["I"]
    assert a.get("/recalls?state=completed").get_json()["total"] == 0
    assert a.get("/recalls?state=lost").status_code == 422


# Non-conformance


def test_nonconformance(api, a, tokens, world):
    body = {"product_id": world.a.product.id, "batch_ids": [world.a.batch.id], "reason": "Sour"}
    created = a.post("/nonconformance", json=body)
    assert created.status_code == 201, created.get_json()
    record = created.get_json()
    assert (record["status"], record["found_by"]) == ("open", "self_inspection")
    assert record["batches"] == [{"id": world.a.batch.id, "lot_number": world.a.batch.lot_number}]
    handled = a.post(f"/nonconformance/{record['id']}/status",
                     json={"status": "handled", "note": "Destroyed"})  # fmt: skip
    assert handled.get_json()["handling_note"] == "Destroyed"
    back = a.post(f"/nonconformance/{record['id']}/status", json={"status": "handled"})
    assert back.status_code == 409
    assert a.get("/nonconformance?status=handled").get_json()["total"] == 1
    b = api(tokens.b)
    assert b.get(f"/nonconformance/{record['id']}").status_code == 404
    assert (
        b.post(f"/nonconformance/{record['id']}/status", json={"status": "closed"}).status_code
        == 404
    )
    empty = a.post("/nonconformance", json={**body, "batch_ids": []})
    assert empty.status_code == 422 and "batch_ids" in error_of(empty)["fields"]
    foreign = a.post("/nonconformance", json={**body, "batch_ids": [world.b.batch.id]})
    assert foreign.status_code == 422 and "batch_ids" in error_of(foreign)["fields"]


# Regulators: read-only, in their region


def test_regulators_read_recalls_and_records_of_their_region(api, tokens, world):
    from suyuan.services.nonconformance import record_nonconformance

    recall = make_recall(world.a.admin, world.a.product, batches=[world.a.batch])
    record = record_nonconformance(world.a.admin, world.a.product, [world.a.batch], "Sour")
    db.session.commit()
    gansu, zhejiang = api(tokens.gansu), api(make_regulator_token(world.zhejiang))
    assert [r["id"] for r in gansu.get("/regulator/recalls").get_json()["items"]] == [recall.id]
    assert gansu.get(f"/regulator/recalls/{recall.id}").get_json()["reason"] == recall.reason
    assert gansu.get(f"/regulator/nonconformance/{record.id}").status_code == 200
    assert gansu.get("/regulator/nonconformance?status=open").get_json()["total"] == 1
    assert zhejiang.get("/regulator/recalls").get_json()["total"] == 0
    assert zhejiang.get(f"/regulator/recalls/{recall.id}").status_code == 404
    assert zhejiang.get(f"/regulator/nonconformance/{record.id}").status_code == 404
    # read-only: no writing method exists, and an enterprise token cannot read these
    assert gansu.post(f"/regulator/recalls/{recall.id}", json={}).status_code == 405
    assert api(tokens.a).get("/regulator/recalls").status_code == 403
    assert gansu.get("/recalls").status_code == 403


def test_a_downstream_region_follows_the_recall_that_reached_it(api, tokens, world):
    shipped_to_b(world)
    recall = make_recall(world.a.admin, world.a.product, batches=[world.a.batch])
    zhejiang = api(make_regulator_token(world.zhejiang))
    assert zhejiang.get(f"/regulator/recalls/{recall.id}").status_code == 404
    from suyuan.services.recalls import notify_downstream

    notify_downstream(recall, world.a.admin)
    db.session.commit()
    assert zhejiang.get(f"/regulator/recalls/{recall.id}").status_code == 200


def test_regulators_need_the_recalls_module(api, world):
    filings_only = factories.make_regulator("620000", name="Filings", regulator_modules="filings")
    db.session.commit()
    client = api(make_regulator_token(filings_only))
    refused = client.get("/regulator/recalls")
    assert refused.status_code == 403 and "no permission" in error_of(refused)["message"]
    assert client.get("/regulator/nonconformance").status_code == 403
    assert client.get("/regulator/enterprises").status_code == 200
