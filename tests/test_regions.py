"""Regulators see exactly the enterprises of their GB/T 2260 region, everywhere in the console."""

import pytest

from suyuan.extensions import db
from tests import factories

REGULATORS = {"national": "000000", "gansu": "620000", "lanzhou": "620100", "zhejiang": "330000"}
ENTERPRISES = {
    "lanzhou": "620100",
    "chengguan": "620102",  # a district of Lanzhou
    "tianshui": "620500",
    "hangzhou": "330100",
}
# Written out rather than computed, so the table checks region_covers instead of repeating it.
COVERS = {
    "national": {"lanzhou", "chengguan", "tianshui", "hangzhou"},
    "gansu": {"lanzhou", "chengguan", "tianshui"},
    "lanzhou": {"lanzhou", "chengguan"},
    "zhejiang": {"hangzhou"},
}
ENDPOINTS = {
    "filing detail": lambda ent: f"/admin/filings/{ent.enterprise_filing.id}",
    "enterprise detail": lambda ent: f"/admin/enterprises/{ent.id}",
}


@pytest.fixture
def regions(ctx):
    enterprises = {
        key: factories.make_enterprise(f"Enterprise {key}", region=region, approved=False)
        for key, region in ENTERPRISES.items()
    }
    for enterprise in enterprises.values():
        enterprise.enterprise_filing.status = "submitted"
    regulators = {
        key: factories.make_regulator(region, name=f"Regulator {key}")
        for key, region in REGULATORS.items()
    }
    db.session.commit()
    return enterprises, regulators


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("enterprise_key", ENTERPRISES)
@pytest.mark.parametrize("regulator_key", REGULATORS)
def test_detail_pages_answer_only_inside_the_region(
    regions, login, regulator_key, enterprise_key, endpoint
):
    enterprises, regulators = regions
    url = ENDPOINTS[endpoint](enterprises[enterprise_key])
    response = login(regulators[regulator_key]).get(url)
    expected = 200 if enterprise_key in COVERS[regulator_key] else 404
    assert response.status_code == expected


@pytest.mark.parametrize(
    "url", ["/admin/enterprises", "/admin/filings", "/admin/filings?status=all"]
)
@pytest.mark.parametrize("regulator_key", REGULATORS)
def test_lists_show_only_covered_enterprises(regions, login, regulator_key, url):
    _enterprises, regulators = regions
    page = login(regulators[regulator_key]).get(url).get_data(as_text=True)
    for key in ENTERPRISES:
        assert (f"Enterprise {key}<" in page) == (key in COVERS[regulator_key]), key


def test_out_of_region_decision_is_404(regions, login):
    enterprises, regulators = regions
    filing = enterprises["hangzhou"].enterprise_filing
    client = login(regulators["gansu"])
    assert client.post(f"/admin/filings/{filing.id}/approve").status_code == 404
    assert (
        client.post(f"/admin/filings/{filing.id}/reject", data={"reason": "x"}).status_code == 404
    )


def test_producers_and_platform_admins_are_not_regulators(world, login):
    for user in (world.a.admin, world.platform_admin):
        response = login(user).get("/admin/filings", headers={"Accept-Language": "en"})
        assert response.status_code == 403
        assert "This page is for regulators." in response.get_data(as_text=True)


def test_regulators_cannot_open_the_accounts_console(world, login):
    response = login(world.national).get("/admin/users", headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert "platform administrators" in response.get_data(as_text=True)
