"""EPCIS 2.0 events for goods-flow documents and recalls of the exported batch.

Goods flow: one ObjectEvent (action OBSERVE) per submitted document, and per version it
corrected. EPCIS 2.0 §7.4.2 reserves TransactionEvent for objects becoming associated with
or dissociated from a business transaction (an order placed, an invoice issued); a document
here records goods physically moving, which CBV models as an ObjectEvent whose bizStep is
``shipping``/``receiving`` and which *names* the business transaction in bizTransactionList.

* bizTransaction type: ``desadv`` (despatch advice) for documents with a counterparty — the
  document number is the delivery note (送货单) both sides know, which is why matching copies
  it to the counterpart. A finished-goods inbound has no counterparty and no CBV type fits
  an internal warehouse receipt, so its type is our vocabulary URI ``…/btt/warehouse_receipt``.
  The id is ``<base>/id/document/<recording enterprise's credit code>/<number>``.
* Parties (sourceList/destinationList, type ``owning_party``): every enterprise and
  counterparty has a unified social credit code (required on both), so a party is
  ``PARTY_NS + <credit code>``, the same URI on every deployment. A GS1 party GLN
  (``https://id.gs1.org/417/<gln>``) would be used for a party without one; none can exist
  today, so ``party_uri`` takes only the code.
* quantityList: the document's lines of the exported batch, with its class URI and the unit
  as a UN/CEFACT Recommendation 20 code.

Recalls: disposition ``recalled`` (CBV) from the declaration on, one event per state change
(CBV has no recall business step: ours are ``…/bizStep/recall_<state>``). A completed recall
keeps the disposition: units never returned are still recalled.

Documents are never public; a recall of the scanned code is (safety overrides privacy, as on
the scan page), with what the scan page shows of it and nothing more.
"""

import uuid
from datetime import datetime, time
from urllib.parse import quote
from zoneinfo import ZoneInfo

from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import Recall, RecallTarget, Transaction, TransactionLine
from suyuan.models.flow import OUTBOUND_KINDS

#: Credit codes (统一社会信用代码, GB 32100) are national identifiers: a fixed namespace.
PARTY_NS = "https://suyuan.example/id/uscc/"
#: UN/CEFACT Recommendation 20 codes of our units.
UOM = {"piece": "H87", "box": "BX", "carton": "CT", "bottle": "BO", "kg": "KGM", "t": "TNE"}
BIZ_STEPS = {
    "finished_in": "storing",
    "purchase_in": "receiving",
    "sales_return": "receiving",
    "sales_out": "shipping",
    "purchase_return": "shipping",
}
DISPOSITIONS = {
    "finished_in": "sellable_not_accessible",
    "purchase_in": "sellable_not_accessible",
    "sales_return": "returned",
    "sales_out": "in_transit",
    "purchase_return": "returned",
}
#: Documents carry a date, not a time: midnight of that day in China.
DOCUMENT_ZONE = ZoneInfo("Asia/Shanghai")


def party_uri(credit_code: str) -> str:
    return PARTY_NS + credit_code


def document_uri(txn: Transaction, base_url: str) -> str:
    credit_code = txn.enterprise.credit_code
    return f"{base_url.rstrip('/')}/id/document/{credit_code}/{quote(txn.number, safe='')}"


# Which documents and recalls an export covers


def batch_transactions(batch, region: str | None) -> list[Transaction]:
    """Submitted documents (and the versions they corrected) with a line of ``batch``: the
    batch's own enterprise's, or for a regulator those where either party is in ``region``."""
    from suyuan.services.matching import either_party_in_region

    touching = select(TransactionLine.transaction_id).where(TransactionLine.batch_id == batch.id)
    query = select(Transaction).where(
        Transaction.id.in_(touching), Transaction.status.in_(("submitted", "superseded"))
    )
    if region is None:
        query = query.where(Transaction.enterprise_id == batch.enterprise_id)
    else:
        query = query.where(either_party_in_region(region))
    return list(db.session.scalars(query.order_by(Transaction.id)))


def batch_recalls(batch) -> list[Recall]:
    targeted = select(RecallTarget.recall_id).where(RecallTarget.batch_id == batch.id)
    return list(db.session.scalars(select(Recall).where(Recall.id.in_(targeted))))


# Goods-flow documents → ObjectEvents


def transaction_events(scope) -> list[dict]:
    if scope.is_public:  # documents are never published data
        return []
    successors = _successors([t.id for t in scope.transactions])
    return [_transaction_event(t, scope, successors.get(t.id)) for t in scope.transactions]


def _successors(ids: list[int]) -> dict[int, Transaction]:
    if not ids:
        return {}
    rows = db.session.scalars(select(Transaction).where(Transaction.supersedes_id.in_(ids)))
    return {t.supersedes_id: t for t in rows}


