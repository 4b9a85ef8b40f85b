"""Benchmark: resolving a code index to its range, the btree form against the naive BETWEEN.

Loads 100,000 ranges spread over 100,000,000 code indices into a temporary SQLite file (and,
if ``SUYUAN_BENCH_PG_URL`` names a scratch PostgreSQL database, there too: its tables are
dropped and recreated), then times ``resolve_code`` and
``WHERE :i BETWEEN start_index AND end_index`` over the same random probes.

    .venv/bin/python bench/resolve.py [--ranges 100000] [--probes 2000]
    SUYUAN_BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/scratch .venv/bin/python bench/resolve.py
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import BigInteger, insert, literal, select, text  # noqa: E402

from suyuan import create_app  # noqa: E402
from suyuan.extensions import db  # noqa: E402
from suyuan.models import Batch, CodePool, CodeRange, Enterprise, Product, User  # noqa: E402
from suyuan.models.codes import LIVE_RANGE_STATUSES  # noqa: E402
from suyuan.services.codes import resolve_code  # noqa: E402

SPACE = 100_000_000
SEED = 20260901


def load(range_count: int) -> None:
    """One enterprise, batch and pool; ``range_count`` ranges with gaps between them."""
    user = User(email="bench@example.com", name="Bench", password_hash="-")  # noqa: S106 - cannot log in
    enterprise = Enterprise(
        name="Bench", credit_code="91620100000000001X", region_code="620100", address="-",
        legal_representative="-", contact_name="-", contact_phone="-",
    )  # fmt: skip
    product = Product(enterprise=enterprise, name="Bench", category="fruit")
    pool = CodePool(enterprise=enterprise, start_index=0, end_index=SPACE - 1)
    db.session.add_all([user, enterprise, product, pool])
    db.session.flush()
    batch = Batch(
        enterprise_id=enterprise.id, product=product, lot_number="B", production_date=date.today()
    )
    db.session.add(batch)
    db.session.flush()
    rng = random.Random(SEED)
    step = SPACE // range_count
    rows = []
    for i in range(range_count):
        start = i * step
        rows.append(
            {
                "enterprise_id": enterprise.id, "pool_id": pool.id, "batch_id": batch.id,
                "start_index": start, "end_index": start + rng.randrange(step // 2, step) - 1,
                "status": "bound", "created_by_id": user.id, "reason": "",
            }
        )  # fmt: skip
    db.session.execute(insert(CodeRange), rows)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE code_ranges"))  # as autovacuum would after a load
        db.session.commit()


def naive(index: int):
    return db.session.scalar(
        select(CodeRange).where(
            CodeRange.status.in_(LIVE_RANGE_STATUSES),
            literal(index, BigInteger).between(CodeRange.start_index, CodeRange.end_index),
        )
    )


def single_in_query(index: int):
    """The btree form with one ``status IN (...)``: what resolve_code looked like first."""
    found = db.session.scalar(
        select(CodeRange)
        .where(CodeRange.status.in_(LIVE_RANGE_STATUSES), CodeRange.start_index <= index)
        .order_by(CodeRange.start_index.desc())
        .limit(1)
    )
    return found if found is not None and found.end_index >= index else None


def median_us(lookup, probes: list[int]) -> tuple[float, list]:
    timings, answers = [], []
    for index in probes:
        started = time.perf_counter_ns()
        found = lookup(index)
        timings.append(time.perf_counter_ns() - started)
        answers.append(found.id if found else None)
        db.session.expunge_all()  # measure the query, not the identity map
    return statistics.median(timings) / 1000, answers


def run(label: str, url: str, range_count: int, probe_count: int) -> None:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "CODE_KEY": "bench"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        load(range_count)
        loaded = time.perf_counter() - started
        probes = random.Random(SEED + 1).sample(range(SPACE), probe_count)
        for index in probes[:50]:  # warm caches and statement compilation
            resolve_code(index), naive(index)
        fast, fast_answers = median_us(resolve_code, probes)
        slow, slow_answers = median_us(naive, probes)
        single_in, in_answers = median_us(single_in_query, probes)
        assert fast_answers == slow_answers == in_answers, "the queries disagree"
        hits = sum(a is not None for a in fast_answers)
        print(
            f"{label}: {range_count:,} ranges loaded in {loaded:.1f} s; {probe_count:,} probes ({hits:,} hits)"
        )
        print(
            f"  resolve_code (btree, start <= i ORDER BY start DESC LIMIT 1): median {fast:,.1f} µs"
        )
        print(
            f"  naive WHERE i BETWEEN start_index AND end_index:              median {slow:,.1f} µs"
        )
        print(
            f"  btree form with one status IN (...) (sorts):                  median {single_in:,.1f} µs"
        )
        print(
            f"  ratio naive / resolve_code: {slow / fast:,.0f}×; IN form / resolve_code: {single_in / fast:,.0f}×"
        )
        print(f"  load and probes took {time.perf_counter() - started:.0f} s")
        db.session.remove()
        if db.engine.dialect.name != "sqlite":  # the SQLite file goes with its temp folder
            db.drop_all()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ranges", type=int, default=100_000)
    parser.add_argument("--probes", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{tmp}/bench.db", args.ranges, args.probes)
    pg_url = os.environ.get("SUYUAN_BENCH_PG_URL")
    if pg_url:
        run("PostgreSQL", pg_url, args.ranges, args.probes)


if __name__ == "__main__":
    main()
