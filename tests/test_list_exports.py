"""Every list of the portal and the console exports to xlsx and CSV with its current filters,
and only what the caller may see: another enterprise's or another region's rows never
appear."""

import pytest
from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import Counterparty
from suyuan.services.nonconformance import record_nonconformance
from suyuan.services.notices import create_notice
from tests.factories_excel import sheet_rows
from tests.factories_flow import document, make_chain
from tests.factories_recalls import make_recall

EN = {"Accept-Language": "en"}


def csv_text(client, url: str, **args) -> str:
    response = client.get(url, query_string=args, headers=EN)
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return response.get_data(as_text=True)


def xlsx_rows(client, url: str, **args) -> list[tuple]:
    response = client.get(url, query_string=args, headers=EN)
    assert response.status_code == 200, response.data[:300]
    return sheet_rows(response.data)


@pytest.fixture
def chain(ctx):
    return make_chain()


def unmatched_receipt(chain):
    """The Lanzhou retailer records by hand a purchase from the distributor, which never
    sent it: a mismatch of both enterprises, in Gansu."""
    distributor = db.session.scalar(
        select(Counterparty).where(
            Counterparty.enterprise_id == chain.retailer_gs.id,
            Counterparty.linked_enterprise_id == chain.distributor.id,
        )
    )
    document(
        chain.retailer_gs, chain.users[chain.retailer_gs], "purchase_in", "R1-IN-9",
        [(chain.batch, 3, "box")], distributor,
    )  # fmt: skip
    db.session.commit()


# Portal


def test_stock_export_is_the_enterprises_own_with_the_search(chain, login):
    producer = login(chain.users[chain.producer])
    rows = xlsx_rows(producer, "/portal/stock/export.xlsx")
    assert rows[0] == (
        "Product",
        "Specification",
        "Lot number",
        "Production date",
        "Quantity",
        "Unit",
    )
    assert {(r[2], r[4], r[5]) for r in rows[1:]} == {
        ("RF-2026-01", 40, "box"),
        ("CT-01", 200, "piece"),
    }
    searched = csv_text(producer, "/portal/stock/export.csv", q="CT-")
    assert "CT-01" in searched and "RF-2026-01" not in searched
    distributor = xlsx_rows(login(chain.users[chain.distributor]), "/portal/stock/export.xlsx")
    assert [(r[2], r[4]) for r in distributor[1:]] == [("RF-2026-01", 15)]


def test_document_export_holds_only_the_enterprises_documents(chain, login):
    text = csv_text(login(chain.users[chain.distributor]), "/portal/exports/transactions.csv")
    assert "D-OUT-1" in text and "D-OUT-2" in text
    assert "R2-RET-1" in text  # the confirmed counterpart of the retailer's return
    assert "P-IN-1" not in text and "S-OUT-1" not in text and "S-IN-1" not in text
    sales = csv_text(
        login(chain.users[chain.distributor]), "/portal/exports/transactions.csv", q="D-OUT-2"
    )
    assert "D-OUT-2" in sales and "D-OUT-1" not in sales


def test_counterparty_export_keeps_filters_and_scope(chain, login):
    client = login(chain.users[chain.distributor])
    text = csv_text(client, "/portal/exports/counterparties.csv")
    assert "Lanzhou Market" in text and "Hangzhou Fresh" in text
    assert "Tianshui Cartons" not in text  # the supplier's customer list, not the distributor's
    suppliers = csv_text(client, "/portal/exports/counterparties.csv", role="supplier")
    assert "Lanzhou Orchard" in suppliers and "Lanzhou Market" not in suppliers


def test_mismatch_exports_in_portal_and_console(chain, login):
    unmatched_receipt(chain)
    retailer = login(chain.users[chain.retailer_gs])
    text = csv_text(retailer, "/portal/mismatches/export.csv")
    assert "R1-IN-9" in text and "No matching document on the other side" in text
    assert "R1-IN-9" not in csv_text(retailer, "/portal/mismatches/export.csv", reason="quantity")
    assert "R1-IN-9" not in csv_text(
        login(chain.users[chain.producer]), "/portal/mismatches/export.csv"
    )
    assert "R1-IN-9" in csv_text(login(chain.gansu), "/admin/mismatches/export.csv")
    assert "R1-IN-9" not in csv_text(login(chain.zhejiang), "/admin/mismatches/export.csv")


def test_list_pages_carry_export_links_with_their_filters(chain, login):
    client = login(chain.users[chain.producer])
    for page, export in (
        ("/portal/stock?q=RF", "/portal/stock/export.csv?q=RF"),
        ("/portal/transactions?kind=sales_out", "/portal/exports/transactions.csv?kind=sales_out"),
        (
            "/portal/counterparties?role=customer",
            "/portal/exports/counterparties.csv?role=customer",
        ),
        ("/portal/mismatches?reason=batch", "/portal/mismatches/export.csv?reason=batch"),
        ("/portal/recalls?state=declared", "/portal/recalls/export.csv?state=declared"),
        ("/portal/nonconformance?status=open", "/portal/nonconformance/export.csv?status=open"),
        ("/portal/notices?q=x", "/portal/notices/export.csv?q=x"),
    ):
        html = client.get(page, headers=EN).get_data(as_text=True)
        assert f'href="{export}"' in html, page
    console = login(chain.gansu)
    for page, export in (
        ("/admin/transactions?kind=sales_out", "/admin/transactions/export.csv?kind=sales_out"),
        ("/admin/mismatches?reason=batch", "/admin/mismatches/export.csv?reason=batch"),
        ("/admin/recalls?state=declared", "/admin/recalls/export.csv?state=declared"),
        ("/admin/nonconformance?status=open", "/admin/nonconformance/export.csv?status=open"),
        ("/admin/notices?q=x", "/admin/notices/export.csv?q=x"),
        ("/admin/products?q=x", "/admin/products/export.csv?q=x"),
        ("/admin/batches?q=x", "/admin/batches/export.csv?q=x"),
    ):
        html = console.get(page, headers=EN).get_data(as_text=True)
        assert f'href="{export}"' in html, page


