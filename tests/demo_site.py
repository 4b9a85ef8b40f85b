"""Fixtures for browser tests on the demo data set: Debian's Chromium and the demo seeded into
the test database, served live with CSRF on (as in production)."""

from dataclasses import dataclass

import pytest
from playwright.sync_api import sync_playwright

from suyuan.demo import seed_demo
from suyuan.extensions import db
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, LiveServer, chromium_available
from tests.conftest import missing
from tests.page_audit import demo_targets


@dataclass
class DemoSite:
    url: str
    targets: dict


@pytest.fixture
def chromium():
    if not chromium_available():
        missing(f"browser tests need Debian's Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_site(app):
    with app.app_context():
        seed_demo()
        db.session.commit()
        targets = demo_targets()
        # Outside a request every SQLite transaction is a writer: end ours before serving.
        db.session.remove()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with LiveServer(app) as server:
            yield DemoSite(server.url, targets)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
