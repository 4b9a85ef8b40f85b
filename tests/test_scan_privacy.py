"""No IP address is stored anywhere: after scans, a shared region and a report sent from
known addresses (direct and forwarded through a trusted proxy), no text column of any table
holds them."""

import io

from sqlalchemy import String, Text, select

from suyuan.extensions import db
from suyuan.models import Base, ScanEvent
from tests import factories, factories_scans

coded, recording = factories_scans.coded, factories_scans.recording  # fixtures

DIRECT = "203.0.113.77"
FORWARDED = "198.51.100.23"
PROXY = "10.8.0.1"
PNG = factories.png_bytes()


def every_text_value():
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is not None:
                    yield f"{table.name}.{column.name}", str(value)


def test_no_ip_address_is_stored(app, coded):
    app.config["TRUSTED_PROXIES"] = PROXY
    try:
        direct = app.test_client()
        direct.environ_base.update({"REMOTE_ADDR": DIRECT, "HTTP_USER_AGENT": DIRECT})
        proxied = app.test_client()
        proxied.environ_base["REMOTE_ADDR"] = PROXY
        forwarded = {"X-Forwarded-For": FORWARDED}
        assert direct.get(f"/q/{coded.code}").status_code == 200
        assert direct.get(f"/q/{coded.code}.json").status_code == 200
        assert direct.post(f"/q/{coded.code}/region", data={"region": "620100"}).status_code == 302
        assert proxied.get(f"/q/{coded.code}", headers=forwarded).status_code == 200
        report = {
            "category": "suspected_fake",
            "description": "Label looks printed at home",
            "contact": "",
            "photo": (io.BytesIO(PNG), "label.png"),
        }
        sent = proxied.post(f"/q/{coded.code}/report", data=report, headers=forwarded)
        assert sent.status_code == 200
    finally:
        app.config["TRUSTED_PROXIES"] = ""
    with app.app_context():
        scanners = set(db.session.scalars(select(ScanEvent.scanner_hash)))
        assert len(scanners) == 2  # both clients were counted, as two devices
        values = list(every_text_value())
        assert values, "the scan left nothing to search"
        for address in (DIRECT, FORWARDED, PROXY):
            leaks = [where for where, value in values if address in value]
            assert leaks == [], f"{address} stored in {leaks}"
