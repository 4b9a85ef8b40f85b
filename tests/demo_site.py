"""Fixtures for browser tests on the demo data set: Debian's Chromium and the demo seeded into
the test database, served live with CSRF on (as in production)."""

from dataclasses import dataclass

import pytest
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from suyuan.demo import sample_codes, seed_demo
from suyuan.extensions import db
from suyuan.models import Batch, Filing
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, LiveServer, chromium_available
from tests.conftest import missing


@dataclass
class DemoSite:
    url: str
    codes: dict
    batch_id: int
    filing_id: int


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
        codes = sample_codes()
        batch_id = db.session.scalar(select(Batch.id).where(Batch.lot_number == "JN-2026-HF-001"))
        filing_id = db.session.scalar(select(Filing.id).order_by(Filing.id).limit(1))
        # Outside a request every SQLite transaction is a writer: end ours before serving.
        db.session.remove()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with LiveServer(app) as server:
            yield DemoSite(server.url, codes, batch_id, filing_id)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
