"""Random sequences of bind, release and void never produce overlapping live ranges, and the
service agrees with a simple model about what succeeds and where every code resolves."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import delete, select

from suyuan.extensions import db
from suyuan.models import CodeRange
from suyuan.services.codes import bind_code_range, release_codes, resolve_code, void_codes
from suyuan.services.errors import DomainError
from tests import factories

SPAN = 40  # codes 0..39 of side a's pool (0..999)
codes = st.integers(min_value=0, max_value=SPAN - 1)


def machine_for(world):
    batches = [world.a.batch, factories.make_batch(world.a.product)]
    actor = world.a.recorder
    db.session.commit()

    class CodeRanges(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            db.session.rollback()
            db.session.execute(delete(CodeRange))
            db.session.commit()
            self.live = []  # (start, end, batch index, status)

        def holder(self, batch, first, last):
            return next(
                (
                    r
                    for r in self.live
                    if r[2] == batch and r[3] == "bound" and r[0] <= first and last <= r[1]
                ),
                None,
            )

        @rule(batch=st.sampled_from([0, 1]), a=codes, b=codes)
        def bind(self, batch, a, b):
            first, last = min(a, b), max(a, b)
            free = all(r[1] < first or r[0] > last for r in self.live)
            try:
                bind_code_range(batches[batch], first, last, actor)
                db.session.commit()
                ok = True
            except DomainError:
                db.session.rollback()
                ok = False
            assert ok == free
            if ok:
                self.live.append((first, last, batch, "bound"))

        def end_part(self, action, status, batch, a, b):
            first, last = min(a, b), max(a, b)
            holder = self.holder(batch, first, last)
            try:
                action(batches[batch], first, last, actor, "test")
                db.session.commit()
                ok = True
            except DomainError:
                db.session.rollback()
                ok = False
            assert ok == (holder is not None)
            if ok:
                self.live.remove(holder)
                if holder[0] < first:
                    self.live.append((holder[0], first - 1, batch, "bound"))
                if last < holder[1]:
                    self.live.append((last + 1, holder[1], batch, "bound"))
                if status == "void":
                    self.live.append((first, last, batch, "void"))

        @rule(batch=st.sampled_from([0, 1]), a=codes, b=codes)
        def release(self, batch, a, b):
            self.end_part(release_codes, "released", batch, a, b)

        @rule(batch=st.sampled_from([0, 1]), a=codes, b=codes)
        def void(self, batch, a, b):
            self.end_part(void_codes, "void", batch, a, b)

        @invariant()
        def live_ranges_never_overlap(self):
            rows = db.session.execute(
                select(CodeRange.start_index, CodeRange.end_index)
                .where(CodeRange.status.in_(("bound", "void")))
                .order_by(CodeRange.start_index)
            ).all()
            for earlier, later in zip(rows, rows[1:], strict=False):
                assert earlier.end_index < later.start_index

        @invariant()
        def every_code_resolves_as_the_model_says(self):
            for index in range(SPAN):
                expected = next((r for r in self.live if r[0] <= index <= r[1]), None)
                found = resolve_code(index)
                if expected is None:
                    assert found is None
                else:
                    assert found is not None and found.status == expected[3]
                    assert found.batch_id == batches[expected[2]].id
            db.session.commit()

    return CodeRanges


def test_random_bind_release_void_sequences_keep_ranges_disjoint(world):
    run_state_machine_as_test(
        machine_for(world),
        settings=settings(
            # PostgreSQL round trips cost ~5× SQLite's: fewer sequences there, same steps.
            max_examples=20 if db.engine.dialect.name == "sqlite" else 10,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
