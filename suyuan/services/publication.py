"""Publication (查询管理): opening (开通查询) and closing items for public query, with a log.

Every change of an item's public flag goes through ``set_public``, which records a
``PublicationEvent`` (who, what, before → after). Nothing changes and nothing is logged when
the item already has the requested state.
"""

from flask_babel import gettext as _

from suyuan.extensions import db
from suyuan.models import (
    Attachment,
    Batch,
    Enterprise,
    Product,
    ProductionArea,
    PublicationEvent,
    StageRecord,
)
from suyuan.services.errors import DomainError, NotAllowed

#: The model behind each item type, and the column holding its public flag.
ITEM_MODELS = {
    "enterprise_profile": (Enterprise, "is_profile_public"),
    "filings": (Enterprise, "is_filings_public"),
    "production_area": (ProductionArea, "is_public"),
    "product": (Product, "is_public"),
    "batch": (Batch, "is_public"),
    "stage_record": (StageRecord, "is_public"),
    "attachment": (Attachment, "is_public"),
}
_TYPE_OF_MODEL = {
    ProductionArea: "production_area",
    Product: "product",
    Batch: "batch",
    StageRecord: "stage_record",
    Attachment: "attachment",
}


def item_type_of(item, item_type: str | None = None) -> str:
    """The item type of ``item``; an enterprise holds two items, so it needs ``item_type``."""
    if isinstance(item, Enterprise):
        if item_type not in ("enterprise_profile", "filings"):
            raise ValueError("an enterprise item needs item_type 'enterprise_profile' or 'filings'")
        return item_type
    return _TYPE_OF_MODEL[type(item)]


def is_item_public(item, item_type: str | None = None) -> bool:
    kind = item_type_of(item, item_type)
    return bool(getattr(item, ITEM_MODELS[kind][1]))


def enterprise_id_of(item) -> int:
    if isinstance(item, Enterprise):
        return item.id
    if isinstance(item, StageRecord):
        return item.batch.enterprise_id
    return item.enterprise_id


def item_label(item, item_type: str) -> str:
    """What the log shows for the item (kept as text: the item may change or go later)."""
    if item_type in ("enterprise_profile", "filings"):
        return item.name
    if isinstance(item, Batch):
        return f"{item.lot_number} · {item.product.name}"
    if isinstance(item, StageRecord):
        return f"{item.title} · {item.batch.lot_number}"
    if isinstance(item, Attachment):
        return item.filename
    return item.name


def check_publishable(item) -> None:
    """Only a submitted, current record (and its files) can be opened for public query."""
    record = item if isinstance(item, StageRecord) else getattr(item, "stage_record", None)
    if record is None or record.status == "submitted":
        return
    if record.status == "superseded":
        raise NotAllowed(
            _("This version of the record was corrected by a newer one and cannot be published.")
        )
    raise NotAllowed(_("A draft record cannot be published. Submit it first."))


def set_public(actor, item, is_public: bool, *, item_type: str | None = None) -> bool:
    """Open (``is_public=True``) or close ``item`` for public query; True if it changed.

    ``item_type`` is needed only for an enterprise ("enterprise_profile" or "filings").
    """
    kind = item_type_of(item, item_type)
    flag = ITEM_MODELS[kind][1]
    was_public = bool(getattr(item, flag))
    if was_public == bool(is_public):
        return False
    if is_public:
        check_publishable(item)
    setattr(item, flag, bool(is_public))
    db.session.add(
        PublicationEvent(
            enterprise_id=enterprise_id_of(item),
            item_type=kind,
            item_id=item.id,
            item_label=item_label(item, kind)[:200],
            was_public=was_public,
            is_public=bool(is_public),
            actor_id=actor.id,
        )
    )
    db.session.flush()
    return True


def set_batch_records_public(actor, batch: Batch, is_public: bool) -> int:
    """Open or close every submitted, current record of ``batch``; returns how many changed.

    Drafts and superseded versions are left alone (they can never be public). The records'
    attachments keep their own state.
    """
    return sum(set_public(actor, record, is_public) for record in batch.submitted_records)


def load_item(item_type: str, item_id: int):
    """The item of ``item_type`` with ``item_id``, or None (no scoping: callers scope)."""
    if item_type not in ITEM_MODELS:
        raise DomainError(_("Unknown item."))
    model = ITEM_MODELS[item_type][0]
    return db.session.get(model, item_id)
