"""/regulator: read-only, scoped to the token's regulator region, with the full chain."""

import pytest

from suyuan.extensions import db
from tests import factories
from tests.api.conftest import error_of


def test_regional_regulator_lists_only_its_region(api, world, tokens):
    gansu = api(tokens.gansu)
    names = [e["name"] for e in gansu.get("/regulator/enterprises").get_json()["items"]]
    assert names == ["Gansu Apples"]
    national = api(tokens.national).get("/regulator/enterprises").get_json()
    assert national["total"] == 2
    products = gansu.get("/regulator/products").get_json()["items"]
    assert [p["enterprise_id"] for p in products] == [world.a.enterprise.id]
    batches = gansu.get("/regulator/batches").get_json()["items"]
    assert [b["id"] for b in batches] == [world.a.batch.id]
    filings = gansu.get("/regulator/filings?kind=product").get_json()["items"]
    assert [f["product_name"] for f in filings] == ["Gansu Apples product"]


@pytest.mark.parametrize("kind", ["enterprises", "products", "batches", "filings"])
def test_objects_outside_the_region_are_404(api, world, tokens, kind):
    b = world.b
    ids = {
        "enterprises": b.enterprise.id,
        "products": b.product.id,
        "batches": b.batch.id,
        "filings": b.enterprise.enterprise_filing.id,
    }
    response = api(tokens.gansu).get(f"/regulator/{kind}/{ids[kind]}")
    assert response.status_code == 404
    assert response.get_json() == api(tokens.gansu).get(f"/regulator/{kind}/999999").get_json()
    assert api(tokens.national).get(f"/regulator/{kind}/{ids[kind]}").status_code == 200


def test_batch_chain_has_every_version_and_the_ranges(api, world, tokens):
    old = factories.make_record(world.a.batch, world.a.recorder, title="Old", status="superseded")
    factories.make_record(world.a.batch, world.a.recorder, title="New", version=2, supersedes=old)
    factories.make_record(world.a.batch, world.a.recorder, title="Unsent", status="draft")
    factories.make_range(world.a.pool, world.a.batch, 0, 9, world.a.recorder)
    db.session.commit()
    chain = api(tokens.gansu).get(f"/regulator/batches/{world.a.batch.id}").get_json()
    assert sorted((r["title"], r["status"]) for r in chain["records"]) == [
        ("New", "submitted"), ("Old", "superseded"), ("Unsent", "draft"),
    ]  # fmt: skip
    assert [(r["size"], r["status"]) for r in chain["code_ranges"]] == [(10, "bound")]
    assert chain["product_name"] == "Gansu Apples product"


def test_filing_shows_snapshot_and_history(api, world, tokens):
    from suyuan.services.filings import submit_filing

    product = factories.make_product(world.a.enterprise, "New jam", approved=False)
    submit_filing(product.filing, world.a.admin)
    db.session.commit()
    body = api(tokens.gansu).get(f"/regulator/filings/{product.filing.id}").get_json()
    assert body["status"] == "submitted" and body["snapshot"]["name"] == "New jam"
    assert [(e["action"], e["actor"]) for e in body["events"]] == [("submit", "Gansu Apples admin")]
    pending = api(tokens.gansu).get("/regulator/filings?status=submitted").get_json()
    assert [f["id"] for f in pending["items"]] == [product.filing.id]


def test_regulator_lists_paginate_and_validate(api, world, tokens):
    gansu = api(tokens.gansu)
    assert gansu.get("/regulator/enterprises?per_page=0").status_code == 422
    assert gansu.get("/regulator/batches?page=2").get_json()["items"] == []
    bad = gansu.get("/regulator/filings?status=lost")
    assert bad.status_code == 422 and "status" in error_of(bad)["fields"]


def test_regulator_token_stops_when_the_account_is_no_regulator(api, world, tokens):
    world.gansu.regulator_region = None
    db.session.commit()
    assert api(tokens.gansu).get("/regulator/enterprises").status_code == 401
