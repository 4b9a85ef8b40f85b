"""The consumer page budget and the accessibility audit, on the demo data set.

Seeds the demo into a temporary SQLite database, serves it on a loopback port, then in
Debian's headless Chromium with a phone profile:

* loads the demo scan pages cold ``--runs`` times each under slow-4G and a 4× slower CPU
  (see ``tests.page_audit.SLOW_4G``) and reports Largest Contentful Paint and bytes
  transferred (at the load event, and after scrolling so that every lazy image is fetched);
* runs axe-core on every audited page and counts violations by impact.

    npm ci                                   # axe-core into node_modules/
    .venv/bin/python bench/page_budget.py [--runs 5] [--skip-axe]
"""

import argparse
import logging
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from suyuan import create_app  # noqa: E402
from suyuan.demo import PASSWORD, seed_demo  # noqa: E402
from suyuan.extensions import db  # noqa: E402
from tests import page_audit  # noqa: E402
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer  # noqa: E402

IMPACTS = ("critical", "serious", "moderate", "minor")


def demo_app(folder: Path):
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'demo.db'}",
            "SECRET_KEY": "bench",
            "CODE_KEY": "bench-code-key",
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_FAST": True,
        }
    )
    with app.app_context():
        db.create_all()
        seed_demo()
        db.session.commit()
        db.session.close()
    return app


def demo_targets(app) -> dict:
    with app.app_context():
        targets = page_audit.demo_targets()
        db.session.close()
    return targets


LOCALES = (("en-US", "en"), ("zh-CN", "zh"))


def locale_options(locale: str, lang: str) -> dict:
    return {**PHONE, "locale": locale, "extra_http_headers": {"Accept-Language": lang}}


def budget(browser, base: str, codes: dict, runs: int) -> None:
    print(f"## Scan page budget ({runs} cold loads each; slow-4G, CPU ×{page_audit.CPU_SLOWDOWN})")
    print(
        "| page | lang | LCP median | LCP max | FCP median | LCP element | KB at load | KB after scrolling |"
    )
    print("|---|---|---:|---:|---:|---|---:|---:|")
    for locale, lang in LOCALES:
        for name in ("full", "partial"):
            url = f"{base}/q/{codes[name]}"
            options = locale_options(locale, lang)
            loads = [page_audit.measure_load(browser, url, options) for _ in range(runs)]
            lcp = [load.lcp_ms for load in loads]
            fcp = [load.fcp_ms for load in loads]
            print(
                f"| demo code, {name} | {lang} | {statistics.median(lcp):.0f} ms | {max(lcp):.0f} ms "
                f"| {statistics.median(fcp):.0f} ms | {loads[-1].lcp_element} "
                f"| {max(x.initial_bytes for x in loads) / 1024:.1f} "
                f"| {max(x.full_bytes for x in loads) / 1024:.1f} |"
            )
            for url, size in loads[-1].requests:
                print(f"    {size / 1024:7.1f} KB  {url.removeprefix(base)}")


def axe(browser, base: str, targets: dict) -> None:
    print("## axe-core", page_audit.axe_source()[:40].split("\n")[0].strip("/*! "))
    print("| page | lang | critical | serious | moderate | minor | blocking rules |")
    print("|---|---|---:|---:|---:|---:|---|")
    pages = page_audit.audited_pages(targets)
    for locale, lang in LOCALES:
        options = locale_options(locale, lang)
        for name, _path, found in page_audit.audit_pages(browser, base, pages, options, PASSWORD):
            counts = [sum(1 for v in found if v["impact"] == impact) for impact in IMPACTS]
            rules = ", ".join(v["id"] for v in page_audit.blocking(found)) or "—"
            print(f"| {name} | {lang} | " + " | ".join(map(str, counts)) + f" | {rules} |")


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-axe", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(Path(folder))
        targets = demo_targets(app)
        with LiveServer(app) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            budget(browser, server.url, targets["codes"], args.runs)
            if not args.skip_axe:
                axe(browser, server.url, targets)
            browser.close()
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
