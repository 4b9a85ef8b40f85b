"""EPCIS 2.0 exports of goods-flow documents and recalls: valid against GS1's schema, documents
only in the full exports (the enterprise's own; a regulator's by region), recalls in every
export — in the public one only the recall covering the scanned code."""

import json
from datetime import date

import pytest

from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.services import recalls
from suyuan.services.epcis import VOCAB
from suyuan.services.epcis_flow import PARTY_NS
from suyuan.services.flow import correct_transaction
from suyuan.services.publication import set_public
from tests.factories_flow import confirm, document, make_counterparty
from tests.factories_recalls import make_recall
from tests.test_epcis import GTIN13, chain, errors, full_export, public_export, validator  # noqa: F401
from tests.test_visibility import ITEMS, build_scene, found, mark, publish

CLASS = f"http://suyuan.test/01/0{GTIN13}/10/APPLE-7"


@pytest.fixture
def flow(chain):  # noqa: F811
    """a makes 100 boxes of its batch, ships 30 to b under delivery note SECRET-OUT-1 (then
    corrects it to 40); b confirms and sells 10 on to a trader outside the platform."""
    a, b = chain.a, chain.b
    document(a.enterprise, a.recorder, "finished_in", "SECRET-IN-1", [(a.batch, 100, "box")])
    to_b = make_counterparty(a.enterprise, b.enterprise, role="customer")
    shipped = document(
        a.enterprise, a.recorder, "sales_out", "SECRET-OUT-1", [(a.batch, 30, "box")], to_b,
        on=date(2026, 10, 11),
    )  # fmt: skip
    values = {"kind": "sales_out", "number": "SECRET-OUT-1", "moved_on": date(2026, 10, 11)}
    fixed = correct_transaction(
        shipped, a.recorder, {**values, "counterparty": to_b},
        [{"batch": a.batch, "quantity": 40, "unit": "box"}], "Miscounted pallets",
    )  # fmt: skip
    confirm(fixed, b.recorder)
    trader = make_counterparty(b.enterprise, role="customer", name="SECRET trader")
    document(
        b.enterprise, b.recorder, "sales_out", "SECRET-B-OUT", [(a.batch, 10, "box")], trader,
        on=date(2026, 10, 20),
    )  # fmt: skip
    db.session.commit()
    chain.docs = {"shipped": shipped, "fixed": fixed, "trader": trader}
    return chain


def events(document, **match) -> list[dict]:
    found = document["epcisBody"]["eventList"]
    return [e for e in found if all(e.get(k) == v for k, v in match.items())]


def portal_export(flow, login):
    return full_export(login(flow.a.admin), f"/portal/batches/{flow.a.batch.id}/epcis.json")


def console_export(flow, login, who):
    return full_export(login(who), f"/admin/batches/{flow.a.batch.id}/epcis.json")


def test_documents_are_object_events_with_transactions_and_parties(flow, login, validator):  # noqa: F811
    document = portal_export(flow, login)
    assert errors(validator, document) == []
    (made,) = events(document, **{"suyuan:documentNumber": "SECRET-IN-1"})
    assert made["type"] == "ObjectEvent"
    assert made["action"] == "OBSERVE"
    assert made["bizStep"] == "storing"
    assert made["quantityList"] == [{"epcClass": CLASS, "quantity": 100.0, "uom": "BX"}]
    assert made["bizTransactionList"][0]["type"] == f"{VOCAB}btt/warehouse_receipt"
    assert "sourceList" not in made  # nothing changes hands
    current = events(
        document, **{"suyuan:documentNumber": "SECRET-OUT-1", "suyuan:documentVersion": 2}
    )
    (shipped,) = current
    assert shipped["bizStep"] == "shipping"
    assert shipped["disposition"] == "in_transit"
    assert shipped["eventTime"] == "2026-10-10T16:00:00.000Z"  # 11 October in China
    assert shipped["eventTimeZoneOffset"] == "+08:00"
    assert shipped["quantityList"] == [{"epcClass": CLASS, "quantity": 40.0, "uom": "BX"}]
    credit_a, credit_b = flow.a.enterprise.credit_code, flow.b.enterprise.credit_code
    assert shipped["bizTransactionList"] == [
        {
            "type": "desadv",
            "bizTransaction": f"http://suyuan.test/id/document/{credit_a}/SECRET-OUT-1",
        }
    ]
    assert shipped["sourceList"] == [{"type": "owning_party", "source": PARTY_NS + credit_a}]
    assert shipped["destinationList"] == [
        {"type": "owning_party", "destination": PARTY_NS + credit_b}
    ]


def test_a_corrected_document_declares_its_error(flow, login):
    document = portal_export(flow, login)
    numbered = events(document, **{"suyuan:documentNumber": "SECRET-OUT-1"})
    old = next(e for e in numbered if e["suyuan:documentVersion"] == 1)
    new = next(e for e in numbered if e["suyuan:documentVersion"] == 2)
    assert old["quantityList"][0]["quantity"] == 30.0
    assert old["errorDeclaration"]["reason"] == "incorrect_data"
    assert old["errorDeclaration"]["correctiveEventIDs"] == [new["eventID"]]
    assert old["errorDeclaration"]["suyuan:correctionReason"] == "Miscounted pallets"
    assert "errorDeclaration" not in new


