"""Writing any list as xlsx or CSV, streaming, with cells that cannot run as formulas.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula
to Excel and LibreOffice (CSV injection, OWASP). In CSV such a cell is prefixed with ``'``.
In xlsx it is stored as a string cell with Excel's quote prefix (shown and kept as text when
edited), so the value itself is unchanged and imports back exactly.
"""

import csv
import io
import tempfile
from collections.abc import Callable, Iterable
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_EXPORT_ROWS = 100_000
PROGRESS_EVERY = 1000
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

Progress = Callable[[int], None] | None


class TooManyRows(Exception):
    """The list is longer than an export made during a request may be."""


def csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def xlsx_cell(sheet, value, number_format: str | None = None, bold: bool = False):
    """A write-only cell; strings are always strings (never formulas)."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif isinstance(value, datetime):
        cell.number_format = number_format or DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = number_format or DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def counted(rows: Iterable, progress: Progress, limit: int = MAX_EXPORT_ROWS):
    """``rows`` passed through, reporting progress and stopping past ``limit``; a generator
    given as ``rows`` is closed at once when stopped (its database cursor with it)."""
    try:
        for done, row in enumerate(rows, start=1):
            if done > limit:
                raise TooManyRows(limit)
            if progress and done % PROGRESS_EVERY == 0:
                progress(done)
            yield row
    finally:
        if hasattr(rows, "close"):
            rows.close()


def write_csv(headers: list[str], rows: Iterable[list], progress: Progress = None):
    """CSV text in chunks (UTF-8 with a BOM so that Excel reads Chinese right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([csv_text(h) for h in headers])
    for done, row in enumerate(counted(rows, progress), start=1):
        writer.writerow([csv_text(value) for value in row])
        if done % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(
    title: str, headers: list[str], rows: Iterable[list], progress: Progress = None
) -> tempfile.SpooledTemporaryFile:
    """A one-sheet workbook (write-only: rows go to disk as they come), rewound."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    sheet.freeze_panes = "A2"
    for position, header in enumerate(headers):
        sheet.column_dimensions[column_letter(position)].width = max(12, len(header) + 4)
    sheet.append([xlsx_cell(sheet, h, bold=True) for h in headers])
    for row in counted(rows, progress):
        sheet.append([xlsx_cell(sheet, value) for value in row])
    return saved(workbook)


def saved(workbook) -> tempfile.SpooledTemporaryFile:
    # Handed to the response, which closes it.
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output


def sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of ``[]:*?/\\`` in a sheet name."""
    cleaned = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")
    return cleaned[:31] or "Sheet"


def column_letter(position: int) -> str:
    """The letter of the 0-based column ``position`` (0 → A)."""
    return get_column_letter(position + 1)


def csv_file(headers: list[str], rows: Iterable[list], progress: Progress = None):
    """``write_csv`` into a temporary file (on disk past 8 MB), rewound, as UTF-8 bytes."""
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    try:
        for chunk in write_csv(headers, rows, progress):
            output.write(chunk.encode("utf-8"))
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output
