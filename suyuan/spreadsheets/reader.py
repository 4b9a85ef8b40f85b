"""Reading an uploaded workbook without trusting it.

Before openpyxl sees a byte: the size is capped, the zip directory is inspected (member
count, each member's and the total uncompressed size, the compression ratio: zip bombs),
macros (vbaProject, macro sheets, macro-enabled content types) are refused, and every XML
member is scanned for DTDs (an entity declaration is how a billion-laughs bomb starts; an
xlsx never needs one). openpyxl then parses with defusedxml (it uses it whenever it is
installed), in read-only mode, streaming rows, and stops at the row cap. Cells holding
formulas are refused: an import takes values, not calculations.
"""

import io
import zipfile
from dataclasses import dataclass

import openpyxl
from flask import current_app
from flask_babel import gettext as _

from suyuan.spreadsheets.columns import Column, in_every_language, normalize

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_MEMBERS = 200
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
#: Spreadsheet XML compresses 10–30 times; a bomb compresses thousands of times.
MAX_RATIO = 200
RATIO_CHECKED_ABOVE = 1024 * 1024
MACRO_MARKERS = ("vbaproject", "xl/macrosheets/", "activex")
MACRO_CONTENT_TYPE = b"macroEnabled"
DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


class FileRefused(Exception):
    """The whole file is refused before any row is looked at; ``message`` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """The rows of the data sheet: ``rows`` holds (row number, {column key: raw value})."""

    columns: list[Column]
    rows: list[tuple[int, dict]]


def limit(name: str, default: int) -> int:
    """A limit from the app config (``IMPORT_MAX_ROWS``...), else the default."""
    return int(current_app.config.get(name, default))


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB"


def check_container(data: bytes) -> None:
    """Refuse anything that is not a plain, reasonably sized xlsx, before parsing it."""
    max_bytes = limit("IMPORT_MAX_BYTES", MAX_BYTES)
    if len(data) > max_bytes:
        raise FileRefused(
            _("The file is larger than %(size)s.", size=size_text(max_bytes))
            + " "
            + _("Split it into several files.")
        )
    if data.startswith(XLS_MAGIC):
        raise FileRefused(_("This is an old-style .xls file: save it as .xlsx and upload again."))
    if not data.startswith(b"PK\x03\x04"):
        raise FileRefused(_("This is not an Excel workbook (.xlsx)."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(_("This is not an Excel workbook (.xlsx).")) from None
    with archive:
        _check_members(members)
        _check_xml(archive, members)


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRefused(_("This is not an Excel workbook (.xlsx)."))
    if len(members) > MAX_MEMBERS:
        raise FileRefused(_("The workbook has too many parts to be a data sheet."))
    bomb = _("The workbook expands to more data than an import may hold (a zip bomb?).")
    total = 0
    for member in members:
        lowered = member.filename.lower()
        if any(marker in lowered for marker in MACRO_MARKERS):
            raise FileRefused(_macro_message())
        total += member.file_size
        if member.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise FileRefused(bomb)
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_ABOVE and ratio > MAX_RATIO:
            raise FileRefused(bomb)


def _macro_message() -> str:
    return _("The workbook contains macros. Save it as a plain .xlsx workbook without macros.")


def _check_xml(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Stream every XML member looking for a DTD; zipfile's CRC check stops a member whose
    declared size lies."""
    for member in members:
        if not member.filename.endswith((".xml", ".rels", ".vml")):
            continue
        tail = b""
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(64 * 1024):
                    window = tail + chunk
                    if any(marker in window for marker in DTD_MARKERS):
                        raise FileRefused(
                            _(
                                "The workbook contains XML entity declarations, which an import refuses."
                            )
                        )
                    if member.filename == "[Content_Types].xml" and MACRO_CONTENT_TYPE in window:
                        raise FileRefused(_macro_message())
                    tail = chunk[-16:]
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise FileRefused(_("The workbook is damaged and cannot be read.")) from None


def read_sheet(data: bytes, columns: list[Column]) -> Sheet:
    """The checked rows of the first sheet, matched to ``columns`` by their header."""
    check_container(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except FileRefused:
        raise
    except Exception:  # openpyxl raises many kinds; defusedxml's refusals among them
        raise FileRefused(_("The workbook is damaged and cannot be read.")) from None
    try:
        return _rows(workbook.worksheets[0], columns)
    except FileRefused:
        raise
    except Exception:
        raise FileRefused(_("The workbook is damaged and cannot be read.")) from None
    finally:
        workbook.close()


def _rows(worksheet, columns: list[Column]) -> Sheet:
    max_rows = limit("IMPORT_MAX_ROWS", MAX_ROWS)
    stream = worksheet.iter_rows()
    header = next(stream, None)
    positions = _header_positions(header or (), columns)
    rows = []
    # Read-only mode yields an empty tuple for each missing row, so counting gives row numbers.
    for number, cells in enumerate(stream, start=2):
        values = {}
        for key, position in positions.items():
            cell = cells[position] if position < len(cells) else None
            if cell is None or cell.value is None:
                continue
            if cell.data_type == "f":
                raise FileRefused(
                    _(
                        "Cell %(cell)s holds a formula. Paste values only (Paste special → Values) and upload again.",
                        cell=cell.coordinate,
                    )
                )
            values[key] = cell.value
        if not any(_filled(value) for value in values.values()):
            continue
        if len(rows) >= max_rows:
            raise FileRefused(
                _(
                    "The file has more than %(n)s rows. Split it into several files.",
                    n=f"{max_rows:,}",
                )
            )
        rows.append((number, values))
    return Sheet(columns, rows)


def _filled(value) -> bool:
    return not (isinstance(value, str) and not value.strip())


def _header_positions(header, columns: list[Column]) -> dict[str, int]:
    """Column key → position, matching a header in either language, with or without *."""
    names = {}
    for column in columns:
        if column.export_only:
            continue
        for name in {normalize(column.key), *in_every_language(column.label)}:
            names[name] = column.key
    positions = {}
    for position, cell in enumerate(header):
        key = names.get(normalize(cell.value)) if cell.value is not None else None
        if key and key not in positions:
            positions[key] = position
    missing = [c for c in columns if c.required and not c.export_only and c.key not in positions]
    if missing:
        raise FileRefused(
            _(
                "The first row must hold the template's column headers; missing: %(names)s. Download the template and copy your rows into it.",
                names=", ".join(str(c.label) for c in missing),
            )
        )
    return positions
