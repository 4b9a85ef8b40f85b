"""Concurrent binding and allocation: whatever the interleaving, live ranges and pools never
overlap. Each thread has its own app context, session and connection; the suite runs once on
SQLite (serialized writers) and once on PostgreSQL (exclusion constraints)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import Batch, CodePool, CodeRange, Enterprise, User
from suyuan.services import codes as code_service
from suyuan.services.codes import allocate_pool, bind_code_range
from suyuan.services.errors import Conflict
from tests import factories

THREADS = 16


def run_together(app, work, count: int = THREADS) -> list:
    """Run ``work(i)`` in ``count`` threads that start at the same moment."""
    barrier = threading.Barrier(count)

    def attempt(i):
        with app.app_context(), force_locale("en"):
            barrier.wait()
            try:
                return work(i)
            except Conflict as error:
                db.session.rollback()
                return error
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(attempt, range(count)))


def test_one_of_sixteen_overlapping_binds_wins(app, world):
    batch_ids = [factories.make_batch(world.a.product).id for _ in range(THREADS)]
    recorder_id = world.a.recorder.id
    db.session.commit()
    db.session.close()  # hold no connection or lock while the threads race

    def bind(i):
        batch = db.session.get(Batch, batch_ids[i])
        recorder = db.session.get(User, recorder_id)
        bound = bind_code_range(batch, 100 + i, 200 + i, recorder)
        db.session.commit()
        return bound.batch_id

    results = run_together(app, bind)
    winners = [r for r in results if not isinstance(r, Conflict)]
    assert len(winners) == 1
    assert all(isinstance(r, Conflict) for r in results if r not in winners)
    live = db.session.scalars(select(CodeRange).where(CodeRange.status != "released")).all()
    assert [r.batch_id for r in live] == winners


def test_concurrent_allocations_never_overlap(app, world):
    enterprise_ids = [world.a.enterprise.id, world.b.enterprise.id]
    db.session.commit()
    db.session.close()

    def allocate(i):
        pool = allocate_pool(db.session.get(Enterprise, enterprise_ids[i % 2]), 1000 + i)
        db.session.commit()
        return pool.id

    results = run_together(app, allocate, 8)
    assert not any(isinstance(r, Conflict) for r in results)
    pools = db.session.scalars(select(CodePool).order_by(CodePool.start_index)).all()
    assert len(pools) == 10
    for before, after in zip(pools, pools[1:], strict=False):
        assert after.start_index == before.end_index + 1


def test_database_rejects_an_overlap_the_check_missed(world, monkeypatch):
    """The exclusion constraint is the safety net when two checks ran before either insert."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite relies on serialized writers, not on a constraint")
    monkeypatch.setattr(code_service, "live_overlaps", lambda first, last: [])
    factories.make_range(world.a.pool, world.a.batch, 10, 19, world.a.recorder)
    other = factories.make_batch(world.a.product)
    with force_locale("en"), pytest.raises(Conflict, match="a moment ago"):
        bind_code_range(other, 15, 30, world.a.recorder)
    assert db.session.scalar(select(CodeRange.end_index)) == 19  # the outer work survives
