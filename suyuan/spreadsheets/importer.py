"""All-or-nothing import of one workbook of one kind.

Every row goes through the same service functions the portal's forms call, inside a
savepoint: rows are checked in order, so a row sees the rows before it (a duplicate lot in
the same file is caught like one already in the database). Any error rolls the savepoint
back, so nothing is written, and every error is listed (row, column, value, what is wrong)
in a report to download. Without errors the savepoint is kept and the caller commits once.
The same file (SHA-256) is imported only once per enterprise.
"""

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from suyuan.extensions import db
from suyuan.models import ImportRun
from suyuan.models.base import utcnow
from suyuan.services.errors import Conflict, DomainError
from suyuan.services.files import clean_filename
from suyuan.spreadsheets.columns import LaterErrors, RowErrors
from suyuan.spreadsheets.export import write_xlsx
from suyuan.spreadsheets.reader import FileRefused, read_sheet

PROGRESS_EVERY = 500
REPORT_FOLDER = "import-reports"

ImportProgress = Callable[[int, int], None] | None


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str


def import_workbook(
    enterprise, actor, kind, data: bytes, filename: str, progress: ImportProgress = None
) -> ImportRun:
    """Import ``data`` (an uploaded xlsx) as rows of ``kind``; the caller commits.

    Returns the run: ``imported`` (every row written) or ``refused`` (nothing written; its
    ``message`` or error report says why). A file imported before raises ``Conflict``.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    refuse_repeat(enterprise, sha256)
    run = ImportRun(
        enterprise_id=enterprise.id,
        kind=kind.NAME,
        filename=clean_filename(filename or "import.xlsx"),
        sha256=sha256,
        status="refused",
        created_by_id=actor.id,
    )
    try:
        sheet = read_sheet(data, kind.COLUMNS)
    except FileRefused as refused:
        return _finish(run, message=refused.message)
    run.row_count = len(sheet.rows)
    if not sheet.rows:
        return _finish(run, message=_("The file has no rows to import."))
    errors = _write_rows(enterprise, actor, kind, sheet, progress)
    if errors:
        run.error_count = len(errors)
        run.error_report_path = _save_report(errors)
        return _finish(run)
    run.status = "imported"
    return _finish(run)


def refuse_repeat(enterprise, sha256: str) -> None:
    earlier = db.session.scalar(
        select(ImportRun)
        .where(
            ImportRun.enterprise_id == enterprise.id,
            ImportRun.sha256 == sha256,
            ImportRun.status == "imported",
        )
        .limit(1)
    )
    if earlier is not None:
        raise Conflict(
            _(
                "This file was already imported on %(when)s by %(who)s (“%(name)s”, %(n)s rows); it is not imported twice.",
                when=format_datetime(earlier.created_at, "yyyy-MM-dd HH:mm"),
                who=earlier.created_by.name if earlier.created_by else "—",
                name=earlier.filename,
                n=f"{earlier.row_count:,}",
            ),
            field="file",
        )


def _finish(run: ImportRun, message: str = "") -> ImportRun:
    run.message = message[:500]
    run.finished_at = utcnow()
    try:
        with db.session.begin_nested():
            db.session.add(run)
    except IntegrityError:
        # The same file finished importing in another request a moment ago.
        raise Conflict(_("This file is being imported already."), field="file") from None
    return run


def _write_rows(enterprise, actor, kind, sheet, progress: ImportProgress) -> list[RowError]:
    """Check and write every row inside a savepoint; roll it back if any row is wrong."""
    labels = {column.key: str(column.label) for column in kind.COLUMNS}
    savepoint = db.session.begin_nested()
    errors: list[RowError] = []
    try:
        context = kind.prepare(enterprise, actor)
        total = len(sheet.rows)
        for done, (number, cells) in enumerate(sheet.rows, start=1):
            errors.extend(_write_row(kind, context, number, cells, labels))
            if progress and (done % PROGRESS_EVERY == 0 or done == total):
                progress(done, total)
        if not errors:
            try:
                kind.finish(context)
            except LaterErrors as found:
                errors.extend(
                    RowError(row, labels.get(key, ""), value, message)
                    for row, key, value, message in found.errors
                )
            except DomainError as error:
                errors.append(RowError(0, "", "", error.message))
    except BaseException:
        savepoint.rollback()
        raise
    if errors:
        savepoint.rollback()
    else:
        savepoint.commit()
    return errors


def _write_row(kind, context, number: int, cells: dict, labels: dict) -> list[RowError]:
    def error(column_key: str, message: str) -> RowError:
        value = cells.get(column_key)
        return RowError(
            number, labels.get(column_key, ""), "" if value is None else str(value), message
        )

    if hasattr(context, "row"):
        context.row = number  # a kind that writes later blames the row it came from
    try:
        kind.write(context, kind.parse(context, cells))
    except RowErrors as found:
        return [error(cell.column, cell.message) for cell in found.errors]
    except DomainError as refused:
        column = kind.FIELD_COLUMNS.get(refused.field, refused.field) or ""
        return [error(column if column in labels else "", refused.message)]
    return []


def report_headers() -> list[str]:
    return [_("Row"), _("Column"), _("Value"), _("What is wrong")]


def _save_report(errors: list[RowError]) -> str:
    """The error report as an xlsx under the upload folder; its path relative to it."""
    relative = f"{REPORT_FOLDER}/{uuid.uuid4().hex}.xlsx"
    path = report_path(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = ([e.row or "", e.column, e.value, e.message] for e in errors)
    with write_xlsx(_("Errors"), report_headers(), rows) as workbook:
        path.write_bytes(workbook.read())
    return relative


def report_path(relative: str) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / relative
