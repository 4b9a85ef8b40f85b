"""Benchmark: ``active_recall`` — the per-scan recall lookup — with many recalls on file.

Loads ``--batches`` batches with one recall each (every other one a code range of 1,000
codes, the rest whole batches) into a temporary SQLite file (and, if ``SUYUAN_BENCH_PG_URL``
names a scratch PostgreSQL database, there too: its tables are dropped and recreated), then
times ``active_recall`` over random probes: hits, misses outside a range, and unrecalled
batches.

    .venv/bin/python bench/active_recall.py [--batches 20000] [--probes 2000]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402

from suyuan import create_app  # noqa: E402
from suyuan.extensions import db  # noqa: E402
from suyuan.models import Batch, Enterprise, Product, Recall, RecallTarget, User  # noqa: E402
from suyuan.services.recalls import active_recall  # noqa: E402

SEED = 20261122


def load(batch_count: int) -> None:
    user = User(email="bench@example.com", name="Bench", password_hash="-")  # noqa: S106 - cannot log in
    enterprise = Enterprise(
        name="Bench", credit_code="91620100000000001X", region_code="620100", address="-",
        legal_representative="-", contact_name="-", contact_phone="-",
    )  # fmt: skip
    db.session.add_all([user, enterprise])
    db.session.flush()
    product = Product(enterprise=enterprise, name="Bench product", category="fruit")
    db.session.add(product)
    db.session.flush()
    db.session.execute(
        insert(Batch),
        [
            {"enterprise_id": enterprise.id, "product_id": product.id, "lot_number": f"L{i}",
             "production_date": date(2026, 1, 1)}
            for i in range(batch_count)
        ],
    )  # fmt: skip
    now = datetime.now(UTC)
    db.session.execute(
        insert(Recall),
        [
            {"enterprise_id": enterprise.id, "product_id": product.id, "origin": "enterprise",
             "severity": "II", "state": "declared", "reason": "-", "consumer_advice": "-",
             "declared_by_id": user.id, "declared_at": now}
            for _ in range(batch_count // 2)
        ],
    )  # fmt: skip
    # Recalls cover the even batches: even recall ids a code range, odd ones the whole batch.
    db.session.execute(
        insert(RecallTarget),
        [
            {"recall_id": r + 1, "batch_id": 2 * r + 1,
             "first_index": (2 * r) * 10_000 + 1_000 if r % 2 == 0 else None,
             "last_index": (2 * r) * 10_000 + 1_999 if r % 2 == 0 else None}
            for r in range(batch_count // 2)
        ],
    )  # fmt: skip
    db.session.commit()


def probes(batch_count: int, count: int) -> list[tuple[int, int]]:
    rng = random.Random(SEED)
    out = []
    for _ in range(count):
        batch_index = rng.randrange(batch_count)
        out.append((batch_index + 1, batch_index * 10_000 + rng.randrange(3_000)))
    return out


def timed(points) -> tuple[float, float, int]:
    """Medians (µs) of hits and misses; the identity map is emptied between probes."""
    hit_times, miss_times = [], []
    for batch_id, index in points:
        db.session.expunge_all()
        start = time.perf_counter()
        found = active_recall(batch_id, index)
        (hit_times if found is not None else miss_times).append(time.perf_counter() - start)
    return (
        statistics.median(hit_times) * 1e6,
        statistics.median(miss_times) * 1e6,
        len(hit_times),
    )


def run(url: str, batch_count: int, probe_count: int) -> None:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "b", "CODE_KEY": "b", "TESTING": True})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.create_all()
        load(batch_count)
        hit, miss, hits = timed(probes(batch_count, probe_count))
        print(f"{db.engine.dialect.name}: {batch_count:,} batches, {batch_count // 2:,} recalls; "
              f"active_recall median: hit {hit:.0f} µs ({hits:,}), miss {miss:.0f} µs "
              f"({probe_count - hits:,})")  # fmt: skip
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=20_000)
    parser.add_argument("--probes", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{folder}/bench.db", args.batches, args.probes)
    if os.environ.get("SUYUAN_BENCH_PG_URL"):
        run(os.environ["SUYUAN_BENCH_PG_URL"], args.batches, args.probes)


if __name__ == "__main__":
    main()
