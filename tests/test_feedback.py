"""Consumer feedback (工单): reported from the scan page, answered by the enterprise, followed
by the consumer with the check code; regulators see fakes and adverse reactions of their
region; other tenants see nothing."""

import io
import re

from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import Feedback, User
from tests import factories, factories_scans
from tests.factories import PASSWORD

coded, recording = factories_scans.coded, factories_scans.recording  # fixtures

EN = {"Accept-Language": "en"}
PNG = factories.png_bytes()


def sign_in(app, email, role=None):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    if role:
        client.post("/auth/role", data={"role": role})
    return client


def send_report(app, coded, category="suspected_fake", photo=None, **extra):
    data = {"category": category, "description": "The seal was broken", "contact": "13800000000"}
    if photo is not None:
        data["photo"] = photo
    data.update(extra)
    return app.test_client().post(f"/q/{coded.code}/report", data=data, headers=EN)


def check_code_of(response) -> str:
    return re.search(r'id="check-code">([A-Z0-9-]+)<', response.text).group(1)


def test_report_link_on_the_scan_page(app, coded):
    page = app.test_client().get(f"/q/{coded.code}", headers=EN).text
    assert f'href="/q/{coded.code}/report"' in page
    form = app.test_client().get(f"/q/{coded.code}/report", headers=EN).text
    assert "Suspected fake" in form and "Allergy or adverse reaction" in form
    assert 'enctype="multipart/form-data"' in form


def test_round_trip_with_the_check_code(app, coded):
    sent = send_report(app, coded, photo=(io.BytesIO(PNG), "seal.png"))
    assert sent.status_code == 200
    check = check_code_of(sent)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", check)

    status = app.test_client().get("/feedback", query_string={"check": check}, headers=EN)
    assert status.status_code == 200
    assert "Received" in status.text and "The seal was broken" in status.text
    assert "13800000000" not in status.text  # the contact is the enterprise's only

    admin = sign_in(app, coded.admin_email)
    inbox = admin.get("/portal/feedback", headers=EN).text
    assert "The seal was broken" in inbox
    with app.app_context():
        feedback = db.session.scalar(select(Feedback))
        feedback_id, photo = feedback.id, feedback.photo.content_type
    assert photo == "image/png"
    detail = admin.get(f"/portal/feedback/{feedback_id}", headers=EN).text
    assert "13800000000" in detail
    with admin.get(f"/portal/feedback/{feedback_id}/photo") as photo_response:
        assert photo_response.data == PNG
    answered = admin.post(
        f"/portal/feedback/{feedback_id}",
        data={"status": "answered", "message": "Thank you, we will replace it."},
    )
    assert answered.status_code == 302

    status = app.test_client().get("/feedback", query_string={"check": check.lower()}, headers=EN)
    assert "Answered" in status.text
    assert "Thank you, we will replace it." in status.text


def test_wrong_check_code_is_a_clear_404(app, coded):
    response = app.test_client().get("/feedback?check=AAAA-BBBB-CCCC", headers=EN)
    assert response.status_code == 404
    assert "No report has this check code" in response.text


def test_missing_description_and_bad_photo_are_refused(app, coded):
    empty = send_report(app, coded, description="")
    assert empty.status_code == 400
    assert "This field is required." in empty.text
    pdf = send_report(app, coded, photo=(io.BytesIO(b"%PDF-1.4 x"), "x.png"))
    assert pdf.status_code == 400
    assert "The photo must be a PNG or JPEG image." in pdf.text
    with app.app_context():
        assert db.session.scalar(select(Feedback)) is None


def test_report_on_a_void_or_unknown_code_is_404(app, coded):
    assert app.test_client().get(f"/q/{coded.void_code}/report").status_code == 404
    assert app.test_client().get("/q/12345678901234567890/report").status_code == 404


def test_other_enterprise_cannot_see_the_report(app, coded):
    send_report(app, coded)
    with app.app_context():
        feedback_id = db.session.scalar(select(Feedback.id))
    other = sign_in(app, coded.other_admin_email)
    assert "The seal was broken" not in other.get("/portal/feedback", headers=EN).text
    assert other.get(f"/portal/feedback/{feedback_id}").status_code == 404
    assert (
        other.post(f"/portal/feedback/{feedback_id}", data={"status": "closed"}).status_code == 404
    )


def test_regulator_of_the_region_sees_fakes_and_adverse_reactions(app, coded):
    send_report(app, coded, category="suspected_fake")
    send_report(app, coded, category="quality", description="Too sour")
    with app.app_context():
        ids = {f.category: f.id for f in db.session.scalars(select(Feedback))}
    gansu = sign_in(app, coded.gansu_email)
    listing = gansu.get("/admin/reports", headers=EN).text
    assert "The seal was broken" in listing and "Too sour" not in listing
    assert gansu.get(f"/admin/reports/{ids['suspected_fake']}").status_code == 200
    assert gansu.get(f"/admin/reports/{ids['quality']}").status_code == 404
    zhejiang = sign_in(app, coded.zhejiang_email)
    assert "The seal was broken" not in zhejiang.get("/admin/reports", headers=EN).text
    assert zhejiang.get(f"/admin/reports/{ids['suspected_fake']}").status_code == 404


def test_answer_needs_a_change(app, coded):
    send_report(app, coded)
    with app.app_context():
        feedback_id = db.session.scalar(select(Feedback.id))
        assert db.session.scalar(select(User).where(User.email == coded.admin_email))
    admin = sign_in(app, coded.admin_email)
    response = admin.post(
        f"/portal/feedback/{feedback_id}", data={"status": "received", "message": ""}, headers=EN
    )
    assert response.status_code == 400
    assert "Write an answer or choose another status." in response.text
