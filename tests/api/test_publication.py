"""/publication: opening and closing items, logged like the portal's toggles."""

from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import PublicationEvent
from tests import factories
from tests.api.conftest import error_of


def test_open_and_close_a_batch_with_a_log(a, world):
    path = f"/publication/batch/{world.a.batch.id}"
    opened = a.put(path, json={"is_public": True})
    assert opened.status_code == 200
    assert opened.get_json() == {
        "item_type": "batch", "item_id": world.a.batch.id, "is_public": True, "changed": True,
    }  # fmt: skip
    assert a.put(path, json={"is_public": True}).get_json()["changed"] is False
    event = db.session.scalars(select(PublicationEvent)).one()
    assert (event.actor_id, event.is_public) == (world.a.admin.id, True)


def test_enterprise_items_take_the_enterprise_id(a, world):
    own = a.put(
        f"/publication/enterprise_profile/{world.a.enterprise.id}", json={"is_public": True}
    )
    assert own.status_code == 200
    foreign = a.put(f"/publication/filings/{world.b.enterprise.id}", json={"is_public": True})
    assert foreign.status_code == 404


def test_a_draft_record_cannot_be_opened(a, world):
    draft = factories.make_record(world.a.batch, world.a.recorder, status="draft")
    db.session.commit()
    response = a.put(f"/publication/stage_record/{draft.id}", json={"is_public": True})
    assert response.status_code == 409 and "Submit it first" in error_of(response)["message"]


def test_open_all_submitted_records_of_a_batch(a, world):
    for _ in range(2):
        factories.make_record(world.a.batch, world.a.recorder)
    factories.make_record(world.a.batch, world.a.recorder, status="draft")
    db.session.commit()
    response = a.put(f"/publication/batches/{world.a.batch.id}/records", json={"is_public": True})
    assert response.get_json() == {"batch_id": world.a.batch.id, "is_public": True, "changed": 2}


def test_refusals(a, world):
    assert (
        a.put(f"/publication/batch/{world.b.batch.id}", json={"is_public": True}).status_code == 404
    )
    assert a.put("/publication/planet/1", json={"is_public": True}).status_code == 404
    missing = a.put(f"/publication/batch/{world.a.batch.id}", json={})
    assert missing.status_code == 422 and "is_public" in error_of(missing)["fields"]
    path = f"/publication/batches/{world.b.batch.id}/records"
    assert a.put(path, json={"is_public": True}).status_code == 404
