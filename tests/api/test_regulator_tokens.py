"""Regulators create and revoke their own read-only tokens in the console."""

import re

from suyuan.extensions import db
from suyuan.models import ApiToken
from tests.factories_api import make_regulator_token

SECRET = re.compile(r'value="(sy_[A-Za-z0-9_-]{43})"')


def english(client):
    client.get("/admin/api-tokens?lang=en")
    return client


def test_regulator_creates_a_region_token_shown_once(app, login, api, world, monkeypatch):
    client = english(login(world.gansu))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post("/admin/api-tokens", data={"name": "Audit"}).status_code == 400
    page = client.get("/admin/api-tokens").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/api-tokens", data={"name": "Audit", "csrf_token": csrf})
    assert response.status_code == 201
    secret = SECRET.search(response.get_data(as_text=True)).group(1)
    names = api(secret).get("/regulator/enterprises").get_json()["items"]
    assert [e["name"] for e in names] == ["Gansu Apples"]
    assert secret not in client.get("/admin/api-tokens").get_data(as_text=True)
    token = db.session.query(ApiToken).filter_by(name="Audit").one()
    assert token.permissions == "read" and token.enterprise_id is None


def test_regulator_revokes_only_own_tokens(login, api, world):
    own = make_regulator_token(world.gansu, name="Mine")
    other = make_regulator_token(world.zhejiang, name="Theirs")
    mine = db.session.query(ApiToken).filter_by(name="Mine").one()
    theirs = db.session.query(ApiToken).filter_by(name="Theirs").one()
    client = english(login(world.gansu))
    page = client.get("/admin/api-tokens").get_data(as_text=True)
    assert "Mine" in page and "Theirs" not in page
    assert client.post(f"/admin/api-tokens/{theirs.id}/revoke").status_code == 404
    response = client.post(f"/admin/api-tokens/{mine.id}/revoke", follow_redirects=True)
    assert "stops working now" in response.get_data(as_text=True)
    assert api(own).get("/regulator/filings").status_code == 401
    assert api(other).get("/regulator/filings").status_code == 200


def test_enterprise_members_cannot_reach_the_page(login, world):
    assert login(world.a.admin, "admin").get("/admin/api-tokens").status_code == 403
