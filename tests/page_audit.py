"""Page audits in headless Chromium: axe-core accessibility checks and the scan page budget
(Largest Contentful Paint and bytes transferred on a throttled phone).

Used by ``tests/test_accessibility.py``, ``tests/test_page_budget.py`` and
``bench/page_budget.py``. axe-core comes from the npm registry (``npm ci`` at the project
root installs it into ``node_modules/``).
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"

#: Impacts that fail the audit; "minor" and "moderate" findings are reported, not fatal.
BLOCKING = ("serious", "critical")

#: Chrome DevTools' "Slow 4G" preset (formerly "Fast 3G"; Lighthouse's mobile profile uses
#: the same 1.6 Mbps): 562.5 ms round trip, 1.44 Mbps down, 675 kbps up. The CPU runs four
#: times slower, as Lighthouse does for a mid-range phone.
SLOW_4G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1_440_000 / 8,
    "uploadThroughput": 675_000 / 8,
}
CPU_SLOWDOWN = 4

LCP_BUDGET_MS = 1500
TRANSFER_BUDGET_BYTES = 150 * 1024

_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
  }));
}"""

_LCP = """() => new Promise(resolve => {
  new PerformanceObserver(list => {
    const entries = list.getEntries();
    const last = entries[entries.length - 1];
    const el = last.element;
    resolve({
      ms: last.startTime,
      element: el ? el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') : '',
    });
  }).observe({type: 'largest-contentful-paint', buffered: true});
  setTimeout(() => resolve(null), 5000);
})"""

_FCP = """() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return paint ? paint.startTime : null;
}"""


def axe_available() -> bool:
    return AXE_JS.is_file()


@cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Every axe-core violation on the page as loaded, each with its impact and targets.

    The page's CSP forbids inline scripts, so the context must be opened with
    ``bypass_csp=True`` for the injection to run (only for this audit).
    """
    page.add_script_tag(content=axe_source())
    return page.evaluate(_AXE_RUN)


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]


@dataclass
class PageLoad:
    """One cold load of a page on the throttled phone."""

    url: str
    lcp_ms: float
    lcp_element: str
    fcp_ms: float
    initial_bytes: int
    full_bytes: int
    requests: list[tuple[str, int]] = field(default_factory=list)


def measure_load(browser, url: str, context_options: dict) -> PageLoad:
    """Load ``url`` cold in a new context with slow-4G and a 4× slower CPU.

    Bytes are what came over the wire (``Network.loadingFinished`` encodedDataLength: headers
    and bodies as sent) once the network is idle after the load event ("initial"), and again
    after scrolling to the end, when every lazy image has been fetched ("full").
    """
    context = browser.new_context(**context_options)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        sizes: dict[str, int] = {}
        urls: dict[str, str] = {}
        cdp.on(
            "Network.requestWillBeSent",
            lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
        )
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        lcp = page.evaluate(_LCP)
        fcp = page.evaluate(_FCP)
        initial = sum(sizes.values())
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(300)
        page.wait_for_load_state("networkidle")
        requests = [(urls.get(rid, "?"), size) for rid, size in sizes.items()]
        return PageLoad(
            url=url,
            lcp_ms=lcp["ms"] if lcp else float("inf"),
            lcp_element=lcp["element"] if lcp else "",
            fcp_ms=fcp or float("inf"),
            initial_bytes=initial,
            full_bytes=sum(sizes.values()),
            requests=requests,
        )
    finally:
        context.close()


def demo_targets() -> dict:
    """What the audit visits in the demo data set (inside an app context): the sample codes,
    the apple cooperative, its fully published batch, the first filing."""
    from sqlalchemy import select

    from suyuan.demo import sample_codes
    from suyuan.extensions import db
    from suyuan.models import Batch, Filing

    batch = db.session.scalar(select(Batch).where(Batch.lot_number == "JN-2026-HF-001"))
    return {
        "codes": sample_codes(),
        "batch": batch.id,
        "enterprise": batch.product.enterprise_id,
        "filing": db.session.scalar(select(Filing.id).order_by(Filing.id).limit(1)),
    }


def audited_pages(targets: dict) -> dict:
    """The pages the accessibility audit covers on the demo data set (``targets`` from
    ``demo_targets``), grouped by who looks at them: ``{(e-mail, role) or None: [(name,
    path[, expected status]), ...]}`` — the public pages, the apple cooperative's portal as
    enterprise admin, the Gansu regulator's console, the platform admin's code pools."""
    codes, batch = targets["codes"], targets["batch"]
    return {
        None: [
            ("scan page", f"/q/{codes['full']}"),
            ("scan page, partly published", f"/q/{codes['partial']}"),
            ("code entry", "/"),
            ("unknown code", f"/q/{codes['unknown']}", 404),
            ("login", "/auth/login"),
        ],
        ("admin@apple.demo", "admin"): [
            ("portal overview", "/portal/"),
            ("products", "/portal/products"),
            ("batches", "/portal/batches"),
            ("batch page", f"/portal/batches/{batch}"),
            ("codes", "/portal/codes"),
            ("codes of a batch", f"/portal/batches/{batch}/codes"),
            ("query management", "/portal/publication"),
        ],
        ("gansu@regulator.demo", None): [
            ("console index", "/admin/"),
            ("filings", "/admin/filings"),
            ("a filing", f"/admin/filings/{targets['filing']}"),
            ("an enterprise", f"/admin/enterprises/{targets['enterprise']}"),
        ],
        ("admin@suyuan.demo", None): [
            ("code pools", "/admin/pools"),
        ],
    }


def audit_pages(browser, base: str, pages: dict, options: dict, password: str):
    """Yield (name, path, violations) for every page of ``audited_pages``; each visitor
    signs in once, in a context that bypasses the CSP so that axe-core can be injected."""
    for visitor, visits in pages.items():
        context = browser.new_context(**options, bypass_csp=True)
        try:
            page = context.new_page()
            if visitor is not None:
                sign_in(page, base, visitor[0], password, role=visitor[1])
            for name, path, *status in visits:
                response = page.goto(base + path)
                expected = status[0] if status else 200
                assert response.status == expected, f"{name}: {path} answered {response.status}"
                yield name, path, axe_violations(page)
        finally:
            context.close()


def sign_in(page, base: str, email: str, password: str, role: str | None = None) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    assert "/auth/login" not in page.url, f"could not sign in as {email}"
    if role is not None and page.locator("#role-switch").count():
        page.select_option("#role-switch", role)
        page.click("header form:has(#role-switch) button[type=submit]")
        page.wait_for_load_state("load")
