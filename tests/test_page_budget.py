"""The consumer scan page budget on the demo data set, a product requirement: on a phone
with slow 4G (Chrome DevTools' preset: 562.5 ms per request, 1.44 Mbps down) and a 4× slower
CPU, Largest Contentful Paint under 1.5 s and under 150 KB transferred, every lazy image
included. Also: images are sized and lazy, and the print stylesheet keeps only the result."""

import statistics

import pytest
from playwright.sync_api import expect

from tests import page_audit
from tests.browser_support import PHONE
from tests.demo_site import chromium, demo_site  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

RUNS = 3
LOCALES = {
    "en": {**PHONE, "locale": "en-US", "extra_http_headers": {"Accept-Language": "en"}},
    "zh": {**PHONE, "locale": "zh-CN", "extra_http_headers": {"Accept-Language": "zh"}},
}


@pytest.mark.parametrize("lang", LOCALES)
def test_demo_scan_page_meets_the_budget(chromium, demo_site, lang):  # noqa: F811
    url = f"{demo_site.url}/q/{demo_site.targets['codes']['full']}"
    loads = [page_audit.measure_load(chromium, url, LOCALES[lang]) for _ in range(RUNS)]
    lcp = statistics.median(load.lcp_ms for load in loads)
    transferred = max(load.full_bytes for load in loads)
    fetched = [path for path, _ in loads[0].requests]
    # The demo page carries its two photos: the budget is measured with images, not without.
    assert sum("/files/" in path for path in fetched) == 2, fetched
    assert lcp < page_audit.LCP_BUDGET_MS, f"LCP {lcp:.0f} ms ({[x.lcp_ms for x in loads]})"
    assert transferred < page_audit.TRANSFER_BUDGET_BYTES, f"{transferred} bytes: {fetched}"


def test_scan_page_images_are_sized_and_lazy(chromium, demo_site):  # noqa: F811
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{demo_site.url}/q/{demo_site.targets['codes']['full']}")
    images = page.locator("main img")
    expect(images).to_have_count(2)
    for i in range(2):
        image = images.nth(i)
        expect(image).to_have_attribute("loading", "lazy")
        expect(image).to_have_attribute("width", "128")
        expect(image).to_have_attribute("height", "96")
        expect(image).not_to_have_attribute("alt", "")
        box = image.bounding_box()
        assert (round(box["width"]), round(box["height"])) == (128, 96)
    context.close()


def test_printed_scan_page_keeps_only_the_result(chromium, demo_site):  # noqa: F811
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    scan_url = f"/q/{demo_site.targets['codes']['full']}"
    page.goto(demo_site.url + scan_url)
    print_line = page.locator(".print-only")
    expect(print_line).to_be_hidden()
    page.emulate_media(media="print")
    hidden = page.locator("header.topbar, footer.footer, main .no-print, main form").all()
    assert len(hidden) >= 3
    for chrome in hidden:
        expect(chrome).to_be_hidden()
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("ol.timeline > li")).to_have_count(6)
    expect(print_line).to_be_visible()
    expect(print_line).to_contain_text("http://suyuan.test" + scan_url)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(255, 255, 255)"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    context.close()
