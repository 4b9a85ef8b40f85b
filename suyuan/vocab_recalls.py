"""Labels of the recall, non-conformance and notice vocabularies (kept beside ``suyuan.vocab``
so the recall pages own their words)."""

from flask_babel import lazy_gettext as _l

RECALL_STATE_LABELS = {
    "declared": _l("Declared"),
    "notified": _l("Downstream notified"),
    "in_progress": _l("In progress"),
    "completed": _l("Completed"),
}
#: The classes of China's recall rules, in words a consumer and an inspector both read.
SEVERITY_LABELS = {
    "I": _l("Class I — may seriously harm health"),
    "II": _l("Class II — may cause temporary or reversible harm"),
    "III": _l("Class III — unlikely to harm health, recalled for quality or labelling"),
}
ORIGIN_LABELS = {
    "enterprise": _l("Declared by the enterprise"),
    "regulator": _l("Ordered by a regulator"),
}
NONCONFORMANCE_STATUS_LABELS = {
    "open": _l("Open"),
    "handled": _l("Handled"),
    "closed": _l("Closed"),
}
FOUND_BY_LABELS = {
    "self_inspection": _l("Enterprise self-inspection"),
    "regulator": _l("Regulator inspection"),
}

_TABLES = {
    "recall_state": RECALL_STATE_LABELS,
    "severity": SEVERITY_LABELS,
    "origin": ORIGIN_LABELS,
    "nc_status": NONCONFORMANCE_STATUS_LABELS,
    "found_by": FOUND_BY_LABELS,
}


def label(kind: str, value: str) -> str:
    return str(_TABLES[kind].get(value, value))
