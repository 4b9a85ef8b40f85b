"""EPCIS 2.0 JSON-LD export of a trace chain.

Two audiences, one builder:

* ``public_code_document`` — the chain of one scanned code, published items only (the same
  rules as ``services.trace``): what any consumer could read on the scan page.
* ``batch_document`` — a batch's full chain for its enterprise and for regulators: every
  submitted record and every version it corrected. Drafts are not exported: they have not
  happened yet as far as anyone else is concerned.

Events come from ``EVENT_BUILDERS``, one function per source of events: stage records here,
goods-flow documents and recalls in ``epcis_flow``; each takes an ``ExportScope`` and returns
EPCIS events. Goods-flow documents are never public; a recall of the scanned code always is.

Identifiers: EPCIS 2.0 accepts GS1 Digital Link URIs as EPCs, which spares us the company
prefix length an SGTIN URN needs. A unit is ``<base>/01/<gtin>/21/<code>`` (or
``<base>/q/<code>`` without a GTIN), a batch ``<base>/01/<gtin>/10/<lot>`` (or
``<base>/id/batch/<id>``), a production area ``<base>/id/area/<id>``.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select

from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.models import Batch, CodeRange, Recall, StageRecord, Transaction
from suyuan.services.digital_link import batch_link, code_url
from suyuan.services.epcis_flow import (
    batch_recalls,
    batch_transactions,
    recall_events,
    transaction_events,
)
from suyuan.services.recalls import active_recall
from suyuan.services.trace import _record_is_public as is_record_public
from suyuan.services.trace import local_time

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
#: Our vocabulary: a fixed namespace, so that the same stage type has the same URI on every
#: deployment (``.example`` is reserved: nobody else can ever own it).
VOCAB = "https://suyuan.example/voc/"
MEDIA_TYPE = "application/ld+json"

#: CBV 2.0 business steps for the stage types that have one; the others get VOCAB URIs.
CBV_BIZ_STEPS = {
    "raw_material_intake": "receiving",
    "inspection": "inspecting",
    "packaging": "packing",
    "storage": "storing",
    "cold_storage": "storing",
    "shipping": "shipping",
}
CBV_DISPOSITIONS = {"shipping": "in_transit"}


@dataclass
class ExportScope:
    """What one export covers, already cut to what its reader may see."""

    batch: Batch
    base_url: str
    #: The stage-record versions to export (submitted, plus superseded in a full export).
    records: list[StageRecord]
    #: The objects of every event: {"epcList": [...]} or {"quantityList": [...]}.
    what: dict
    #: The production area's URI, when the reader may see the area.
    area_uri: str | None
    is_public: bool
    #: Every version of the batch's records, to find which one corrected which.
    all_records: list[StageRecord] = field(default_factory=list)
    #: Goods-flow documents with a line of the batch (full exports only).
    transactions: list[Transaction] = field(default_factory=list)
    #: Recalls of the batch; in the public export only the one covering the scanned code.
    recalls: list[Recall] = field(default_factory=list)


def public_code_document(code: str, code_range: CodeRange, base_url: str) -> dict:
    """The published chain of ``code``: nothing that the scan page would not show."""
    batch = code_range.batch
    product = batch.product
    is_shown = code_range.status == "bound" and batch.is_public
    area = batch.production_area
    scope = ExportScope(
        batch=batch,
        base_url=base_url,
        records=[r for r in batch.submitted_records if is_record_public(r)] if is_shown else [],
        what={"epcList": [code_url(code, product if product.is_public else None, base_url)]},
        area_uri=_area_uri(area, base_url) if area is not None and area.is_public else None,
        is_public=True,
        all_records=batch.records,
        recalls=_public_recalls(code, code_range),
    )
    return document(scope)


def _public_recalls(code: str, code_range: CodeRange) -> list[Recall]:
    """The recall the scan page shows for ``code`` (whatever is published: safety first)."""
    recall = active_recall(code_range.batch_id, code_key().decode(code))
    return [recall] if recall is not None else []


def batch_document(batch: Batch, base_url: str, region: str | None = None) -> dict:
    """A batch's full chain: every submitted record and the versions they corrected, its
    recalls, and the goods-flow documents moving it — the batch's enterprise's own, or for a
    regulator of ``region`` those where either party lies in the region."""
    area = batch.production_area
    exported = [r for r in batch.records if r.status in ("submitted", "superseded")]
    quantity = {"epcClass": batch_class_uri(batch, base_url)}
    count = bound_code_count(batch)
    if count:
        quantity["quantity"] = count
    scope = ExportScope(
        batch=batch,
        base_url=base_url,
        records=exported,
        what={"quantityList": [quantity]},
        area_uri=_area_uri(area, base_url) if area is not None else None,
        is_public=False,
        all_records=batch.records,
        transactions=batch_transactions(batch, region),
        recalls=batch_recalls(batch),
    )
    return document(scope)


def document(scope: ExportScope) -> dict:
    events = [event for build in EVENT_BUILDERS for event in build(scope)]
    events.sort(key=lambda e: (e["eventTime"], e["eventID"]))
    return {
        "@context": [EPCIS_CONTEXT, {"suyuan": VOCAB}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": _utc(datetime.now(UTC)),
        "epcisBody": {"eventList": events},
    }


def batch_class_uri(batch: Batch, base_url: str) -> str:
    link = batch_link(batch)
    return link.uri(base_url) if link else f"{base_url.rstrip('/')}/id/batch/{batch.id}"


def bound_code_count(batch: Batch) -> int:
    size = func.sum(CodeRange.end_index - CodeRange.start_index + 1)
    total = db.session.scalar(
        select(size).where(CodeRange.batch_id == batch.id, CodeRange.status == "bound")
    )
    return int(total or 0)


# Stage records → ObjectEvents.


def stage_record_events(scope: ExportScope) -> list[dict]:
    successor = {r.supersedes_id: r for r in scope.all_records if r.supersedes_id}
    first = _first_lineage(scope.all_records, successor)
    return [
        _record_event(record, scope, successor.get(record.id), record.id in first)
        for record in scope.records
    ]


def _record_event(record, scope: ExportScope, corrected_by, is_first: bool) -> dict:
    event = {
        "type": "ObjectEvent",
        "eventID": event_id(record, scope.base_url),
        "eventTime": _utc(record.occurred_at),
        "eventTimeZoneOffset": time_zone_offset(record),
        "action": "ADD" if is_first else "OBSERVE",
        "bizStep": biz_step(record.stage_type),
        **scope.what,
    }
    if record.submitted_at is not None:
        event["recordTime"] = _utc(record.submitted_at)
    if record.stage_type in CBV_DISPOSITIONS:
        event["disposition"] = CBV_DISPOSITIONS[record.stage_type]
    if scope.area_uri:
        event["readPoint"] = {"id": scope.area_uri}
        if record.stage_type != "shipping":  # shipped goods leave the area
            event["bizLocation"] = {"id": scope.area_uri}
    event.update(_record_fields(record))
    if corrected_by is not None:
        event["errorDeclaration"] = _error_declaration(corrected_by, scope.base_url)
    return event


def _record_fields(record) -> dict:
    """What the record says, as extension fields in our namespace (non-empty ones only)."""
    fields = {
        "suyuan:stageType": record.stage_type,
        "suyuan:title": record.title,
        "suyuan:place": record.place,
        "suyuan:operator": record.operator,
        "suyuan:details": record.details,
    }
    return {key: value for key, value in fields.items() if value not in ("", None)}


def _error_declaration(corrected_by, base_url: str) -> dict:
    """EPCIS 2.0 §7.4.1.5: the corrected version declares its error and names the event
    that replaces it."""
    declared_at = corrected_by.submitted_at or corrected_by.created_at
    declaration = {
        "declarationTime": _utc(declared_at),
        "reason": "incorrect_data",
        "correctiveEventIDs": [event_id(corrected_by, base_url)],
    }
    if corrected_by.correction_reason:
        declaration["suyuan:correctionReason"] = corrected_by.correction_reason
    return declaration


def _first_lineage(records, successor: dict) -> set[int]:
    """The ids of every version of the batch's first submitted record: its ADD event."""
    current = [r for r in records if r.status == "submitted"]
    if not current:
        return set()
    first = min(current, key=lambda r: (r.occurred_at, r.id))
    by_id = {r.id: r for r in records}
    lineage = set()
    record = first
    while record is not None and record.id not in lineage:
        lineage.add(record.id)
        record = by_id.get(record.supersedes_id)
    return lineage


def biz_step(stage_type: str) -> str:
    return CBV_BIZ_STEPS.get(stage_type) or f"{VOCAB}bizStep/{stage_type}"


def event_id(record: StageRecord, base_url: str) -> str:
    """Stable across exports (a UUID named after the record), so corrections can point at it."""
    name = f"{base_url.rstrip('/')}/id/stage-record/{record.id}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def time_zone_offset(record: StageRecord) -> str:
    """The UTC offset, ``+08:00``, of the zone the record was entered in, at its time."""
    offset = local_time(record.occurred_at, record.occurred_tz).strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


def _area_uri(area, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/id/area/{area.id}"


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:  # stored UTC without a zone (SQLite)
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


#: One function per source of events, each ``(ExportScope) -> list[event]``.
EVENT_BUILDERS: list[Callable[[ExportScope], list[dict]]] = [
    stage_record_events,
    transaction_events,
    recall_events,
]
