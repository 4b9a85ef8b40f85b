"""Concurrent sales of the same stock: whatever the interleaving, stock never goes below
zero (SQLite serializes writers; PostgreSQL locks the batch rows before the check)."""

from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import Batch, Counterparty, Enterprise, Transaction, User
from suyuan.services.errors import Conflict
from suyuan.services.stock import stock_of
from tests.factories_flow import counterparty_of, document, make_chain
from tests.test_bind_concurrency import run_together


def test_eight_sales_of_ten_from_forty_leave_zero(app, ctx):
    chain = make_chain()
    ids = {
        "producer": chain.producer.id,
        "user": chain.users[chain.producer].id,
        "batch": chain.batch.id,
        "customer": counterparty_of(chain.producer, chain.distributor).id,
    }
    db.session.commit()
    db.session.close()

    def sell(i):
        txn = document(
            db.session.get(Enterprise, ids["producer"]), db.session.get(User, ids["user"]),
            "sales_out", f"RACE-{i}", [(db.session.get(Batch, ids["batch"]), 10, "box")],
            db.session.get(Counterparty, ids["customer"]),
        )  # fmt: skip
        db.session.commit()
        return txn.number

    results = run_together(app, sell, 8)
    winners = [r for r in results if not isinstance(r, Conflict)]
    assert len(winners) == 4
    assert all("Not enough stock" in r.message for r in results if isinstance(r, Conflict))
    key = (ids["batch"], "box")
    assert stock_of(ids["producer"], {key})[key] == 0
    sold = db.session.scalars(
        select(Transaction.number).where(Transaction.enterprise_id == ids["producer"],
                                         Transaction.number.like("RACE-%"))
    )  # fmt: skip
    assert sorted(sold) == sorted(winners)
