"""SQL injection and hostile query strings on every list: nothing changes, nothing leaks, no
error page shows a stack trace or SQL.

Every GET route without path arguments is requested by a user who may see it, with every query
parameter the code reads (found in the source, so new lists are covered without editing this
file) set to each hostile value.
"""

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from suyuan.extensions import db
from suyuan.models import Base

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("suyuan", "portal", "admin", "query", "labels")
PARAM = re.compile(r"""request\.args\.get(?:list)?\(\s*["']([a-z_]+)["']""")
EXTRA = {"sort", "order", "dir", "per_page", "region", "lot", "batch", "product", "from", "to"}
HOSTILE = [
    "' OR '1'='1",
    "1; DROP TABLE users; --",
    "%' UNION SELECT email, password_hash FROM users --",
    "1) OR (1=1",
    "name desc; DELETE FROM products",
    "-1",
    "99999999999999999999999",
    "\x00",
    "{{7*7}}",
]
#: What an error page must never show (the hostile values themselves may be echoed, escaped).
LEAKS = ("Traceback", "sqlalchemy", "psycopg", "sqlite3", "syntax error", "Background on this")


def source_params() -> set[str]:
    found = set(EXTRA)
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            found.update(PARAM.findall(path.read_text(encoding="utf-8")))
    return found - {"next", "lang"}


def list_routes(app, prefix: str) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.rule.startswith(prefix)
    )


def row_counts() -> dict:
    db.session.expire_all()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
        if table.name != "audit_log"
    }


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameters_change_nothing_and_leak_nothing(app, world, login, value):
    other_names = {world.b.enterprise.name, world.b.product.name}
    visitors = [
        ("/portal", login(world.a.admin), other_names),
        ("/admin", login(world.gansu), {world.b.enterprise.name}),
        ("/admin", login(world.platform_admin), set()),
        ("/", app.test_client(), other_names),
    ]
    params = {name: value for name in source_params()}
    before = row_counts()
    for prefix, client, hidden in visitors:
        for route in list_routes(app, prefix):
            if route.startswith(("/static", "/auth/logout")):
                continue
            response = client.get(route, query_string=params, headers={"Accept-Language": "en"})
            body = response.get_data(as_text=True)
            assert response.status_code < 500, (route, response.status_code)
            for marker in LEAKS:
                assert marker not in body, (route, marker)
            for name in hidden:
                assert name not in body, (route, name)
    assert row_counts() == before
