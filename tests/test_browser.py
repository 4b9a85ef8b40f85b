"""End to end in headless Chromium with a phone viewport: a recorder binds a range, the
enterprise admin publishes two stage records, and the consumer page for a code in that range
shows exactly those two. CSRF is on, as in production."""

import pytest
from playwright.sync_api import expect, sync_playwright

from suyuan.extensions import db
from suyuan.identity import code_key, group
from tests import factories
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer, chromium_available
from tests.conftest import missing

pytestmark = pytest.mark.browser


@pytest.fixture
def chromium():
    if not chromium_available():
        missing(f"browser tests need Debian's Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with LiveServer(app) as server:
            yield server.url
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def orchard(world):
    side = world.a
    enterprise, batch = side.enterprise, side.batch
    enterprise.is_profile_public = True
    side.product.is_public = True
    batch.is_public = True
    titles = ["Grafting Fuji scions", "Organic fertilizer", "Drip irrigation"]
    for stage, title in zip(("grafting", "fertilizing", "irrigation"), titles, strict=True):
        factories.make_record(batch, side.recorder, stage_type=stage, title=title)
    db.session.commit()
    plain = {
        "batch_id": batch.id,
        "recorder": side.recorder.email,
        "admin": side.admin.email,
    }
    # Outside a request every SQLite transaction is a writer (BEGIN IMMEDIATE): end ours so
    # the live server's requests are not kept waiting.
    db.session.close()
    return plain, titles


def sign_in(page, base, email):
    page.goto(f"{base}/auth/login")
    page.fill("#email", email)
    page.fill("#password", factories.PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/portal/")


def sign_out(page):
    page.click("text=Log out")


def test_bind_publish_scan(chromium, live, orchard, app):
    side, titles = orchard
    key = code_key(app)
    first, last, scanned = key.encode(100), key.encode(199), key.encode(150)
    context = chromium.new_context(**PHONE)
    page = context.new_page()

    sign_in(page, live, side["recorder"])
    page.goto(f"{live}/portal/batches/{side['batch_id']}/codes")
    page.fill("#first_code", group(first))
    page.fill("#last_code", group(last))
    page.get_by_role("button", name="Bind codes").first.click()
    expect(page.locator("main")).to_contain_text(group(first))
    expect(page.locator("main")).to_contain_text("100")
    sign_out(page)

    sign_in(page, live, side["admin"])
    page.goto(f"{live}/portal/publication/batches/{side['batch_id']}")
    for title in (titles[0], titles[2]):
        row = page.locator("tr", has_text=title)
        row.get_by_role("button", name="Open query").click()
        expect(page.locator("tr", has_text=title)).to_contain_text("Close query")
    context.close()

    consumer = chromium.new_context(**PHONE).new_page()
    consumer.goto(f"{live}/q/{scanned}")
    timeline = consumer.locator("ol.timeline > li")
    expect(timeline).to_have_count(2)
    expect(timeline.nth(0)).to_contain_text(titles[0])
    expect(timeline.nth(1)).to_contain_text(titles[2])
    expect(consumer.locator("main")).not_to_contain_text(titles[1])
    expect(consumer.locator(".published-count")).to_contain_text("2 of 3")
    width = consumer.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], "the scan page scrolls sideways on a phone"
    consumer.context.close()
