"""Stage records (生产档案): drafts, locking on submit, corrections as versions, attachments,
time zones and the stage vocabulary."""

import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import Attachment, StageRecord
from suyuan.services import records as record_service
from suyuan.services.errors import NotAllowed
from tests import factories

EN = {"Accept-Language": "en"}
PNG = factories.png_bytes()
PDF = b"%PDF-1.4\n% test document\n"


def record_form(**fields):
    return {
        "stage_type": "fertilizing",
        "title": "Organic fertilizer",
        "occurred_at": "2026-05-01T10:00",
        "occurred_tz": "Asia/Shanghai",
        "place": "North orchard",
        "operator": "Wang Wu",
        "details": "20 kg per mu",
        **fields,
    }


def reload(record_id) -> StageRecord:
    db.session.expire_all()
    return db.session.get(StageRecord, record_id)


def records_of(batch) -> list[StageRecord]:
    db.session.expire_all()
    query = select(StageRecord).where(StageRecord.batch_id == batch.id).order_by(StageRecord.id)
    return list(db.session.scalars(query))


def new_record(client, batch, **fields):
    return client.post(f"/portal/batches/{batch.id}/records/new", data=record_form(**fields))


def test_draft_is_edited_then_submitted_and_locked(world, login):
    client = login(world.a.recorder)
    batch = world.a.batch

    response = new_record(client, batch, save="1")
    assert response.status_code == 302
    (record,) = records_of(batch)
    assert record.status == "draft"
    page = client.get(f"/portal/records/{record.id}", headers=EN).get_data(as_text=True)
    assert "This is a draft" in page and "Draft" in page
    timeline = client.get(f"/portal/batches/{batch.id}", headers=EN).get_data(as_text=True)
    assert "Organic fertilizer" in timeline and "Draft" in timeline

    edit_url = f"/portal/records/{record.id}/edit"
    # the edit form is prefilled with the stored values
    assert "Organic fertilizer" in client.get(edit_url).get_data(as_text=True)
    response = client.post(edit_url, data=record_form(title="Compost", save="1"))
    assert response.status_code == 302
    assert reload(record.id).title == "Compost"

    response = client.post(f"/portal/records/{record.id}/submit", headers=EN)
    assert response.status_code == 302
    locked = reload(record.id)
    assert locked.status == "submitted" and locked.submitted_at is not None

    response = client.get(edit_url, headers=EN)
    assert response.status_code == 409
    assert "This record is submitted and locked" in response.get_data(as_text=True)
    response = client.post(edit_url, data=record_form(title="Sneaky change"), headers=EN)
    assert response.status_code == 409
    assert "This record is submitted and locked" in response.get_data(as_text=True)
    assert reload(record.id).title == "Compost"


def test_submit_button_locks_a_new_record_at_once(world, login):
    client = login(world.a.recorder)

    new_record(client, world.a.batch, submit="1")

    (record,) = records_of(world.a.batch)
    assert record.status == "submitted"
    page = client.get(f"/portal/records/{record.id}", headers=EN).get_data(as_text=True)
    assert "Correct" in page and "Delete" not in page


def test_services_refuse_changes_to_a_submitted_record(app, world):
    record = factories.make_record(world.a.batch, world.a.recorder, title="Kept")

    with app.test_request_context():
        for change in (
            lambda: record_service.update_draft(record, service_values(title="Changed")),
            lambda: record_service.submit_record(record),
            lambda: record_service.delete_draft(record),
        ):
            with pytest.raises(NotAllowed):
                change()

    assert reload(record.id).title == "Kept"


def test_draft_can_be_deleted_but_submitted_cannot(world, login):
    client = login(world.a.recorder)
    draft = factories.make_record(world.a.batch, world.a.recorder, status="draft")
    submitted = factories.make_record(world.a.batch, world.a.recorder)
    db.session.commit()

    assert client.post(f"/portal/records/{draft.id}/delete").status_code == 302
    response = client.post(f"/portal/records/{submitted.id}/delete", headers=EN)

    assert response.status_code == 409
    assert "submitted and locked" in response.get_data(as_text=True)
    assert [r.id for r in records_of(world.a.batch)] == [submitted.id]


def service_values(**fields):
    return record_form(occurred_at=datetime(2026, 5, 1, 10, 0), **fields)


