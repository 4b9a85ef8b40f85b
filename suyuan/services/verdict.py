"""The verdict of one scan: genuine, seen before, suspicious, recalled, withdrawn, void, not
activated or unknown — with the scan counts and the reasons in plain words.

``verdict_for`` is a pure function of the code's lifecycle state, its scan history, the scan
being made, the enterprise's rule thresholds, the batch's declared sales regions and the
recall (if any). A recall overrides everything; the suspicious rules never block a code, they
explain and ask the consumer to report.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import get_locale
from flask_babel import gettext as _

from suyuan.regions import region_name
from suyuan.services.scans import PastScan, ScanHistory
from suyuan.services.trace import local_time
from suyuan.validators import region_covers

VERDICTS = (
    "genuine",
    "seen_before",
    "suspicious",
    "recalled",
    "withdrawn",
    "not_activated",
    "void",
    "unknown",
)
#: Lifecycle states whose verdict does not depend on scans.
FIXED_STATES = ("void", "not_activated", "unknown")


@dataclass(frozen=True)
class Rules:
    """Thresholds of the suspicious rules (an enterprise's ``ScanRules`` or the defaults)."""

    max_scanners: int = 10
    region_window_minutes: int = 60
    burst_scans: int = 20
    burst_window_minutes: int = 10

    @classmethod
    def of(cls, row) -> "Rules":
        if row is None:
            return cls()
        return cls(
            row.max_scanners,
            row.region_window_minutes,
            row.burst_scans,
            row.burst_window_minutes,
        )


def verdict_for(
    state: str,
    history: ScanHistory,
    scan: PastScan | None = None,
    rules: Rules | None = None,
    sales_regions: list[str] | tuple = (),
    recall: dict | None = None,
    is_new: bool = True,
) -> dict:
    """``state``: bound, withdrawn (batch withdrawn), void, not_activated or unknown.

    ``scan`` is the scan being made; ``is_new`` False when it is already in the history (the
    page reloaded after the consumer shared a region). The result has
    ``verdict``, ``reasons`` (strings), ``scan`` (counts) and ``findings`` ((rule, detail)
    pairs of the suspicious rules that fired, for the enterprise's review list).
    """
    rules = rules or Rules()
    counts = scan_counts(history, scan if is_new else None)
    findings = []
    if state not in FIXED_STATES and scan is not None:
        findings = suspicious_findings(history, scan, rules, sales_regions, is_new)
    if recall is not None:
        verdict, reasons = "recalled", _recall_reasons(recall)
    elif state in FIXED_STATES:
        verdict, reasons = state, [_fixed_reason(state)]
    elif state == "withdrawn":
        verdict, reasons = "withdrawn", [_withdrawn_reason()]
    elif findings:
        verdict, reasons = (
            "suspicious",
            [_finding_reason(rule, detail, rules) for rule, detail in findings],
        )
    elif counts["distinct_scanners"] > 1:
        verdict, reasons = "seen_before", [_seen_reason(counts)]
    else:
        verdict, reasons = "genuine", [_genuine_reason(counts)]
    return {"verdict": verdict, "reasons": reasons, "scan": counts, "findings": findings}


def scan_counts(history: ScanHistory, scan: PastScan | None) -> dict:
    """Counts including the scan being made, as the page and the JSON show them."""
    count = history.count + (1 if scan else 0)
    distinct = history.distinct_scanners
    if scan is not None and scan.scanner not in {past.scanner for past in history.recent}:
        distinct += 1
    first_at, first_region = history.first_at, history.first_region
    if history.count == 0 and scan is not None:
        first_at, first_region = scan.at, scan.region
    return {
        "count": count,
        "distinct_scanners": distinct,
        "first_at": first_at.replace(microsecond=0).isoformat() if first_at else None,
        "first_region": first_region,
        "current": history.current,
    }


def suspicious_findings(
    history: ScanHistory, scan: PastScan, rules: Rules, sales_regions, is_new: bool = True
) -> list[tuple[str, str]]:
    """The rules that fire, each as (rule, detail); detail is data, not prose."""
    scans = [scan, *history.recent] if is_new else history.recent
    found = []
    distinct = scan_counts(history, scan if is_new else None)["distinct_scanners"]
    if distinct >= rules.max_scanners:
        found.append(("many_scanners", str(distinct)))
    provinces = _provinces_within(scans, scan.at, rules.region_window_minutes)
    if len(provinces) >= 2:
        found.append(("far_regions", " ".join(sorted(provinces.values()))))
    outside = _outside(scans, sales_regions)
    if outside:
        found.append(("out_of_region", " ".join(outside)))
    burst = _burst(scans, scan, rules.burst_window_minutes)
    if burst >= rules.burst_scans:
        found.append(("burst", str(burst)))
    return found


def _provinces_within(scans: list[PastScan], now: datetime, minutes: int) -> dict:
    """Province prefix → a region seen in it, for scans in the last ``minutes``."""
    since = now - timedelta(minutes=minutes)
    return {s.region[:2]: s.region for s in scans if s.region and s.at >= since}


def _outside(scans: list[PastScan], sales_regions) -> list[str]:
    if not sales_regions:
        return []
    regions = {s.region for s in scans if s.region}
    return sorted(r for r in regions if not any(region_covers(sold, r) for sold in sales_regions))


def _burst(scans: list[PastScan], scan: PastScan, minutes: int) -> int:
    since = scan.at - timedelta(minutes=minutes)
    return sum(1 for s in scans if s.scanner == scan.scanner and s.at >= since)


# Plain words


def _region(code: str | None) -> str:
    return region_name(code, str(get_locale())) if code else ""


def _day(iso: str) -> str:
    return local_time(datetime.fromisoformat(iso), "").date().isoformat()


def _genuine_reason(counts: dict) -> str:
    if counts["count"] <= 1:
        return _("Genuine code, first query: nobody has checked this code before you.")
    return _(
        "Genuine code. It has been checked %(n)s times, all from this device.",
        n=counts["count"],
    )


def _seen_reason(counts: dict) -> str:
    values = {
        "n": counts["count"],
        "k": counts["distinct_scanners"],
        "date": _day(counts["first_at"]),
    }
    if counts["first_region"]:
        return _(
            "This code has been queried %(n)s times by %(k)s different devices; first on %(date)s in %(region)s.",
            region=_region(counts["first_region"]),
            **values,
        )
    return _(
        "This code has been queried %(n)s times by %(k)s different devices; first on %(date)s.",
        **values,
    )


def finding_text(rule: str, detail: str, rules: Rules | None = None) -> str:
    """One fired rule in plain words (also used by the enterprise's review list)."""
    return _finding_reason(rule, detail, rules or Rules())


def _finding_reason(rule: str, detail: str, rules: Rules) -> str:
    if rule == "many_scanners":
        return _(
            "%(k)s different devices have checked this code. A label is usually checked by a few people; this many suggests copies of it.",
            k=detail,
        )
    if rule == "far_regions":
        names = "、".join(_region(code) for code in detail.split())
        return _(
            "This code was checked in places far apart (%(regions)s) within %(minutes)s minutes: one product cannot travel that fast, so the label may have been copied.",
            regions=names,
            minutes=rules.region_window_minutes,
        )
    if rule == "out_of_region":
        names = "、".join(_region(code) for code in detail.split())
        return _(
            "This code was checked in %(regions)s, outside the regions where the producer sells this batch.",
            regions=names,
        )
    return _(
        "This code was checked %(n)s times within %(minutes)s minutes from one device.",
        n=detail,
        minutes=rules.burst_window_minutes,
    )


def _fixed_reason(state: str) -> str:
    if state == "void":
        return _(
            "This code was voided by the producer: it no longer stands for any product. If it is printed on something you bought, ask the seller or the producer."
        )
    if state == "not_activated":
        return _(
            "This code has not been activated: it was issued to a producer but is not yet bound to any product. A product carrying it has not been registered; ask the seller."
        )
    return _("This is not a registered identity code")


def _withdrawn_reason() -> str:
    return _(
        "The producer has withdrawn this batch from the market. Do not use the product; return it to the seller or contact the producer."
    )


def _recall_reasons(recall: dict) -> list[str]:
    reasons = [
        _("This product has been recalled. Stop using it and follow the producer's instructions.")
    ]
    detail = recall.get("reason") or recall.get("title")
    if detail:
        reasons.append(str(detail))
    return reasons
