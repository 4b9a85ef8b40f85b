"""/transactions, /counterparties and /stock: documents from draft to correction, matching
with the counterparty's side, stock; validation, tenants, permissions, pagination."""

from suyuan.extensions import db
from tests.api.conftest import error_of
from tests.factories_api import make_token
from tests.factories_flow import document, make_counterparty


def inbound(world, quantity="100", **extra) -> dict:
    line = {"batch_id": world.a.batch.id, "quantity": quantity, "unit": "box"}
    return {"kind": "finished_in", "number": "IN-1", "moved_on": "2026-10-01", "lines": [line],
            **extra}  # fmt: skip


def customer_b(world):
    counterparty = make_counterparty(world.a.enterprise, world.b.enterprise, role="customer")
    db.session.commit()
    return counterparty


def test_draft_edit_submit_and_stock(a, world):
    created = a.post("/transactions", json=inbound(world, "12.5"))
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["status"], body["version"], body["counterparty_id"]) == ("draft", 1, None)
    assert body["lines"][0]["quantity"] == "12.5"
    assert body["lines"][0]["lot_number"] == world.a.batch.lot_number
    edited = a.patch(f"/transactions/{body['id']}", json={"note": "Night shift"})
    assert edited.status_code == 200
    assert (edited.get_json()["note"], edited.get_json()["lines"][0]["quantity"]) == (
        "Night shift",
        "12.5",
    )
    assert a.get("/stock").get_json()["items"] == []  # a draft moves nothing
    submitted = a.post(f"/transactions/{body['id']}/submit")
    assert submitted.get_json()["status"] == "submitted"
    (row,) = a.get("/stock").get_json()["items"]
    assert (row["batch_id"], row["unit"], row["quantity"]) == (world.a.batch.id, "box", "12.5")
    locked = a.patch(f"/transactions/{body['id']}", json={"note": "Again"})
    assert locked.status_code == 409 and "locked" in error_of(locked)["message"]
    assert a.delete(f"/transactions/{body['id']}").status_code == 409


def test_delete_a_draft(a, world):
    draft = a.post("/transactions", json=inbound(world)).get_json()
    assert a.delete(f"/transactions/{draft['id']}").status_code == 204
    assert a.get(f"/transactions/{draft['id']}").status_code == 404


def test_validation(a, world):
    missing = a.post("/transactions", json={"lines": [{}]})
    assert missing.status_code == 422
    fields = error_of(missing)["fields"]
    assert {"kind", "number", "moved_on", "lines"} <= set(fields)
    negative = a.post("/transactions", json=inbound(world, "-3"))
    assert negative.status_code == 422 and "lines" in error_of(negative)["fields"]
    zero = a.post("/transactions", json=inbound(world, "0"))
    assert zero.status_code == 422
    assert "above zero" in error_of(zero)["message"]
    no_party = a.post("/transactions", json={**inbound(world), "kind": "sales_out"})
    assert no_party.status_code == 422 and "counterparty_id" in error_of(no_party)["fields"]
    empty = a.post("/transactions", json={**inbound(world), "lines": [], "submit": True})
    assert empty.status_code == 422 and "lines" in error_of(empty)["fields"]
    a.post("/transactions", json=inbound(world))
    taken = a.post("/transactions", json=inbound(world))
    assert taken.status_code == 409 and "number" in error_of(taken)["fields"]
    assert a.get("/transactions").get_json()["total"] == 1  # nothing half-written


def test_stock_cannot_go_below_zero(a, world):
    customer = customer_b(world)
    body = {**inbound(world, "5"), "kind": "sales_out", "number": "OUT-1",
            "counterparty_id": customer.id, "submit": True}  # fmt: skip
    refused = a.post("/transactions", json=body)
    assert refused.status_code == 409
    assert a.get("/transactions").get_json()["total"] == 0


