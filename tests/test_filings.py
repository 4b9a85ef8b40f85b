"""Filings (备案): submit, approve, reject with reason, resubmit; locking; who may do what."""

import pytest

from suyuan.extensions import db
from tests import factories

EN = {"Accept-Language": "en"}


@pytest.fixture
def draft(world):
    """A new Gansu enterprise with a draft filing, its admin and recorder, and a draft product."""
    enterprise = factories.make_enterprise("Lanzhou Lilies", region="620100", approved=False)
    admin = factories.make_member(enterprise, recorder=False, admin=True, name="Lily admin")
    recorder = factories.make_member(enterprise, recorder=True, name="Lily recorder")
    product = factories.make_product(enterprise, "Lily bulbs", approved=False)
    db.session.commit()
    return {
        "enterprise": enterprise,
        "filing": enterprise.enterprise_filing,
        "admin": admin,
        "recorder": recorder,
        "product": product,
        "world": world,
    }


def _profile(enterprise, **changes):
    data = {
        field: getattr(enterprise, field)
        for field in (
            "name",
            "credit_code",
            "region_code",
            "address",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "profile",
        )
    }
    data.update(changes)
    return data


def test_submit_then_approve(draft, login):
    filing_id = draft["filing"].id
    producer = login(draft["admin"])
    response = producer.post(f"/portal/filings/{filing_id}/submit")
    assert response.status_code == 302
    page = producer.get(f"/portal/filings/{filing_id}", headers=EN).get_data(as_text=True)
    assert "Submitted for review" in page

    regulator = login(draft["world"].gansu)
    queue = regulator.get("/admin/filings", headers=EN).get_data(as_text=True)
    assert "Lanzhou Lilies" in queue
    detail = regulator.get(f"/admin/filings/{filing_id}", headers=EN).get_data(as_text=True)
    assert draft["enterprise"].credit_code in detail and "Approve" in detail
    assert regulator.post(f"/admin/filings/{filing_id}/approve").status_code == 302

    page = producer.get("/portal/filings", headers=EN).get_data(as_text=True)
    assert "Approved" in page
    overview = producer.get("/portal/", headers=EN).get_data(as_text=True)
    assert "Until a regulator approves" not in overview


def test_reject_edit_resubmit_approve(draft, login):
    enterprise, filing_id = draft["enterprise"], draft["filing"].id
    producer = login(draft["admin"])
    regulator = login(draft["world"].gansu)
    producer.post(f"/portal/filings/{filing_id}/submit")
    response = regulator.post(
        f"/admin/filings/{filing_id}/reject", data={"reason": "Address does not match licence"}
    )
    assert response.status_code == 302

    page = producer.get("/portal/filings", headers=EN).get_data(as_text=True)
    assert "Rejected" in page and "Address does not match licence" in page
    response = producer.post(
        "/portal/enterprise", data=_profile(enterprise, address="9 Licence Street")
    )
    assert response.status_code == 302
    producer.post(f"/portal/filings/{filing_id}/submit")
    detail = regulator.get(f"/admin/filings/{filing_id}", headers=EN).get_data(as_text=True)
    assert "9 Licence Street" in detail
    assert regulator.post(f"/admin/filings/{filing_id}/approve").status_code == 302

    history = producer.get(f"/portal/filings/{filing_id}", headers=EN).get_data(as_text=True)
    assert history.count("Submitted</h3>") == 2
    assert "Rejected</h3>" in history and "Approved</h3>" in history
    assert "Address does not match licence" in history
    assert "Gansu regulator" in history


def test_reject_without_reason_is_refused(draft, login):
    filing_id = draft["filing"].id
    login(draft["admin"]).post(f"/portal/filings/{filing_id}/submit")
    regulator = login(draft["world"].gansu)
    response = regulator.post(
        f"/admin/filings/{filing_id}/reject", data={"reason": "  "}, headers=EN
    )
    assert response.status_code == 400
    assert "This field is required." in response.get_data(as_text=True)
    page = regulator.get(f"/admin/filings/{filing_id}", headers=EN).get_data(as_text=True)
    assert "Submitted for review" in page


