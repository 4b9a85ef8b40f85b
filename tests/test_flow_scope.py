"""Who sees which goods-flow rows: regulators by region (either party in the region), a
national regulator everything, an enterprise only its own documents (404 otherwise)."""

import csv
import io

import pytest

from suyuan.extensions import db
from tests.factories_flow import make_chain

EN = {"Accept-Language": "en"}
CHAIN_NUMBERS = {"S-IN-1", "S-OUT-1", "P-IN-1", "P-OUT-1", "D-OUT-1", "D-OUT-2", "R2-RET-1"}


@pytest.fixture
def chain(ctx):
    chain = make_chain()
    # A short receipt at the Hangzhou retailer: a mismatch touching Zhejiang and Gansu.
    received = chain.docs["D-OUT-2@confirm"]
    received.lines[0].quantity = 29
    db.session.commit()
    return chain


def numbers_in(html: str) -> set[str]:
    return {n for n in CHAIN_NUMBERS if f">{n}<" in html}


def listing(client, url) -> str:
    pages, page = [], 1
    while True:
        html = client.get(f"{url}{'&' if '?' in url else '?'}page={page}", headers=EN).get_data(
            as_text=True
        )
        pages.append(html)
        if 'rel="next"' not in html:
            return "".join(pages)
        page += 1


def test_national_regulator_sees_every_transaction(chain, login):
    client = login(chain.national)
    html = listing(client, "/admin/transactions")
    assert numbers_in(html) == CHAIN_NUMBERS
    assert "D-OUT-2" in listing(client, "/admin/mismatches")


def test_zhejiang_sees_only_documents_touching_zhejiang(chain, login):
    client = login(chain.zhejiang)
    html = listing(client, "/admin/transactions")
    assert numbers_in(html) == {"D-OUT-2", "R2-RET-1"}
    assert "Hangzhou Fresh" in html
    assert "P-OUT-1" not in html and "S-OUT-1" not in html
    searched = client.get("/admin/transactions?q=P-OUT", headers=EN).get_data(as_text=True)
    assert "P-OUT-1" not in searched and "No transactions match." in searched
    assert "D-OUT-2" in listing(client, "/admin/mismatches")
    outside = chain.docs["P-OUT-1"]
    assert client.get(f"/admin/transactions/{outside.id}").status_code == 404
    inside = chain.docs["D-OUT-2"]
    assert client.get(f"/admin/transactions/{inside.id}").status_code == 200
    # The lot's chain touches Zhejiang: its whole trace is visible, inputs included.
    page = client.get(f"/admin/trace/{chain.batch.id}", headers=EN).get_data(as_text=True)
    assert "Lanzhou Orchard" in page and "CT-01" in page
    # The cartons' own chain never reaches Zhejiang.
    assert client.get(f"/admin/trace/{chain.material.id}").status_code == 404
    assert client.get(f"/admin/trace/{chain.material.id}/export.csv").status_code == 404
    assert client.post(f"/admin/trace/{chain.material.id}/drill").status_code == 404


def test_gansu_sees_its_documents_and_not_the_others(chain, login):
    client = login(chain.gansu)
    html = listing(client, "/admin/transactions")
    assert numbers_in(html) == CHAIN_NUMBERS  # every document has a Gansu party
    kinds = client.get("/admin/transactions?kind=purchase_return", headers=EN).get_data(
        as_text=True
    )
    assert numbers_in(kinds) == {"R2-RET-1"}


