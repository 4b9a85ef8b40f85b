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

TRANSACTION_KIND_LABELS = {
    "finished_in": _l("Finished-goods inbound"),
    "purchase_in": _l("Purchase inbound"),
    "purchase_return": _l("Purchase return"),
    "sales_out": _l("Sales outbound"),
    "sales_return": _l("Sales return"),
}
TRANSACTION_STATUS_LABELS = {
    "draft": _l("Draft"),
    "pending": _l("Awaiting confirmation"),
    "disputed": _l("Disputed"),
    "submitted": _l("Submitted"),
    "superseded": _l("Superseded"),
}
#: Units a transaction line may use (stock is kept per batch and unit).
UNITS = {
    "piece": _l("piece"),
    "box": _l("box"),
    "carton": _l("carton"),
    "bottle": _l("bottle"),
    "kg": _l("kg"),
    "t": _l("tonne"),
}
COUNTERPARTY_ROLE_LABELS = {
    "supplier": _l("Supplier"),
    "customer": _l("Customer"),
    "both": _l("Supplier and customer"),
}
COUNTERPARTY_TYPE_LABELS = {
    "producer": _l("Producer"),
    "distributor": _l("Distributor"),
    "retailer": _l("Retailer"),
    "other": _l("Other"),
}
COUNTERPARTY_STATUS_LABELS = {"normal": _l("Normal"), "disabled": _l("Disabled")}
MISMATCH_LABELS = {
    "quantity": _l("Quantities differ"),
    "batch": _l("Batches differ"),
    "overdue": _l("Not confirmed in time"),
    "disputed": _l("Disputed"),
    "unmatched": _l("No matching document on the other side"),
}

_TABLES = {
    "category": CATEGORIES,
    "stage": STAGE_TYPES,
    "filing_status": FILING_STATUS_LABELS,
    "batch_status": BATCH_STATUS_LABELS,
    "record_status": RECORD_STATUS_LABELS,
    "range_status": RANGE_STATUS_LABELS,
    "transaction_kind": TRANSACTION_KIND_LABELS,
    "transaction_status": TRANSACTION_STATUS_LABELS,
    "unit": UNITS,
    "counterparty_role": COUNTERPARTY_ROLE_LABELS,
    "counterparty_type": COUNTERPARTY_TYPE_LABELS,
    "counterparty_status": COUNTERPARTY_STATUS_LABELS,
    "mismatch": MISMATCH_LABELS,
}


def label_for(kind: str, value: str) -> str:
    """The translated label of ``value`` in vocabulary ``kind`` (the value itself if unknown)."""
    return str(_TABLES[kind].get(value, value))


#: Suspicious-scan review statuses and the rules that raise a flag (scan analytics).
FLAG_LABELS = {
    "open": _l("Open"),
    "reviewed": _l("Reviewed"),
    "genuine": _l("Genuine"),
    "counterfeit": _l("Counterfeit"),
}
RULE_LABELS = {
    "many_scanners": _l("Many devices"),
    "far_regions": _l("Regions far apart"),
    "out_of_region": _l("Outside the sales regions"),
    "burst": _l("Burst from one device"),
}
