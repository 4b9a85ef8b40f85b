"""axe-core (from the npm registry, ``npm ci``) finds no serious or critical violation on the
consumer pages, the login page, the enterprise portal and the regulator console, in English
on a phone and in Chinese on a desktop. axe is injected by Playwright into a context opened
with ``bypass_csp=True`` (the site's CSP forbids inline scripts); nothing else bypasses it."""

import pytest

from suyuan.demo import PASSWORD
from tests import page_audit
from tests.browser_support import PHONE
from tests.conftest import missing
from tests.demo_site import chromium, demo_site  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PROFILES = {
    "en-phone": {**PHONE, "locale": "en-US", "extra_http_headers": {"Accept-Language": "en"}},
    "zh-desktop": {**DESKTOP, "locale": "zh-CN", "extra_http_headers": {"Accept-Language": "zh"}},
}


@pytest.fixture
def axe():
    if not page_audit.axe_available():
        missing(f"axe-core is not installed at {page_audit.AXE_JS}: run `npm ci`")


@pytest.mark.parametrize("profile", PROFILES)
def test_no_serious_or_critical_violations(axe, chromium, demo_site, profile):  # noqa: F811
    pages = page_audit.audited_pages(demo_site.targets)
    audited, failures = [], []
    for name, path, found in page_audit.audit_pages(
        chromium, demo_site.url, pages, PROFILES[profile], PASSWORD
    ):
        audited.append(name)
        failures += [
            (name, path, v["id"], v["impact"], v["targets"]) for v in page_audit.blocking(found)
        ]
    assert len(audited) == sum(len(visits) for visits in pages.values())
    assert not failures, "\n".join(map(str, failures))


def test_audit_catches_a_violation(axe, chromium, demo_site):  # noqa: F811
    """The audit is live: an image without a text alternative on the scan page is reported."""
    context = chromium.new_context(**PHONE, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{demo_site.url}/q/{demo_site.targets['codes']['full']}")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')"
    )
    found = page_audit.blocking(page_audit.axe_violations(page))
    context.close()
    assert [v["id"] for v in found] == ["image-alt"]
