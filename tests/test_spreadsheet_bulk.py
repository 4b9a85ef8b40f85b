"""A 20,000-row stage-record import within CI time (one query per 1,000 inserted rows, no
query per row for lookups). ``bench/spreadsheet_import.py`` measures time and memory."""

import io
import time
from datetime import datetime, timedelta

from openpyxl import Workbook
from sqlalchemy import func, select

from suyuan.extensions import db
from suyuan.models import ImportRun, StageRecord
from suyuan.spreadsheets.importer import import_workbook
from suyuan.spreadsheets.kinds import get_kind
from suyuan.spreadsheets.templates import header_text
from tests import factories
from tests.test_spreadsheet_import import EN

ROWS = 20_000
SECONDS = 30


def stage_record_rows(lots: list[str], rows: int) -> bytes:
    """A workbook with the stage-record headers and ``rows`` rows spread over ``lots`` (with a
    ``<dimension>`` like Excel writes; openpyxl's write-only mode leaves it out)."""
    kind = get_kind("stage_records")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([header_text(column) for column in kind.COLUMNS])
    start = datetime(2026, 3, 1, 8, 0)
    stages = ("Fertilizing", "irrigation", "Pest control", "Storage")
    for n in range(rows):
        when = start + timedelta(minutes=n)
        sheet.append(
            [
                None,
                None,
                lots[n % len(lots)],
                stages[n % 4],
                f"Record {n}",
                when,
                "Asia/Shanghai",
                f"Row {n % 40}",
                "Team 2",
                "Routine work",
                "Submit" if n % 2 else None,
            ]
        )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_twenty_thousand_stage_records_import_in_time(app, world):
    lots = [world.a.batch.lot_number] + [
        factories.make_batch(world.a.product, f"BULK-{n:02d}").lot_number for n in range(19)
    ]
    db.session.commit()
    data = stage_record_rows(lots, ROWS)
    progress = []
    with app.test_request_context(headers=EN):
        started = time.perf_counter()
        run = import_workbook(
            world.a.enterprise,
            world.a.recorder,
            get_kind("stage_records"),
            data,
            "bulk.xlsx",
            progress=lambda done, total: progress.append((done, total)),
        )
        db.session.commit()
        elapsed = time.perf_counter() - started
    assert (run.status, run.row_count, run.error_count) == ("imported", ROWS, 0), run.message
    assert elapsed < SECONDS, f"{elapsed:.1f} s"
    assert progress[-1] == (ROWS, ROWS) and len(progress) == ROWS // 500
    assert db.session.scalar(select(func.count(StageRecord.id))) == ROWS
    submitted = select(func.count(StageRecord.id)).where(StageRecord.status == "submitted")
    assert db.session.scalar(submitted) == ROWS // 2
    assert db.session.scalar(select(func.count(ImportRun.id))) == 1
