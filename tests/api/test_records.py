"""/records: drafts, submit, corrections, history, attachments."""

import io

from suyuan.extensions import db
from suyuan.models import StageRecord
from tests import factories
from tests.api.conftest import error_of

EVENT = {"stage_type": "fertilizing", "title": "Compost", "occurred_at": "2026-05-01T09:30"}
PNG = factories.png_bytes()


def test_create_draft_and_submitted_records(a, world):
    batch = world.a.batch.id
    draft = a.post(f"/batches/{batch}/records", json=EVENT)
    assert draft.status_code == 201, draft.get_json()
    body = draft.get_json()
    assert (body["status"], body["occurred_tz"]) == ("draft", "Asia/Shanghai")
    assert body["occurred_at"].startswith("2026-05-01T01:30")  # stored in UTC
    assert body["occurred_local"].startswith("2026-05-01T09:30")
    submitted = a.post(f"/batches/{batch}/records", json={**EVENT, "submit": True})
    assert submitted.get_json()["status"] == "submitted"
    listed = a.get(f"/batches/{batch}/records?status=draft").get_json()
    assert [r["id"] for r in listed["items"]] == [body["id"]]


def test_record_validation(a, world):
    response = a.post(f"/batches/{world.a.batch.id}/records", json={"stage_type": "milling"})
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) >= {"title", "occurred_at"}
    wrong_stage = a.post(
        f"/batches/{world.a.batch.id}/records", json={**EVENT, "stage_type": "milling"}
    )
    assert wrong_stage.status_code == 422
    assert "stage_type" in error_of(wrong_stage)["fields"]
    bad_zone = a.post(
        f"/batches/{world.a.batch.id}/records", json={**EVENT, "occurred_tz": "Mars/Olympus"}
    )
    assert bad_zone.status_code == 422 and "occurred_tz" in error_of(bad_zone)["fields"]


def test_edit_submit_and_delete_a_draft(a, world):
    record = factories.make_record(world.a.batch, world.a.recorder, status="draft")
    other = factories.make_record(world.a.batch, world.a.recorder, status="draft")
    db.session.commit()
    edited = a.patch(f"/records/{record.id}", json={"title": "Better title"})
    assert edited.status_code == 200 and edited.get_json()["title"] == "Better title"
    submitted = a.post(f"/records/{record.id}/submit")
    assert submitted.get_json()["status"] == "submitted"
    locked = a.patch(f"/records/{record.id}", json={"title": "Again"})
    assert locked.status_code == 409 and "locked" in error_of(locked)["message"]
    assert a.post(f"/records/{record.id}/submit").status_code == 409
    assert a.delete(f"/records/{other.id}").status_code == 204
    assert a.get(f"/records/{other.id}").status_code == 404


def test_correct_a_submitted_record(a, world):
    record = factories.make_record(world.a.batch, world.a.recorder, title="Wrong")
    db.session.commit()
    no_reason = a.post(f"/records/{record.id}/corrections", json={"title": "Right"})
    assert no_reason.status_code == 422 and "reason" in error_of(no_reason)["fields"]
    response = a.post(
        f"/records/{record.id}/corrections", json={"title": "Right", "reason": "Typo"}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert (body["version"], body["supersedes_id"], body["title"]) == (2, record.id, "Right")
    assert body["stage_type"] == record.stage_type  # unchanged fields carry over
    history = a.get(f"/records/{record.id}/history").get_json()
    assert [v["status"] for v in history["items"]] == ["superseded", "submitted"]
    again = a.post(f"/records/{record.id}/corrections", json={"title": "X", "reason": "Y"})
    assert again.status_code == 409


def test_attach_a_file_to_a_draft(a, world):
    record = factories.make_record(world.a.batch, world.a.recorder, status="draft")
    db.session.commit()
    response = a.post(
        f"/records/{record.id}/attachments",
        data={"file": (io.BytesIO(PNG), "photo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    [attachment] = response.get_json()["attachments"]
    assert (attachment["filename"], attachment["content_type"]) == ("photo.png", "image/png")
    text = a.post(
        f"/records/{record.id}/attachments",
        data={"file": (io.BytesIO(b"hello"), "notes.txt")},
        content_type="multipart/form-data",
    )
    assert text.status_code == 422 and "file" in error_of(text)["fields"]
    missing = a.post(
        f"/records/{record.id}/attachments", data={}, content_type="multipart/form-data"
    )
    assert missing.status_code == 422 and "file" in error_of(missing)["fields"]


def test_other_enterprises_records_are_404(a, world):
    record = factories.make_record(world.b.batch, world.b.recorder, status="draft")
    db.session.commit()
    assert a.get(f"/batches/{world.b.batch.id}/records").status_code == 404
    assert a.post(f"/batches/{world.b.batch.id}/records", json=EVENT).status_code == 404
    for method, path in [
        ("GET", ""),
        ("PATCH", ""),
        ("DELETE", ""),
        ("POST", "/submit"),
        ("GET", "/history"),
    ]:
        response = a.request(method, f"/records/{record.id}{path}", json={})
        assert response.status_code == 404, (method, path)
    assert db.session.get(StageRecord, record.id).status == "draft"
