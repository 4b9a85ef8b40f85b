"""Excel import of suppliers/customers and goods-flow documents: round trips (export →
import reproduces the data), all or nothing with a row-by-row report, documents spread over
rows, submission in file order, another enterprise's objects refused."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import delete, select

from suyuan.extensions import db
from suyuan.models import Counterparty, ImportRun, Transaction, TransactionLine
from suyuan.services.codes import printed
from suyuan.services.counterparties import set_counterparty_status
from tests import factories
from tests.factories_excel import filled, sheet_rows
from tests.factories_flow import document, make_counterparty
from tests.test_spreadsheet_import import EN, count, export, upload


@pytest.fixture
def en(app, world):
    with app.test_request_context(headers=EN):
        yield world


def counterparty_tuples(enterprise):
    return sorted(
        (
            c.name,
            c.credit_code,
            c.role,
            c.business_type,
            c.region_code,
            c.contact_name,
            c.contact_phone,
            c.address,
            c.legal_representative,
            c.licence_number,
            c.licence_valid_until,
            c.status,
            c.linked_enterprise_id,
        )
        for c in db.session.scalars(
            select(Counterparty).where(Counterparty.enterprise_id == enterprise.id)
        )
    )


def test_counterparties_export_imports_after_deleting(en, login):
    a, b = en.a, en.b
    make_counterparty(a.enterprise, b.enterprise, role="customer", business_type="distributor")
    make_counterparty(
        a.enterprise,
        name="=cmd|' /C calc'!A0",
        credit_code=factories.credit_code("110100"),
        role="supplier",
        address="北京市朝阳区 1 号",
        legal_representative="李四",
        licence_number="JY11010000001",
        licence_valid_until=date(2028, 12, 31),
    )
    disabled = make_counterparty(a.enterprise, name="Closed shop", role="both")
    set_counterparty_status(disabled, "disabled")
    db.session.commit()
    before = counterparty_tuples(a.enterprise)
    data = export(login(a.recorder), "counterparties")
    db.session.execute(delete(Counterparty).where(Counterparty.enterprise_id == a.enterprise.id))
    db.session.commit()

    page = upload(login(a.recorder), "counterparties", data)

    assert "Imported 3 rows" in page.get_data(as_text=True)
    db.session.expire_all()
    assert counterparty_tuples(a.enterprise) == before
    assert any(row[-1] == b.enterprise.id for row in before)


def test_counterparty_bad_rows_import_nothing_and_are_reported(en, login):
    a = en.a
    good = factories.credit_code("110100")
    rows = [
        ["Good trader", good, "Supplier", None, "110100"],
        ["Twin", good, "Customer", None, "110100"],  # the same code as the row before
        ["No role", factories.credit_code("110100"), "Landlord", None, "110100"],
        ["Bad code", "123", "Customer", None, "110100"],
        ["Self", a.enterprise.credit_code, "Customer", None, "620100"],
    ]
    client = login(a.recorder)

    page = upload(client, "counterparties", filled("counterparties", rows)).get_data(as_text=True)

    assert "Nothing was imported" in page
    assert count(Counterparty, enterprise_id=a.enterprise.id) == 0
    run = db.session.scalar(select(ImportRun))
    report = client.get(f"/portal/imports/{run.id}/errors.xlsx", headers=EN)
    assert sheet_rows(report.data)[1:] == [
        (
            3,
            "Unified social credit code",
            good,
            "A counterparty with this unified social credit code already exists.",
        ),
        (4, "Role", "Landlord", "Choose a value from the drop-down list."),
        (
            5,
            "Unified social credit code",
            "123",
            "Enter a valid 18-character unified social credit code.",
        ),
        (
            6,
            "Unified social credit code",
            a.enterprise.credit_code,
            "An enterprise is not its own counterparty.",
        ),
    ]


def test_admins_import_counterparties_but_not_documents(en, login):
    a = en.a
    client = login(a.admin)
    rows = [["Trader", factories.credit_code("110100"), "Supplier", None, "110100"]]
    page = upload(client, "counterparties", filled("counterparties", rows))
    assert "Imported 1 rows" in page.get_data(as_text=True)
    line = ["IN-1", "Finished-goods inbound", "2026-10-01", None, None, None, None, None,
            a.batch.lot_number, 10, "box"]  # fmt: skip
    refused = upload(client, "transactions", filled("transactions", [line]))
    assert refused.status_code == 403
    assert count(Transaction) == 0


# Goods-flow documents


def document_tuples(enterprise):
    docs = db.session.scalars(
        select(Transaction).where(
            Transaction.enterprise_id == enterprise.id, Transaction.status != "superseded"
        )
    )
    return sorted(
        (
            t.number,
            t.kind,
            t.moved_on,
            t.counterparty_id,
            t.note,
            t.status,
            tuple(
                (
                    line.batch_id,
                    Decimal(line.quantity),
                    line.unit,
                    line.first_index,
                    line.last_index,
                )
                for line in t.lines
            ),
        )
        for t in docs
    )


def flow_world(en):
    a = en.a
    customer = make_counterparty(a.enterprise, name="Lanzhou Fresh", role="customer")
    twin = factories.make_batch(a.product, "2026-T", production_date=date(2026, 9, 1))
    factories.make_range(a.pool, a.batch, 0, 99, a.recorder)
    db.session.flush()
    document(
        a.enterprise, a.recorder, "finished_in", "IN-1",
        [(a.batch, 100, "box"), (twin, Decimal("12.5"), "kg")],
    )  # fmt: skip
    document(a.enterprise, a.recorder, "sales_out", "OUT-1", [(a.batch, 30, "box")], customer)
    draft = document(
        a.enterprise, a.recorder, "sales_out", "OUT-2",
        [(a.batch, 5, "box"), (twin, Decimal("2.25"), "kg")], customer, submit=False,
    )  # fmt: skip
    draft.note = "call first"
    draft.lines[0].first_index, draft.lines[0].last_index = 10, 14
    db.session.commit()
    return customer


def test_transactions_export_imports_after_deleting(en, login):
    a = en.a
    flow_world(en)
    before = document_tuples(a.enterprise)
    data = export(login(a.recorder), "transactions")
    rows = sheet_rows(data)
    assert len(rows) == 1 + 5  # a header, one row per line
    assert [row[0] for row in rows[1:]] == ["IN-1", "IN-1", "OUT-1", "OUT-2", "OUT-2"]
    assert rows[4][11] == printed(10) and rows[4][13] == "Save as draft"
    db.session.execute(delete(TransactionLine))
    db.session.execute(delete(Transaction))
    db.session.commit()

    page = upload(login(a.recorder), "transactions", data)

    assert "Imported 5 rows" in page.get_data(as_text=True)
    db.session.expire_all()
    assert document_tuples(a.enterprise) == before


def test_csv_export_of_transactions_keeps_the_filters(en, login):
    a = en.a
    flow_world(en)
    client = login(a.recorder)
    response = client.get(
        "/portal/exports/transactions.csv",
        query_string={"kind": "sales_out", "status": "draft"},
        headers=EN,
    )
    text = response.get_data(as_text=True)
    assert "OUT-2" in text and "OUT-1" not in text and "IN-1" not in text


def test_documents_over_several_rows_are_submitted_in_date_order(en, login):
    a = en.a
    customer = make_counterparty(a.enterprise, name="Lanzhou Fresh", role="customer")
    db.session.commit()
    lot = a.batch.lot_number
    rows = [
        # the outbound comes first in the file and is dated before the inbound: no stock yet
        ["OUT-9", "Sales outbound", "2026-09-30", None, "Lanzhou Fresh", None, None, None,
         lot, 10, "box", None, None, "Submit"],
        ["IN-9", "Finished-goods inbound", "2026-10-01", None, None, "first", None, None,
         lot, 40, "box", None, None, "Submit"],
        ["IN-9", None, None, None, None, None, None, None, lot, 2.5, "kg"],
    ]  # fmt: skip
    client = login(a.recorder)

    page = upload(client, "transactions", filled("transactions", rows)).get_data(as_text=True)

    assert "Nothing was imported" in page
    assert "<td>2</td>" in page and "Not enough stock of" in page
    assert count(Transaction) == 0

    rows[0][2] = "2026-10-02"  # still first in the file, now dated after the inbound
    page = upload(client, "transactions", filled("transactions", rows)).get_data(as_text=True)

    assert "Imported 3 rows" in page
    docs = {t.number: t for t in db.session.scalars(select(Transaction))}
    assert docs["IN-9"].status == "submitted" and docs["OUT-9"].status == "submitted"
    assert [(line.quantity, line.unit) for line in docs["IN-9"].lines] == [
        (Decimal(40), "box"),
        (Decimal("2.5"), "kg"),
    ]
    assert docs["OUT-9"].counterparty_id == customer.id and docs["IN-9"].note == "first"


def test_transaction_bad_rows_import_nothing_and_are_reported(en, login):
    a, b = en.a, en.b
    make_counterparty(a.enterprise, name="Lanzhou Fresh", role="customer")
    make_counterparty(a.enterprise, name="Tianshui Farm", role="supplier")
    db.session.commit()
    lot = a.batch.lot_number
    good = ["IN-1", "Finished-goods inbound", "2026-10-01", None, None, None, None, None,
            lot, 10, "box"]  # fmt: skip
    rows = [good[:] for _ in range(6)]
    rows[1][1:3] = [None, None]  # row 3: a further line of IN-1
    rows[2][8] = b.batch.lot_number  # row 4: another enterprise's lot
    rows[3][2] = "2026-10-05"  # row 5: a different date for IN-1
    rows[4] = ["OUT-1", "Sales outbound", "2026-10-02", None, "Tianshui Farm", None, None,
               None, lot, 1, "box"]  # fmt: skip  # row 6: a supplier on a sales outbound
    rows[5] = ["OUT-2", "Sales outbound", "2026-10-02", None, "Nobody", None, None, None,
               lot, "-3", "crate"]  # fmt: skip  # row 7: unknown counterparty and unit
    client = login(a.recorder)

    page = upload(client, "transactions", filled("transactions", rows)).get_data(as_text=True)

    assert "Nothing was imported" in page
    assert count(Transaction) == 0
    run = db.session.scalar(select(ImportRun))
    report = sheet_rows(client.get(f"/portal/imports/{run.id}/errors.xlsx", headers=EN).data)
    assert report[1:] == [
        (
            4,
            "Lot number",
            b.batch.lot_number,
            f"Your enterprise has no batch with lot number {b.batch.lot_number}.",
        ),
        (
            5,
            "Date",
            "2026-10-05",
            "This differs from the document's first row; leave it empty.",
        ),
        (6, "Counterparty", "Tianshui Farm", "Choose a customer for this kind of document."),
        (7, "Counterparty", "Nobody", "You have no counterparty called “Nobody”."),
        (7, "Unit", "crate", "Choose a value from the drop-down list."),
    ]


def test_transaction_template_has_drop_downs_in_chinese(app, world, login):
    client = login(world.a.recorder)
    response = client.get(
        "/portal/imports/templates/transactions.xlsx", headers={"Accept-Language": "zh"}
    )
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(response.data))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    assert header[0] == "单号 *"
    lists = [row for row in workbook["lists"].iter_rows(values_only=True)]
    values = {value for row in lists for value in row if value}
    assert {"销售出库", "箱", "提交"} <= values
    formulas = {v.formula1 for v in workbook.worksheets[0].data_validations.dataValidation}
    assert {"list_kind", "list_unit", "list_action"} <= formulas
