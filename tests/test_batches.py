"""Batches (生产批次): creating, the rules that refuse it, the list, tenant isolation, roles."""

from datetime import date

import pytest
from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import Batch
from suyuan.services import batches as batch_service
from suyuan.services.errors import Conflict
from tests import factories

EN = {"Accept-Language": "en"}


def batch_form(product, lot="L-2026-001", **fields):
    return {
        "product_id": product.id,
        "lot_number": lot,
        "production_date": "2026-09-10",
        "production_area_id": "0",
        "notes": "",
        **fields,
    }


def lots(product) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(Batch.lot_number).where(Batch.product_id == product.id)))


def test_recorder_creates_batch_through_the_portal(world, login):
    area = factories.make_area(world.a.enterprise, "North orchard")
    db.session.commit()
    client = login(world.a.recorder)
    form_page = client.get("/portal/batches/new", headers=EN).get_data(as_text=True)
    assert "Gansu Apples product" in form_page
    assert "North orchard" in form_page

    data = batch_form(world.a.product, production_area_id=str(area.id), notes="First pick")
    response = client.post("/portal/batches/new", data=data, headers=EN, follow_redirects=True)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Batch L-2026-001 created." in page
    assert "North orchard" in page and "First pick" in page and "2026-09-10" in page
    assert "In production" in page
    listing = client.get("/portal/batches", headers=EN).get_data(as_text=True)
    assert "L-2026-001" in listing


def test_batch_refused_while_enterprise_filing_not_approved(ctx, login):
    enterprise = factories.make_enterprise(approved=False)
    product = factories.make_product(enterprise, "Pending apples")
    recorder = factories.make_member(enterprise)
    db.session.commit()
    client = login(recorder)

    page = client.get("/portal/batches/new", headers=EN).get_data(as_text=True)
    assert "Your enterprise filing is not approved yet" in page

    response = client.post("/portal/batches/new", data=batch_form(product), headers=EN)
    assert response.status_code == 409
    assert "Your enterprise filing is not approved yet" in response.get_data(as_text=True)
    assert lots(product) == []


def test_batch_refused_for_product_without_approved_filing(world, login):
    pending = factories.make_product(world.a.enterprise, "Unfiled pears", approved=False)
    db.session.commit()
    client = login(world.a.recorder)

    page = client.get("/portal/batches/new", headers=EN).get_data(as_text=True)
    assert "Unfiled pears" not in page  # only products with an approved filing are offered

    response = client.post("/portal/batches/new", data=batch_form(pending), headers=EN)
    assert response.status_code == 409
    assert "The filing of product “Unfiled pears” is not approved yet" in response.get_data(
        as_text=True
    )
    assert lots(pending) == []


def test_new_batch_page_explains_when_no_product_is_approved(ctx, login):
    enterprise = factories.make_enterprise()
    factories.make_product(enterprise, "Draft plums", approved=False)
    recorder = factories.make_member(enterprise)
    db.session.commit()

    page = login(recorder).get("/portal/batches/new", headers=EN).get_data(as_text=True)

    assert "None of your products has an approved filing yet" in page
    assert 'name="lot_number"' not in page


