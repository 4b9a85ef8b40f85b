"""Sessions end when idle or old; passwords are long and uncommon; logins are throttled per
account and per client before any hashing; unknown accounts answer like wrong passwords."""

import time

import pytest

from suyuan import create_app
from suyuan.extensions import db, limiter
from tests import factories

EN = {"Accept-Language": "en"}


def _age_session(client, *, started=None, seen=None):
    with client.session_transaction() as session:
        if started is not None:
            session["_started"] = started
        if seen is not None:
            session["_seen"] = seen


def test_an_idle_session_is_signed_out(world, login):
    client = login(world.a.recorder)
    assert client.get("/portal/").status_code == 200
    _age_session(client, seen=time.time() - 31 * 60)
    response = client.get("/portal/batches", headers=EN)
    assert response.status_code == 302 and "/auth/login" in response.location
    page = client.get(response.location, headers=EN).text
    assert "after 30 minutes without activity" in page
    assert client.get("/portal/").status_code == 302  # still signed out


def test_activity_keeps_a_session_alive(world, login):
    client = login(world.a.recorder)
    _age_session(client, seen=time.time() - 29 * 60)
    assert client.get("/portal/").status_code == 200
    _age_session(client, started=time.time() - 3600)
    assert client.get("/portal/batches").status_code == 200


def test_a_session_ends_hours_after_sign_in_even_when_active(world, login):
    client = login(world.a.recorder)
    _age_session(client, started=time.time() - 12 * 3600 - 5, seen=time.time())
    response = client.get("/portal/", headers=EN)
    assert response.status_code == 302
    assert "12 hours after signing in" in client.get(response.location, headers=EN).text


def test_an_expired_session_answers_json_clients_with_401(world, login):
    client = login(world.a.recorder)
    _age_session(client, seen=time.time() - 3600)
    response = client.get("/portal/", headers={"Accept": "application/json", **EN})
    assert response.status_code == 401
    assert "without activity" in response.get_json()["error"]


def _register(client, password, email="new.owner@example.com"):
    return client.post(
        "/auth/register",
        headers=EN,
        data={
            "name": "Password Test Farm",
            "credit_code": factories.credit_code(),
            "region_code": "620100",
            "address": "1 Road",
            "legal_representative": "Li",
            "contact_name": "Han",
            "contact_phone": "1",
            "account_name": "Owner",
            "email": email,
            "password": password,
            "confirm": password,
        },
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "between 10 and 128 characters"),  # the form's own check, before the service
        ("1234567890", "too easy to guess"),
        ("iloveyou12", "too easy to guess"),
        ("new.owner-2026!", "too easy to guess"),  # contains the e-mail name
    ],
)
def test_weak_passwords_are_refused_with_a_reason(ctx, client, password, message):
    response = _register(client, password)
    assert response.status_code == 400
    assert message in response.text


def test_a_strong_password_is_accepted(ctx, client):
    assert _register(client, "plum blossom over Lanzhou").status_code == 302


@pytest.fixture
def limited(app, database_url):
    """An app with rate limits on. The limiter is one object shared by every app, so its
    switch is put back afterwards for the other tests (which run with limits off)."""
    limited = create_app(
        {**{k: app.config[k] for k in ("SECRET_KEY", "CODE_KEY", "AUDIT_KEY")},
         "TESTING": True, "DATABASE_URL": database_url, "WTF_CSRF_ENABLED": False,
         "PASSWORD_HASH_FAST": True, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}
    )  # fmt: skip
    limiter.reset()
    db.session.commit()  # another app's requests must not wait for this session's lock
    yield limited
    limiter.reset()
    limiter.enabled = False
    with limited.app_context():
        db.engine.dispose()  # close its pooled connections now, not at garbage collection


def test_login_is_throttled_per_account_across_clients(world, limited):
    email = world.a.recorder.email
    db.session.commit()
    answers = []
    for attempt in range(7):
        client = limited.test_client()
        environ = {"REMOTE_ADDR": f"10.0.0.{attempt + 1}"}
        response = client.post(
            "/auth/login", data={"email": email, "password": "wrong"}, environ_base=environ
        )
        answers.append(response.status_code)
    assert answers[:5] == [401] * 5
    assert answers[5:] == [429, 429]


def test_login_is_throttled_per_client_across_accounts(world, limited):
    client = limited.test_client()
    answers = [
        client.post(
            "/auth/login", data={"email": f"nobody{n}@example.com", "password": "wrong"}
        ).status_code
        for n in range(12)
    ]
    assert answers[:10] == [401] * 10 and answers[10:] == [429, 429]


def test_unknown_account_and_wrong_password_get_the_same_answer(world, client):
    def answer(email):
        response = client.post(
            "/auth/login", data={"email": email, "password": "wrong password"}, headers=EN
        )
        body = response.text.split('<main id="main">')[1]
        return response.status_code, body.replace(email, "EMAIL")

    assert answer(world.a.recorder.email) == answer("nobody@example.com")
