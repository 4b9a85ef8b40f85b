"""Excel import: round trips of every kind, all-or-nothing with a row-by-row report,
cross-tenant references refused, the same file refused twice, roles and scoping."""

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from suyuan.extensions import db
from suyuan.models import Batch, CodeRange, ImportRun, Product, StageRecord
from suyuan.services.codes import printed
from tests import factories
from tests.factories_excel import filled, sheet_rows

EN = {"Accept-Language": "en"}


@pytest.fixture
def en(app, world):
    """The world, inside an English request context (templates speak English)."""
    with app.test_request_context(headers=EN):
        yield world


def upload(client, kind: str, data: bytes, filename: str = "rows.xlsx"):
    return client.post(
        "/portal/imports",
        data={"kind": kind, "file": (io.BytesIO(data), filename)},
        headers=EN,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def export(client, kind: str, fmt: str = "xlsx", **args) -> bytes:
    response = client.get(f"/portal/exports/{kind}.{fmt}", query_string=args, headers=EN)
    assert response.status_code == 200, response.data[:500]
    return response.data


def count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


# Round trips


def product_tuples(enterprise, names):
    return sorted(
        (p.name, p.category, p.spec, p.packaging_spec, p.gtin, p.description)
        for p in db.session.scalars(
            select(Product).where(Product.enterprise_id == enterprise.id, Product.name.in_(names))
        )
    )


def test_products_export_imports_into_another_enterprise(en, login):
    a, b = en.a, en.b
    factories.make_product(
        a.enterprise, "红富士苹果", category="fruit", spec="5 kg", gtin="6901234567892"
    )
    factories.make_product(
        a.enterprise, '=HYPERLINK("http://x")', category="tea", description="line 1\nline 2"
    )
    factories.make_product(a.enterprise, "Olive oil", category="grain", packaging_spec="12 × 1 L")
    db.session.commit()
    names = [p.name for p in a.enterprise.products]
    data = export(login(a.recorder), "products")

    page = upload(login(b.recorder), "products", data, "products.xlsx")

    assert "Imported 4 rows from products.xlsx." in page.get_data(as_text=True)
    db.session.expire_all()
    expected = [(n, *rest) for n, *rest in product_tuples(a.enterprise, names)]
    assert product_tuples(b.enterprise, names) == expected
    assert all(p.filing.status == "draft" for p in b.enterprise.products if p.name in names)


def test_batches_export_imports_after_deleting(en, login):
    a = en.a
    area = factories.make_area(a.enterprise, "North orchard")
    factories.make_batch(
        a.product, "2026-A", production_date=date(2026, 8, 1), production_area=area, notes="early"
    )
    factories.make_batch(a.product, "2026-B", status="released")
    db.session.commit()
    before = _batch_tuples(a.enterprise)
    data = export(login(a.recorder), "batches")
    for batch in a.enterprise.products[0].batches:
        db.session.delete(batch)
    db.session.commit()
    assert count(Batch, enterprise_id=a.enterprise.id) == 0

    page = upload(login(a.recorder), "batches", data)

    assert "Imported 3 rows" in page.get_data(as_text=True)
    db.session.expire_all()
    assert _batch_tuples(a.enterprise) == before


def _batch_tuples(enterprise):
    return sorted(
        (b.product.name, b.lot_number, b.production_date, b.status, b.notes, b.production_area_id)
        for b in db.session.scalars(select(Batch).where(Batch.enterprise_id == enterprise.id))
    )


def _record_tuples(batch):
    return sorted(
        (
            r.stage_type,
            r.title,
            r.occurred_at,
            r.occurred_tz,
            r.place,
            r.operator,
            r.details,
            r.status,
        )
        for r in db.session.scalars(select(StageRecord).where(StageRecord.batch_id == batch.id))
    )


def test_stage_records_export_imports_after_deleting(en, login):
    a = en.a
    factories.make_record(
        a.batch,
        a.recorder,
        title="Base fertilizer",
        place="Row 3",
        operator="王师傅",
        details="20 kg/mu\norganic",
        occurred_at=datetime(2026, 4, 2, 1, 30, tzinfo=UTC),
    )
    factories.make_record(
        a.batch,
        a.recorder,
        stage_type="harvest",
        status="draft",
        title="First picking",
        occurred_tz="Europe/Paris",
        occurred_at=datetime(2026, 9, 20, 7, 0, tzinfo=UTC),
    )
    db.session.commit()
    before = _record_tuples(a.batch)
    data = export(login(a.recorder), "stage_records", batch=a.batch.id)
    for record in list(a.batch.records):
        db.session.delete(record)
    db.session.commit()

    page = upload(login(a.recorder), "stage_records", data)

    assert "Imported 2 rows" in page.get_data(as_text=True)
    db.session.expire_all()
    assert _record_tuples(a.batch) == before


def test_code_ranges_export_imports_after_releasing(en, login):
    a = en.a
    other = factories.make_batch(a.product, "2026-C")
    factories.make_range(a.pool, a.batch, 0, 99, a.recorder)
    factories.make_range(a.pool, other, 200, 249, a.recorder)
    db.session.commit()
    data = export(login(a.recorder), "code_ranges", status="bound")
    db.session.execute(CodeRange.__table__.update().values(status="released"))
    db.session.commit()

    page = upload(login(a.recorder), "code_ranges", data)

    assert "Imported 2 rows" in page.get_data(as_text=True)
    bound = db.session.execute(
        select(CodeRange.batch_id, CodeRange.start_index, CodeRange.end_index).where(
            CodeRange.status == "bound"
        )
    ).all()
    assert sorted(bound) == sorted([(a.batch.id, 0, 99), (other.id, 200, 249)])


def test_code_ranges_by_pool_positions(en, login):
    a = en.a
    rows = [[None, None, a.batch.lot_number, None, None, printed(a.pool.start_index), 11, 20]]
    page = upload(login(a.recorder), "code_ranges", filled("code_ranges", rows))
    assert "Imported 1 rows" in page.get_data(as_text=True)
    code_range = db.session.scalar(select(CodeRange))
    assert (code_range.start_index, code_range.end_index) == (10, 19)


# All or nothing


def test_three_bad_rows_among_a_thousand_import_nothing_and_are_reported(en, login):
    a, b = en.a, en.b
    rows = [
        [
            None,
            None,
            a.batch.lot_number,
            "Fertilizing",
            f"Record {n}",
            f"2026-05-01 08:{n % 60:02d}",
            None,
            "Row 1",
            None,
            None,
            "Submit",
        ]
        for n in range(1000)
    ]
    rows[9][3] = "Welding"  # row 11: unknown stage type
    rows[499][2] = b.batch.lot_number  # row 501: another enterprise's lot
    rows[997][5] = "next Tuesday"  # row 999: not a date
    client = login(a.recorder)

    page = upload(client, "stage_records", filled("stage_records", rows)).get_data(as_text=True)

    assert "Nothing was imported" in page
    assert count(StageRecord) == 0
    run = db.session.scalar(select(ImportRun))
    assert (run.status, run.row_count, run.error_count) == ("refused", 1000, 3)
    report = client.get(f"/portal/imports/{run.id}/errors.xlsx", headers=EN)
    assert report.status_code == 200
    assert sheet_rows(report.data) == [
        ("Row", "Column", "Value", "What is wrong"),
        (11, "Stage type", "Welding", "Choose a value from the drop-down list."),
        (
            501,
            "Lot number",
            b.batch.lot_number,
            f"Your enterprise has no batch with lot number {b.batch.lot_number}.",
        ),
        (999, "When", "next Tuesday", "Enter a date and time as YYYY-MM-DD HH:MM."),
    ]
    assert "Your enterprise has no batch with lot number" in page and "<td>501</td>" in page


def test_service_rule_errors_name_the_column(en, login):
    """The service's own refusals (stage type not for this category, duplicate lot) count."""
    a = en.a
    rows = [
        [None, None, a.batch.lot_number, "Filling", "Wrong kind", "2026-05-01 08:00"],
        [
            None,
            None,
            a.batch.lot_number,
            "Harvest",
            "Right kind",
            "2026-05-01 09:00",
            "Mars/Olympus",
        ],
    ]
    client = login(a.recorder)
    upload(client, "stage_records", filled("stage_records", rows))
    run = db.session.scalar(select(ImportRun))
    report = sheet_rows(client.get(f"/portal/imports/{run.id}/errors.xlsx").data)
    assert report[1:] == [
        (
            2,
            "Stage type",
            "Filling",
            "This stage type is not recorded for products of this category.",
        ),
        (3, "Time zone", "Mars/Olympus", "Unknown time zone."),
    ]
    batches = [
        [a.product.name, None, "L1", "2026-01-01"],
        [a.product.name, None, "L1", "2026-01-02"],
    ]
    upload(client, "batches", filled("batches", batches))
    run = db.session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
    report = sheet_rows(client.get(f"/portal/imports/{run.id}/errors.xlsx").data)
    assert [(r[0], r[1], r[2]) for r in report[1:]] == [(3, "Lot number", "L1")]
    assert count(Batch, lot_number="L1") == 0


# Cross-tenant


def test_rows_naming_another_enterprises_objects_are_errors(en, login):
    a, b = en.a, en.b
    client = login(a.recorder)
    upload(client, "batches", filled("batches", [[b.product.name, None, "X-1", "2026-01-01"]]))
    upload(
        client,
        "code_ranges",
        filled(
            "code_ranges",
            [
                [
                    None,
                    None,
                    a.batch.lot_number,
                    printed(b.pool.start_index),
                    printed(b.pool.start_index + 9),
                ]
            ],
        ),
    )
    upload(
        client,
        "code_ranges",
        filled(
            "code_ranges",
            [[None, None, a.batch.lot_number, None, None, printed(b.pool.start_index), 1, 5]],
        ),
    )
    runs = db.session.scalars(select(ImportRun).order_by(ImportRun.id)).all()
    assert [run.status for run in runs] == ["refused"] * 3
    assert count(Batch, lot_number="X-1") == 0 and count(CodeRange) == 0
    messages = [
        sheet_rows(client.get(f"/portal/imports/{r.id}/errors.xlsx").data)[1][3] for r in runs
    ]
    assert messages[0] == f"Your enterprise has no product “{b.product.name}”."
    assert "is not in your enterprise's code pools" in messages[1]
    assert messages[2] == "This is not the first code of one of your pools."


def test_import_runs_and_reports_of_another_enterprise_answer_404(en, login):
    a, b = en.a, en.b
    upload(login(a.recorder), "products", filled("products", [["", "nope"]]))
    run = db.session.scalar(select(ImportRun))
    other = login(b.recorder)
    assert other.get(f"/portal/imports/{run.id}").status_code == 404
    assert other.get(f"/portal/imports/{run.id}/errors.xlsx").status_code == 404
    assert run.filename not in other.get("/portal/imports", headers=EN).get_data(as_text=True)


# Same file twice, roles, templates


def test_the_same_file_is_not_imported_twice(en, login):
    a = en.a
    data = filled("products", [["Pear", "Fruit"]])
    client = login(a.recorder)
    assert "Imported 1 rows" in upload(client, "products", data, "first.xlsx").get_data(
        as_text=True
    )

    again = upload(client, "products", data, "renamed.xlsx")

    assert again.status_code == 409
    text = again.get_data(as_text=True)
    assert "This file was already imported on" in text and "“first.xlsx”, 1 rows" in text
    assert count(Product, name="Pear") == 1


def test_recorder_only_kinds_refuse_the_admin_role(en, login):
    page = upload(
        login(en.a.admin),
        "batches",
        filled("batches", [[en.a.product.name, None, "Z", "2026-01-01"]]),
    )
    assert page.status_code == 403
    assert count(Batch, lot_number="Z") == 0


def test_templates_mark_required_columns_and_carry_drop_downs(en, login):
    client = login(en.a.recorder)
    response = client.get("/portal/imports/templates/stage_records.xlsx", headers=EN)
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.data))
    header = [c.value for c in workbook.worksheets[0][1]]
    assert header[:6] == [
        "Product",
        "Specification",
        "Lot number *",
        "Stage type *",
        "Title *",
        "When *",
    ]
    assert workbook.sheetnames == ["Stage records", "lists", "Instructions"]
    assert workbook["lists"].sheet_state == "hidden"
    assert "list_stage_type" in workbook.defined_names
    formulas = {dv.formula1 for dv in workbook.worksheets[0].data_validations.dataValidation}
    assert formulas == {"list_stage_type", "list_action"}
    lists = [row[0] for row in workbook["lists"].iter_rows(values_only=True)]
    assert "Fertilizing" in lists and "Packaging" in lists
    assert client.get("/portal/imports/templates/nothing.xlsx").status_code == 404


