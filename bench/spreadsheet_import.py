"""Time and peak memory of a 20,000-row stage-record import (SQLite, or PostgreSQL with
SUYUAN_BENCH_PG_URL set to a scratch database that this script wipes)."""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from suyuan import create_app  # noqa: E402
from suyuan.extensions import db  # noqa: E402
from suyuan.spreadsheets.importer import import_workbook  # noqa: E402
from suyuan.spreadsheets.kinds import get_kind  # noqa: E402
from tests import factories  # noqa: E402
from tests.test_spreadsheet_bulk import stage_record_rows  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--tracemalloc", action="store_true", help="Python heap peak (slower)")
    args = parser.parse_args()
    url = os.environ.get("SUYUAN_BENCH_PG_URL") or "sqlite:////tmp/suyuan-bench-import.db"
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "CODE_KEY": "bench",
            "DATABASE_URL": url,
            "UPLOAD_FOLDER": tempfile.mkdtemp(),
        }
    )
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            db.drop_all()
        db.create_all()
        world = factories.make_world()
        lots = [world.a.batch.lot_number] + [
            factories.make_batch(world.a.product, f"B-{n}").lot_number for n in range(19)
        ]
        db.session.commit()
        data = stage_record_rows(lots, args.rows)
        with app.test_request_context(headers={"Accept-Language": "en"}):
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            if args.tracemalloc:
                tracemalloc.start()
            started = time.perf_counter()
            run = import_workbook(
                world.a.enterprise, world.a.recorder, get_kind("stage_records"), data, "b.xlsx"
            )
            db.session.commit()
            elapsed = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"{db.engine.dialect.name}: {args.rows:,} rows, {len(data) / 1e6:.1f} MB file, "
            f"{run.status}, {elapsed:.1f} s, max RSS {rss_after / 1024:.0f} MB "
            f"(+{(rss_after - rss_before) / 1024:.0f} MB during the import)"
            + (f", Python heap peak {peak / 1e6:.0f} MB" if peak else "")
        )


if __name__ == "__main__":
    main()
