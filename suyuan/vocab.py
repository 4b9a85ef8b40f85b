"""Controlled vocabularies: product categories, stage types per category, statuses.

Stage types follow seed 002 (farm records) and seed 000 (factory records); storage and
shipping apply to every category.
"""

from flask_babel import lazy_gettext as _l

CATEGORIES = {
    "fruit": _l("Fruit"),
    "vegetable": _l("Vegetables"),
    "grain": _l("Grain and oil crops"),
    "tea": _l("Tea"),
    "processed_food": _l("Processed food"),
    "cosmetics": _l("Cosmetics"),
}

FARM_CATEGORIES = ("fruit", "vegetable", "grain", "tea")

FARM_STAGES = {
    "planting": _l("Planting"),
    "grafting": _l("Grafting"),
    "fertilizing": _l("Fertilizing"),
    "irrigation": _l("Irrigation"),
    "pest_control": _l("Pest control"),
    "harvest": _l("Harvest"),
}
FACTORY_STAGES = {
    "raw_material_intake": _l("Raw material intake"),
    "processing": _l("Processing"),
    "filling": _l("Filling"),
    "inspection": _l("Inspection"),
    "packaging": _l("Packaging"),
}
COMMON_STAGES = {
    "storage": _l("Storage"),
    "cold_storage": _l("Cold storage"),
    "shipping": _l("Shipping"),
}

STAGE_TYPES = {**FARM_STAGES, **FACTORY_STAGES, **COMMON_STAGES}


def stage_types_for(category: str) -> dict:
    """The stage types a product of ``category`` may record, in life order."""
    own = FARM_STAGES if category in FARM_CATEGORIES else FACTORY_STAGES
    return {**own, **COMMON_STAGES}


FILING_STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted for review"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
}
BATCH_STATUS_LABELS = {
    "in_production": _l("In production"),
    "released": _l("Released"),
    "withdrawn": _l("Withdrawn"),
}
RECORD_STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "superseded": _l("Superseded"),
}
RANGE_STATUS_LABELS = {
    "bound": _l("Bound"),
    "void": _l("Voided"),
    "released": _l("Unbound"),
}

_TABLES = {
    "category": CATEGORIES,
    "stage": STAGE_TYPES,
    "filing_status": FILING_STATUS_LABELS,
    "batch_status": BATCH_STATUS_LABELS,
    "record_status": RECORD_STATUS_LABELS,
    "range_status": RANGE_STATUS_LABELS,
}


def label_for(kind: str, value: str) -> str:
    """The translated label of ``value`` in vocabulary ``kind`` (the value itself if unknown)."""
    return str(_TABLES[kind].get(value, value))
