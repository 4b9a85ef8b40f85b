"""Hostile uploads are refused before parsing, with a clear message, and nothing is written."""

import io

import defusedxml
import markupsafe
import openpyxl
import pytest
from sqlalchemy import func, select

from suyuan.extensions import db
from suyuan.models import ImportRun, Product
from tests.factories_excel import (
    BILLION_LAUGHS,
    filled,
    plain_workbook,
    with_member,
    zip_bomb,
)
from tests.test_spreadsheet_import import EN, upload


@pytest.fixture
def en(app, world):
    with app.test_request_context(headers=EN):
        yield world


def refused(login, world, data: bytes, filename: str = "rows.xlsx") -> str:
    """Upload ``data`` as products; assert nothing was written; the page's text."""
    page = upload(login(world.a.recorder), "products", data, filename)
    assert page.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Product)) == 2  # the world's
    run = db.session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
    assert run.status == "refused" and run.error_count == 0
    text = page.get_data(as_text=True)
    assert "Nothing was imported." in text and str(markupsafe.escape(run.message)) in text
    return run.message


def good(rows=(("Pear", "Fruit"),)) -> bytes:
    return filled("products", [list(row) for row in rows])


def test_a_file_over_the_size_cap(en, login, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 4096)
    data = good([(f"Product {n}", "Fruit", "x" * 40) for n in range(200)])
    assert len(data) > 4096
    assert refused(login, en, data) == "The file is larger than 4 KB. Split it into several files."


def test_a_zip_bomb(en, login):
    message = refused(login, en, zip_bomb(good()))
    assert message == "The workbook expands to more data than an import may hold (a zip bomb?)."


def test_a_billion_laughs_sheet(en, login):
    data = with_member(good(), "xl/worksheets/sheet1.xml", BILLION_LAUGHS, replace=True)
    assert refused(login, en, data) == (
        "The workbook contains XML entity declarations, which an import refuses."
    )


def test_openpyxl_itself_parses_with_defusedxml():
    """Behind our DTD scan, openpyxl refuses entities too: it uses defusedxml when present."""
    assert openpyxl.DEFUSEDXML is True
    data = with_member(
        plain_workbook([["a"]]), "xl/worksheets/sheet1.xml", BILLION_LAUGHS, replace=True
    )
    with pytest.raises(ValueError) as refusal:
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        list(workbook.worksheets[0].iter_rows(values_only=True))
    assert isinstance(refusal.value.__context__, defusedxml.EntitiesForbidden)


def test_too_many_rows(en, login, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 5)
    data = good([(f"P{n}", "Fruit") for n in range(6)])
    assert refused(login, en, data) == "The file has more than 5 rows. Split it into several files."


def test_not_a_workbook(en, login):
    assert refused(login, en, b"name,category\nPear,fruit\n", "rows.csv") == (
        "This is not an Excel workbook (.xlsx)."
    )
    assert refused(login, en, b"PK\x03\x04 truncated") == "This is not an Excel workbook (.xlsx)."
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
    assert refused(login, en, old, "rows.xls").startswith("This is an old-style .xls file")


def test_a_workbook_with_macros(en, login):
    data = with_member(good(), "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    assert refused(login, en, data).startswith("The workbook contains macros.")


def test_a_workbook_with_formulas(en, login):
    data = plain_workbook(
        [["Product name *", "Category *"], ["Pear", "Fruit"], ['=A2&"x"', "Fruit"]]
    )
    assert refused(login, en, data) == (
        "Cell A3 holds a formula. Paste values only (Paste special → Values) and upload again."
    )


def test_a_sheet_without_the_template_headers(en, login):
    data = plain_workbook([["what", "ever"], ["Pear", "Fruit"]])
    message = refused(login, en, data)
    assert message.startswith("The first row must hold the template's column headers; missing:")
    assert "Product name, Category" in message


def test_an_empty_sheet(en, login):
    assert refused(login, en, good([])) == "The file has no rows to import."