def test_foreign_batches_and_counterparties_read_like_missing_ones(a, world):
    foreign_batch = inbound(world)
    foreign_batch["lines"][0]["batch_id"] = world.b.batch.id
    missing_batch = inbound(world)
    missing_batch["lines"][0]["batch_id"] = 999999
    one, two = (
        a.post("/transactions", json=foreign_batch),
        a.post("/transactions", json=missing_batch),
    )
    assert one.status_code == two.status_code == 422
    assert one.get_json() == two.get_json()
    theirs = make_counterparty(world.b.enterprise, world.a.enterprise)
    db.session.commit()
    body = {**inbound(world), "kind": "sales_out", "counterparty_id": theirs.id}
    foreign = a.post("/transactions", json=body)
    assert foreign.status_code == 422 and "counterparty_id" in error_of(foreign)["fields"]


def test_ship_confirm_and_correct(api, a, tokens, world):
    a.post("/transactions", json=inbound(world, "100", submit=True))
    customer = customer_b(world)
    line = {"batch_id": world.a.batch.id, "quantity": "30", "unit": "box"}
    shipped = a.post("/transactions", json={"kind": "sales_out", "number": "OUT-7",
                     "moved_on": "2026-10-05", "counterparty_id": customer.id, "lines": [line],
                     "submit": True}).get_json()  # fmt: skip
    b = api(tokens.b)
    (pending,) = b.get("/transactions?status=pending").get_json()["items"]
    assert (pending["kind"], pending["number"]) == ("purchase_in", "OUT-7")
    assert pending["counterpart_of_id"] == shipped["origin_id"]
    assert a.post(f"/transactions/{shipped['id']}/confirm").status_code == 409
    confirmed = b.post(f"/transactions/{pending['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.get_json()["status"] == "submitted"
    assert b.get("/stock").get_json()["items"][0]["quantity"] == "30"
    no_reason = a.post(f"/transactions/{shipped['id']}/corrections", json={})
    assert no_reason.status_code == 422 and "reason" in error_of(no_reason)["fields"]
    fixed = a.post(
        f"/transactions/{shipped['id']}/corrections",
        json={"reason": "Miscounted", "lines": [{**line, "quantity": "25"}]},
    )
    assert fixed.status_code == 201, fixed.get_json()
    assert (fixed.get_json()["version"], fixed.get_json()["lines"][0]["quantity"]) == (2, "25")
    history = a.get(f"/transactions/{shipped['id']}/history").get_json()
    assert [(v["version"], v["status"]) for v in history["items"]] == [
        (1, "superseded"),
        (2, "submitted"),
    ]
    listed = a.get("/transactions?kind=sales_out").get_json()["items"]
    assert [t["id"] for t in listed] == [fixed.get_json()["id"]]


def test_dispute_a_pending_counterpart(api, a, tokens, world):
    document(world.a.enterprise, world.a.recorder, "finished_in", "IN", [(world.a.batch, 9, "box")])
    customer = customer_b(world)
    document(world.a.enterprise, world.a.recorder, "sales_out", "OUT-9",
             [(world.a.batch, 9, "box")], customer)  # fmt: skip
    db.session.commit()
    b = api(tokens.b)
    (pending,) = b.get("/transactions?status=pending").get_json()["items"]
    assert b.post(f"/transactions/{pending['id']}/dispute", json={}).status_code == 422
    disputed = b.post(f"/transactions/{pending['id']}/dispute", json={"reason": "Never came"})
    assert disputed.get_json()["status"] == "disputed"
    assert disputed.get_json()["dispute_reason"] == "Never came"


def test_other_enterprises_documents_are_404(api, a, tokens, world):
    draft = a.post("/transactions", json=inbound(world)).get_json()
    b = api(tokens.b)
    for method, suffix in [("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/submit"),
                           ("POST", "/confirm"), ("GET", "/history")]:  # fmt: skip
        assert b.request(method, f"/transactions/{draft['id']}{suffix}", json={}).status_code == 404
    assert a.get(f"/transactions/{draft['id']}").status_code == 200


def test_a_read_only_token_cannot_write(api, world):
    reader = api(make_token(world.a, permissions=("read",)))
    assert reader.get("/transactions").status_code == 200
    refused = reader.post("/transactions", json=inbound(world))
    assert refused.status_code == 403 and "write" in error_of(refused)["message"]
    assert reader.post("/counterparties", json={}).status_code == 403


def test_filters_and_pagination(a, world):
    for n in range(5):
        a.post("/transactions", json=inbound(world, number=f"IN-{n}", moved_on=f"2026-10-0{n + 1}"))
    page = a.get("/transactions?per_page=2&page=2").get_json()
    assert (page["total"], page["pages"], len(page["items"])) == (5, 3, 2)
    assert [t["number"] for t in page["items"]] == ["IN-2", "IN-1"]  # latest movement first
    assert a.get("/transactions?q=IN-3").get_json()["total"] == 1
    ranged = a.get("/transactions?since=2026-10-02&until=2026-10-03").get_json()
    assert sorted(t["number"] for t in ranged["items"]) == ["IN-1", "IN-2"]
    assert a.get("/transactions?status=superseded").status_code == 422
    assert a.get("/transactions?per_page=101").status_code == 422


# Counterparties


def party(world, **extra) -> dict:
    return {"role": "supplier", "name": "Hill Farm", "credit_code": world.b.enterprise.credit_code,
            "region_code": "330100", **extra}  # fmt: skip


def test_counterparties(a, world):
    created = a.post("/counterparties", json=party(world))
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["linked_enterprise_id"] == world.b.enterprise.id  # a platform enterprise
    changed = a.patch(f"/counterparties/{body['id']}", json={"contact_name": "Li Si"})
    assert (changed.get_json()["contact_name"], changed.get_json()["name"]) == (
        "Li Si",
        "Hill Farm",
    )
    disabled = a.post(f"/counterparties/{body['id']}/disable")
    assert disabled.get_json()["status"] == "disabled"
    assert a.get("/counterparties?status=disabled").get_json()["total"] == 1
    assert a.post(f"/counterparties/{body['id']}/enable").get_json()["status"] == "normal"
    assert a.get("/counterparties?role=customer").get_json()["total"] == 0
    assert a.get("/counterparties?linked=yes&q=Hill").get_json()["total"] == 1


def test_counterparty_validation_and_tenants(api, a, tokens, world):
    bad = a.post("/counterparties", json=party(world, credit_code="123", region_code="99"))
    assert bad.status_code == 422 and "credit_code" in error_of(bad)["fields"]
    own = a.post("/counterparties", json=party(world, credit_code=world.a.enterprise.credit_code))
    assert own.status_code == 409
    body = a.post("/counterparties", json=party(world)).get_json()
    twice = a.post("/counterparties", json=party(world))
    assert twice.status_code == 409 and "credit_code" in error_of(twice)["fields"]
    b = api(tokens.b)
    assert b.get(f"/counterparties/{body['id']}").status_code == 404
    assert b.patch(f"/counterparties/{body['id']}", json={"name": "X"}).status_code == 404
    assert b.post(f"/counterparties/{body['id']}/disable").status_code == 404
    assert b.get("/counterparties").get_json()["total"] == 0


def test_stock_filters_and_pagination(a, world):
    from tests import factories

    for n in range(3):
        batch = factories.make_batch(world.a.product, f"LOT-{n}")
        db.session.commit()
        line = {"batch_id": batch.id, "quantity": str(n + 1), "unit": "kg"}
        a.post("/transactions", json={**inbound(world, number=f"S-{n}", submit=True),
                                      "lines": [line]})  # fmt: skip
    page = a.get("/stock?per_page=2").get_json()
    assert (page["total"], page["pages"]) == (3, 2)
    assert [r["quantity"] for r in a.get("/stock?q=LOT-2").get_json()["items"]] == ["3"]
