"""Regulators see a batch's whole chain in their region — unpublished records, drafts and
superseded versions included — and nothing outside it."""

import pytest

from suyuan.extensions import db
from tests import factories

EN = {"Accept-Language": "en"}


@pytest.fixture
def corrected(world):
    batch, author = world.a.batch, world.a.recorder
    old = factories.make_record(batch, author, title="Fertilizer v1", status="superseded")
    factories.make_record(
        batch, author, title="Fertilizer v2", version=2, supersedes=old,
        correction_reason="wrong dose", is_public=True,
    )  # fmt: skip
    factories.make_record(batch, author, title="Unpublished irrigation")
    factories.make_record(batch, author, title="Draft harvest", status="draft")
    factories.make_range(world.a.pool, batch, 0, 99, author)
    db.session.commit()
    return world


@pytest.mark.parametrize("regulator", ["national", "gansu"])
def test_regulator_in_region_sees_every_version(corrected, login, regulator):
    client = login(getattr(corrected, regulator))
    page = client.get(f"/admin/batches/{corrected.a.batch.id}", headers=EN)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for title in ("Fertilizer v1", "Fertilizer v2", "Unpublished irrigation", "Draft harvest"):
        assert title in text
    assert "wrong dose" in text and "Superseded" in text and "Draft" in text
    assert "Bound" in text


def test_regulator_elsewhere_gets_404(corrected, login):
    client = login(corrected.zhejiang)
    assert client.get(f"/admin/batches/{corrected.a.batch.id}").status_code == 404


def test_enterprise_members_cannot_open_the_console_page(corrected, login):
    client = login(corrected.a.admin, role="admin")
    assert client.get(f"/admin/batches/{corrected.a.batch.id}").status_code == 403


def test_enterprise_page_links_to_the_batch(corrected, login):
    client = login(corrected.gansu)
    page = client.get(f"/admin/enterprises/{corrected.a.enterprise.id}", headers=EN)
    assert f"/admin/batches/{corrected.a.batch.id}" in page.get_data(as_text=True)
