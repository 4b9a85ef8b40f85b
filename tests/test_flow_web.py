"""The goods flow through the web client: counterparties, documents, confirmation, stock,
refusals, the trace page and its exports, and mock-recall drills."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import Counterparty, MockRecallDrill, Transaction
from tests.factories import credit_code, make_batch, make_enterprise, make_member, make_product
from tests.factories_flow import document, make_chain, make_counterparty

EN = {"Accept-Language": "en"}


def text(response) -> str:
    return response.get_data(as_text=True)


def lines(*rows) -> dict:
    data = {}
    for i, (batch_id, quantity, unit) in enumerate(rows):
        data.update({f"lines-{i}-batch_id": batch_id, f"lines-{i}-quantity": quantity,
                     f"lines-{i}-unit": unit})  # fmt: skip
    return data


@pytest.fixture
def pair(ctx):
    producer = make_enterprise("Pingliang Orchard", region="620800")
    distributor = make_enterprise("Hangzhou Wholesale", region="330100")
    users = {
        "producer": make_member(producer, recorder=True, admin=True),
        "distributor": make_member(distributor, recorder=True, admin=True),
    }
    batch = make_batch(make_product(producer, "Fuji"), "PL-01")
    db.session.commit()
    return producer, distributor, users, batch


def test_sale_confirmed_by_the_buyer_through_the_web(pair, login):
    producer, distributor, users, batch = pair
    seller = login(users["producer"], "recorder")
    response = seller.post(
        "/portal/counterparties/new",
        data={"role": "customer", "business_type": "distributor", "name": "Hangzhou Wholesale",
              "credit_code": distributor.credit_code.lower(), "region_code": "330100"},
        headers=EN,
    )  # fmt: skip
    assert response.status_code == 302
    listing = text(seller.get("/portal/counterparties", headers=EN))
    assert "Hangzhou Wholesale" in listing and "on the platform" in listing
    customer = db.session.scalar(
        select(Counterparty).where(Counterparty.enterprise_id == producer.id)
    )
    response = seller.post(
        "/portal/transactions/new?kind=finished_in",
        data={"number": "IN-1", "moved_on": "2026-10-02", "submit": "1",
              **lines((batch.id, "100", "box"))},
        headers=EN,
    )  # fmt: skip
    assert response.status_code == 302
    response = seller.post(
        "/portal/transactions/new?kind=sales_out",
        data={"number": "OUT-1", "moved_on": "2026-10-05", "counterparty_id": customer.id,
              "submit": "1", **lines((batch.id, "60", "box"))},
        headers=EN, follow_redirects=True,
    )  # fmt: skip
    assert "OUT-1 was submitted and is now locked" in text(response)
    assert "40 box" in text(seller.get("/portal/stock", headers=EN)).replace("\n", " ")

    buyer = login(users["distributor"], "recorder")
    listing = text(buyer.get("/portal/transactions", headers=EN))
    assert "OUT-1" in listing and "Awaiting confirmation" in listing
    assert "awaiting your confirmation: 1." in listing
    pending = db.session.scalar(
        select(Transaction).where(Transaction.enterprise_id == distributor.id)
    )
    detail = text(buyer.get(f"/portal/transactions/{pending.id}", headers=EN))
    assert "Pingliang Orchard recorded this movement" in detail and "PL-01" in detail
    assert "No stock." in text(buyer.get("/portal/stock", headers=EN))
    response = buyer.post(f"/portal/transactions/{pending.id}/submit", headers=EN)
    assert response.status_code == 302
    stock = text(buyer.get("/portal/stock", headers=EN))
    assert "PL-01" in stock and "60 box" in stock.replace("\n", " ")

    # Selling more than the buyer holds is refused with the figures.
    supplier = db.session.scalar(
        select(Counterparty).where(Counterparty.enterprise_id == distributor.id)
    )
    supplier.role = "both"
    db.session.commit()
    response = buyer.post(
        "/portal/transactions/new?kind=sales_out",
        data={"number": "D-1", "moved_on": "2026-10-06", "counterparty_id": supplier.id,
              "submit": "1", **lines((batch.id, "61", "box"))},
        headers=EN,
    )  # fmt: skip
    assert response.status_code == 409
    assert re.search(r"Not enough stock of Fuji, lot PL-01: 60 box available", text(response))
    assert db.session.scalar(select(Transaction.id).where(Transaction.number == "D-1")) is None


def test_dispute_and_correction_through_the_web(pair, login):
    producer, distributor, users, batch = pair
    customer = make_counterparty(producer, distributor, role="customer")
    document(producer, users["producer"], "finished_in", "IN-1", [(batch, 10, "box")])
    sale = document(producer, users["producer"], "sales_out", "OUT-1", [(batch, 4, "box")],
                    customer)  # fmt: skip
    db.session.commit()
    buyer = login(users["distributor"], "recorder")
    pending = db.session.scalar(
        select(Transaction).where(Transaction.enterprise_id == distributor.id)
    )
    response = buyer.post(f"/portal/transactions/{pending.id}/dispute", data={"reason": ""},
                          headers=EN)  # fmt: skip
    assert response.status_code == 400 and "Give the reason for the dispute." in text(response)
    buyer.post(f"/portal/transactions/{pending.id}/dispute", data={"reason": "Only 3 arrived"})
    seller = login(users["producer"], "recorder")
    mismatches = text(seller.get("/portal/mismatches", headers=EN))
    assert "OUT-1" in mismatches and "Disputed" in mismatches and "Only 3 arrived" in mismatches
    response = seller.post(
        f"/portal/transactions/{sale.id}/correct",
        data={"number": "OUT-1", "moved_on": "2026-10-05", "counterparty_id": customer.id,
              "reason": "Three boxes, not four", **lines((batch.id, "3", "box"))},
        headers=EN,
    )  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    assert pending.status == "pending" and pending.lines[0].quantity == 3
    assert "No mismatches." in text(seller.get("/portal/mismatches", headers=EN))
    old = text(seller.get(f"/portal/transactions/{sale.id}", headers=EN))
    assert "superseded by a correction" in old and "Three boxes, not four" in old
    assert seller.get(f"/portal/transactions/{sale.id}/edit").status_code == 409
    again = seller.post(f"/portal/transactions/{sale.id}/submit", headers=EN)
    assert again.status_code == 409 and "superseded" in text(again)


def test_bad_document_input_is_refused_on_the_form(pair, login):
    producer, _distributor, users, batch = pair
    other = make_batch(make_product(make_enterprise("Elsewhere"), "Pear"), "X-1")
    db.session.commit()
    client = login(users["producer"], "recorder")
    cases = [
        ({"number": "", **lines((batch.id, "1", "box"))}, "This field is required."),
        ({"number": "A", **lines((batch.id, "-2", "box"))}, "the quantity must be a number above zero"),
        ({"number": "A", **lines((other.id, "1", "box"))}, "Line 1: choose a batch."),
        ({"number": "A"}, "Add at least one line before submitting."),
        ({"number": "A", **lines((batch.id, "1", "box")), "lines-0-first_code": "1234"},
         "give both the first and the last code"),
    ]  # fmt: skip
    for data, message in cases:
        response = client.post("/portal/transactions/new?kind=finished_in",
                               data={"moved_on": "2026-10-01", "submit": "1", **data}, headers=EN)  # fmt: skip
        assert response.status_code in (400, 409), message
        assert message in text(response), message


def test_counterparty_validation_and_disable(pair, login):
    producer, _distributor, users, _batch = pair
    client = login(users["producer"], "recorder")
    base = {"role": "supplier", "business_type": "producer", "name": "Outside Farm",
            "region_code": "110100"}  # fmt: skip
    bad = client.post("/portal/counterparties/new", data={**base, "credit_code": "91110100000000000X"},
                      headers=EN)  # fmt: skip
    assert bad.status_code == 400 and "valid 18-character" in text(bad)
    bad = client.post("/portal/counterparties/new",
                      data={**base, "credit_code": credit_code("110100"), "region_code": "990000"},
                      headers=EN)  # fmt: skip
    assert bad.status_code == 400 and "GB/T 2260" in text(bad)
    code = credit_code("110100")
    assert (
        client.post("/portal/counterparties/new", data={**base, "credit_code": code}).status_code
        == 302
    )
    again = client.post(
        "/portal/counterparties/new", data={**base, "credit_code": code}, headers=EN
    )
    assert again.status_code == 409 and "already exists" in text(again)
    outside = db.session.scalar(select(Counterparty).where(Counterparty.credit_code == code))
    assert outside.linked_enterprise_id is None
    client.post(f"/portal/counterparties/{outside.id}/status", data={"status": "disabled"})
    listing = text(client.get("/portal/counterparties?status=disabled", headers=EN))
    assert "Outside Farm" in listing
    form = text(client.get("/portal/transactions/new?kind=purchase_in", headers=EN))
    assert "Outside Farm" not in form
    searched = text(client.get("/portal/counterparties?q=nomatch", headers=EN))
    assert "No counterparty matches your search." in searched


@pytest.fixture
def chain(ctx):
    return make_chain()


def test_trace_page_graph_and_exports(chain, login):
    odd = make_counterparty(chain.producer, None, role="customer", name='=HYPERLINK("x")')
    document(chain.producer, chain.users[chain.producer], "sales_out", "P-ODD",
             [(chain.batch, 1, "box")], odd)  # fmt: skip
    db.session.commit()
    client = login(chain.national)
    page = text(client.get(f"/admin/trace/{chain.batch.id}", headers=EN))
    assert "<svg" in page and "Hangzhou Fresh" in page and '<table class="movements"' in page
    assert "Backward: where it came from" in page and "CT-01" in page
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]

    response = client.get(
        f"/admin/trace/{chain.batch.id}/export.xlsx?sort=quantity&desc=1", headers=EN
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Recorded by", "Document number", "Kind", "Date")
    body = rows[1:]
    quantities = [row[6] for row in body]
    assert (
        quantities == sorted(quantities, reverse=True) and quantities[0] == 500
    )  # the supplier's 500 cartons (an input)
    documents = {row[1] for row in body}
    assert {"P-IN-1", "P-OUT-1", "D-OUT-1", "D-OUT-2", "R2-RET-1", "S-OUT-1", "P-ODD"} <= documents
    assert any(row[10] == '\'=HYPERLINK("x")' for row in body)
    assert sheet.auto_filter.ref.startswith("A1:")

    response = client.get(f"/admin/trace/{chain.batch.id}/export.csv?sort=date", headers=EN)
    assert response.headers["Content-Type"].startswith("text/csv")
    parsed = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert parsed[0][0] == "Recorded by"
    dates = [row[3] for row in parsed[1:]]
    assert dates == sorted(dates)
    zj = next(r for r in parsed if r[1] == "D-OUT-2" and r[2] == "Sales outbound")
    assert zj[4:8] == ["Red Fuji apple", "RF-2026-01", "30", "box"]
    assert zj[8] == "Gansu Fruit Distribution" and zj[10] == "Hangzhou Fresh"
    assert any(r[10] == '\'=HYPERLINK("x")' for r in parsed)
    assert len(parsed) - 1 == len(body)


def test_trace_by_code_and_lot(chain, login, app):
    from tests.factories import make_pool, make_range

    pool = make_pool(chain.producer, 5000, 100)
    make_range(pool, chain.batch, 5000, 5049, chain.users[chain.producer])
    db.session.commit()
    from suyuan.identity import code_key

    client = login(chain.zhejiang)
    with app.test_request_context():
        code = code_key().encode(5010)
    response = client.get(f"/admin/trace?q={code}")
    assert response.status_code == 302 and response.location.endswith(
        f"/admin/trace/{chain.batch.id}"
    )
    response = client.get("/admin/trace?q=RF-2026-01")
    assert response.location.endswith(f"/admin/trace/{chain.batch.id}")
    missing = client.get("/admin/trace?q=NOPE", headers=EN)
    assert missing.status_code == 404 and "Nothing in your region matches" in text(missing)


def test_drills_record_their_time(chain, login):
    regulator = login(chain.gansu)
    response = regulator.post(
        f"/admin/trace/{chain.batch.id}/drill", headers=EN, follow_redirects=True
    )
    assert re.search(r"Mock recall of lot RF-2026-01 finished in \d+ ms", text(response))
    drill = db.session.scalar(select(MockRecallDrill))
    assert drill.actor_id == chain.gansu.id and drill.enterprise_id is None
    assert drill.duration_ms >= 0 and drill.enterprise_count == 3
    assert drill.export_rows == drill.forward_count + drill.backward_count - 1  # P-IN-1 in both
    listing = text(regulator.get("/admin/trace", headers=EN))
    assert "RF-2026-01" in listing and f"{drill.duration_ms} ms" in listing
    # The enterprise admin drills its own lot; a recorder and a mere holder cannot.
    owner = login(chain.users[chain.producer], "admin")
    assert owner.post(f"/portal/trace/{chain.batch.id}/drill").status_code == 302
    assert login(chain.users[chain.producer], "recorder").post(
        f"/portal/trace/{chain.batch.id}/drill").status_code == 403  # fmt: skip
    holder = login(chain.users[chain.distributor], "admin")
    assert holder.post(f"/portal/trace/{chain.batch.id}/drill").status_code == 404
    own = db.session.scalar(
        select(MockRecallDrill).where(MockRecallDrill.enterprise_id.is_not(None))
    )
    assert own.enterprise_id == chain.producer.id
    listed = text(owner.get("/portal/drills", headers=EN))
    assert "RF-2026-01" in listed and f"{own.duration_ms} ms" in listed
    assert "No drills yet." in text(holder.get("/portal/drills", headers=EN))


def test_cli_drill(chain, runner):
    result = runner.invoke(args=["drill", "--batch", "RF-2026-01"])
    assert result.exit_code == 0, result.output
    assert re.search(r"RF-2026-01.*\d+ ms", result.output)
    assert "3 receiving enterprises" in result.output
    assert runner.invoke(args=["drill", "--batch", "NOPE"]).exit_code != 0


def test_trace_search_lists_batches_sharing_a_lot(chain, login):
    twin = make_batch(make_product(chain.retailer_zj, "Tea"), "RF-2026-01")
    db.session.commit()
    national = login(chain.national).get("/admin/trace?q=RF-2026-01", headers=EN)
    assert national.status_code == 200 and "Several batches match" in text(national)
    assert f"/admin/trace/{twin.id}" in text(national) and f"/admin/trace/{chain.batch.id}" in text(
        national
    )
    # Shanghai sees neither; Gansu only the apple lot (the tea never touches Gansu).
    assert login(chain.shanghai).get("/admin/trace?q=RF-2026-01").status_code == 404
    gansu = login(chain.gansu).get("/admin/trace?q=RF-2026-01")
    assert gansu.location.endswith(f"/admin/trace/{chain.batch.id}")
