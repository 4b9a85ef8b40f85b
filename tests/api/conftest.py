"""API fixtures: ``api(secret)`` returns a client that sends the bearer token and asks for
English; ``tokens`` holds live tokens for world sides a and b and the regulators."""

from dataclasses import dataclass

import pytest

from tests.factories_api import make_regulator_token, make_token


class ApiClient:
    def __init__(self, client, secret: str | None):
        self.client = client
        self.secret = secret

    def headers(self, extra=None) -> dict:
        headers = {"Accept-Language": "en"}
        if self.secret:
            headers["Authorization"] = f"Bearer {self.secret}"
        return {**headers, **(extra or {})}

    def request(self, method: str, path: str, headers=None, **kwargs):
        return self.client.open(
            "/api/v1" + path, method=method, headers=self.headers(headers), **kwargs
        )

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def api(app):
    def _api(secret: str | None = None) -> ApiClient:
        return ApiClient(app.test_client(), secret)

    return _api


@dataclass
class Tokens:
    a: str
    b: str
    gansu: str
    national: str


@pytest.fixture
def tokens(world) -> Tokens:
    return Tokens(
        a=make_token(world.a),
        b=make_token(world.b),
        gansu=make_regulator_token(world.gansu),
        national=make_regulator_token(world.national),
    )


@pytest.fixture
def a(api, tokens) -> ApiClient:
    """A client holding enterprise a's all-permission token."""
    return api(tokens.a)


def error_of(response) -> dict:
    """The error body, after checking the shape every API error has."""
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]
