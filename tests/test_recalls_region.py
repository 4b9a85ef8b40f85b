"""The console's recall, non-conformance, notice, product and batch lists are region-scoped:
a provincial regulator sees exactly its region's rows (list, detail, search, attachment URL),
a national regulator sees all; regulators order recalls and record findings in region only."""

import io

import pytest

from suyuan.extensions import db
from suyuan.models import NonConformance
from suyuan.services import nonconformance as nc_service
from tests.factories_recalls import make_recall

EN = {"Accept-Language": "en"}
PDF = b"%PDF-1.4 inspection report"


@pytest.fixture
def rows(world):
    """One recall and one non-conformance (with a report) per enterprise: a Gansu, b Zhejiang."""
    out = {}
    for key, side, word in (("a", world.a, "Gansuword"), ("b", world.b, "Zhejiangword")):
        report = _upload(f"{word}.pdf")
        record = nc_service.record_nonconformance(
            side.admin, side.product, [side.batch], f"{word} mould", report
        )
        db.session.commit()
        recall = make_recall(side.admin, side.product, batches=[side.batch], reason=f"{word} bad")
        out[key] = (recall, record)
    return out


def fetch(client, url):
    """GET a file; the body and status, with the streamed file closed."""
    with client.get(url) as response:
        return response.status_code, response.data


def _upload(name):
    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(PDF), filename=name, content_type="application/pdf")


