"""The access matrix: every route in ``app.url_map`` × every role × enterprise A's objects
answers what ``access_table`` declares.

One test walks the whole matrix and reports every differing cell at once. A refused request
(not signed in, 403, 404) must change nothing in the database, and the 404 of another tenant's
or region's object must be the very page a nonexistent id gets. An endpoint without an entry,
an entry without an endpoint and a URL argument nobody resolves each fail their own test.
"""

import hashlib
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from suyuan.extensions import db
from suyuan.models import Base
from tests.conftest import _wipe
from tests.factories_access import Objects, make_objects
from tests.security.access_table import (
    ARGUMENTS,
    LOGIN,
    MISSING,
    MISSING_ID,
    NOT_OBJECTS,
    OK,
    ROLES,
    TABLE,
    Expect,
)

EN = {"Accept-Language": "en"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}
REFUSED = {LOGIN, 401, 403, 404, 405}  # declared answers that must change nothing


def rules(app) -> list:
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint, rule.rule))


def declared_rules(app) -> list:
    """Rules the matrix can request; the tests above report the others."""
    return [
        rule
        for rule in rules(app)
        if rule.endpoint in TABLE
        and all(
            isinstance(converter, AnyConverter)
            or entry(rule.endpoint).args.get(arg, arg) in ARGUMENTS
            for arg, converter in rule._converters.items()
        )
    ]


def entry(endpoint: str) -> Expect:
    value = TABLE[endpoint]
    return value if isinstance(value, Expect) else Expect(value)


def methods(rule) -> list[str]:
    return sorted(rule.methods - IGNORED_METHODS, key=lambda m: (m != "GET", m))


def expected(rule, method: str, role: str):
    declared = entry(rule.endpoint)
    if method == "GET":
        return declared.profile[role] if "GET" in rule.methods else 405
    return (declared.post or declared.profile)[role]


# Coverage of the table


def test_every_endpoint_has_an_entry_and_every_entry_an_endpoint(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - TABLE.keys())
    stale = sorted(TABLE.keys() - endpoints)
    message = []
    if missing:
        message.append("Endpoints without an entry in tests/security/access_table.py TABLE")
        message += [f"  {endpoint}" for endpoint in missing]
    if stale:
        message.append("TABLE names endpoints that no longer exist")
        message += [f"  {endpoint}" for endpoint in stale]
    assert not message, "\n".join(message)


def test_every_url_argument_names_an_object_of_enterprise_a(app):
    problems = [
        f"{endpoint}: the query names '{name}', which ARGUMENTS does not resolve"
        for endpoint in TABLE
        for name in entry(endpoint).query.values()
        if name not in ARGUMENTS
    ]
    for rule in rules(app):
        named = entry(rule.endpoint).args if rule.endpoint in TABLE else {}
        for arg, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                continue
            name = named.get(arg, arg)
            if name not in ARGUMENTS:
                problems.append(
                    f"{rule.endpoint} ({rule.rule}): add '{name}' to ARGUMENTS in "
                    "tests/security/access_table.py (which object of enterprise A it names; "
                    "build the object in tests/factories_access.py if it is new)"
                )
            elif not isinstance(converter, IntegerConverter) and not (
                arg in MISSING or arg in NOT_OBJECTS
            ):
                problems.append(
                    f"{rule.endpoint} ({rule.rule}): add '{arg}' to MISSING (a value naming "
                    "nothing) or to NOT_OBJECTS in tests/security/access_table.py"
                )
    assert not problems, "\n".join(problems)


# The matrix


def digest() -> str:
    """Every row of every table but the audit log (which records refusals too)."""
    db.session.rollback()  # a fresh snapshot: the requests wrote through their own sessions
    hasher = hashlib.sha256()
    for table in Base.metadata.sorted_tables:
        if table.name == "audit_log":
            continue
        hasher.update(table.name.encode())
        query = select(table).order_by(*table.primary_key.columns)
        for values in db.session.execute(query):
            hasher.update(repr(tuple(values)).encode())
    return hasher.hexdigest()