def test_another_province_sees_none_of_the_chain(chain, login):
    client = login(chain.shanghai)
    assert numbers_in(listing(client, "/admin/transactions")) == set()
    assert "No mismatches." in listing(client, "/admin/mismatches")
    for number in CHAIN_NUMBERS:
        txn = chain.docs[number]
        assert client.get(f"/admin/transactions/{txn.id}").status_code == 404
    for batch in (chain.batch, chain.material):
        assert client.get(f"/admin/trace/{batch.id}").status_code == 404
        assert client.get(f"/admin/trace/{batch.id}/export.xlsx").status_code == 404
        assert client.get(f"/admin/trace/{batch.id}/export.csv").status_code == 404
        assert client.post(f"/admin/trace/{batch.id}/drill").status_code == 404
    assert client.get("/admin/trace?q=RF-2026-01").status_code == 404
    # A national regulator's drill does not show up in Shanghai's list of drills.
    login(chain.national).post(f"/admin/trace/{chain.batch.id}/drill")
    assert "RF-2026-01" not in client.get("/admin/trace", headers=EN).get_data(as_text=True)


def test_enterprises_see_only_their_own_documents(chain, login):
    retailer = login(chain.users[chain.retailer_gs], "recorder")
    own = chain.docs["D-OUT-1@confirm"]
    assert retailer.get(f"/portal/transactions/{own.id}").status_code == 200
    html = listing(retailer, "/portal/transactions")
    assert "D-OUT-1" in html and "P-OUT-1" not in html and "D-OUT-2" not in html
    for number in ("P-OUT-1", "D-OUT-2", "R2-RET-1", "S-IN-1"):
        doc = chain.docs[number]
        for suffix in ("", "/edit", "/correct"):
            assert retailer.get(f"/portal/transactions/{doc.id}{suffix}").status_code == 404
        for action in ("submit", "delete", "dispute"):
            assert retailer.post(f"/portal/transactions/{doc.id}/{action}").status_code == 404
    other_counterparty = chain.docs["P-OUT-1"].counterparty
    assert retailer.get(f"/portal/counterparties/{other_counterparty.id}/edit").status_code == 404
    status_url = f"/portal/counterparties/{other_counterparty.id}/status"
    assert retailer.post(status_url, data={"status": "disabled"}).status_code == 404
    assert retailer.get(f"/portal/trace/{chain.material.id}").status_code == 404
    assert retailer.get(f"/portal/trace/{chain.material.id}/export.csv").status_code == 404


def test_enterprise_trace_shows_only_movements_it_is_party_to(chain, login):
    retailer = login(chain.users[chain.retailer_gs], "recorder")
    page = retailer.get(f"/portal/trace/{chain.batch.id}", headers=EN).get_data(as_text=True)
    assert "D-OUT-1" in page
    assert "D-OUT-2" not in page and "P-OUT-1" not in page and "CT-01" not in page
    export = retailer.get(f"/portal/trace/{chain.batch.id}/export.csv", headers=EN)
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))[1:]
    assert {row[1] for row in rows} == {"D-OUT-1"}
    assert all("Lanzhou Market" in (row[8], row[10]) for row in rows)
    producer = login(chain.users[chain.producer], "recorder")
    page = producer.get(f"/portal/trace/{chain.batch.id}", headers=EN).get_data(as_text=True)
    assert "P-OUT-1" in page and "CT-01" in page and "D-OUT-1" not in page


def test_regulator_without_the_flow_module_is_refused(chain, login):
    from tests.factories import make_regulator

    other = make_regulator("000000", name="Filings only", regulator_modules="filings")
    db.session.commit()
    client = login(other)
    menu = client.get("/admin/", headers=EN).get_data(as_text=True)
    assert "/admin/transactions" not in menu
    for url in ("/admin/transactions", "/admin/mismatches", "/admin/trace",
                f"/admin/trace/{chain.batch.id}", f"/admin/trace/{chain.batch.id}/export.csv"):  # fmt: skip
        response = client.get(url, headers=EN)
        assert response.status_code == 403 and "no permission" in response.get_data(as_text=True)
    assert client.post(f"/admin/trace/{chain.batch.id}/drill").status_code == 403
    national = login(chain.national).get("/admin/", headers=EN).get_data(as_text=True)
    assert "/admin/transactions" in national
