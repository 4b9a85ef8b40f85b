"""Ids of another enterprise's objects sent in form fields (not in the URL, which the access
matrix covers) are refused like unknown ones: the answer is a 404 or a form error that says
nothing about the other enterprise, and nothing changes."""

import pytest

from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.services.publication import ITEM_MODELS
from tests import factories
from tests.security.test_access_matrix import digest

EN = {"Accept-Language": "en"}


def code(index: int) -> str:
    return code_key().encode(index)


def b_range(world):
    """Codes of enterprise B bound to B's batch: A's recorder must not end them."""
    b = world.b
    factories.make_range(b.pool, b.batch, 1000, 1009, b.recorder)
    return {"first_code": code(1000), "last_code": code(1009), "reason": "Damaged labels"}


BATCH = {"lot_number": "L-9", "production_date": "2026-09-02", "production_area_id": "0"}

CASES = {
    "batch of B's product": (
        lambda w: "/portal/batches/new",
        lambda w: {**BATCH, "product_id": w.b.product.id},
    ),
    "batch in B's area": (
        lambda w: "/portal/batches/new",
        lambda w: {
            **BATCH,
            "product_id": w.a.product.id,
            "production_area_id": factories.make_area(w.b.enterprise).id,
        },
    ),
    "batch moved to B's area": (
        lambda w: f"/portal/batches/{w.a.batch.id}/edit",
        lambda w: {
            **BATCH,
            "status": "in_production",
            "production_area_id": factories.make_area(w.b.enterprise).id,
        },
    ),
    "codes from B's pool by position": (
        lambda w: f"/portal/batches/{w.a.batch.id}/codes",
        lambda w: {
            "mode": "positions",
            "pool_id": w.b.pool.id,
            "first_position": 1,
            "last_position": 10,
        },
    ),
    "codes from B's pool": (
        lambda w: f"/portal/batches/{w.a.batch.id}/codes",
        lambda w: {"first_code": code(1000), "last_code": code(1009)},
    ),
    "release B's codes": (
        lambda w: f"/portal/batches/{w.a.batch.id}/codes/release",
        lambda w: {f"release-{k}": v for k, v in b_range(w).items()},
    ),
    "void B's codes": (
        lambda w: f"/portal/batches/{w.a.batch.id}/codes/void",
        lambda w: {f"void-{k}": v for k, v in b_range(w).items()},
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_another_enterprises_ids_in_a_form_are_refused(world, login, case):
    url, data = CASES[case]
    form = data(world)
    db.session.commit()
    before = digest()
    response = login(world.a.recorder).post(url(world), data=form, headers=EN)
    assert response.status_code in (400, 404, 409), response.status_code
    page = response.get_data(as_text=True)
    assert world.b.product.name not in page and world.b.batch.lot_number not in page
    assert digest() == before


def b_items(world) -> dict:
    b = world.b
    record = factories.make_record(b.batch, b.recorder)
    attachment = factories.make_stored_attachment(
        b.enterprise, filename="b.png", stage_record=record
    )
    return {
        "enterprise_profile": b.enterprise,
        "filings": b.enterprise,
        "production_area": factories.make_area(b.enterprise),
        "product": b.product,
        "batch": b.batch,
        "stage_record": record,
        "attachment": attachment,
    }


@pytest.mark.parametrize("item_type", ITEM_MODELS)
def test_another_enterprises_items_cannot_be_opened_for_public_query(world, login, item_type):
    item = b_items(world)[item_type]
    db.session.commit()
    before = digest()
    url = f"/portal/publication/{item_type}/{item.id}/open"
    response = login(world.a.admin).post(url, headers=EN)
    missing = login(world.a.admin).post(f"/portal/publication/{item_type}/987654/open")
    assert response.status_code == missing.status_code == 404
    assert digest() == before
