"""Lists, dashboards and exports show nothing of another tenant or region.

The access matrix checks who may open each page; this checks what the pages that take no
object show: every portal list (and CSV export) opened by enterprise B's members, and every
console list opened by the regulator of another province, must name none of enterprise A's
objects (its name, credit code, lot, non-conformance, consumer report, notice, document).
"""

import re

import pytest
from werkzeug.routing.converters import AnyConverter

from tests.factories_access import make_objects

EN = {"Accept-Language": "en"}


def marks(objects) -> dict[str, re.Pattern]:
    a = objects.world.a
    words = {
        "A's name": a.enterprise.name,
        "A's credit code": a.enterprise.credit_code,
        "A's lot": a.batch.lot_number,
        "A's non-conformance": objects.more.nonconformance.reason,
        "A's consumer report": objects.more.feedback.description,
        "A's counterparty": objects.more.counterparty.name,
        "A's document": objects.more.transaction.number,
    }
    return {
        name: re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])") for name, word in words.items()
    }


def object_free_urls(app, prefixes: tuple[str, ...]) -> list[str]:
    """GET routes of ``prefixes`` that name no object (lists, dashboards, exports as CSV)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(prefixes) or "GET" not in rule.methods:
            continue
        values = {}
        for arg, converter in rule._converters.items():
            if not isinstance(converter, AnyConverter):
                break
            values[arg] = "csv" if "csv" in converter.items else sorted(converter.items)[0]
        else:
            urls.append(rule.build(values, append_unknown=False)[1])
    return sorted(set(urls))


def leaks(client, urls: list[str], patterns: dict) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url, headers=EN)
        if response.status_code != 200:
            continue
        body = response.get_data(as_text=True)
        found += [
            f"{url} shows {name}" for name, pattern in patterns.items() if pattern.search(body)
        ]
    return found


@pytest.mark.parametrize("role", ["recorder", "admin"])
def test_the_portal_shows_another_enterprise_nothing_of_a(app, ctx, login, role):
    objects = make_objects()
    patterns = marks(objects)
    urls = object_free_urls(app, ("portal.", "labels."))
    assert "/portal/stock/export.csv" in urls and "/labels/runs" in urls
    client = login(getattr(objects.world.b, role))
    assert not leaks(client, urls, patterns)
    # The same pages do show A's own members their objects (the marks can be found).
    mine = leaks(login(getattr(objects.world.a, role)), urls, patterns)
    assert any("A's lot" in line for line in mine), mine


def test_the_console_shows_another_province_nothing_of_a(app, ctx, login):
    objects = make_objects()
    patterns = marks(objects)
    urls = object_free_urls(app, ("admin.",))
    assert "/admin/transactions/export.csv" in urls and "/admin/reports" in urls
    assert not leaks(login(objects.world.zhejiang), urls, patterns)
    # A's provincial regulator does see them there.
    mine = leaks(login(objects.world.gansu), urls, patterns)
    assert any("A's name" in line for line in mine), mine
