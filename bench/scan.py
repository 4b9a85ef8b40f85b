"""Benchmark: scan-page throughput with scan recording off, queued (the default) and inline,
in the same run, through the in-process test client.

Loads one published batch with 10,000 bound codes into a temporary SQLite file (and, if
``SUYUAN_BENCH_PG_URL`` names a scratch PostgreSQL database, there too: its tables are
dropped and recreated). Each mode resolves the same random codes as JSON from a few hundred
"devices"; the modes take turns in several rounds so that machine load hits them alike.

    .venv/bin/python bench/scan.py [--requests 1500] [--rounds 3]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from suyuan import create_app  # noqa: E402
from suyuan.extensions import db  # noqa: E402
from suyuan.identity import code_key  # noqa: E402
from suyuan.models import ScanEvent  # noqa: E402
from suyuan.services.scans import scan_queue  # noqa: E402
from tests.factories import make_pool, make_range, make_world  # noqa: E402

MODES = ("off", "queue", "inline")
CODES = 10_000
FIRST = 1_000_000  # after the pools make_world allocates


def build(url: str):
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "bench", "CODE_KEY": "bench", "PASSWORD_HASH_FAST": True,
         "RATELIMIT_ENABLED": False, "SCAN_WRITES": "off"}
    )  # fmt: skip
    with app.app_context():
        db.drop_all()
        db.create_all()
        world = make_world()
        side = world.a
        pool = make_pool(side.enterprise, FIRST, CODES)
        make_range(pool, side.batch, FIRST, FIRST + CODES - 1, side.recorder)
        side.enterprise.is_profile_public = side.product.is_public = side.batch.is_public = True
        db.session.commit()
        codes = [code_key().encode(FIRST + i) for i in range(CODES)]
        db.session.remove()
    return app, codes


def run_mode(app, mode: str, codes: list[str], count: int, seed: int) -> tuple[float, float]:
    """Requests per wall-clock second and per CPU second (this process, the scan writer
    thread included) for ``count`` scans in ``mode``. On a shared, loaded machine the CPU
    figure is the steadier one."""
    app.config["SCAN_WRITES"] = mode
    rng = random.Random(seed)
    clients = []
    for n in range(200):
        client = app.test_client()
        client.environ_base.update({"REMOTE_ADDR": f"10.1.{n // 250}.{n % 250 + 1}"})
        clients.append(client)
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(count):
        response = rng.choice(clients).get(f"/q/{rng.choice(codes)}.json")
        assert response.status_code == 200, response.status_code
    if mode == "queue":
        scan_queue(app).flush()  # the writer's backlog counts too
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return count / elapsed, count / cpu


def run(label: str, url: str, count: int, rounds: int) -> dict:
    app, codes = build(url)
    run_mode(app, "off", codes, 200, 0)  # warm up
    wall = {mode: [] for mode in MODES}
    cpu = {mode: [] for mode in MODES}
    for round_number in range(rounds):
        for mode in MODES:
            per_wall, per_cpu = run_mode(app, mode, codes, count, round_number)
            wall[mode].append(per_wall)
            cpu[mode].append(per_cpu)
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(ScanEvent))
        if db.engine.dialect.name != "sqlite":
            db.session.remove()
            db.drop_all()
        db.engine.dispose()
    print(
        f"{label}: {count:,} JSON scans per mode and round, {rounds} rounds; {stored:,} scan events stored"
    )
    for name, results in (("wall clock", wall), ("CPU time", cpu)):
        medians = {mode: statistics.median(values) for mode, values in results.items()}
        print(f"  {name}:")
        for mode in MODES:
            # The modes of one round ran back to back: a round's ratio cancels most load swings.
            ratios = [m / o for m, o in zip(results[mode], results["off"], strict=True)]
            rounds_text = ", ".join(f"{v:,.0f}" for v in results[mode])
            print(
                f"    {mode:>6}: median {medians[mode]:,.0f} req/s ({rounds_text}); "
                f"median per-round ratio {statistics.median(ratios):.1%} of off"
            )
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{tmp}/bench.db", args.requests, args.rounds)
    pg_url = os.environ.get("SUYUAN_BENCH_PG_URL")
    if pg_url:
        run("PostgreSQL", pg_url, args.requests, args.rounds)


if __name__ == "__main__":
    main()