def test_chinese_template_headers_and_names_import(en, login):
    client = login(en.a.recorder)
    response = client.get(
        "/portal/imports/templates/products.xlsx", headers={"Accept-Language": "zh"}
    )
    header = sheet_rows(response.data)[0]
    assert header[:3] == ("产品名称 *", "类别 *", "规格")
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.data))
    workbook.worksheets[0].append(["猕猴桃", "Fruit", "1 kg"])
    output = io.BytesIO()
    workbook.save(output)
    page = upload(client, "products", output.getvalue())
    assert "Imported 1 rows" in page.get_data(as_text=True)
    assert db.session.scalar(select(Product.category).where(Product.name == "猕猴桃")) == "fruit"


def test_two_uploads_of_one_file_at_once_import_it_once(en, login, monkeypatch):
    """If both uploads pass the check before either commits, the database refuses one."""
    from suyuan.spreadsheets import importer

    monkeypatch.setattr(importer, "refuse_repeat", lambda enterprise, sha256: None)
    row = [None, None, en.a.batch.lot_number, "Harvest", "Picking", "2026-09-01 08:00"]
    data = filled("stage_records", [row])
    client = login(en.a.recorder)
    assert "Imported 1 rows" in upload(client, "stage_records", data).get_data(as_text=True)
    again = upload(client, "stage_records", data)
    assert again.status_code == 409
    assert "This file is being imported already." in again.get_data(as_text=True)
    assert count(StageRecord, title="Picking") == 1


def test_the_import_page_lists_templates_and_history(en, login):
    client = login(en.a.recorder)
    upload(client, "products", filled("products", [["Fig", "Fruit"]]), "figs.xlsx")
    page = client.get("/portal/imports", headers=EN).get_data(as_text=True)
    for name in ("products", "batches", "stage_records", "code_ranges"):
        assert f'href="/portal/imports/templates/{name}.xlsx"' in page
    assert "figs.xlsx" in page and "Imported" in page
    assert 'href="/portal/imports"' in client.get("/portal/", headers=EN).get_data(as_text=True)
    assert client.post("/portal/imports", data={"kind": "products"}, headers=EN).status_code == 400
