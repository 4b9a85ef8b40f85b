"""Benchmark: the mock recall drill — forward and backward trace of one lot plus the xlsx
export — across a distribution tree, and the same with unrelated traffic on file.

One producer sells a lot to ``--distributors`` distributors, each of which sells to
``--retailers`` retailers; every sale is confirmed by the buyer (two documents per hop).
``--noise`` other lots move between the same enterprises, so the trace must find its lot
among many lines. Runs on a temporary SQLite file.

    .venv/bin/python bench/trace_drill.py [--distributors 20] [--retailers 25] [--noise 2000]
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from suyuan import create_app  # noqa: E402
from suyuan.extensions import db  # noqa: E402
from suyuan.models import (  # noqa: E402
    Batch,
    Counterparty,
    Enterprise,
    Product,
    Transaction,
    TransactionLine,
    User,
)
from suyuan.services.drills import run_drill  # noqa: E402
from suyuan.validators import credit_check_char  # noqa: E402


def code(n: int) -> str:
    body = f"91620100{n:09d}"
    return body + credit_check_char(body)


def enterprise(n: int) -> Enterprise:
    return Enterprise(
        name=f"E{n}", credit_code=code(n), region_code="620100", address="-",
        legal_representative="-", contact_name="-", contact_phone="-",
    )  # fmt: skip


class Loader:
    """Writes documents in bulk (the services' checks are not what is measured)."""

    def __init__(self):
        self.next_id = 1
        self.txns, self.lines, self.parties = [], [], {}

    def party(self, owner: Enterprise, other: Enterprise) -> int:
        key = (owner.id, other.id)
        if key not in self.parties:
            row = Counterparty(enterprise_id=owner.id, name=other.name, credit_code=other.credit_code,
                               region_code="620100", linked_enterprise_id=other.id)  # fmt: skip
            db.session.add(row)
            db.session.flush()
            self.parties[key] = row.id
        return self.parties[key]

    def doc(self, owner, other, kind, batch, quantity, **extra) -> int:
        txn_id = self.next_id
        self.next_id += 1
        self.txns.append({
            "id": txn_id, "enterprise_id": owner.id, "number": f"N{txn_id}", "kind": kind,
            "moved_on": date(2026, 10, 1), "status": "submitted", "version": 1,
            "origin_id": txn_id, "counterparty_id": self.party(owner, other) if other else None,
            "partner_enterprise_id": other.id if other else None, **extra,
        })  # fmt: skip
        self.lines.append({"transaction_id": txn_id, "position": 1, "product_id": batch.product_id,
                           "batch_id": batch.id, "quantity": quantity, "unit": "box"})  # fmt: skip
        return txn_id

    def sale(self, seller, buyer, batch, quantity) -> None:
        origin = self.doc(seller, buyer, "sales_out", batch, quantity)
        self.doc(buyer, seller, "purchase_in", batch, quantity, counterpart_of_id=origin)

    def flush(self) -> None:
        db.session.execute(insert(Transaction), self.txns)
        db.session.execute(insert(TransactionLine), self.lines)


def load(distributors: int, retailers: int, noise: int) -> Batch:
    people = [enterprise(i) for i in range(1 + distributors + distributors * retailers)]
    db.session.add_all(people)
    db.session.flush()
    producer, rest = people[0], people[1:]
    product = Product(enterprise_id=producer.id, name="Apple", category="fruit")
    db.session.add(product)
    db.session.flush()
    lots = [Batch(enterprise_id=producer.id, product_id=product.id, lot_number=f"L{i}",
                  production_date=date(2026, 9, 1)) for i in range(noise + 1)]  # fmt: skip
    db.session.add_all(lots)
    db.session.flush()
    loader = Loader()
    for lot in lots:
        loader.doc(producer, None, "finished_in", lot, 100_000)
    for d in range(distributors):
        distributor = rest[d]
        for lot in [lots[0], *lots[1 + d :: distributors][:100]]:
            loader.sale(producer, distributor, lot, 1000)
            for r in range(retailers):
                loader.sale(distributor, rest[distributors + d * retailers + r], lot, 10)
    loader.flush()
    db.session.commit()
    return lots[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--distributors", type=int, default=20)
    parser.add_argument("--retailers", type=int, default=25)
    parser.add_argument("--noise", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "b",
                          "CODE_KEY": "b", "UPLOAD_FOLDER": tmp})  # fmt: skip
        with app.app_context(), app.test_request_context():
            db.create_all()
            started = time.perf_counter()
            lot = load(args.distributors, args.retailers, args.noise)
            lines = db.session.query(TransactionLine).count()
            print(f"loaded {lines:,} lines in {time.perf_counter() - started:.1f} s")
            actor = User(email="b@example.com", name="b", password_hash="-")  # noqa: S106
            db.session.add(actor)
            times = []
            for _ in range(args.runs):
                drill, trace, book = run_drill(lot, actor)
                times.append(drill.duration_ms)
            print(f"drill: {len(trace.forward)} forward movements, {drill.enterprise_count} "
                  f"receivers, {len(book):,} bytes xlsx; median {statistics.median(times)} ms, "
                  f"min {min(times)} ms over {args.runs} runs")  # fmt: skip
            db.session.rollback()
            db.engine.dispose()


if __name__ == "__main__":
    main()
