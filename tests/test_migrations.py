"""Migrations: upgrade → downgrade → upgrade on SQLite and PostgreSQL, and the upgraded
schema matches the models (nothing autogenerate would still want to change)."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from suyuan import create_app
from suyuan.extensions import db
from suyuan.models import Base
from tests.conftest import PG_URL, missing


def _migration_app(url, tmp_path):
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "k", "CODE_KEY": "k", "TESTING": True})


@pytest.fixture(params=["sqlite", "postgresql"])
def migration_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrate.db'}"
    if not PG_URL:
        missing("PostgreSQL migration test needs SUYUAN_TEST_DATABASE_URL")
    url = PG_URL.rsplit("/", 1)[0] + "/suyuan_migrations"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS suyuan_migrations WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE suyuan_migrations"))
    admin.dispose()
    return url


def _diffs(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


@pytest.mark.skipif(os.environ.get("SUYUAN_TEST_DB") == "postgresql", reason="run once")
def test_upgrade_downgrade_upgrade(migration_url, tmp_path):
    app = _migration_app(migration_url, tmp_path)
    with app.app_context():
        upgrade()
        assert "code_ranges" in inspect(db.engine).get_table_names()
        assert _diffs(db.engine) == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _diffs(db.engine) == []
        if db.engine.dialect.name == "postgresql":
            constraints = db.session.execute(
                text("SELECT conname FROM pg_constraint WHERE contype = 'x'")
            ).scalars()
            assert {"ex_code_ranges_no_overlap", "ex_code_pools_no_overlap"} <= set(constraints)
            triggers = db.session.execute(
                text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            ).scalars()
            assert "audit_log_append_only" in set(triggers)
        db.session.remove()
        db.engine.dispose()