@dataclass
class Matrix:
    app: object
    login: object
    objects: Objects | None = None
    values: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    state: str = ""

    def build(self) -> None:
        db.session.remove()  # forget the old rows: the new ones reuse their ids
        _wipe()
        self.objects = make_objects()
        self.values = {name: resolve(self.objects) for name, resolve in ARGUMENTS.items()}
        self.state = digest()

    def client(self, role: str):
        if role == "anonymous":
            return self.app.test_client()
        w = self.objects.world
        users = {
            "recorder_a": w.a.recorder,
            "admin_a": w.a.admin,
            "recorder_b": w.b.recorder,
            "admin_b": w.b.admin,
            "regulator_a": w.gansu,
            "regulator_other": w.zhejiang,
            "national": w.national,
            "platform_admin": w.platform_admin,
        }
        return self.login(users[role])

    def url(self, rule, missing: bool = False) -> str:
        named = entry(rule.endpoint).args
        values = {}
        for arg, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                values[arg] = sorted(converter.items)[0]
            elif missing and arg in MISSING:
                values[arg] = MISSING[arg](self.objects)
            elif missing and isinstance(converter, IntegerConverter):
                values[arg] = MISSING_ID
            else:
                values[arg] = self.values[named.get(arg, arg)]
        return rule.build(values, append_unknown=False)[1]

    def sweep(self, role: str) -> None:
        client = self.client(role)
        for rule in declared_rules(self.app):
            if "GET" in rule.methods or self.get_refused(rule):
                self.request(client, role, rule, "GET")
        if digest() != self.state:
            self.problems.append(f"GET requests as {role} changed the database")
            self.build()
        for rule in declared_rules(self.app):
            for method in methods(rule):
                if method != "GET" and self.unsafe(client, role, rule, method):
                    client = self.client(role)  # the database was rebuilt: sign in again

    def get_refused(self, rule) -> bool:
        """A route without GET answers 405 to it, unless another endpoint serves GET there."""
        try:
            self.app.url_map.bind("suyuan.test").match(self.url(rule), method="GET")
        except MethodNotAllowed:
            return True
        return False

    def unsafe(self, client, role: str, rule, method: str) -> bool:
        """Send ``method``; True when the database had to be rebuilt afterwards."""
        refused = expected(rule, method, role) in REFUSED
        self.request(client, role, rule, method)
        if digest() == self.state:
            return False
        if refused:
            url = self.url(rule)
            self.problems.append(f"{method} {url} as {role} was refused but changed the database")
        self.build()
        return True

    def request(self, client, role: str, rule, method: str) -> None:
        want = expected(rule, method, role)
        url = self.url(rule)
        response = self.send(client, rule, method, url)
        lacking = missing_headers(response)
        if lacking:
            self.problems.append(f"{method} {url} as {role}: no {', '.join(lacking)}")
        if not answers(response, want, method):
            self.problems.append(
                f"{method} {url} as {role}: expected {want}, got {describe(response)}"
            )
        elif want == 404 and rule.arguments:
            self.same_as_missing(client, role, rule, method)

    def same_as_missing(self, client, role: str, rule, method: str) -> None:
        # Both asked again: a message flashed by an earlier request shows on the first page.
        url, missing_url = self.url(rule), self.url(rule, missing=True)
        missing = self.send(client, rule, method, missing_url)
        refused = self.send(client, rule, method, url)
        if missing.status_code != 404 or page(missing, missing_url) != page(refused, url):
            self.problems.append(
                f"{method} {url} as {role}: the 404 differs from the page of a missing object "
                f"({missing_url} answers {describe(missing)})"
            )

    def send(self, client, rule, method: str, url: str):
        declared = entry(rule.endpoint)
        query = {name: self.values[value] for name, value in declared.query.items()}
        body = {}
        if method != "GET":
            body = (
                {"data": dict(declared.data)} if declared.json is None else {"json": declared.json}
            )
        response = client.open(url, method=method, query_string=query, headers=EN, **body)
        response.get_data()  # read it all, then close the file a download holds open
        response.close()
        return response


def missing_headers(response) -> list[str]:
    """The security headers every response carries (HSTS too, over HTTPS: test_headers)."""
    csp = response.headers.get("Content-Security-Policy", "")
    script = next((d for d in csp.split(";") if d.strip().startswith("script-src")), "")
    wanted = {
        "CSP frame-ancestors 'none'": "frame-ancestors 'none'" in csp,
        "CSP script-src without inline script": bool(script) and "unsafe-inline" not in script,
        "X-Content-Type-Options: nosniff": response.headers.get("X-Content-Type-Options")
        == "nosniff",
        "Referrer-Policy": bool(response.headers.get("Referrer-Policy")),
    }
    return [name for name, present in wanted.items() if not present]


def page(response, url: str) -> str:
    """The body, with the page's own address (in the language links) left out."""
    return response.get_data(as_text=True).replace(f'"{url}?', '"?').replace(f'"{url}"', '""')


def answers(response, want, method: str) -> bool:
    status = response.status_code
    to_login = status == 302 and response.location.startswith("/auth/login")
    if want == LOGIN:
        return to_login
    if want == OK and method != "GET":
        return status < 500 and status not in REFUSED and not to_login
    return status == want


def describe(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        return f"{response.status_code} → {response.location}"
    return str(response.status_code)


def test_every_route_answers_every_role_as_declared(app, ctx, login):
    matrix = Matrix(app, login)
    matrix.build()
    for role in ROLES:
        matrix.sweep(role)
    assert not matrix.problems, f"{len(matrix.problems)} cells differ from access_table:\n" + (
        "\n".join(matrix.problems)
    )


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_every_unsafe_route_refuses_a_request_without_a_csrf_token(app, ctx, login, csrf_on):
    """Sent by a role allowed to use the route, without the token: 400, nothing changes."""
    matrix = Matrix(app, login)
    matrix.build()
    for rule in declared_rules(app):
        for method in methods(rule):
            allowed = [role for role in ROLES if expected(rule, method, role) not in REFUSED]
            if method == "GET" or not allowed or not entry(rule.endpoint).csrf:
                continue
            app.config["WTF_CSRF_ENABLED"] = False  # signing in is a POST too
            client = matrix.client(allowed[0])
            app.config["WTF_CSRF_ENABLED"] = True
            response = matrix.send(client, rule, method, matrix.url(rule))
            if response.status_code != 400 or digest() != matrix.state:
                matrix.problems.append(
                    f"{method} {matrix.url(rule)} as {allowed[0]} without a CSRF token: "
                    f"{describe(response)}"
                )
                matrix.build()
    assert not matrix.problems, "\n".join(matrix.problems)
