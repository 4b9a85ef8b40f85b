"""Workbooks for the spreadsheet tests: a kind's template filled with rows, hostile files."""

import io
import zipfile

from openpyxl import Workbook, load_workbook

from suyuan.spreadsheets.kinds import get_kind
from suyuan.spreadsheets.templates import kind_workbook


def filled(kind_name: str, rows: list[list]) -> bytes:
    """The kind's template (current locale) with ``rows`` in ``COLUMNS`` order."""
    kind = get_kind(kind_name)
    padded = [list(row) + [None] * (len(kind.COLUMNS) - len(row)) for row in rows]
    with kind_workbook(kind, padded) as output:
        return output.read()


def sheet_rows(data: bytes, sheet: int = 0) -> list[tuple]:
    """Every row of a workbook's sheet as values (header included)."""
    workbook = load_workbook(io.BytesIO(data))
    return [tuple(row) for row in workbook.worksheets[sheet].iter_rows(values_only=True)]


def plain_workbook(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def with_member(data: bytes, name: str, content: bytes, replace: bool = False) -> bytes:
    """``data`` (an xlsx) with one zip member added or replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if replace and item.filename == name:
                continue
            target.writestr(item, source.read(item.filename))
        target.writestr(name, content)
    return output.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""


def zip_bomb(data: bytes) -> bytes:
    """``data`` with a member that inflates 200 MB of zeros from about 200 KB."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        with target.open("xl/media/padding.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(200):
                member.write(block)
    return output.getvalue()
