"""Scan analytics: the enterprise dashboard (charts with tables, first-scan rate, CSV), the
review of suspicious codes, thresholds, declared sales regions, and the regulator's view of
its region only."""

import csv
import io

from sqlalchemy import select

from suyuan import charts
from suyuan.extensions import db
from suyuan.models import BatchSalesRegion, SuspicionFlag
from tests import factories_scans
from tests.factories_scans import device
from tests.test_feedback import sign_in

coded, recording = factories_scans.coded, factories_scans.recording  # fixtures

EN = {"Accept-Language": "en"}


def scan_some(app, coded):
    device(app, 1, region="620100").get(f"/q/{coded.code}")
    device(app, 2, region="330100").get(f"/q/{coded.code}")  # far apart: a flag
    device(app, 3).get(f"/q/{coded.other_code}")


def test_enterprise_dashboard_shows_charts_and_tables(app, coded):
    scan_some(app, coded)
    page = sign_in(app, coded.admin_email).get("/portal/analytics", headers=EN).text
    assert page.count('<svg class="chart"') == 3
    assert "<title>Scans per day</title>" in page
    assert 'id="total-scans">3<' in page
    assert "Gansu Apples product" in page
    assert "Lanzhou" in page and "Hangzhou" in page and "Not shared" in page
    # 2 of the 100 bound codes were scanned: 2.0 %
    assert "2.0 %" in page
    assert "Regions far apart" in page


def test_csv_export(app, coded):
    scan_some(app, coded)
    admin = sign_in(app, coded.admin_email)
    response = admin.get("/portal/analytics/batches.csv", headers=EN)
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["Enterprise", "Lot number", "Product", "Scans"]
    assert rows[1][3:7] == ["3", "2", "100", "0.0200"]
    regions = admin.get("/portal/analytics/regions.csv", headers=EN).text
    assert "620100,Lanzhou,1" in regions
    assert admin.get("/portal/analytics/nothing.csv").status_code == 404


def test_other_enterprise_sees_none_of_it(app, coded):
    scan_some(app, coded)
    other = sign_in(app, coded.other_admin_email)
    page = other.get("/portal/analytics", headers=EN).text
    assert 'id="total-scans">0<' in page
    assert "Gansu Apples product" not in page
    with app.app_context():
        flag_id = db.session.scalar(select(SuspicionFlag.id))
    response = other.post(f"/portal/analytics/flags/{flag_id}", data={"status": "genuine"})
    assert response.status_code == 404


def test_review_a_flag_without_blocking_the_code(app, coded):
    scan_some(app, coded)
    with app.app_context():
        flag_id = db.session.scalar(select(SuspicionFlag.id))
    admin = sign_in(app, coded.admin_email)
    listing = admin.get("/portal/analytics/flags", headers=EN).text
    assert "This code was checked in places far apart" in listing
    response = admin.post(
        f"/portal/analytics/flags/{flag_id}",
        data={"status": "counterfeit", "note": "Fake label seized"},
        follow_redirects=True,
        headers=EN,
    )
    assert "Marked Counterfeit. The code stays usable." in response.text
    assert "Fake label seized" in response.text
    assert device(app, 9).get(f"/q/{coded.code}").status_code == 200


def test_thresholds_apply_to_the_next_scans(app, coded):
    admin = sign_in(app, coded.admin_email)
    bad = admin.post(
        "/portal/analytics/rules",
        data={
            "max_scanners": 1,
            "region_window_minutes": 60,
            "burst_scans": 20,
            "burst_window_minutes": 10,
        },
        headers=EN,
    )
    assert bad.status_code == 400 and "Enter a number from 2 to 100000." in bad.text
    saved = admin.post(
        "/portal/analytics/rules",
        data={
            "max_scanners": 2,
            "region_window_minutes": 60,
            "burst_scans": 20,
            "burst_window_minutes": 10,
        },
    )
    assert saved.status_code == 302
    device(app, 1).get(f"/q/{coded.code}")
    body = device(app, 2).get(f"/q/{coded.code}.json", headers=EN).get_json()
    assert body["verdict"] == "suspicious"
    assert body["reasons"][0].startswith("2 different devices have checked this code")


def test_declare_sales_regions(app, coded):
    admin = sign_in(app, coded.admin_email)
    url = f"/portal/batches/{coded.batch_id}/sales-regions"
    assert "Sales regions of batch" in admin.get(url, headers=EN).text
    response = admin.post(url, data={"regions": ["620000", "330100"]})
    assert response.status_code == 302
    with app.app_context():
        regions = sorted(db.session.scalars(select(BatchSalesRegion.region_code)))
    assert regions == ["330100", "620000"]
    body = device(app, 1, region="440100").get(f"/q/{coded.code}.json", headers=EN).get_json()
    assert body["verdict"] == "suspicious"
    other = sign_in(app, coded.other_admin_email)
    assert other.get(url).status_code == 404


def test_regulator_dashboard_is_scoped_to_its_region(app, coded):
    scan_some(app, coded)
    gansu = sign_in(app, coded.gansu_email).get("/admin/scans", headers=EN).text
    assert 'id="total-scans">3<' in gansu
    assert "Gansu Apples" in gansu and "Suspicious clusters" in gansu
    zhejiang = sign_in(app, coded.zhejiang_email).get("/admin/scans", headers=EN).text
    assert 'id="total-scans">0<' in zhejiang
    assert "Gansu Apples" not in zhejiang
    csv_text = sign_in(app, coded.gansu_email).get("/admin/scans/days.csv", headers=EN).text
    assert csv_text.lstrip("\ufeff").startswith("Day,Scans,First scans")


def test_charts_escape_labels():
    svg = charts.bar_chart("Scans <per> product", [("<script>x</script>", 3)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<title>Scans &lt;per&gt; product</title>" in svg
    assert 'role="img"' in charts.column_chart("Per day", [("01-01", 0), ("01-02", 4)])
