"""Tokens: bearer header only, hashed, revocable at once, permission-checked, tied to the
admin who created them, and rate-limited per token."""

import pytest

from suyuan import create_app
from suyuan.extensions import db, limiter
from suyuan.models import ApiToken
from suyuan.services.tokens import hash_secret, revoke_token
from tests import factories
from tests.api.conftest import ApiClient, error_of
from tests.factories_api import make_token


def test_no_token_is_401_with_bearer_challenge(api, world):
    response = api().get("/products")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["code"] == "unauthorized"


def test_unknown_token_is_401(api, world):
    response = api("sy_" + "x" * 43).get("/products")
    assert response.status_code == 401
    assert "unknown or has been revoked" in error_of(response)["message"]


def test_token_is_long_prefixed_and_stored_hashed(world, tokens):
    assert tokens.a.startswith("sy_") and len(tokens.a) >= 3 + 43  # 32 random bytes
    stored = db.session.query(ApiToken).filter_by(enterprise_id=world.a.enterprise.id).one()
    assert stored.secret_hash == hash_secret(tokens.a) and tokens.a not in stored.secret_hash
    assert stored.prefix == tokens.a[:10]


@pytest.mark.parametrize("query", ["access_token={t}", "token={t}", "api_key=abc", "q={t}"])
def test_token_in_query_string_is_refused(api, tokens, query):
    response = api().get("/products?" + query.format(t=tokens.a))
    assert response.status_code == 400
    assert "query string" in error_of(response)["message"]


def test_token_in_query_string_is_refused_even_with_a_header(a, tokens):
    assert a.get(f"/products?access_token={tokens.a}").status_code == 400


def test_revoked_token_is_401_at_once(a, world, tokens):
    assert a.get("/products").status_code == 200
    revoke_token(db.session.query(ApiToken).filter_by(secret_hash=hash_secret(tokens.a)).one())
    db.session.commit()
    response = a.get("/products")
    assert response.status_code == 401
    assert "revoked" in error_of(response)["message"]


def test_token_dies_when_its_admin_leaves_the_admin_role(a, world):
    membership = world.a.admin.membership
    membership.is_admin = False
    db.session.commit()
    assert a.get("/products").status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "permission"),
    [
        ("GET", "/products", "read"),
        ("POST", "/products", "write"),
        ("PATCH", "/enterprise", "write"),
        ("PUT", "/publication/batch/{batch}", "publish"),
        ("POST", "/batches/{batch}/code-ranges", "codes"),
    ],
)
def test_missing_permission_is_403_naming_it(api, world, method, path, permission):
    others = [p for p in ("read", "write", "publish", "codes") if p != permission]
    client = api(make_token(world.a, others))
    response = client.request(method, path.format(batch=world.a.batch.id), json={})
    assert response.status_code == 403
    assert f"“{permission}”" in error_of(response)["message"]


def test_enterprise_token_cannot_use_regulator_endpoints_and_back(api, tokens):
    assert api(tokens.a).get("/regulator/enterprises").status_code == 403
    response = api(tokens.gansu).get("/products")
    assert response.status_code == 403
    assert "regulator" in error_of(response)["message"]


def test_cookies_do_not_authenticate(login, world):
    client = login(world.a.admin, "admin")
    assert client.get("/api/v1/products").status_code == 401


def test_post_without_csrf_token_works_with_a_bearer_token(app, a, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert a.post("/products", json={"name": "Kiwi", "category": "fruit"}).status_code == 201


@pytest.fixture
def limited_app(app, database_url, monkeypatch):
    """A second app on the same database with rate limits on (the session app has them off,
    and Flask-Limiter only sets itself up when enabled)."""
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)  # restored afterwards
    config = {key: app.config[key] for key in ("SECRET_KEY", "CODE_KEY", "UPLOAD_FOLDER")}
    limited = create_app(
        {
            **config,
            "TESTING": True,
            "DATABASE_URL": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "API_RATE_LIMIT": "3 per minute",
        }
    )
    yield limited
    with limited.app_context():
        db.engine.dispose()


def test_rate_limit_per_token_answers_429(limited_app, world):
    first, second = make_token(world.a), make_token(world.a)
    client = ApiClient(limited_app.test_client(), first)
    statuses = [client.get("/products").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert error_of(client.get("/products"))["code"] == "rate_limited"
    # another token has its own budget
    assert ApiClient(limited_app.test_client(), second).get("/products").status_code == 200


def test_last_used_is_recorded(a, world, tokens):
    a.get("/products")
    token = db.session.query(ApiToken).filter_by(secret_hash=hash_secret(tokens.a)).one()
    db.session.refresh(token)
    assert token.last_used_at is not None


def test_regulator_token_needs_a_regulator(world):
    from suyuan.services.errors import NotAllowed
    from suyuan.services.tokens import create_regulator_token

    with pytest.raises(NotAllowed):
        create_regulator_token(factories.make_user(), "nope")