def correct(client, record, **fields):
    data = record_form(
        **{"title": "Organic fertilizer, 25 kg", "reason": "Weighed again", **fields}
    )
    return client.post(f"/portal/records/{record.id}/correct", data=data, headers=EN)


def test_correction_creates_version_two_and_keeps_version_one(world, login):
    old = factories.make_record(
        world.a.batch, world.a.recorder, title="Organic fertilizer, 20 kg", is_public=True
    )
    factories.make_stored_attachment(world.a.enterprise, filename="receipt.pdf", data=PDF,
                                     stage_record=old)  # fmt: skip
    db.session.commit()
    client = login(world.a.recorder)

    form_page = client.get(f"/portal/records/{old.id}/correct", headers=EN)
    assert "Organic fertilizer, 20 kg" in form_page.get_data(as_text=True)  # prefilled
    response = correct(client, old)

    assert response.status_code == 302
    first, second = records_of(world.a.batch)
    assert (first.status, first.title, first.version) == (
        "superseded",
        "Organic fertilizer, 20 kg",
        1,
    )
    assert second.version == 2 and second.supersedes_id == first.id
    assert second.status == "submitted" and second.submitted_at is not None
    assert second.correction_reason == "Weighed again" and second.is_public
    assert [a.filename for a in second.attachments] == ["receipt.pdf"]
    assert [a.filename for a in first.attachments] == ["receipt.pdf"]

    timeline = client.get(f"/portal/batches/{world.a.batch.id}", headers=EN).get_data(as_text=True)
    assert "25 kg" in timeline and "20 kg" not in timeline  # superseded versions are hidden
    history = client.get(f"/portal/records/{first.id}/history", headers=EN).get_data(as_text=True)
    assert history.index("Version 1") < history.index("Version 2")
    assert "Organic fertilizer, 20 kg" in history and "Organic fertilizer, 25 kg" in history
    assert "Weighed again" in history
    from_new = client.get(f"/portal/records/{second.id}/history", headers=EN).get_data(as_text=True)
    assert "Organic fertilizer, 20 kg" in from_new and "Weighed again" in from_new


def test_record_history_walks_the_chain_both_ways(app, world):
    old = factories.make_record(world.a.batch, world.a.recorder)
    with app.test_request_context():
        second = record_service.correct_record(old, world.a.recorder, service_values(), "one")
        third = record_service.correct_record(second, world.a.recorder, service_values(), "two")

    for start in (old, second, third):
        assert [r.version for r in record_service.record_history(start)] == [1, 2, 3]


def test_correction_requires_a_reason(world, login):
    old = factories.make_record(world.a.batch, world.a.recorder)
    db.session.commit()

    response = correct(login(world.a.recorder), old, reason="  ")

    assert response.status_code in (400, 409)
    assert "This field is required." in response.get_data(as_text=True)
    assert [r.status for r in records_of(world.a.batch)] == ["submitted"]


def test_correcting_a_superseded_version_is_refused(world, login):
    old = factories.make_record(world.a.batch, world.a.recorder)
    db.session.commit()
    client = login(world.a.recorder)
    assert correct(client, old).status_code == 302

    for response in (
        client.get(f"/portal/records/{old.id}/correct", headers=EN),
        correct(client, old),
    ):
        assert response.status_code == 409
        assert "only the current version can be corrected" in response.get_data(as_text=True)
    assert len(records_of(world.a.batch)) == 2


def test_service_refuses_to_correct_superseded_or_draft(app, world):
    old = factories.make_record(world.a.batch, world.a.recorder)
    draft = factories.make_record(world.a.batch, world.a.recorder, status="draft")
    with app.test_request_context():
        record_service.correct_record(old, world.a.recorder, service_values(), "fix")
        for record in (old, draft):
            with pytest.raises(NotAllowed):
                record_service.correct_record(record, world.a.recorder, service_values(), "again")


