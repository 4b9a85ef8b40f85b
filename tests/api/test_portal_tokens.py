"""The portal's API token page: admins create (CSRF-protected, shown once), list, revoke."""

import re

from suyuan.extensions import db
from suyuan.models import ApiToken
from tests.factories_api import make_token

SECRET = re.compile(r'value="(sy_[A-Za-z0-9_-]{43})"')


def english(client):
    """The session remembers ?lang=en for the following pages."""
    client.get("/portal/tokens?lang=en")
    return client


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_admin_creates_a_token_shown_once(app, login, api, world, monkeypatch):
    client = english(login(world.a.admin, "admin"))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/portal/tokens").get_data(as_text=True)
    form = {"name": "Warehouse", "permissions": ["read", "codes"]}
    assert client.post("/portal/tokens", data=form).status_code == 400  # no CSRF token
    response = client.post("/portal/tokens", data={**form, "csrf_token": csrf_token(page)})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    secret = SECRET.search(response.get_data(as_text=True)).group(1)
    assert api(secret).get("/code-pools").status_code == 200
    assert api(secret).post("/products", json={}).status_code == 403
    again = client.get("/portal/tokens").get_data(as_text=True)
    assert secret not in again and secret[:10] in again and "Warehouse" in again


def test_form_errors_are_shown(login, world):
    client = english(login(world.a.admin, "admin"))
    response = client.post("/portal/tokens", data={"name": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose at least one permission." in page and "This field is required." in page


def test_admin_revokes_after_confirming(login, api, world):
    secret = make_token(world.a, name="Old sync")
    token = db.session.query(ApiToken).filter_by(name="Old sync").one()
    client = english(login(world.a.admin, "admin"))
    page = client.get("/portal/tokens").get_data(as_text=True)
    assert "Revoke the token “Old sync”?" in page  # the confirmation before revoking
    response = client.post(f"/portal/tokens/{token.id}/revoke", follow_redirects=True)
    assert "stops working now" in response.get_data(as_text=True)
    assert api(secret).get("/products").status_code == 401


def test_only_admins_and_only_their_own_tokens(login, world):
    make_token(world.b, name="B's token")
    token = db.session.query(ApiToken).filter_by(name="B's token").one()
    admin = english(login(world.a.admin, "admin"))
    assert admin.post(f"/portal/tokens/{token.id}/revoke").status_code == 404
    assert "B&#39;s token" not in admin.get("/portal/tokens").get_data(as_text=True)
    recorder = login(world.a.recorder)
    assert recorder.get("/portal/tokens").status_code == 403
    assert db.session.get(ApiToken, token.id).revoked_at is None
