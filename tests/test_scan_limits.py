"""Enumeration defence on the public resolve: per-client, failures-only and global limits,
429 with Retry-After, and X-Forwarded-For believed only from configured proxies."""

import random
import time

import pytest

from suyuan import create_app
from suyuan.extensions import db, limiter
from suyuan.identity import damm_digit
from tests.factories import make_world
from tests.factories_scans import make_coded

EN = {"Accept-Language": "en"}


@pytest.fixture
def limited_app(app, database_url, tmp_path):
    """The app with rate limits on (the suite runs with them off) and small limits."""
    built = []

    def build(**limits):
        config = {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "CODE_KEY": "test-code-key",
            "DATABASE_URL": database_url,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "PASSWORD_HASH_FAST": True,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "SCAN_RATE_LIMIT": "300 per minute",
            "SCAN_FAILURE_LIMIT": "20 per minute",
            "SCAN_GLOBAL_LIMIT": "100000 per minute",
            **limits,
        }
        limited = create_app(config)
        built.append(limited)
        with limited.app_context():
            coded = make_coded(make_world())
            db.session.remove()
        return limited, coded

    yield build
    for limited in built:  # its own engine: close its connections (PostgreSQL warns otherwise)
        with limited.app_context():
            db.session.remove()
            db.engine.dispose()
    # The limiter is one object shared by every app: switch it back off for the suite.
    limiter.reset()
    limiter.enabled = False


def random_well_formed_code(rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789") for _ in range(19))
    return body + str(damm_digit(body))


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.mark.once  # the limiter keeps its counts in memory or Redis, not in the database
def test_ten_thousand_guesses_are_throttled_and_others_still_scan(limited_app):
    app, coded = limited_app()
    guesser, shopper = client_at(app, "192.0.2.10"), client_at(app, "192.0.2.20")
    rng = random.Random(5)
    statuses = []
    started = time.perf_counter()
    for _ in range(10_000):
        statuses.append(guesser.get(f"/q/{random_well_formed_code(rng)}.json").status_code)
    elapsed = time.perf_counter() - started
    assert statuses[:20] == [404] * 20  # the configured failure limit
    assert set(statuses[20:]) == {429}
    assert elapsed < 60, f"10,000 requests took {elapsed:.0f} s"
    refused = guesser.get(f"/q/{coded.code}.json")
    assert refused.status_code == 429  # once throttled, the guesser gets nothing at all
    assert int(refused.headers["Retry-After"]) > 0
    for _ in range(30):
        response = shopper.get(f"/q/{coded.code}.json")
        assert response.status_code == 200
        assert response.get_json()["verdict"] in ("genuine", "seen_before")


def test_valid_scans_are_throttled_later_than_failures(limited_app):
    app, coded = limited_app(SCAN_RATE_LIMIT="40 per minute", SCAN_FAILURE_LIMIT="5 per minute")
    client = client_at(app, "192.0.2.30")
    statuses = [client.get(f"/q/{coded.code}.json").status_code for _ in range(41)]
    assert statuses == [200] * 40 + [429]
    other = client_at(app, "192.0.2.31")
    guesses = [other.get("/q/12345678901234567890.json").status_code for _ in range(6)]
    assert guesses == [404] * 5 + [429]


def test_429_page_says_to_wait(limited_app):
    app, coded = limited_app(SCAN_RATE_LIMIT="2 per minute")
    client = client_at(app, "192.0.2.40")
    for _ in range(2):
        client.get(f"/q/{coded.code}", headers=EN)
    response = client.get(f"/q/{coded.code}", headers=EN)
    assert response.status_code == 429
    assert "Too many requests; please wait a moment" in response.text
    assert "Retry-After" in response.headers


def test_global_limit_covers_all_clients(limited_app):
    app, coded = limited_app(SCAN_GLOBAL_LIMIT="5 per minute")
    statuses = [
        client_at(app, f"192.0.2.{50 + n}").get(f"/q/{coded.code}.json").status_code
        for n in range(7)
    ]
    assert statuses == [200] * 5 + [429] * 2


def test_forwarded_for_is_ignored_unless_from_a_trusted_proxy(limited_app):
    app, coded = limited_app(SCAN_RATE_LIMIT="3 per minute")
    client = client_at(app, "192.0.2.60")
    # A client cannot dodge its limit by inventing a new X-Forwarded-For on each request.
    statuses = [
        client.get(
            f"/q/{coded.code}.json", headers={"X-Forwarded-For": f"198.51.100.{n}"}
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_trusted_proxy_passes_the_client_address(limited_app):
    app, coded = limited_app(SCAN_RATE_LIMIT="3 per minute", TRUSTED_PROXIES="10.9.0.0/16")
    proxy = client_at(app, "10.9.0.5")

    def via_proxy(address):
        headers = {"X-Forwarded-For": f"{address}, 10.9.0.7"}
        return proxy.get(f"/q/{coded.code}.json", headers=headers).status_code

    assert [via_proxy("198.51.100.1") for _ in range(4)] == [200, 200, 200, 429]
    assert via_proxy("198.51.100.2") == 200  # another client behind the same proxy
