"""/batches and /enterprise."""

from suyuan.extensions import db
from tests import factories
from tests.api.conftest import error_of


def test_list_filter_and_paginate_batches(a, world):
    for n in range(3):
        factories.make_batch(world.a.product, f"PEAR-{n}")
    db.session.commit()
    body = a.get("/batches?q=PEAR&per_page=2").get_json()
    assert (body["total"], body["pages"], len(body["items"])) == (3, 2, 2)
    assert a.get("/batches?status=withdrawn").get_json()["items"] == []
    assert a.get(f"/batches?product_id={world.b.product.id}").get_json()["total"] == 0


def test_create_batch(a, world):
    body = {"product_id": world.a.product.id, "lot_number": "L-9", "production_date": "2026-10-01"}
    response = a.post("/batches", json=body)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert (created["lot_number"], created["product_name"]) == ("L-9", "Gansu Apples product")
    assert a.get(f"/batches/{created['id']}").get_json()["production_date"] == "2026-10-01"


def test_create_batch_validation_and_refusals(a, world):
    missing = a.post("/batches", json={"lot_number": ""})
    assert missing.status_code == 422
    assert set(error_of(missing)["fields"]) >= {"product_id", "lot_number", "production_date"}
    draft = factories.make_product(world.a.enterprise, "Unfiled", approved=False)
    db.session.commit()
    body = {"product_id": draft.id, "lot_number": "X", "production_date": "2026-10-01"}
    refused = a.post("/batches", json=body)
    assert refused.status_code == 409
    assert "not approved" in error_of(refused)["message"]
    taken = a.post("/batches", json={**body, "product_id": world.a.product.id,
                                     "lot_number": world.a.batch.lot_number})  # fmt: skip
    assert taken.status_code == 409 and "lot_number" in error_of(taken)["fields"]


def test_foreign_product_in_body_reads_like_a_missing_one(a, world):
    body = {"lot_number": "X", "production_date": "2026-10-01"}
    foreign = a.post("/batches", json={**body, "product_id": world.b.product.id})
    missing = a.post("/batches", json={**body, "product_id": 999999})
    assert foreign.status_code == missing.status_code == 422
    assert foreign.get_json() == missing.get_json()


def test_change_batch_status(a, world):
    response = a.patch(f"/batches/{world.a.batch.id}", json={"status": "released"})
    assert response.status_code == 200
    assert response.get_json()["status"] == "released"
    assert response.get_json()["lot_number"] == world.a.batch.lot_number
    bad = a.patch(f"/batches/{world.a.batch.id}", json={"status": "eaten"})
    assert bad.status_code == 422 and "status" in error_of(bad)["fields"]


def test_other_enterprises_batch_is_404(a, world):
    for call in (a.get, a.patch):
        assert call(f"/batches/{world.b.batch.id}", json={}).status_code == 404


def test_enterprise_profile(a, world):
    body = a.get("/enterprise").get_json()
    assert body["credit_code"] == world.a.enterprise.credit_code
    assert body["filing_status"] == "approved"
    changed = a.patch("/enterprise", json={"profile": "Apples since 1990"})
    assert changed.status_code == 200 and changed.get_json()["profile"] == "Apples since 1990"
    locked = a.patch("/enterprise", json={"name": "Renamed"})
    assert locked.status_code == 409 and "name" in error_of(locked)["fields"]
    assert a.patch("/enterprise", json={"credit_code": "X"}).status_code == 422