def test_duplicate_lot_refused_per_product_only(world, login):
    factories.make_batch(world.a.product, lot="L-7")
    other = factories.make_product(world.a.enterprise, "Gansu Pears")
    db.session.commit()
    client = login(world.a.recorder)

    response = client.post(
        "/portal/batches/new", data=batch_form(world.a.product, "L-7"), headers=EN
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Lot number L-7 is already used by another batch of “Gansu Apples product”." in page

    response = client.post("/portal/batches/new", data=batch_form(other, "L-7"), headers=EN)
    assert response.status_code == 302
    assert lots(other) == ["L-7"]


def test_duplicate_lot_caught_by_database_constraint(app, world, monkeypatch):
    """Two requests that both passed the check: the unique constraint decides, in a savepoint."""
    factories.make_batch(world.a.product, lot="L-RACE")
    monkeypatch.setattr(batch_service, "_lot_taken", lambda *args: False)
    values = {"lot_number": "L-RACE", "production_date": date(2026, 9, 2)}

    with (
        app.test_request_context(headers={"Accept-Language": "en"}),
        pytest.raises(Conflict, match="already used"),
    ):
        batch_service.create_batch(world.a.enterprise, world.a.product, values)

    assert lots(world.a.product).count("L-RACE") == 1  # the session is still usable


def test_edit_batch_changes_status_and_refuses_taken_lot(world, login):
    factories.make_batch(world.a.product, lot="L-TAKEN")
    db.session.commit()
    client = login(world.a.recorder)
    url = f"/portal/batches/{world.a.batch.id}/edit"
    data = {"lot_number": "L-TAKEN", "production_date": "2026-09-01", "status": "released"}
    data["production_area_id"] = "0"

    response = client.post(url, data=data, headers=EN)
    assert response.status_code == 409
    assert "already used" in response.get_data(as_text=True)

    data["lot_number"] = "L-NEW"
    response = client.post(url, data=data, headers=EN, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Batch L-NEW saved." in page and "Released" in page


def test_list_search_filter_and_pagination(world, login):
    pears = factories.make_product(world.a.enterprise, "Crisp pears")
    for day in range(1, 26):
        factories.make_batch(
            world.a.product, lot=f"AP-{day:02d}", production_date=date(2026, 7, day)
        )
    factories.make_batch(pears, lot="PE-01", status="withdrawn")
    db.session.commit()
    client = login(world.a.recorder)

    first = client.get("/portal/batches", headers=EN).get_data(as_text=True)
    # world.a.batch (2026-09-01) is newest, then the July batches, newest first
    assert first.index(world.a.batch.lot_number) < first.index("AP-25") < first.index("AP-24")
    assert "AP-06" not in first and "Page 1 of 2" in first
    second = client.get("/portal/batches?page=2", headers=EN).get_data(as_text=True)
    assert "AP-06" in second and "AP-01" in second

    by_name = client.get("/portal/batches?q=crisp", headers=EN).get_data(as_text=True)
    assert "PE-01" in by_name and "AP-01" not in by_name
    by_lot = client.get("/portal/batches?q=AP-1", headers=EN).get_data(as_text=True)
    assert "AP-10" in by_lot and "AP-19" in by_lot and "AP-20" not in by_lot
    by_status = client.get("/portal/batches?status=withdrawn", headers=EN).get_data(as_text=True)
    assert "PE-01" in by_status and "AP-01" not in by_status
    by_product = client.get(f"/portal/batches?product={pears.id}", headers=EN)
    assert "PE-01" in by_product.get_data(as_text=True)
    assert "AP-01" not in by_product.get_data(as_text=True)


def test_list_shows_record_and_bound_code_counts(world, login):
    factories.make_record(world.a.batch, world.a.recorder)
    factories.make_record(world.a.batch, world.a.recorder, status="draft")
    factories.make_record(world.a.batch, world.a.recorder, status="superseded")
    factories.make_range(world.a.pool, world.a.batch, 0, 99, world.a.recorder)
    factories.make_range(world.a.pool, world.a.batch, 100, 149, world.a.recorder, status="void")
    db.session.commit()

    page = login(world.a.recorder).get("/portal/batches", headers=EN).get_data(as_text=True)

    row = page[page.index(world.a.batch.lot_number) :]
    assert "+ 1 drafts" in row
    assert "<td>100</td>" in row  # only the bound range counts


def record_of(side):
    return factories.make_record(side.batch, side.recorder, status="draft")


ISOLATED = [
    ("get", "/portal/batches/{batch}"),
    ("get", "/portal/batches/{batch}/edit"),
    ("post", "/portal/batches/{batch}/edit"),
    ("get", "/portal/batches/{batch}/records/new"),
    ("post", "/portal/batches/{batch}/records/new"),
    ("get", "/portal/records/{record}"),
    ("get", "/portal/records/{record}/edit"),
    ("post", "/portal/records/{record}/edit"),
    ("post", "/portal/records/{record}/submit"),
    ("post", "/portal/records/{record}/delete"),
    ("get", "/portal/records/{record}/correct"),
    ("get", "/portal/records/{record}/history"),
    ("get", "/portal/attachments/{attachment}"),
]


@pytest.mark.parametrize(("method", "url"), ISOLATED)
def test_other_enterprises_objects_answer_404(world, login, method, url):
    record = record_of(world.b)
    attachment = factories.make_stored_attachment(
        world.b.enterprise, filename="b.png", stage_record=record
    )
    db.session.commit()
    target = url.format(batch=world.b.batch.id, record=record.id, attachment=attachment.id)

    response = getattr(login(world.a.recorder), method)(target, data={"title": "x"})

    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(type(record), record.id).status == "draft"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/portal/batches/new"),
        ("post", "/portal/batches/new"),
        ("get", "/portal/batches/{batch}/edit"),
        ("get", "/portal/batches/{batch}/records/new"),
    ],
)
def test_admin_only_member_cannot_write(world, login, method, url):
    client = login(world.a.admin)
    target = url.format(batch=world.a.batch.id)
    data = batch_form(world.a.product, "L-ADMIN")

    response = getattr(client, method)(target, data=data, headers=EN)

    assert response.status_code == 403
    assert "Only a recorder can do this" in response.get_data(as_text=True)
    assert "L-ADMIN" not in lots(world.a.product)


def test_admin_only_member_reads_batches_without_write_buttons(world, login):
    page = login(world.a.admin).get(f"/portal/batches/{world.a.batch.id}", headers=EN)
    assert page.status_code == 200
    assert "Edit batch" not in page.get_data(as_text=True)
    assert "/records/new" not in page.get_data(as_text=True)


def test_producer_text_is_escaped(world, login):
    product = factories.make_product(world.a.enterprise, "<script>alert('p')</script>")
    batch = factories.make_batch(product, lot="<b>L</b>", notes="<script>alert(1)</script>")
    factories.make_record(batch, world.a.recorder, title="<img src=x onerror=alert(2)>")
    db.session.commit()
    client = login(world.a.recorder)

    for url in ("/portal/batches", f"/portal/batches/{batch.id}"):
        page = client.get(url, headers=EN).get_data(as_text=True)
        assert "<script>alert" not in page and "<b>L</b>" not in page
        assert "&lt;script&gt;" in page
    assert "<img src=x" not in client.get(f"/portal/batches/{batch.id}").get_data(as_text=True)
