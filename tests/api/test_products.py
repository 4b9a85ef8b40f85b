"""/products: list (search, pagination), create, show, change, delete — and refusals."""

from suyuan.extensions import db
from suyuan.models import Product
from tests import factories
from tests.api.conftest import error_of


def test_list_products_of_own_enterprise_only(a, world):
    body = a.get("/products").get_json()
    assert [p["name"] for p in body["items"]] == ["Gansu Apples product"]
    assert body["total"] == 1 and body["page"] == 1 and body["pages"] == 1
    assert body["items"][0]["filing_status"] == "approved"


def test_products_paginate(a, world):
    for n in range(25):
        factories.make_product(world.a.enterprise, f"Pear {n:02d}")
    db.session.commit()
    first = a.get("/products?per_page=10&q=Pear").get_json()
    third = a.get("/products?per_page=10&page=3&q=Pear").get_json()
    assert (first["total"], first["pages"], len(first["items"])) == (25, 3, 10)
    assert [p["name"] for p in third["items"]] == [f"Pear {n}" for n in range(20, 25)]
    assert a.get("/products?page=9&q=Pear").get_json()["items"] == []


def test_per_page_over_100_is_refused_with_field(a, world):
    response = a.get("/products?per_page=101")
    assert response.status_code == 422
    assert "per_page" in error_of(response)["fields"]


def test_create_product_with_draft_filing(a, world):
    response = a.post(
        "/products", json={"name": "Fuji", "category": "fruit", "gtin": "6901234567892"}
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["name"] == "Fuji" and body["filing_status"] == "draft"
    assert db.session.get(Product, body["id"]).enterprise_id == world.a.enterprise.id


def test_create_product_validation_errors_name_fields(a, world):
    response = a.post("/products", json={"category": "rocks", "gtin": "6901234567891"})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_failed"
    assert set(error["fields"]) == {"name", "category", "gtin"}
    assert "check digit" in error["fields"]["gtin"][0]


def test_duplicate_product_is_a_conflict(a, world):
    response = a.post("/products", json={"name": "Gansu Apples product", "category": "fruit"})
    assert response.status_code == 409
    assert "name" in error_of(response)["fields"]


def test_show_change_and_delete_product(a, world):
    product = factories.make_product(world.a.enterprise, "Draft pear", approved=False)
    db.session.commit()
    assert a.get(f"/products/{product.id}").get_json()["name"] == "Draft pear"
    changed = a.patch(f"/products/{product.id}", json={"spec": "5 kg"})
    assert changed.status_code == 200 and changed.get_json()["spec"] == "5 kg"
    assert a.delete(f"/products/{product.id}").status_code == 204
    assert a.get(f"/products/{product.id}").status_code == 404


def test_filed_fields_are_locked_by_an_approved_filing(a, world):
    response = a.patch(f"/products/{world.a.product.id}", json={"name": "Renamed"})
    assert response.status_code == 409
    assert error_of(response)["fields"] == {"name": [error_of(response)["message"]]}


def test_product_with_batches_cannot_be_deleted(a, world):
    response = a.delete(f"/products/{world.a.product.id}")
    assert response.status_code == 409
    assert "batches" in error_of(response)["message"]


def test_other_enterprises_product_is_404_like_a_missing_one(a, world):
    foreign = a.get(f"/products/{world.b.product.id}")
    missing = a.get("/products/999999")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.get_json() == missing.get_json()
    for call in (a.patch, a.delete):
        assert call(f"/products/{world.b.product.id}", json={"spec": "x"}).status_code == 404
