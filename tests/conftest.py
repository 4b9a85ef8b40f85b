"""Fixtures: an app on SQLite (default) or PostgreSQL (``SUYUAN_TEST_DB=postgresql`` with
``SUYUAN_TEST_DATABASE_URL``), a clean database per test, clients logged in per role.

``SUYUAN_TEST_STRICT=1`` (set by CI) turns a missing PostgreSQL or browser into a failure.
"""

import os

import pytest
from sqlalchemy import text

from suyuan import create_app
from suyuan.extensions import db
from suyuan.models import Base
from tests import factories

STRICT = os.environ.get("SUYUAN_TEST_STRICT") == "1"
PG_URL = os.environ.get("SUYUAN_TEST_DATABASE_URL", "")
USE_PG = os.environ.get("SUYUAN_TEST_DB") == "postgresql"


def missing(reason: str):
    """Skip locally, fail in CI: a required part of the test environment is absent."""
    if STRICT:
        pytest.fail(f"required for CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if USE_PG:
        if not PG_URL:
            missing("SUYUAN_TEST_DB=postgresql needs SUYUAN_TEST_DATABASE_URL")
        return PG_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "CODE_KEY": "test-code-key",
            "DATABASE_URL": database_url,
            "BASE_URL": "http://suyuan.test",
            "UPLOAD_FOLDER": str(instance / "uploads"),
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_FAST": True,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _wipe():
    tables = Base.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(autouse=True)
def _clean_database(request):
    yield
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        with app.app_context():
            db.session.remove()
            _wipe()


@pytest.fixture
def ctx(app):
    """An application context with the session, for tests that build data directly."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(app):
    """``login(user)`` returns a test client signed in as ``user`` (optionally in a role)."""

    def _login(user, role: str | None = None):
        client = app.test_client()
        response = client.post(
            "/auth/login", data={"email": user.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 302, response.data
        if role:
            response = client.post("/auth/role", data={"role": role})
            assert response.status_code == 302
        return client

    return _login


@pytest.fixture
def world(ctx):
    """Two approved enterprises in different provinces, each with a product and a batch."""
    return factories.make_world()
