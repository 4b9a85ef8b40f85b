"""Feedback round trip in headless Chromium, CSRF on: a consumer reports a problem from the
scan page and gets a check code; the enterprise admin answers in the portal; the consumer
sees the answer with the check code."""

import pytest
from playwright.sync_api import expect, sync_playwright

from tests import factories_scans
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer, chromium_available
from tests.conftest import missing
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

coded, recording = factories_scans.coded, factories_scans.recording  # fixtures


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


def test_report_answer_and_follow(chromium, live, coded):
    consumer = chromium.new_context(**PHONE).new_page()
    consumer.goto(f"{live}/q/{coded.code}")
    expect(consumer.locator("#verdict")).to_contain_text("Genuine code, first query")
    consumer.get_by_role("link", name="Report a problem").click()
    consumer.select_option("#category", "quality")
    consumer.fill("#description", "Bruised apples in a sealed box")
    consumer.fill("#contact", "shopper@example.com")
    consumer.get_by_role("button", name="Send report").click()
    check = consumer.locator("#check-code").inner_text().strip()
    assert len(check) == 14

    office = chromium.new_context(**PHONE).new_page()
    office.goto(f"{live}/auth/login")
    office.fill("#email", coded.admin_email)
    office.fill("#password", PASSWORD)
    office.click("form button[type=submit]")
    office.wait_for_url(f"{live}/portal/")
    office.goto(f"{live}/portal/feedback")
    office.get_by_role("link", name=office.locator("tbody tr td a").first.inner_text()).click()
    expect(office.locator("main")).to_contain_text("Bruised apples in a sealed box")
    expect(office.locator("main")).to_contain_text("shopper@example.com")
    office.select_option("#status", "answered")
    office.fill("#message", "Sorry: send us the box, we will replace it.")
    office.get_by_role("button", name="Save and notify").click()
    expect(office.locator(".flash")).to_contain_text("The report is updated")

    consumer.get_by_role("link", name="Follow my report").click()
    expect(consumer.locator("#status")).to_have_text("Answered")
    expect(consumer.locator("#report-status")).to_contain_text(
        "Sorry: send us the box, we will replace it."
    )
    expect(consumer.locator("#report-status")).not_to_contain_text("shopper@example.com")
    consumer.goto(f"{live}/feedback")
    consumer.fill("#check", check.replace("-", " ").lower())
    consumer.get_by_role("button", name="Look up").click()
    expect(consumer.locator("#status")).to_have_text("Answered")
