"""Accounts: login, logout revoking the session, deactivation, registration, CSRF."""

import re

import pytest

from suyuan.extensions import db
from suyuan.models import Enterprise, Filing
from suyuan.services.accounts import find_user_by_email
from suyuan.validators import CREDIT_CHARSET
from tests import factories

EN = {"Accept-Language": "en"}


def test_login_works(world, client):
    response = client.post(
        "/auth/login", data={"email": world.a.recorder.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert "Gansu Apples" in client.get("/portal/", headers=EN).get_data(as_text=True)


def test_wrong_password_says_so(world, client):
    response = client.post(
        "/auth/login",
        data={"email": world.a.recorder.email, "password": "wrong password!"},
        headers=EN,
    )
    assert response.status_code == 401
    assert "Wrong e-mail or password." in response.get_data(as_text=True)


def test_logout_revokes_the_session(world, login):
    client = login(world.a.recorder)
    cookie = client.get_cookie("session").value
    assert client.post("/auth/logout").status_code == 302
    # Replaying the old cookie must not bring the session back.
    client.set_cookie("session", cookie)
    response = client.get("/portal/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_deactivated_user_cannot_log_in_and_their_session_dies(world, login):
    victim = login(world.a.recorder)
    assert victim.get("/portal/").status_code == 200
    admin = login(world.platform_admin)
    response = admin.post(f"/admin/users/{world.a.recorder.id}/deactivate", headers=EN)
    assert response.status_code == 302
    assert "is deactivated" in admin.get("/admin/users", headers=EN).get_data(as_text=True)
    response = victim.get("/portal/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    response = victim.post(
        "/auth/login",
        data={"email": world.a.recorder.email, "password": factories.PASSWORD},
        headers=EN,
    )
    assert response.status_code == 401


def test_reactivated_user_can_log_in_again(world, login):
    admin = login(world.platform_admin)
    admin.post(f"/admin/users/{world.a.recorder.id}/deactivate")
    admin.post(f"/admin/users/{world.a.recorder.id}/reactivate")
    assert login(world.a.recorder).get("/portal/").status_code == 200


def _registration(credit_code, email="new@example.com"):
    return {
        "name": "Longnan Olives",
        "credit_code": credit_code,
        "region_code": "621200",
        "address": "8 River Road",
        "legal_representative": "Zhang San",
        "contact_name": "Li Si",
        "contact_phone": "0939-1234567",
        "account_name": "Zhang San",
        "email": email,
        "password": "long enough password",
        "confirm": "long enough password",
    }


def test_registration_creates_enterprise_and_draft_filing(ctx, client):
    code = factories.credit_code("621200")
    response = client.post("/auth/register", data=_registration(code))
    assert response.status_code == 302
    enterprise = db.session.query(Enterprise).filter_by(credit_code=code).one()
    assert enterprise.enterprise_filing.status == "draft"
    page = client.get("/portal/filings", headers=EN).get_data(as_text=True)
    assert "Enterprise filing" in page and "Draft" in page


def test_registration_rejects_a_wrong_check_character(ctx, client):
    code = factories.credit_code("621200")
    wrong = code[:17] + next(ch for ch in CREDIT_CHARSET if ch != code[17])
    response = client.post("/auth/register", data=_registration(wrong), headers=EN)
    assert response.status_code == 400
    assert "The check character does not match" in response.get_data(as_text=True)
    assert db.session.query(Enterprise).count() == 0


def test_registration_refuses_a_duplicate_credit_code(world, client):
    code = world.a.enterprise.credit_code
    response = client.post("/auth/register", data=_registration(code), headers=EN)
    assert response.status_code == 409
    assert "already registered" in response.get_data(as_text=True)
    assert db.session.query(Filing).filter_by(kind="enterprise").count() == 2


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_post_without_csrf_token_is_refused(world, login, csrf_on, app):
    client = app.test_client()
    response = client.post(
        "/auth/login",
        data={"email": world.a.recorder.email, "password": factories.PASSWORD},
        headers=EN,
    )
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)


def test_post_with_csrf_token_is_accepted(world, csrf_on, app):
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/auth/login",
        data={
            "email": world.a.recorder.email,
            "password": factories.PASSWORD,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302


def test_platform_admin_creates_a_regulator(world, login):
    admin = login(world.platform_admin)
    data = {
        "kind": "regulator",
        "name": "Tianshui regulator",
        "email": "ts@example.com",
        "password": factories.PASSWORD,
        "region": "620500",
    }
    response = admin.post("/admin/users/new", data=dict(data, region="999999"), headers=EN)
    assert response.status_code == 400
    assert "Enter 000000 for national" in response.get_data(as_text=True)
    assert admin.post("/admin/users/new", data=data).status_code == 302
    listing = admin.get("/admin/users?role=regulator&q=tianshui", headers=EN).get_data(as_text=True)
    assert "ts@example.com" in listing and "Gansu regulator" not in listing

    response = login(find_user_by_email("ts@example.com")).get("/admin/filings", headers=EN)
    assert response.status_code == 200
    assert "Tianshui" in response.get_data(as_text=True)


def test_platform_admin_cannot_deactivate_themselves(world, login):
    admin = login(world.platform_admin)
    response = admin.post(f"/admin/users/{world.platform_admin.id}/deactivate", headers=EN)
    page = admin.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "You cannot deactivate your own account." in page
