"""Every scan of a recalled code shows the recall banner, published or not; codes outside the
recalled range show nothing (tested at both boundaries, HTML and JSON)."""

import pytest

from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.services import recalls as service
from tests.factories import make_batch, make_range
from tests.factories_recalls import make_recall

EN = {"Accept-Language": "en"}
FIRST, LAST = 120, 180


@pytest.fixture
def recalled(world):
    """Codes 100..199 of a's batch (nothing published), codes 120..180 recalled."""
    a = world.a
    make_range(a.pool, a.batch, 100, 199, a.recorder)
    db.session.commit()
    return make_recall(a.admin, a.product, code_ranges=[(FIRST, LAST)], reason="Glass splinters")


@pytest.mark.parametrize(
    ("index", "shown"),
    [(FIRST - 1, False), (FIRST, True), (FIRST + 30, True), (LAST, True), (LAST + 1, False)],
)
def test_code_range_banner_on_every_code_in_it_and_none_outside(recalled, client, index, shown):
    code = code_key().encode(index)
    page = client.get(f"/q/{code}", headers=EN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert ("Product recall: do not use this product" in html) is shown
    assert ("Glass splinters" in html) is shown
    body = client.get(f"/q/{code}.json").get_json()
    if shown:
        assert body["recall"]["state"] == "declared"
        assert body["recall"]["severity"] == "II"
        assert body["recall"]["reason"] == "Glass splinters"
        assert body["recall"]["declared_at"]
        # Nothing of the batch is published, yet the recall names the product.
        assert body["product"] is None and body["batch"] is None
        assert body["recall"]["product"].endswith("product")
        assert body["verdict"] == "recalled"  # the recall overrides every other verdict
    else:
        assert body["recall"] is None
        assert body["verdict"] != "recalled"


def test_batch_recall_covers_every_code_of_the_batch_only(world, client):
    a = world.a
    other = make_batch(a.product)
    make_range(a.pool, a.batch, 0, 9, a.recorder)
    make_range(a.pool, other, 10, 19, a.recorder)
    db.session.commit()
    make_recall(a.admin, a.product, batches=[a.batch], consumer_advice="Bring it back")
    key = code_key()
    for index in (0, 9):
        html = client.get(f"/q/{key.encode(index)}", headers=EN).get_data(as_text=True)
        assert "Bring it back" in html
    assert client.get(f"/q/{key.encode(10)}.json").get_json()["recall"] is None


def test_completed_recall_still_shows_as_completed(recalled, client):
    admin = recalled.declared_by
    for state in ("notified", "in_progress"):
        service.advance(recalled, admin, state)
    service.complete_recall(recalled, admin, 40, "40 boxes back")
    db.session.commit()
    code = code_key().encode(FIRST)
    html = client.get(f"/q/{code}", headers=EN).get_data(as_text=True)
    assert "the recall is completed" in html
    body = client.get(f"/q/{code}.json").get_json()
    assert body["recall"]["state"] == "completed"
    assert body["recall"]["completed_at"]


def test_active_recall_prefers_an_open_recall(recalled, world):
    a = world.a
    later = make_recall(a.admin, a.product, batches=[a.batch], reason="Later")
    assert service.active_recall(a.batch.id, FIRST).id == later.id
    assert service.active_recall(a.batch.id, 500).id == later.id
    assert service.active_recall(world.b.batch.id, FIRST) is None


def test_code_range_must_belong_to_the_product(recalled, world):
    from suyuan.services.errors import DomainError

    a, b = world.a, world.b
    make_range(b.pool, b.batch, 1000, 1009, b.recorder)
    db.session.commit()
    with pytest.raises(DomainError):
        make_recall(a.admin, a.product, code_ranges=[(1000, 1005)])
    db.session.rollback()
    with pytest.raises(DomainError):  # 100..199 bound, 200 not
        make_recall(a.admin, a.product, code_ranges=[(150, 200)])
    db.session.rollback()
    with pytest.raises(DomainError):
        make_recall(a.admin, a.product, batches=[b.batch])


def test_a_voided_recalled_code_still_shows_the_recall(world, client):
    a = world.a
    make_range(a.pool, a.batch, 300, 309, a.recorder, status="void")
    db.session.commit()
    make_recall(a.admin, a.product, batches=[a.batch], reason="Allergen not on the label")
    code = code_key().encode(305)
    page = client.get(f"/q/{code}", headers=EN)
    assert page.status_code == 410
    assert "Allergen not on the label" in page.get_data(as_text=True)
    assert (
        client.get(f"/q/{code}.json").get_json()["recall"]["reason"] == "Allergen not on the label"
    )
