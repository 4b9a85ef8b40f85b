"""The consumer's trace chain for one scanned code, built only from published items.

``public_chain`` starts from an empty chain and adds each piece only after checking that
the piece itself, and everything it hangs from, is open for public query. It is the only
source of what the query page, its JSON form and the portal preview show, so those cannot
show more than this function lets through.
"""

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import url_for
from flask_babel import get_locale

from suyuan.models import Attachment, Batch, CodeRange, Enterprise, Product, StageRecord
from suyuan.regions import region_name
from suyuan.vocab import label_for

DEFAULT_ZONE = "Asia/Shanghai"


def public_chain(code_text: str, code_range: CodeRange) -> dict:
    """What a consumer may see for ``code_text`` (20 digits), which lies in ``code_range``.

    * ``enterprise`` is null unless the profile is public; its ``filings`` only if the filings
      item is public as well.
    * ``product`` is null unless the product is public; only published images are listed.
    * ``batch`` is null unless the batch is public; its production area only if public too.
    * ``stages`` are the published, submitted, current records, and only when the batch is
      public: an unpublished batch shows no stages at all (``published.stages`` is 0), while
      ``published.total_stages`` still tells how many submitted records exist.
    * A void range shows no product, batch or stages (the code no longer vouches for them),
      only the public enterprise profile so that the consumer knows whom to ask.
    """
    batch = code_range.batch
    product = batch.product
    enterprise = product.enterprise
    is_void = code_range.status == "void"
    records = [] if is_void else batch.submitted_records
    stages = _stages(records) if not is_void and batch.is_public else []
    return {
        "code": code_text,
        "status": "void" if is_void else "bound",
        "enterprise": _enterprise(enterprise, product),
        "product": None if is_void else _product(product),
        "batch": None if is_void else _batch(batch),
        "stages": stages,
        "published": {"stages": len(stages), "total_stages": len(records)},
        # Safety overrides privacy: a recall shows whatever is published, even on a void code.
        "recall": _recall(code_text, code_range),
    }


def _recall(code_text: str, code_range: CodeRange) -> dict | None:
    from suyuan.identity import code_key
    from suyuan.services.recalls import active_recall, public_recall

    return public_recall(active_recall(code_range.batch_id, code_key().decode(code_text)))


def preview_chain(code_text: str, code_range: CodeRange) -> dict:
    """The portal preview: exactly what consumers see, nothing more."""
    return public_chain(code_text, code_range)


def is_file_public(attachment: Attachment) -> bool:
    """A file is served only when it and everything it belongs to are published."""
    if not attachment.is_public:
        return False
    record = attachment.stage_record
    if record is not None:
        return _record_is_public(record) and record.batch.is_public
    product = attachment.product
    return product is not None and product.is_public


def _record_is_public(record: StageRecord) -> bool:
    return record.is_public and record.status == "submitted"


def _enterprise(enterprise: Enterprise, product: Product) -> dict | None:
    if not enterprise.is_profile_public:
        return None
    return {
        "name": enterprise.name,
        "region_code": enterprise.region_code,
        "region": region_name(enterprise.region_code, str(get_locale())),
        "address": enterprise.address,
        "profile": enterprise.profile,
        "filings": _filings(enterprise, product) if enterprise.is_filings_public else None,
    }


def _filings(enterprise: Enterprise, product: Product) -> dict:
    """Filing statuses; the product's only when the product itself is public."""
    own = enterprise.enterprise_filing
    product_filing = product.filing if product.is_public else None
    return {
        "enterprise": _status(own),
        "enterprise_label": _status_label(own),
        "product": _status(product_filing),
        "product_label": _status_label(product_filing),
    }


def _status(filing) -> str | None:
    return filing.status if filing is not None else None


def _status_label(filing) -> str | None:
    return label_for("filing_status", filing.status) if filing is not None else None


def _product(product: Product) -> dict | None:
    if not product.is_public:
        return None
    return {
        "name": product.name,
        "category": product.category,
        "category_label": label_for("category", product.category),
        "spec": product.spec,
        "packaging_spec": product.packaging_spec,
        "gtin": product.gtin,
        "description": product.description,
        "images": [_file(image) for image in product.images if image.is_public],
    }


def _batch(batch: Batch) -> dict | None:
    if not batch.is_public:
        return None
    area = batch.production_area
    return {
        "lot_number": batch.lot_number,
        "production_date": batch.production_date.isoformat(),
        "status": batch.status,
        "status_label": label_for("batch_status", batch.status),
        "production_area": _area(area) if area is not None and area.is_public else None,
    }


def _area(area) -> dict:
    return {
        "name": area.name,
        "location": area.location,
        "area_size": area.area_size,
        "description": area.description,
    }


def _stages(records: list[StageRecord]) -> list[dict]:
    shown = [r for r in records if _record_is_public(r)]
    shown.sort(key=lambda r: (r.occurred_at, r.id))
    return [_stage(record) for record in shown]


def _stage(record: StageRecord) -> dict:
    return {
        "type": record.stage_type,
        "type_label": label_for("stage", record.stage_type),
        "occurred_at": _iso(local_time(record.occurred_at, record.occurred_tz)),
        "title": record.title,
        "place": record.place,
        "operator": record.operator,
        "details": record.details,
        "attachments": [_file(a) for a in record.attachments if a.is_public],
    }


def _file(attachment: Attachment) -> dict:
    """A published file; ``url`` is a path on this site."""
    return {
        "name": attachment.filename,
        "url": url_for("query.file", attachment_id=attachment.id, name=attachment.filename),
        "content_type": attachment.content_type,
    }


def local_time(moment: datetime, zone: str) -> datetime:
    """``moment`` in the zone it was entered in (the default zone if that name is unknown)."""
    try:
        tz = ZoneInfo(zone or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo(DEFAULT_ZONE)
    return moment.astimezone(tz)


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()