def _transaction_event(txn: Transaction, scope, corrected_by) -> dict:
    from suyuan.services.epcis import _utc, batch_class_uri

    moment = datetime.combine(txn.moved_on, time(), DOCUMENT_ZONE)
    event = {
        "type": "ObjectEvent",
        "eventID": _uuid_uri(f"{scope.base_url.rstrip('/')}/id/transaction/{txn.id}"),
        "eventTime": _utc(moment),
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "bizStep": BIZ_STEPS[txn.kind],
        "disposition": DISPOSITIONS[txn.kind],
        "quantityList": [
            _quantity(line, batch_class_uri(scope.batch, scope.base_url))
            for line in txn.lines
            if line.batch_id == scope.batch.id
        ],
        "bizTransactionList": [_biz_transaction(txn, scope.base_url)],
        "suyuan:documentKind": txn.kind,
        "suyuan:documentNumber": txn.number,
        "suyuan:documentVersion": txn.version,
    }
    if txn.submitted_at is not None:
        event["recordTime"] = _utc(txn.submitted_at)
    event.update(_parties(txn))
    if corrected_by is not None:
        event["errorDeclaration"] = _correction(corrected_by, scope.base_url)
    return event


def _quantity(line: TransactionLine, epc_class: str) -> dict:
    quantity = {"epcClass": epc_class, "quantity": float(line.quantity)}
    if line.unit in UOM:
        quantity["uom"] = UOM[line.unit]
    return quantity


def _biz_transaction(txn: Transaction, base_url: str) -> dict:
    from suyuan.services.epcis import VOCAB

    kind = "desadv" if txn.counterparty_id else f"{VOCAB}btt/warehouse_receipt"
    return {"type": kind, "bizTransaction": document_uri(txn, base_url)}


def _parties(txn: Transaction) -> dict:
    """Goods go from the source's owner to the destination's; a finished-goods inbound stays
    with its enterprise (no transfer of ownership, so no lists)."""
    if txn.counterparty is None:
        return {}
    ours, theirs = party_uri(txn.enterprise.credit_code), party_uri(txn.counterparty.credit_code)
    source, destination = (ours, theirs) if txn.kind in OUTBOUND_KINDS else (theirs, ours)
    return {
        "sourceList": [{"type": "owning_party", "source": source}],
        "destinationList": [{"type": "owning_party", "destination": destination}],
    }


def _correction(corrected_by: Transaction, base_url: str) -> dict:
    from suyuan.services.epcis import _utc

    declaration = {
        "declarationTime": _utc(corrected_by.submitted_at or corrected_by.created_at),
        "reason": "incorrect_data",
        "correctiveEventIDs": [
            _uuid_uri(f"{base_url.rstrip('/')}/id/transaction/{corrected_by.id}")
        ],
    }
    if corrected_by.correction_reason:
        declaration["suyuan:correctionReason"] = corrected_by.correction_reason
    return declaration


# Recalls → ObjectEvents with disposition "recalled"


def recall_events(scope) -> list[dict]:
    return [
        _recall_event(recall, change, scope) for recall in scope.recalls for change in recall.events
    ]


def _recall_event(recall: Recall, change, scope) -> dict:
    from suyuan.services.epcis import VOCAB, _utc

    event = {
        "type": "ObjectEvent",
        "eventID": _uuid_uri(f"{scope.base_url.rstrip('/')}/id/recall-event/{change.id}"),
        "eventTime": _utc(recall.declared_at if change.state == "declared" else change.created_at),
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "bizStep": f"{VOCAB}bizStep/recall_{change.state}",
        "disposition": "recalled",
        **(scope.what if scope.is_public else {"quantityList": _recalled(recall, scope)}),
        "recordTime": _utc(change.created_at),
        "suyuan:recallState": change.state,
        "suyuan:recallSeverity": recall.severity,
        "suyuan:recallReason": recall.reason,
        "suyuan:consumerAdvice": recall.consumer_advice,
    }
    if not scope.is_public:
        event["suyuan:recallOrigin"] = recall.origin
        if change.note:
            event["suyuan:note"] = change.note
        if change.state == "completed" and recall.quantity_recovered is not None:
            event["suyuan:quantityRecovered"] = recall.quantity_recovered
    return event


def _recalled(recall: Recall, scope) -> list[dict]:
    """The exported batch's share of the recall: the whole batch, or its recalled codes."""
    from suyuan.services.epcis import batch_class_uri

    epc_class = batch_class_uri(scope.batch, scope.base_url)
    targets = [t for t in recall.targets if t.batch_id == scope.batch.id]
    if any(t.is_whole_batch for t in targets):
        return [{"epcClass": epc_class}]
    count = sum(t.last_index - t.first_index + 1 for t in targets)
    return [{"epcClass": epc_class, "quantity": count}]


def _uuid_uri(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"
