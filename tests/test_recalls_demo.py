"""The demo's recalled lot: ``suyuan demo`` prints one of its codes, and that code shows the
recall banner although nothing of the batch is published."""

from suyuan.demo import demo_summary, sample_codes, seed_demo
from suyuan.extensions import db
from suyuan.models import NonConformance, Recall

EN = {"Accept-Language": "en"}


def test_demo_prints_a_recalled_code_whose_scan_shows_the_banner(ctx, client):
    seed_demo()
    db.session.commit()
    code = sample_codes()["recalled"]
    summary = demo_summary("http://demo.test")
    assert f"\n{code}\n" in summary
    assert f"http://demo.test/q/{code}" in summary
    page = client.get(f"/q/{code}", headers=EN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Product recall: do not use this product" in html
    assert "Some jars contain too many microbes" in html
    body = client.get(f"/q/{code}.json").get_json()
    assert body["batch"] is None and body["published"]["stages"] == 0
    assert body["recall"]["severity"] == "II"
    assert body["recall"]["state"] == "in_progress"
    # The published lots of the demo carry no banner.
    assert client.get(f"/q/{sample_codes()['full']}.json").get_json()["recall"] is None


def test_demo_has_a_recall_and_a_non_conformance_record(ctx):
    seed_demo()
    db.session.commit()
    recall = db.session.query(Recall).one()
    assert [e.state for e in recall.events] == ["declared", "notified", "in_progress"]
    record = db.session.query(NonConformance).one()
    assert record.found_by == "regulator" and recall.nonconformance_id == record.id
