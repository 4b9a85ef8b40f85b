"""Regulator accounts (seed 001): the platform admin creates them with a region and module
permissions, edits, resets passwords and deactivates them; a regulator without a module's
permission is refused on its pages; a deactivated regulator's session ends at once."""

import pytest

from suyuan.extensions import db
from suyuan.models import User
from suyuan.services.regulators import MODULES
from tests.factories import PASSWORD, make_regulator

EN = {"Accept-Language": "en"}


def _new(client, **fields):
    data = {
        "name": "Lanzhou inspector",
        "email": "inspector@lanzhou.gov",
        "password": PASSWORD,
        "region": "620100",
        "modules": ["recalls", "notices"],
        **fields,
    }
    return client.post("/admin/regulators/new", data=data, headers=EN)


def test_platform_admin_creates_a_regulator_with_modules(world, login):
    admin = login(world.platform_admin)
    form = admin.get("/admin/regulators/new", headers=EN).get_data(as_text=True)
    for label in MODULES.values():
        assert str(label) in form
    bad = _new(admin, region="999999")
    assert bad.status_code == 400
    assert "six-digit GB/T 2260 region code" in bad.get_data(as_text=True)
    assert _new(admin).status_code == 302
    user = db.session.query(User).filter_by(email="inspector@lanzhou.gov").one()
    assert user.regulator_region == "620100"
    assert user.regulator_modules == "recalls notices"
    duplicate = _new(admin)
    assert duplicate.status_code == 409
    listing = admin.get("/admin/regulators?region=620000", headers=EN).get_data(as_text=True)
    assert "Lanzhou inspector" in listing and "Zhejiang regulator" not in listing


def test_only_the_platform_admin_manages_regulators(world, login):
    client = login(world.national)
    assert client.get("/admin/regulators").status_code == 403
    assert _new(client).status_code == 403


@pytest.mark.parametrize(
    ("module", "urls"),
    [
        ("recalls", ["/admin/recalls", "/admin/nonconformance"]),
        ("notices", ["/admin/notices", "/admin/notices/new"]),
        ("enterprises", ["/admin/products", "/admin/batches", "/admin/enterprises"]),
        ("filings", ["/admin/filings"]),
    ],
)
def test_a_module_not_granted_answers_403_with_a_message(world, login, module, urls):
    others = [m for m in MODULES if m != module]
    regulator = make_regulator("620000", regulator_modules=" ".join(others))
    db.session.commit()
    client = login(regulator)
    for url in urls:
        response = client.get(url, headers=EN)
        assert response.status_code == 403, url
        assert "no permission for this part of the console" in response.get_data(as_text=True)
    overview = client.get("/admin/", headers=EN)
    assert overview.status_code == 200  # the overview itself stays open
    html = overview.get_data(as_text=True)
    assert ("Filings waiting for review" in html) is (module != "filings")
    assert f'href="{urls[0]}"' not in html  # the menu hides the module


def test_editing_modules_takes_effect_on_the_next_request(world, login):
    client = login(world.gansu)
    assert client.get("/admin/recalls").status_code == 200
    admin = login(world.platform_admin)
    response = admin.post(
        f"/admin/regulators/{world.gansu.id}",
        data={"name": "Gansu regulator", "region": "620100", "modules": ["notices"]},
        headers=EN,
    )
    assert response.status_code == 302
    assert client.get("/admin/recalls").status_code == 403
    assert client.get("/admin/notices").status_code == 200
    db.session.refresh(world.gansu)
    assert world.gansu.regulator_region == "620100"


def test_deactivated_regulator_is_refused_at_once(world, login):
    client = login(world.gansu)
    assert client.get("/admin/recalls").status_code == 200
    admin = login(world.platform_admin)
    response = admin.post(f"/admin/regulators/{world.gansu.id}/deactivate", headers=EN)
    assert response.status_code == 302
    refused = client.get("/admin/recalls")
    assert refused.status_code == 302 and "/auth/login" in refused.location
    again = client.post("/auth/login", data={"email": world.gansu.email, "password": PASSWORD})
    assert again.status_code == 401
    assert admin.post(f"/admin/regulators/{world.gansu.id}/reactivate").status_code == 302
    assert login(world.gansu).get("/admin/recalls").status_code == 200


def test_password_reset_ends_sessions_and_sets_the_new_password(world, login):
    client = login(world.gansu)
    admin = login(world.platform_admin)
    short = admin.post(
        f"/admin/regulators/{world.gansu.id}/password",
        data={"password": "short"},
        headers=EN,
        follow_redirects=True,
    )
    assert "at least 10 characters" in short.get_data(as_text=True)
    assert client.get("/admin/recalls").status_code == 200
    ok = admin.post(
        f"/admin/regulators/{world.gansu.id}/password", data={"password": "a brand new secret"}
    )
    assert ok.status_code == 302
    assert client.get("/admin/recalls").status_code == 302
    fresh = client.application.test_client()
    login_ok = fresh.post(
        "/auth/login", data={"email": world.gansu.email, "password": "a brand new secret"}
    )
    assert login_ok.status_code == 302 and "/auth/login" not in login_ok.location


def test_non_regulator_accounts_are_not_editable_here(world, login):
    admin = login(world.platform_admin)
    assert admin.get(f"/admin/regulators/{world.a.admin.id}").status_code == 404
    assert admin.post(f"/admin/regulators/{world.a.admin.id}/deactivate").status_code == 404