def test_provincial_regulator_sees_exactly_its_region(world, rows, login):
    client = login(world.gansu)
    (a_recall, a_record), (b_recall, b_record) = rows["a"], rows["b"]
    for url in ("/admin/recalls", "/admin/nonconformance", "/admin/products", "/admin/batches"):
        page = client.get(url, headers=EN).get_data(as_text=True)
        assert "Gansu Apples" in page, url
        assert "Zhejiang Tea" not in page, url
    for url in ("/admin/recalls?q=Zhejiangword", "/admin/nonconformance?q=Zhejiangword"):
        page = client.get(url, headers=EN).get_data(as_text=True)
        assert "Zhejiang Tea" not in page and "Zhejiangword bad" not in page
        assert "Zhejiangword mould" not in page and "No " in page
    assert "Gansuword bad" in client.get("/admin/recalls?q=Gansuword").get_data(as_text=True)
    assert client.get(f"/admin/recalls/{a_recall.id}").status_code == 200
    assert client.get(f"/admin/nonconformance/{a_record.id}").status_code == 200
    assert fetch(client, f"/admin/nonconformance/{a_record.id}/report") == (200, PDF)
    for url in (
        f"/admin/recalls/{b_recall.id}",
        f"/admin/nonconformance/{b_record.id}",
        f"/admin/nonconformance/{b_record.id}/report",
        f"/admin/products/{world.b.product.id}/recalls/new",
        f"/admin/products/{world.b.product.id}/nonconformance/new",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/admin/recalls/{b_recall.id}/notified").status_code == 404
    assert client.post(f"/admin/nonconformance/{b_record.id}/status").status_code == 404


def test_national_regulator_sees_all(world, rows, login):
    client = login(world.national)
    for url in ("/admin/recalls", "/admin/nonconformance", "/admin/products", "/admin/batches"):
        page = client.get(url, headers=EN).get_data(as_text=True)
        assert "Gansu Apples" in page and "Zhejiang Tea" in page, url
    b_recall, b_record = rows["b"]
    assert client.get(f"/admin/recalls/{b_recall.id}").status_code == 200
    assert fetch(client, f"/admin/nonconformance/{b_record.id}/report") == (200, PDF)


def test_filters_narrow_the_lists(world, rows, login):
    client = login(world.national)
    assert "Gansuword" not in client.get("/admin/recalls?state=completed").get_data(as_text=True)
    assert "Gansuword" in client.get("/admin/recalls?state=declared").get_data(as_text=True)
    assert "Gansuword" not in client.get("/admin/recalls?severity=I").get_data(as_text=True)
    page = client.get("/admin/nonconformance?found_by=regulator").get_data(as_text=True)
    assert "Gansuword" not in page
    page = client.get("/admin/nonconformance?status=open&q=Gansuword").get_data(as_text=True)
    assert "Gansuword mould" in page and "Zhejiangword mould" not in page
    lots = client.get(f"/admin/batches?q={world.b.batch.lot_number}").get_data(as_text=True)
    assert "Zhejiang Tea" in lots and "Gansu Apples" not in lots


def test_enterprise_report_url_is_its_own_only(world, rows, login):
    b_record = rows["b"][1]
    client = login(world.a.admin, "admin")
    assert client.get(f"/portal/nonconformance/{b_record.id}").status_code == 404
    assert client.get(f"/portal/nonconformance/{b_record.id}/report").status_code == 404
    own = rows["a"][1]
    assert fetch(client, f"/portal/nonconformance/{own.id}/report") == (200, PDF)


def test_regulator_orders_a_recall_and_records_a_finding_in_region(world, login):
    a = world.a
    client = login(world.gansu)
    response = client.post(
        f"/admin/products/{a.product.id}/nonconformance/new",
        data={"batches": [str(a.batch.id)], "reason": "Sampling: cadmium 0.3 mg/kg"},
        headers=EN,
    )
    assert response.status_code == 302
    page = client.get(response.location, headers=EN).get_data(as_text=True)
    assert "Regulator inspection" in page
    finding = db.session.query(NonConformance).one()
    response = client.post(
        f"/admin/products/{a.product.id}/recalls/new",
        data={
            "severity": "I",
            "reason": "Cadmium above the limit",
            "consumer_advice": "Do not eat",
            "batches": [str(a.batch.id)],
            "nonconformance_id": str(finding.id),
        },
        headers=EN,
    )
    assert response.status_code == 302
    page = client.get(response.location, headers=EN).get_data(as_text=True)
    assert "Ordered by a regulator" in page
    assert f'href="/admin/nonconformance/{finding.id}"' in page
    # The enterprise sees the ordered recall in its portal and carries it out.
    portal = login(a.admin, "admin")
    assert "Cadmium above the limit" in portal.get("/portal/recalls").get_data(as_text=True)
    assert "Regulator inspection" in portal.get("/portal/nonconformance", headers=EN).get_data(
        as_text=True
    )


def test_nonconformance_status_moves_forward_only(world, rows, login):
    record = rows["a"][1]
    client = login(world.a.admin, "admin")
    url = f"/portal/nonconformance/{record.id}/status"
    ok = client.post(url, data={"status": "handled", "note": "Stock held"}, headers=EN)
    assert ok.status_code == 302
    back = client.post(url, data={"status": "open"}, headers=EN, follow_redirects=True)
    assert "can only move forward" in back.get_data(as_text=True)
    db.session.refresh(record)
    assert record.status == "handled" and record.handling_note == "Stock held"


def test_regulator_batch_page_lists_the_batchs_recalls_and_findings(world, rows, login):
    client = login(world.gansu)
    page = client.get(f"/admin/batches/{world.a.batch.id}", headers=EN).get_data(as_text=True)
    assert "Gansuword bad" in page and "Gansuword mould" in page
    assert client.get(f"/admin/batches/{world.b.batch.id}").status_code == 404


def test_enterprise_records_a_finding_with_its_report(world, login):
    a = world.a
    client = login(a.admin, "admin")
    url = f"/portal/nonconformance/new?product={a.product.id}"
    bad = client.post(
        url,
        data={
            "batches": [str(a.batch.id)],
            "reason": "Label",
            "report": (io.BytesIO(b"GIF89a"), "x.gif"),
        },
        headers=EN,
    )
    assert bad.status_code == 400
    assert "Only PNG or JPEG images and PDF" in bad.get_data(as_text=True)
    assert db.session.query(NonConformance).count() == 0
    ok = client.post(
        url,
        data={
            "batches": [str(a.batch.id)],
            "reason": "Label",
            "report": (io.BytesIO(PDF), "r.pdf"),
        },
        headers=EN,
    )
    assert ok.status_code == 302
    record = db.session.query(NonConformance).one()
    assert record.found_by == "self_inspection" and record.report.filename == "r.pdf"
    page = client.get(ok.location, headers=EN).get_data(as_text=True)
    assert "Enterprise self-inspection" in page and "r.pdf" in page
    assert fetch(client, f"/portal/nonconformance/{record.id}/report") == (200, PDF)
    assert login(a.recorder).get(url).status_code == 403