def test_the_enterprise_exports_its_own_documents_only(flow, login):
    document = portal_export(flow, login)
    kinds = sorted(e["suyuan:documentKind"] for e in events(document) if "suyuan:documentKind" in e)
    assert kinds == ["finished_in", "sales_out", "sales_out"]  # b's receipt and sale are b's
    assert "SECRET-B-OUT" not in json.dumps(document)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # b's receipt names a (in Gansu) as its partner; b's sale to the trader lies outside.
        ("gansu", ["finished_in", "purchase_in", "sales_out", "sales_out"]),
        ("national", ["finished_in", "purchase_in", "sales_out", "sales_out", "sales_out"]),
    ],
)
def test_regulators_export_the_documents_of_their_region(flow, login, validator, who, expected):  # noqa: F811
    document = console_export(flow, login, getattr(flow, who))
    assert errors(validator, document) == []
    kinds = sorted(e["suyuan:documentKind"] for e in events(document) if "suyuan:documentKind" in e)
    assert kinds == expected
    (received,) = events(document, **{"suyuan:documentKind": "purchase_in"})
    assert received["bizStep"] == "receiving"
    credit_a = flow.a.enterprise.credit_code
    assert received["sourceList"] == [{"type": "owning_party", "source": PARTY_NS + credit_a}]


def test_documents_never_reach_the_public_export(flow, client, validator):  # noqa: F811
    document = public_export(client)
    assert errors(validator, document) == []
    text = json.dumps(document, ensure_ascii=False)
    for hidden in ("SECRET", "bizTransactionList", "sourceList", "documentKind", PARTY_NS):
        assert hidden not in text
    assert flow.b.enterprise.credit_code not in text


# Recalls


@pytest.fixture
def recalled(chain):  # noqa: F811
    recall = make_recall(
        chain.a.admin, chain.a.product, code_ranges=[(0, 9)], reason="Mould in samples",
        consumer_advice="Return it to the shop",
    )  # fmt: skip
    recalls.notify_downstream(recall, chain.a.admin, "SECRET note to the holders")
    db.session.commit()
    chain.recall = recall
    return chain


def test_full_export_holds_every_state_of_the_recall(recalled, login, validator):  # noqa: F811
    document = console_export(recalled, login, recalled.gansu)
    assert errors(validator, document) == []
    states = events(document, disposition="recalled")
    assert [e["suyuan:recallState"] for e in states] == ["declared", "notified"]
    declared, notified = states
    assert declared["bizStep"] == f"{VOCAB}bizStep/recall_declared"
    assert declared["quantityList"] == [{"epcClass": CLASS, "quantity": 10}]
    assert declared["suyuan:recallReason"] == "Mould in samples"
    assert notified["suyuan:note"] == "SECRET note to the holders"


def test_the_public_export_shows_the_recall_of_the_scanned_code(recalled, client, validator):  # noqa: F811
    code = code_key().encode(5)
    document = public_export(client, 5)
    assert errors(validator, document) == []
    states = events(document, disposition="recalled")
    assert [e["suyuan:recallState"] for e in states] == ["declared", "notified"]
    assert states[0]["epcList"] == [f"http://suyuan.test/01/0{GTIN13}/21/{code}"]
    assert states[0]["suyuan:consumerAdvice"] == "Return it to the shop"
    text = json.dumps(document, ensure_ascii=False)
    assert "SECRET" not in text  # the notes stay inside
    assert "quantityList" not in text


def test_a_code_outside_the_recalled_range_has_no_recall_event(recalled, client, validator):  # noqa: F811
    document = public_export(client, 50)
    assert errors(validator, document) == []
    assert events(document, disposition="recalled") == []


def test_a_recall_shows_even_when_the_batch_is_not_published(recalled, client, validator):  # noqa: F811
    set_public(recalled.a.admin, recalled.a.batch, False)
    db.session.commit()
    document = public_export(client, 5)
    assert errors(validator, document) == []
    assert [e.get("suyuan:recallState") for e in events(document)] == ["declared", "notified"]


# The visibility matrix of tests/test_visibility.py, with goods-flow documents on the batch:
# however much is published, documents never reach the public export.


@pytest.fixture
def scene(ctx):
    scene = build_scene()
    batch = scene.items["batch"]
    enterprise = batch.product.enterprise
    customer = make_counterparty(
        enterprise, role="customer", name=mark("never-doc-party"), contact_name="Wang Wu"
    )
    document(enterprise, scene.admin, "finished_in", mark("never-doc-in"), [(batch, 50, "box")])
    shipped = document(
        enterprise, scene.admin, "sales_out", mark("never-doc-out"), [(batch, 20, "box")], customer
    )
    shipped.note = mark("never-doc-note")
    db.session.commit()
    scene.customer = customer
    return scene


DOCUMENT_MARKERS = ["never-doc-party", "never-doc-in", "never-doc-out", "never-doc-note"]


@pytest.mark.parametrize("published", [[], sorted(ITEMS)], ids=["nothing", "everything"])
def test_documents_stay_out_of_the_public_export_whatever_is_published(
    scene,
    client,
    validator,  # noqa: F811
    published,
):
    publish(scene, published)
    response = client.get(f"/q/{scene.code}/epcis.json")
    assert response.status_code == 200
    assert errors(validator, response.json) == []
    payloads = [response.data]
    assert found(DOCUMENT_MARKERS, payloads) == []
    assert scene.customer.credit_code.encode() not in response.data
    assert b"bizTransactionList" not in response.data