def download(client, url):
    """GET a file and close the response (send_file keeps the file open until then)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def upload(*files):
    return [(io.BytesIO(data), name) for name, data in files]


def test_png_and_pdf_attachments_are_accepted_and_downloadable(world, login):
    client = login(world.a.recorder)
    data = record_form(attachments=upload(("leaf.png", PNG), ("soil test.pdf", PDF)))

    response = client.post(f"/portal/batches/{world.a.batch.id}/records/new", data=data)

    assert response.status_code == 302
    (record,) = records_of(world.a.batch)
    png, pdf = record.attachments
    page = client.get(f"/portal/records/{record.id}", headers=EN).get_data(as_text=True)
    assert "leaf.png" in page and "soil test.pdf" in page

    image = download(client, f"/portal/attachments/{png.id}")
    assert image.status_code == 200 and image.data == PNG
    assert image.headers["Content-Type"] == "image/png"
    assert "leaf.png" in image.headers["Content-Disposition"]
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    document = download(client, f"/portal/attachments/{pdf.id}")
    assert document.headers["Content-Type"] == "application/pdf"
    assert document.headers["Content-Disposition"].startswith("attachment")
    assert "soil" in document.headers["Content-Disposition"]

    admin_view = download(login(world.a.admin), f"/portal/attachments/{png.id}")
    assert admin_view.status_code == 200  # every member may read
    assert login(world.b.recorder).get(f"/portal/attachments/{png.id}").status_code == 404


def test_text_file_renamed_png_is_refused(world, login):
    client = login(world.a.recorder)
    data = record_form(attachments=upload(("notes.png", b"just some text, not an image")))

    response = client.post(f"/portal/batches/{world.a.batch.id}/records/new", data=data, headers=EN)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Only PNG or JPEG images and PDF documents can be attached." in page
    assert records_of(world.a.batch) == []
    assert db.session.scalar(select(Attachment.id)) is None


def test_correction_may_add_attachments(world, login):
    old = factories.make_record(world.a.batch, world.a.recorder)
    db.session.commit()

    correct(login(world.a.recorder), old, attachments=upload(("scale.png", PNG)))

    assert [a.filename for a in records_of(world.a.batch)[1].attachments] == ["scale.png"]
    assert records_of(world.a.batch)[0].attachments == []


@pytest.mark.parametrize(
    ("zone", "utc_hour"), [("Asia/Shanghai", 2), ("America/New_York", 14), ("UTC", 10)]
)
def test_occurred_at_is_stored_in_utc_and_shown_in_its_zone(world, login, zone, utc_hour):
    client = login(world.a.recorder)

    new_record(client, world.a.batch, occurred_tz=zone)

    (record,) = records_of(world.a.batch)
    assert record.occurred_at == datetime(2026, 5, 1, utc_hour, 0, tzinfo=UTC)
    assert record.occurred_tz == zone
    page = client.get(f"/portal/records/{record.id}", headers=EN).get_data(as_text=True)
    assert "2026-05-01 10:00" in page and zone in page
    edit = client.get(f"/portal/records/{record.id}/edit").get_data(as_text=True)
    assert 'value="2026-05-01T10:00"' in edit


@pytest.mark.parametrize("stage", ["filling", "made_up"])
def test_stage_type_outside_the_category_vocabulary_is_refused(world, login, stage):
    client = login(world.a.recorder)  # world.a.product is fruit: farm stages only

    response = client.post(
        f"/portal/batches/{world.a.batch.id}/records/new",
        data=record_form(stage_type=stage),
        headers=EN,
    )

    assert response.status_code == 400
    assert "This stage type is not recorded for products of this category." in response.get_data(
        as_text=True
    )
    assert records_of(world.a.batch) == []


def test_new_record_form_offers_the_category_stages(world, login):
    client = login(world.a.recorder)
    page = client.get(
        f"/portal/batches/{world.a.batch.id}/records/new?stage=harvest", headers=EN
    ).get_data(as_text=True)
    assert '<option selected value="harvest">' in page
    assert "Grafting" in page and "Cold storage" in page and "Filling" not in page


def test_only_recorders_write_records(world, login):
    record = factories.make_record(world.a.batch, world.a.recorder, status="draft")
    db.session.commit()
    client = login(world.a.admin)

    assert client.get(f"/portal/records/{record.id}").status_code == 200
    for url in (f"/portal/records/{record.id}/edit", f"/portal/records/{record.id}/submit"):
        response = client.post(url, data=record_form(), headers=EN)
        assert response.status_code == 403
        assert "Only a recorder can do this" in response.get_data(as_text=True)
    assert reload(record.id).status == "draft"
