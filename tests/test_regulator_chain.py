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


def test_the_batch_page_shows_what_scanning_revealed(world, login):
    from datetime import UTC, date, datetime

    from suyuan.models import ScanDaily, SuspicionFlag

    batch, enterprise = world.a.batch, world.a.enterprise
    common = {"enterprise_id": enterprise.id, "product_id": batch.product_id, "batch_id": batch.id}
    db.session.add_all(
        [
            ScanDaily(
                day=date(2026, 11, 1), region_code="620100", scans=7, first_scans=3, **common
            ),
            ScanDaily(
                day=date(2026, 11, 2), region_code="330100", scans=2, first_scans=1, **common
            ),
        ]
    )
    moment = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    db.session.add(
        SuspicionFlag(
            enterprise_id=enterprise.id, batch_id=batch.id, code_index=42, rule="far_regions",
            first_at=moment, last_at=moment,
        )
    )  # fmt: skip
    db.session.commit()
    page = login(world.gansu).get(f"/admin/batches/{batch.id}", headers=EN).text
    section = page.split('id="scans"')[1]
    assert "9 scans; 4 codes scanned for the first time." in section
    assert "Regions far apart" in section and "42" in section
    assert f'href="/admin/trace/{batch.id}"' in page  # transactions both ways, one click away
    assert login(world.zhejiang).get(f"/admin/batches/{batch.id}").status_code == 404