# Recalls, non-conformance, notices (both sides)


@pytest.fixture
def problems(world):
    a, b = world.a, world.b
    make_recall(a.admin, a.product, batches=[a.batch], reason="Mould in samples")
    make_recall(b.admin, b.product, batches=[b.batch], reason="Wrong label", severity="III")
    record_nonconformance(a.admin, a.product, [a.batch], "Pesticide above limit")
    record_nonconformance(b.admin, b.product, [b.batch], "Short weight")
    create_notice(world.gansu, "Gansu spring inspection", "All orchards")
    create_notice(world.zhejiang, "Zhejiang tea inspection", "All tea farms")
    db.session.commit()
    return world


@pytest.mark.parametrize(
    ("url", "ours", "theirs"),
    [
        ("/portal/recalls/export.csv", "Mould in samples", "Wrong label"),
        ("/portal/nonconformance/export.csv", "Pesticide above limit", "Short weight"),
        ("/portal/notices/export.csv", "Gansu spring inspection", "Zhejiang tea inspection"),
    ],
)
def test_portal_problem_lists_export_the_enterprises_own(problems, login, url, ours, theirs):
    text = csv_text(login(problems.a.admin), url)
    assert ours in text and theirs not in text
    text = csv_text(login(problems.b.admin), url)
    assert theirs in text and ours not in text


@pytest.mark.parametrize(
    ("url", "ours", "theirs"),
    [
        ("/admin/recalls/export.csv", "Mould in samples", "Wrong label"),
        ("/admin/nonconformance/export.csv", "Pesticide above limit", "Short weight"),
        ("/admin/notices/export.csv", "Gansu spring inspection", "Zhejiang tea inspection"),
        ("/admin/products/export.csv", "Gansu Apples", "Zhejiang"),
        ("/admin/batches/export.xlsx", None, None),
    ],
)
def test_console_lists_export_the_region_only(problems, login, url, ours, theirs):
    a, b = problems.a, problems.b
    if url.endswith(".xlsx"):
        rows = xlsx_rows(login(problems.gansu), url)
        assert rows[0][:3] == ("Enterprise", "Unified social credit code", "Product")
        assert {r[3] for r in rows[1:]} == {a.batch.lot_number}
        rows = xlsx_rows(login(problems.national), url)
        assert {r[3] for r in rows[1:]} == {a.batch.lot_number, b.batch.lot_number}
        return
    text = csv_text(login(problems.gansu), url)
    assert ours in text and theirs not in text


def test_filters_narrow_problem_exports(problems, login):
    a = problems.a
    client = login(problems.national)
    assert "Wrong label" not in csv_text(client, "/admin/recalls/export.csv", severity="II")
    assert "Mould in samples" in csv_text(client, "/admin/recalls/export.csv", severity="II")
    assert "Short weight" not in csv_text(client, "/admin/nonconformance/export.csv", q="Pesticide")
    portal = login(a.admin)
    assert "Mould in samples" not in csv_text(
        portal, "/portal/recalls/export.csv", state="completed"
    )
    assert "Gansu spring" not in csv_text(portal, "/portal/notices/export.csv", q="autumn")


def test_console_transactions_export_the_region_with_filters(chain, login):
    zhejiang = csv_text(login(chain.zhejiang), "/admin/transactions/export.csv")
    assert "D-OUT-2" in zhejiang and "R2-RET-1" in zhejiang  # a party lies in Zhejiang
    assert "P-OUT-1" not in zhejiang and "S-OUT-1" not in zhejiang
    gansu = csv_text(login(chain.gansu), "/admin/transactions/export.csv", kind="finished_in")
    assert "P-IN-1" in gansu and "S-IN-1" in gansu and "D-OUT-1" not in gansu


def test_exports_need_the_right_person(app, chain, login):
    member = login(chain.users[chain.producer])
    assert member.get("/admin/transactions/export.csv").status_code in (302, 403, 404)
    assert member.get("/portal/stock/export.pdf").status_code == 404
    assert login(chain.gansu).get("/portal/stock/export.csv").status_code in (302, 403)
    assert app.test_client().get("/portal/stock/export.csv").status_code in (302, 401)


def test_received_recalls_export_to_the_notified_only(chain, login):
    producer_user = chain.users[chain.producer]
    recall = make_recall(producer_user, chain.batch.product, batches=[chain.batch])
    producer = login(producer_user, "admin")
    assert producer.post(f"/portal/recalls/{recall.id}/notified").status_code == 302
    retailer = login(chain.users[chain.retailer_zj], "admin")
    rows = xlsx_rows(retailer, "/portal/recalls/received/export.xlsx", pending="1")
    assert rows[0][:3] == ("Notified", "Product", "Recalled by")
    assert [(r[1], r[2], r[3]) for r in rows[1:]] == [
        ("Red Fuji apple", "Lanzhou Orchard", "RF-2026-01")
    ]
    supplier = login(chain.users[chain.supplier], "admin")
    assert xlsx_rows(supplier, "/portal/recalls/received/export.xlsx")[1:] == []
    page = retailer.get("/portal/recalls/received?pending=1", headers=EN).get_data(as_text=True)
    assert 'href="/portal/recalls/received/export.csv?pending=1"' in page
