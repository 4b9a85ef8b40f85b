"""The goods flow through services: the three-enterprise chain, matching, stock, traces."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale

from suyuan.extensions import db
from suyuan.services.errors import Conflict, DomainError, NotAllowed
from suyuan.services.flow import correct_transaction, dispute_counterpart, submit_transaction
from suyuan.services.matching import current_counterpart, mismatches
from suyuan.services.stock import stock_of, stock_rows
from suyuan.services.tracing import (
    downstream_enterprises,
    movements_rows,
    trace_backward,
    trace_forward,
)
from tests.factories import make_batch, make_product
from tests.factories_flow import confirm, counterparty_of, document, make_chain, make_counterparty


@pytest.fixture
def chain(ctx):
    return make_chain()


def stock(enterprise, batch, unit="box"):
    return stock_of(enterprise.id, {(batch.id, unit)})[(batch.id, unit)]


def test_stock_follows_submitted_documents(chain):
    assert stock(chain.producer, chain.batch) == 40
    assert stock(chain.distributor, chain.batch) == 15
    assert stock(chain.retailer_gs, chain.batch) == 20
    assert stock(chain.retailer_zj, chain.batch) == 25
    assert stock(chain.producer, chain.material, "piece") == 200
    rows = {(r.batch.lot_number, r.unit): r.quantity for r in stock_rows(chain.distributor)}
    assert rows == {("RF-2026-01", "box"): 15}


def test_sales_outbound_creates_prefilled_pending_purchase_inbound(chain):
    retailer = chain.retailer_gs
    to_retailer = counterparty_of(chain.distributor, retailer)
    assert to_retailer.linked_enterprise_id == retailer.id
    sale = document(
        chain.distributor, chain.users[chain.distributor], "sales_out", "D-OUT-9",
        [(chain.batch, 3, "box")], to_retailer,
    )  # fmt: skip
    pending = current_counterpart(sale.origin_id)
    assert pending.enterprise_id == retailer.id
    assert pending.kind == "purchase_in" and pending.status == "pending"
    assert pending.number == "D-OUT-9"
    assert pending.counterparty.linked_enterprise_id == chain.distributor.id
    assert [(line.batch_id, line.quantity, line.unit) for line in pending.lines] == [
        (chain.batch.id, Decimal(3), "box")
    ]
    # Pending moves no stock on the receiving side; the seller's stock went down at once.
    assert stock(retailer, chain.batch) == 20
    assert stock(chain.distributor, chain.batch) == 12
    submit_transaction(pending, chain.users[retailer])
    assert stock(retailer, chain.batch) == 23


def test_matched_counterparts_of_the_chain(chain):
    confirmed = chain.docs["P-OUT-1@confirm"]
    assert confirmed.enterprise_id == chain.distributor.id
    assert confirmed.kind == "purchase_in" and confirmed.status == "submitted"
    assert confirmed.lines[0].batch.enterprise_id == chain.producer.id
    sales_return = chain.docs["R2-RET-1@confirm"]
    assert sales_return.kind == "sales_return"
    assert sales_return.enterprise_id == chain.distributor.id
    assert sales_return.partner_enterprise_id == chain.retailer_zj.id
    assert mismatches() == []


def test_negative_stock_is_refused_with_the_figures(chain):
    customer = counterparty_of(chain.distributor, chain.retailer_gs)
    with force_locale("en"), pytest.raises(Conflict) as refused:
        document(
            chain.distributor, chain.users[chain.distributor], "sales_out", "D-OUT-X",
            [(chain.batch, 16, "box")], customer,
        )  # fmt: skip
    message = refused.value.message
    assert "Red Fuji apple" in message and "RF-2026-01" in message
    assert "15 box available" in message and "16 box" in message
    db.session.rollback()
    assert stock(chain.distributor, chain.batch) == 15


def test_correction_is_a_new_version_and_refreshes_a_pending_counterpart(chain):
    customer = counterparty_of(chain.distributor, chain.retailer_gs)
    user = chain.users[chain.distributor]
    sale = document(
        chain.distributor, user, "sales_out", "D-OUT-7", [(chain.batch, 4, "box")], customer
    )
    values = {"kind": "sales_out", "number": "D-OUT-7", "moved_on": date(2026, 10, 20),
              "counterparty": customer}  # fmt: skip
    with pytest.raises(DomainError):
        correct_transaction(sale, user, values, [{"batch": chain.batch, "quantity": 6,
                                                  "unit": "box"}], "")  # fmt: skip
    fixed = correct_transaction(
        sale, user, values, [{"batch": chain.batch, "quantity": 6, "unit": "box"}], "Miscounted"
    )
    assert (fixed.version, fixed.origin_id, sale.status) == (2, sale.origin_id, "superseded")
    assert stock(chain.distributor, chain.batch) == 9
    pending = current_counterpart(sale.origin_id)
    assert pending.lines[0].quantity == 6 and pending.moved_on == date(2026, 10, 20)
    with pytest.raises(NotAllowed):
        correct_transaction(sale, user, values, [], "again")


def test_mismatches_quantity_dispute_and_overdue(chain, app):
    user = chain.users[chain.distributor]
    customer = counterparty_of(chain.distributor, chain.retailer_gs)
    disputed = document(chain.distributor, user, "sales_out", "D-D", [(chain.batch, 1, "box")],
                        customer)  # fmt: skip
    dispute_counterpart(
        current_counterpart(disputed.origin_id), chain.users[chain.retailer_gs], "Never arrived"
    )
    late = document(chain.distributor, user, "sales_out", "D-L", [(chain.batch, 1, "box")],
                    customer)  # fmt: skip
    late.submitted_at = datetime.now(UTC) - timedelta(days=8)
    short = document(chain.distributor, user, "sales_out", "D-Q", [(chain.batch, 2, "box")],
                     customer)  # fmt: skip
    received = confirm(short, chain.users[chain.retailer_gs])
    correct_transaction(
        received, chain.users[chain.retailer_gs],
        {"kind": "purchase_in", "number": received.number, "moved_on": received.moved_on,
         "counterparty": received.counterparty},
        [{"batch": chain.batch, "quantity": 1, "unit": "box"}], "One box broken",
    )  # fmt: skip
    found = {m.source.number: m.reasons for m in mismatches(enterprise_id=chain.retailer_gs.id)}
    assert found == {"D-D": ["disputed"], "D-L": ["overdue"], "D-Q": ["quantity"]}
    assert mismatches(enterprise_id=chain.retailer_zj.id) == []
    assert {m.source.number for m in mismatches(region="330000")} == set()
    assert len(mismatches(region="620000")) == 3
    app.config["MATCH_OVERDUE_DAYS"] = 9
    try:
        assert "D-L" not in {m.source.number for m in mismatches()}
    finally:
        del app.config["MATCH_OVERDUE_DAYS"]


def test_trace_forward_reaches_every_receiver(chain):
    movements = trace_forward([chain.batch.id])
    numbers = [m.document_number for m in movements]
    assert numbers[0] == "P-IN-1"
    assert set(numbers) == {"P-IN-1", "P-OUT-1", "D-OUT-1", "D-OUT-2", "R2-RET-1"}
    assert numbers.count("P-OUT-1") == 2  # the sale and the confirmed receipt
    sale = next(m for m in movements if m.kind == "sales_out" and m.document_number == "D-OUT-2")
    assert (sale.from_enterprise, sale.to_enterprise) == ("Gansu Fruit Distribution",
                                                          "Hangzhou Fresh")  # fmt: skip
    assert sale.quantity == 30 and sale.lot == "RF-2026-01" and sale.date == date(2026, 10, 9)
    names = {e.name for e in downstream_enterprises([chain.batch.id])}
    assert names == {"Gansu Fruit Distribution", "Lanzhou Market", "Hangzhou Fresh"}


def test_trace_backward_finds_origin_and_inputs(chain):
    movements = trace_backward([chain.batch.id])
    found = {(m.document_number, m.kind, m.lot) for m in movements}
    assert found == {
        ("P-IN-1", "finished_in", "RF-2026-01"),
        ("S-OUT-1", "purchase_in", "CT-01"),
        ("S-IN-1", "finished_in", "CT-01"),
    }
    receipt = next(m for m in movements if m.kind == "purchase_in")
    assert receipt.from_enterprise == "Tianshui Cartons" and receipt.quantity == 200


def test_traces_end_on_cycles(chain):
    """The retailer returned goods upstream; a lot that circulates must still end."""
    producer_user = chain.users[chain.producer]
    other = make_batch(
        make_product(chain.producer, "Loop"), "LOOP", production_date=date(2026, 9, 1)
    )
    document(chain.producer, producer_user, "finished_in", "L-IN", [(other, 5, "box")])
    # The producer buys its own lot back from the supplier: inputs point at each other.
    back = counterparty_of(chain.supplier, chain.producer)
    back.role = "both"
    document(chain.supplier, chain.users[chain.supplier], "purchase_in", "S-BUY",
             [(other, 1, "box")], back, submit=True, on=date(2026, 8, 5))  # fmt: skip
    assert trace_backward([chain.batch.id, other.id])
    assert trace_forward([other.id])


def test_export_rows(chain):
    rows = movements_rows(trace_forward([chain.batch.id]))
    first = rows[0]
    assert first == {
        "recorded_by": "Lanzhou Orchard",
        "document_number": "P-IN-1",
        "kind": "finished_in",
        "date": date(2026, 10, 2),
        "product": "Red Fuji apple",
        "lot": "RF-2026-01",
        "quantity": 100,
        "unit": "box",
        "from_enterprise": "Lanzhou Orchard",
        "from_credit_code": chain.producer.credit_code,
        "to_enterprise": "Lanzhou Orchard",
        "to_credit_code": chain.producer.credit_code,
    }
    receipt = next(
        r for r in rows if r["kind"] == "purchase_in" and r["document_number"] == "D-OUT-2"
    )
    assert receipt["recorded_by"] == "Hangzhou Fresh"


def test_finished_goods_inbound_takes_own_batches_only(chain):
    with pytest.raises(DomainError):
        document(chain.distributor, chain.users[chain.distributor], "finished_in", "X",
                 [(chain.batch, 1, "box")])  # fmt: skip


def test_decimal_quantities_and_bad_input(chain):
    user = chain.users[chain.producer]
    doc = document(chain.producer, user, "finished_in", "P-KG", [(chain.batch, "12.5", "kg")])
    assert stock(chain.producer, chain.batch, "kg") == Decimal("12.5")
    for bad in ("0", "-1", "abc", "1.0001", "NaN"):
        with pytest.raises(DomainError):
            document(chain.producer, user, "finished_in", f"P-{bad}", [(chain.batch, bad, "kg")])
    with pytest.raises(Conflict):
        document(chain.producer, user, "finished_in", "P-KG", [(chain.batch, 1, "kg")])
    assert doc.status == "submitted"


def test_a_receipt_nobody_shipped_is_unmatched(chain):
    supplier = counterparty_of(chain.retailer_gs, chain.distributor)
    receipt = document(chain.retailer_gs, chain.users[chain.retailer_gs], "purchase_in", "R1-X",
                       [(chain.batch, 2, "box")], supplier)  # fmt: skip
    found = mismatches(enterprise_id=chain.distributor.id)
    assert [(m.source.id, m.counterpart, m.reasons) for m in found] == [
        (receipt.id, None, ["unmatched"])
    ]
    assert mismatches(region="330000") == []
    assert mismatches(region="620000", reason="quantity") == []


def test_correction_to_another_customer_moves_the_unconfirmed_counterpart(chain):
    user = chain.users[chain.distributor]
    sale = document(chain.distributor, user, "sales_out", "D-MOVE", [(chain.batch, 1, "box")],
                    counterparty_of(chain.distributor, chain.retailer_gs))  # fmt: skip
    assert current_counterpart(sale.origin_id).enterprise_id == chain.retailer_gs.id
    rows = [{"batch": chain.batch, "quantity": 1, "unit": "box"}]
    values = {"kind": "sales_out", "number": "D-MOVE", "moved_on": date(2026, 10, 20)}
    moved = correct_transaction(
        sale, user, {**values, "counterparty": counterparty_of(chain.distributor, chain.retailer_zj)},
        rows, "Wrong customer",
    )  # fmt: skip
    pending = current_counterpart(sale.origin_id)
    assert pending.enterprise_id == chain.retailer_zj.id and pending.status == "pending"
    outside = make_counterparty(chain.distributor, None, role="customer", name="Street stall")
    correct_transaction(moved, user, {**values, "counterparty": outside}, rows, "Sold at the stall")
    assert current_counterpart(sale.origin_id) is None


def test_line_code_range_must_lie_in_a_bound_range_of_the_batch(chain, app):
    from suyuan.identity import code_key
    from tests.factories import make_pool, make_range

    user = chain.users[chain.producer]
    pool = make_pool(chain.producer, 7000, 100)
    make_range(pool, chain.batch, 7000, 7049, user)
    make_range(pool, chain.material, 7050, 7099, user)
    key = code_key()

    def line(first, last):
        return [{"batch": chain.batch, "quantity": 1, "unit": "box",
                 "first_code": key.encode(first), "last_code": key.encode(last)}]  # fmt: skip

    values = {"kind": "finished_in", "number": "P-CODES", "moved_on": date(2026, 10, 3)}
    from suyuan.services.flow import create_transaction

    doc = create_transaction(chain.producer, user, values, line(7000, 7049))
    assert (doc.lines[0].first_index, doc.lines[0].last_index) == (7000, 7049)
    for first, last in ((6999, 7010), (7040, 7050), (7060, 7070), (7020, 7010)):
        with force_locale("en"), pytest.raises(DomainError) as refused:
            create_transaction(chain.producer, user, {**values, "number": f"X{first}"},
                               line(first, last))  # fmt: skip
        assert refused.value.message.startswith("Line 1:")


def test_three_enterprise_chain_end_to_end(chain):
    """Done-when: producer (Gansu) → distributor → two retailers (one in Zhejiang): traces,
    matched counterparts, stock figures and export rows, in one place."""
    lot = chain.batch.id
    forward = trace_forward([lot])
    hops = {
        (m.from_enterprise, m.to_enterprise, m.quantity) for m in forward if m.kind == "sales_out"
    }
    assert hops == {
        ("Lanzhou Orchard", "Gansu Fruit Distribution", 60),
        ("Gansu Fruit Distribution", "Lanzhou Market", 20),
        ("Gansu Fruit Distribution", "Hangzhou Fresh", 30),
    }
    assert {m.document_number for m in trace_backward([lot])} == {"P-IN-1", "S-OUT-1", "S-IN-1"}
    for number, receiver in (("P-OUT-1", chain.distributor), ("D-OUT-1", chain.retailer_gs),
                             ("D-OUT-2", chain.retailer_zj), ("R2-RET-1", chain.distributor)):  # fmt: skip
        counterpart = current_counterpart(chain.docs[number].origin_id)
        assert counterpart.enterprise_id == receiver.id and counterpart.status == "submitted"
        assert [(x.batch_id, x.quantity) for x in counterpart.lines] == [
            (x.batch_id, x.quantity) for x in chain.docs[number].lines
        ]
    figures = [stock(e, chain.batch) for e in (chain.producer, chain.distributor,
                                                chain.retailer_gs, chain.retailer_zj)]  # fmt: skip
    assert figures == [40, 15, 20, 25]
    rows = movements_rows(forward)
    assert len(rows) == 9  # 1 inbound + 4 matched movements recorded on both sides
    assert {(r["recorded_by"], r["document_number"], r["quantity"]) for r in rows} >= {
        ("Hangzhou Fresh", "D-OUT-2", 30),
        ("Hangzhou Fresh", "R2-RET-1", 5),
        ("Gansu Fruit Distribution", "R2-RET-1", 5),
    }
