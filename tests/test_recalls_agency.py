"""Agency products (本企业代理) and unbinding (解绑): one agent per GTIN until a regulator of
the agent's region (or the platform admin) unbinds it."""

import pytest
from sqlalchemy.exc import IntegrityError

from suyuan.extensions import db
from suyuan.models import AgencyBinding
from tests.factories import make_product

EN = {"Accept-Language": "en"}
GTIN = "6901234001013"


@pytest.fixture
def agents(world):
    a_product = make_product(world.a.enterprise, "Imported olive oil", gtin=GTIN)
    b_product = make_product(world.b.enterprise, "Olive oil (agency)", gtin=GTIN)
    db.session.commit()
    return a_product, b_product


def test_one_agent_per_gtin_until_a_regulator_unbinds(world, agents, login):
    a_product, b_product = agents
    a = login(world.a.admin, "admin")
    assert a.post("/portal/agency", data={"product_id": a_product.id}).status_code == 302
    assert "Imported olive oil" in a.get("/portal/agency").get_data(as_text=True)
    b = login(world.b.admin, "admin")
    refused = b.post(
        "/portal/agency", data={"product_id": b_product.id}, headers=EN, follow_redirects=True
    )
    assert "bound to another agent enterprise (Gansu Apples)" in refused.get_data(as_text=True)
    # The Zhejiang regulator does not oversee the Gansu agent: 404, and the list hides it.
    binding = db.session.query(AgencyBinding).one()
    zhejiang = login(world.zhejiang)
    assert GTIN not in zhejiang.get("/admin/agency").get_data(as_text=True)
    unbind_url = f"/admin/agency/{binding.id}/unbind"
    assert zhejiang.post(unbind_url, data={"reason": "x"}).status_code == 404
    gansu = login(world.gansu)
    assert GTIN in gansu.get("/admin/agency?q=olive").get_data(as_text=True)
    no_reason = gansu.post(unbind_url, data={"reason": ""}, headers=EN, follow_redirects=True)
    assert "Give the reason for unbinding" in no_reason.get_data(as_text=True)
    done = gansu.post(
        unbind_url, data={"reason": "Agency contract ended"}, headers=EN, follow_redirects=True
    )
    assert "is unbound" in done.get_data(as_text=True)
    assert b.post("/portal/agency", data={"product_id": b_product.id}).status_code == 302
    live = db.session.query(AgencyBinding).filter(AgencyBinding.unbound_at.is_(None)).one()
    assert live.enterprise_id == world.b.enterprise.id


def test_platform_admin_unbinds_anywhere_and_enterprises_cannot(world, agents, login):
    a_product, _ = agents
    login(world.a.admin, "admin").post("/portal/agency", data={"product_id": a_product.id})
    binding = db.session.query(AgencyBinding).one()
    url = f"/admin/agency/{binding.id}/unbind"
    assert login(world.a.admin, "admin").post(url, data={"reason": "x"}).status_code == 403
    assert login(world.platform_admin).post(url, data={"reason": "ended"}).status_code == 302
    db.session.refresh(binding)
    assert binding.unbound_by_id == world.platform_admin.id


def test_database_refuses_two_live_agents_for_one_gtin(world, agents):
    a_product, b_product = agents
    for product in (a_product, b_product):
        db.session.add(
            AgencyBinding(
                gtin=GTIN,
                product=product,
                enterprise_id=product.enterprise_id,
                bound_by=world.platform_admin,
            )
        )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_product_without_gtin_and_recorders_are_refused(world, login):
    recorder = login(world.a.recorder)
    assert (
        recorder.post("/portal/agency", data={"product_id": world.a.product.id}).status_code == 403
    )
    admin = login(world.a.admin, "admin")
    page = admin.post(
        "/portal/agency", data={"product_id": world.a.product.id}, headers=EN, follow_redirects=True
    )
    assert "Only a product with a GTIN" in page.get_data(as_text=True)
    other = admin.post("/portal/agency", data={"product_id": world.b.product.id})
    assert other.status_code == 404
