"""Exports: every list as xlsx and CSV with its current filters, cells that cannot run as
formulas, Chinese headers in zh-CN, the regulator's lists scoped to the region."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from suyuan.extensions import db
from suyuan.spreadsheets.export import csv_text
from tests import factories
from tests.test_spreadsheet_import import EN

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+2", "-3+4", "@SUM(A1)", "\tx", "\r=1"]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_escaping_of_formula_starts():
    assert [csv_text(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert csv_text("Apple = good") == "Apple = good" and csv_text(-5) == "-5"


def test_a_product_named_like_a_formula_exports_as_text(world, login):
    for name in HOSTILE:
        factories.make_product(world.a.enterprise, name)
    db.session.commit()
    client = login(world.a.recorder)

    xlsx = client.get("/portal/exports/products.xlsx", headers=EN)
    sheet = zipfile.ZipFile(io.BytesIO(xlsx.data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    cells = {
        c.value: c
        for row in load_workbook(io.BytesIO(xlsx.data)).worksheets[0].iter_rows(min_row=2)
        for c in row[:1]
    }
    for name in HOSTILE:
        if not name[0].isspace():  # XML turns a leading tab or CR into other whitespace
            assert cells[name].data_type == "s"
    assert cells[HOSTILE[0]].quotePrefix

    text = client.get("/portal/exports/products.csv", headers=EN)
    names = [row[0] for row in csv_rows(text.data)[1:]]
    assert "'" + HOSTILE[0] in names and "'@SUM(A1)" in names and HOSTILE[0] not in names


def test_csv_export_keeps_the_lists_filters(world, login):
    a = world.a
    factories.make_product(a.enterprise, "Green tea", category="tea")
    factories.make_product(a.enterprise, "Black tea", category="tea")
    factories.make_batch(a.product, "REL-1", status="released")
    db.session.commit()
    client = login(a.recorder)

    products = csv_rows(client.get("/portal/exports/products.csv?category=tea", headers=EN).data)
    assert products[0][:2] == ["Product name *", "Category *"]
    assert sorted(row[0] for row in products[1:]) == ["Black tea", "Green tea"]
    searched = csv_rows(client.get("/portal/exports/products.csv?q=Green", headers=EN).data)
    assert [row[0] for row in searched[1:]] == ["Green tea"]
    batches = csv_rows(client.get("/portal/exports/batches.csv?status=released", headers=EN).data)
    assert [row[2] for row in batches[1:]] == ["REL-1"]


def test_list_pages_link_exports_with_their_filters(world, login):
    client = login(world.a.recorder)
    page = client.get("/portal/products?category=tea&q=x&page=1", headers=EN).get_data(as_text=True)
    assert 'href="/portal/exports/products.csv?category=tea&amp;q=x"' in page
    odd = client.get("/portal/products?fmt=pdf&_external=1&kind_name=x", headers=EN)
    assert 'href="/portal/exports/products.csv"' in odd.get_data(as_text=True)
    page = client.get(f"/portal/batches/{world.a.batch.id}", headers=EN).get_data(as_text=True)
    assert f'href="/portal/exports/stage_records.xlsx?batch={world.a.batch.id}"' in page
    for url, link in [
        ("/portal/batches?status=released", "/portal/exports/batches.xlsx?status=released"),
        ("/portal/codes?status=bound", "/portal/exports/code_ranges.xlsx?status=bound"),
    ]:
        assert link in client.get(url, headers=EN).get_data(as_text=True)


def test_exports_hold_only_the_callers_enterprise(world, login):
    client = login(world.b.recorder)
    names = [row[0] for row in csv_rows(client.get("/portal/exports/products.csv").data)[1:]]
    assert names == [world.b.product.name]
    lots = [r[2] for r in csv_rows(client.get("/portal/exports/batches.csv").data)[1:]]
    assert lots == [world.b.batch.lot_number]
    other_batch = f"/portal/exports/stage_records.csv?batch={world.a.batch.id}"
    factories.make_record(world.a.batch, world.a.recorder)
    db.session.commit()
    assert csv_rows(client.get(other_batch).data)[1:] == []
    assert client.get("/portal/exports/nothing.csv").status_code == 404
    assert client.get("/portal/exports/products.pdf").status_code == 404


def test_chinese_headers_in_zh(world, login):
    client = login(world.a.recorder)
    data = client.get("/portal/exports/products.xlsx", headers={"Accept-Language": "zh"}).data
    workbook = load_workbook(io.BytesIO(data))
    assert [c.value for c in workbook.worksheets[0][1]][:3] == ["产品名称 *", "类别 *", "规格"]
    assert workbook.worksheets[0]["B2"].value == "水果"
    lots = csv_rows(
        client.get("/portal/exports/batches.csv", headers={"Accept-Language": "zh"}).data
    )
    assert lots[0][2] == "批号 *"


def test_a_list_past_the_export_cap_is_refused_with_a_message(world, login, monkeypatch):
    from suyuan.spreadsheets import export

    monkeypatch.setattr(export, "MAX_EXPORT_ROWS", 1)
    monkeypatch.setattr(export.counted, "__defaults__", (1,))
    factories.make_product(world.a.enterprise, "Second")
    db.session.commit()
    client = login(world.a.recorder)
    response = client.get("/portal/exports/products.csv", headers=EN, follow_redirects=True)
    assert "The list has more than 1 rows: narrow it with the filters" in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "url",
    ["/admin/enterprises/export.{fmt}", "/admin/filings/export.{fmt}?status=all"],
)
def test_regulator_lists_export_their_region_only(world, login, url):
    client = login(world.gansu)
    for fmt in ("csv", "xlsx"):
        response = client.get(url.format(fmt=fmt), headers=EN)
        assert response.status_code == 200
    rows = csv_rows(client.get(url.format(fmt="csv"), headers=EN).data)
    text = repr(rows)
    assert world.a.enterprise.name in text and world.b.enterprise.name not in text


def test_regulator_filing_export_keeps_filters(world, login):
    client = login(world.national)
    rows = csv_rows(
        client.get("/admin/filings/export.csv?status=all&kind=product", headers=EN).data
    )
    assert sorted(r[2] for r in rows[1:]) == sorted(
        f"Product: {s.product.name}" for s in (world.a, world.b)
    )
    rows = csv_rows(
        client.get(f"/admin/enterprises/export.csv?q={world.b.enterprise.credit_code}").data
    )
    assert [r[1] for r in rows[1:]] == [world.b.enterprise.credit_code]


def test_regulator_enterprise_products_and_batches(world, login):
    client = login(world.gansu)
    a, b = world.a.enterprise.id, world.b.enterprise.id
    rows = csv_rows(client.get(f"/admin/enterprises/{a}/batches/export.csv", headers=EN).data)
    assert [r[0] for r in rows[1:]] == [world.a.batch.lot_number]
    rows = csv_rows(client.get(f"/admin/enterprises/{a}/products/export.csv", headers=EN).data)
    assert [r[0] for r in rows[1:]] == [world.a.product.name]
    assert client.get(f"/admin/enterprises/{b}/batches/export.csv").status_code == 404
    assert client.get(f"/admin/enterprises/{b}/products/export.xlsx").status_code == 404
    page = client.get(f"/admin/enterprises/{a}", headers=EN).get_data(as_text=True)
    assert f"/admin/enterprises/{a}/batches/export.xlsx" in page


def test_members_cannot_use_regulator_exports(world, login):
    client = login(world.a.recorder)
    assert client.get("/admin/enterprises/export.csv").status_code == 403