def test_recorder_cannot_submit(draft, login):
    response = login(draft["recorder"]).post(
        f"/portal/filings/{draft['filing'].id}/submit", headers=EN
    )
    assert response.status_code == 403
    assert "Only the enterprise admin can do this" in response.get_data(as_text=True)


def test_regulator_of_another_province_cannot_approve(draft, login):
    filing_id = draft["filing"].id
    login(draft["admin"]).post(f"/portal/filings/{filing_id}/submit")
    zhejiang = login(draft["world"].zhejiang)
    assert zhejiang.post(f"/admin/filings/{filing_id}/approve").status_code == 404
    assert zhejiang.get(f"/admin/filings/{filing_id}").status_code == 404
    assert "Lanzhou Lilies" not in zhejiang.get("/admin/filings").get_data(as_text=True)
    page = login(draft["admin"]).get("/portal/filings", headers=EN).get_data(as_text=True)
    assert "Submitted for review" in page


def test_a_draft_cannot_be_approved(draft, login):
    regulator = login(draft["world"].gansu)
    response = regulator.post(f"/admin/filings/{draft['filing'].id}/approve", headers=EN)
    assert response.status_code == 409
    assert "Only a filing that is submitted" in response.get_data(as_text=True)


def test_locked_fields_cannot_change_while_submitted(draft, login):
    enterprise = draft["enterprise"]
    producer = login(draft["admin"])
    producer.post(f"/portal/filings/{draft['filing'].id}/submit")
    page = producer.get("/portal/enterprise", headers=EN).get_data(as_text=True)
    assert "are locked" in page
    response = producer.post(
        "/portal/enterprise", data=_profile(enterprise, name="Renamed Lilies"), headers=EN
    )
    assert response.status_code == 409
    assert "cannot be changed now" in response.get_data(as_text=True)
    # The profile text is not filed and stays editable.
    response = producer.post(
        "/portal/enterprise", data=_profile(enterprise, profile="Lilies since 1990")
    )
    assert response.status_code == 302
    page = producer.get("/portal/enterprise", headers=EN).get_data(as_text=True)
    assert "Lanzhou Lilies" in page and "Renamed Lilies" not in page
    assert "Lilies since 1990" in page


def test_product_fields_locked_while_product_filing_submitted(draft, login):
    product = draft["product"]
    producer = login(draft["admin"])
    producer.post(f"/portal/filings/{product.filing.id}/submit")
    data = {"name": "Other bulbs", "category": "vegetable", "spec": "", "gtin": ""}
    response = producer.post(f"/portal/products/{product.id}/edit", data=data, headers=EN)
    assert response.status_code == 409
    assert "cannot be changed now" in response.get_data(as_text=True)
    data = {"name": "Lily bulbs", "category": "fruit", "description": "Sweet"}
    response = producer.post(f"/portal/products/{product.id}/edit", data=data)
    assert response.status_code == 302


def test_product_filing_is_reviewed_with_enterprise_status_shown(draft, login):
    product = draft["product"]
    login(draft["admin"]).post(f"/portal/filings/{product.filing.id}/submit")
    regulator = login(draft["world"].national)
    queue = regulator.get("/admin/filings?kind=product", headers=EN).get_data(as_text=True)
    assert "Lily bulbs" in queue
    detail = regulator.get(f"/admin/filings/{product.filing.id}", headers=EN)
    assert "Enterprise filing" in detail.get_data(as_text=True)
    assert regulator.post(f"/admin/filings/{product.filing.id}/approve").status_code == 302
    page = login(draft["recorder"]).get(f"/portal/products/{product.id}", headers=EN)
    assert "Approved" in page.get_data(as_text=True)


def test_console_overview_counts_pending_filings_in_region(draft, login):
    login(draft["admin"]).post(f"/portal/filings/{draft['filing'].id}/submit")
    gansu = login(draft["world"].gansu).get("/admin/", headers=EN).get_data(as_text=True)
    assert "Filings waiting for review: 1" in gansu
    zhejiang = login(draft["world"].zhejiang).get("/admin/", headers=EN).get_data(as_text=True)
    assert "Filings waiting for review: 0" in zhejiang
