"""GS1 Digital Link: parsing and building, the resolver's pages, linksets, link types and
language fallback."""

from datetime import UTC, datetime

import pytest

from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.services.digital_link import (
    DigitalLink,
    DigitalLinkError,
    code_url,
    gtin_forms,
    parse_path,
)
from suyuan.services.publication import set_public
from suyuan.validators import gtin_check_digit
from tests import factories as f

EN = {"Accept-Language": "en"}
GTIN13 = "690123456789" + str(gtin_check_digit("690123456789"))
GTIN = "0" + GTIN13  # the canonical 14-digit form
OTHER_GTIN = "693000000000" + str(gtin_check_digit("693000000000"))
LOT = "L-2026/01"
LOT_PATH = "L-2026%2F01"
GS1 = "https://gs1.org/voc/"


def with_check_digit(body: str) -> str:
    return body + str(gtin_check_digit(body))


# Parsing and building.


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (f"/01/{GTIN}", DigitalLink(GTIN)),
        (f"/01/{GTIN13}", DigitalLink(GTIN)),
        (f"/01/{GTIN}/10/{LOT_PATH}", DigitalLink(GTIN, lot=LOT)),
        (f"/01/{GTIN}/21/12345678901234567890", DigitalLink(GTIN, serial="12345678901234567890")),
        (f"/01/{GTIN}/10/ABC/21/X1", DigitalLink(GTIN, lot="ABC", serial="X1")),
    ],
)
def test_parse_reads_every_supported_form(path, expected):
    assert parse_path(path) == expected


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (f"/01/{GTIN[:-1]}0", "the check digit should be"),
        (f"/01/{GTIN[:-1]}9", "the check digit should be"),
        ("/01/123456789", "a GTIN has 8, 12, 13 or 14 digits"),
        ("/01/0690123456789X", "a GTIN has 8, 12, 13 or 14 digits"),
        (f"/01/{GTIN}/21", "needs a code and a value"),
        (f"/01/{GTIN}/21/A/10/B", "nothing else"),
        (f"/01/{GTIN}/22/A", "nothing else"),
        (f"/01/{GTIN}/10/{'A' * 21}", "1 to 20"),
        (f"/01/{GTIN}/10/%E6%89%B9", "1 to 20"),
        (f"/00/{GTIN}", "starts with /01/"),
    ],
)
def test_parse_refuses_what_is_not_a_digital_link(app, path, message):
    with app.test_request_context(headers=EN), pytest.raises(DigitalLinkError) as refused:
        parse_path(path)
    assert message in refused.value.message
    assert refused.value.status_code == 400


def test_paths_round_trip_with_percent_encoding():
    link = DigitalLink(GTIN, lot=LOT, serial="S/1")
    assert link.path == f"/01/{GTIN}/10/{LOT_PATH}/21/S%2F1"
    assert parse_path(link.path) == link
    assert link.uri("https://x.test/") == f"https://x.test{link.path}"


def test_gtin_forms_cover_the_shorter_stored_forms():
    assert gtin_forms(GTIN13) == [GTIN, GTIN13]
    assert gtin_forms("00000096385074") == [
        "00000096385074",
        "0000096385074",
        "000096385074",
        "96385074",
    ]


def test_code_url_uses_the_digital_link_only_with_a_gtin(ctx, world):
    code = "12345678901234567890"
    world.a.product.gtin = GTIN13
    assert (
        code_url(code, world.a.product, "https://x.test/") == f"https://x.test/01/{GTIN}/21/{code}"
    )
    world.a.product.gtin = None
    assert code_url(code, world.a.product, "https://x.test") == f"https://x.test/q/{code}"


# The resolver.


@pytest.fixture
def item(world):
    """A's product (GTIN, published), a published lot with a published record and a code."""
    a = world.a
    a.product.gtin = GTIN13
    a.product.is_public = True
    a.batch.lot_number = LOT
    a.batch.is_public = True
    f.make_record(a.batch, a.recorder, title="Blossom thinning", is_public=True)
    f.make_record(a.batch, a.recorder, title="Secret spraying")  # submitted, not published
    f.make_record(a.batch, a.recorder, title="Draft note", status="draft", is_public=True)
    f.make_range(a.pool, a.batch, 0, 99, a.recorder)
    a.enterprise.is_profile_public = True
    db.session.commit()
    return world


def code(index: int) -> str:
    return code_key().encode(index)


def serial_path(index: int = 5, gtin: str = GTIN) -> str:
    return f"/01/{gtin}/21/{code(index)}"


def test_serial_serves_the_scan_page_of_its_code(item, client):
    path = serial_path()
    page = client.get(path, headers=EN)
    scan = client.get(f"/q/{code(5)}", headers=EN)
    assert page.status_code == scan.status_code == 200
    # Identical but for the language links, which point back at the URL asked for.
    assert page.text.replace(path, f"/q/{code(5)}") == scan.text
    assert "Blossom thinning" in page.text
    assert "Secret spraying" not in page.text


def test_serial_with_the_lot_resolves_too(item, client):
    page = client.get(f"/01/{GTIN}/10/{LOT_PATH}/21/{code(5)}", headers=EN)
    assert page.status_code == 200
    assert "Blossom thinning" in page.text


def test_serial_accepts_the_shorter_gtin_form(item, client):
    assert client.get(serial_path(gtin=GTIN13), headers=EN).status_code == 200


@pytest.mark.parametrize(
    "template",
    [
        "/01/0{other}/21/{code}",  # another product's GTIN
        "/01/{gtin}/10/OTHER-LOT/21/{code}",  # another lot
    ],
)
def test_serial_under_the_wrong_gtin_or_lot_is_not_found(item, client, template):
    path = template.format(other=OTHER_GTIN, gtin=GTIN, code=code(5))
    response = client.get(path, headers=EN)
    assert response.status_code == 404
    assert "This is not a registered identity code" in response.text
    assert "Blossom thinning" not in response.text


def test_serial_of_another_enterprises_code_is_not_found(item, client):
    b = item.b
    b.product.gtin = OTHER_GTIN
    f.make_range(b.pool, b.batch, 1000, 1099, b.recorder)
    db.session.commit()
    assert client.get(serial_path(1005), headers=EN).status_code == 404  # A's GTIN, B's code
    assert client.get(serial_path(1005, "0" + OTHER_GTIN), headers=EN).status_code == 200


def test_serial_of_a_product_without_gtin_is_not_found(item, client):
    item.a.product.gtin = None
    db.session.commit()
    assert client.get(serial_path(), headers=EN).status_code == 404


def test_serial_answers_like_the_scan_page_for_unknown_and_voided_codes(item, client):
    unbound = client.get(serial_path(500), headers=EN)
    assert unbound.status_code == 404
    assert "This is not a registered identity code" in unbound.text
    mistyped = client.get(f"/01/{GTIN}/21/{code(5)[:-1]}0", headers=EN)
    assert mistyped.status_code == 404
    assert "mistyped" in mistyped.text
    f.make_range(item.a.pool, item.a.batch, 200, 210, item.a.recorder, status="void")
    db.session.commit()
    assert client.get(serial_path(205), headers=EN).status_code == 410


def test_lot_page_shows_only_published_records(item, client):
    page = client.get(f"/01/{GTIN}/10/{LOT_PATH}", headers=EN)
    assert page.status_code == 200
    assert "Blossom thinning" in page.text
    assert "Secret spraying" not in page.text
    assert "Draft note" not in page.text
    assert "1 of 2 stage records are published" in page.text
    data = client.get(f"/01/{GTIN}/10/{LOT_PATH}", headers={"Accept": "application/json"}).json
    assert [s["title"] for s in data["batches"][0]["stages"]] == ["Blossom thinning"]


def test_unpublished_lot_or_product_is_not_found(item, client):
    set_public(item.a.admin, item.a.batch, False)
    db.session.commit()
    lot = client.get(f"/01/{GTIN}/10/{LOT_PATH}", headers=EN)
    assert lot.status_code == 404
    assert "No published batch" in lot.text
    assert client.get(f"/01/{GTIN}", headers=EN).status_code == 200
    set_public(item.a.admin, item.a.product, False)
    db.session.commit()
    product = client.get(f"/01/{GTIN}", headers=EN)
    assert product.status_code == 404
    assert "No published product" in product.text


def test_product_page_lists_published_batches_only(item, client):
    hidden = f.make_batch(item.a.product, "HIDDEN-LOT")
    f.make_batch(item.a.product, "SHOWN-LOT", is_public=True)
    db.session.commit()
    page = client.get(f"/01/{GTIN}", headers=EN)
    assert page.status_code == 200
    assert item.a.product.name in page.text
    assert "SHOWN-LOT" in page.text and LOT in page.text
    assert hidden.lot_number not in page.text
    assert f'href="http://suyuan.test/01/{GTIN}/10/{LOT_PATH}"' in page.text


def test_product_page_shows_filings_only_when_published(item, client):
    assert "Enterprise filing" not in client.get(f"/01/{GTIN}", headers=EN).text
    item.a.enterprise.is_filings_public = True
    db.session.commit()
    assert "Enterprise filing" in client.get(f"/01/{GTIN}", headers=EN).text


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (f"/01/{GTIN[:-1]}7", "the check digit should be 2"),
        ("/01/12345", "a GTIN has 8, 12, 13 or 14 digits"),
        (f"/01/{GTIN}/21/{'1' * 20}/x", "Each part after the GTIN"),
    ],
)
def test_invalid_links_answer_400_in_html_and_json(client, ctx, path, message):
    html = client.get(path, headers=EN)
    assert html.status_code == 400
    assert message in html.text
    for accept in ("application/json", "application/linkset+json"):
        data = client.get(path, headers={**EN, "Accept": accept})
        assert data.status_code == 400
        assert message in data.json["error"]


# Linksets and link types.


def linkset_of(client, path, **headers):
    response = client.get(path, headers={**EN, **headers})
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/linkset+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    (entry,) = response.json["linkset"]
    return entry


def assert_link_objects(entry):
    for relation, targets in entry.items():
        if relation == "anchor":
            continue
        assert relation.startswith(GS1)
        assert isinstance(targets, list) and targets
        for target in targets:
            assert set(target) <= {"href", "title", "hreflang", "type"}
            assert target["href"].startswith("http://suyuan.test/")
            assert isinstance(target["title"], str) and target["title"]
            assert isinstance(target.get("hreflang", []), list)


def test_serial_linkset_by_query_and_by_accept_header(item, client):
    path = serial_path()
    by_query = linkset_of(client, path + "?linkType=linkset")
    by_accept = linkset_of(client, path, Accept="application/linkset+json")
    assert by_query == by_accept == linkset_of(client, path + "?linkType=all")
    assert by_query["anchor"] == f"http://suyuan.test{path}"
    assert_link_objects(by_query)
    assert by_query[GS1 + "pip"][0]["href"] == f"http://suyuan.test/01/{GTIN}"
    assert by_query[GS1 + "traceability"][0] == {
        "href": f"http://suyuan.test{path}",
        "title": "Trace this item",
        "type": "text/html",
        "hreflang": ["zh", "en"],
    }
    assert by_query[GS1 + "recallStatus"][0]["href"] == f"http://suyuan.test{path}"
    assert by_query[GS1 + "epcis"][0]["href"] == f"http://suyuan.test/q/{code(5)}/epcis.json"
    assert GS1 + "certificationInfo" not in by_query


def test_linkset_lists_only_published_targets(item, client):
    set_public(item.a.admin, item.a.product, False)
    db.session.commit()
    entry = linkset_of(client, serial_path() + "?linkType=linkset")
    assert GS1 + "pip" not in entry
    lot = linkset_of(client, f"/01/{GTIN}/10/{LOT_PATH}?linkType=linkset")
    assert GS1 + "pip" not in lot
    assert lot[GS1 + "traceability"][0]["href"] == f"http://suyuan.test/01/{GTIN}/10/{LOT_PATH}"


def test_certification_info_appears_when_filings_are_published(item, client):
    item.a.enterprise.is_filings_public = True
    db.session.commit()
    product = linkset_of(client, f"/01/{GTIN}?linkType=linkset")
    assert product[GS1 + "certificationInfo"][0]["href"] == f"http://suyuan.test/01/{GTIN}#filings"
    assert_link_objects(product)
    assert product[GS1 + "pip"][0]["href"] == f"http://suyuan.test/01/{GTIN}"


def test_a_browser_or_bare_accept_gets_the_page_not_the_linkset(item, client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for accept in (browser, "*/*"):
        response = client.get(serial_path(), headers={**EN, "Accept": accept})
        assert response.mimetype == "text/html"
        assert 'rel="linkset"' in response.headers["Link"]
        assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("link_type", "target"),
    [
        ("gs1:pip", "/01/{gtin}"),
        ("https://gs1.org/voc/pip", "/01/{gtin}"),
        ("gs1:epcis", "/q/{code}/epcis.json"),
        ("gs1:traceability", "{path}"),
        ("gs1:certificationInfo", "{path}"),  # none published: the default link
        ("gs1:nutritionalInfo", "{path}"),
    ],
)
def test_link_types_redirect(item, client, link_type, target):
    path = serial_path()
    response = client.get(f"{path}?linkType={link_type}", headers=EN)
    assert response.status_code == 307
    expected = target.format(gtin=GTIN, code=code(5), path=path)
    assert response.headers["Location"] == f"http://suyuan.test{expected}"


def test_resolver_description(client, ctx):
    data = client.get("/.well-known/gs1resolver").json
    assert data["resolverRoot"] == "http://suyuan.test"
    assert data["supportedPrimaryKeys"] == ["01"]
    assert data["supportedLinkType"] == [{"namespace": GS1, "prefix": "gs1:"}]
    assert data["linkTypeDefaultCanBeLinkset"] is False


# Language negotiation falls back from a regional tag to the language.


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("en-GB", "en"),
        ("en-GB;q=0.9, zh;q=0.5", "en"),
        ("zh-Hans-CN", "zh"),
        ("zh-TW, en;q=0.5", "zh"),
        ("fr-FR, de", "zh"),  # nothing we speak: the default language
        ("fr, en-US;q=0.4", "en"),
    ],
)
def test_language_falls_back_to_the_primary_subtag(item, client, accept_language, expected):
    page = client.get(serial_path(), headers={"Accept-Language": accept_language})
    assert f'<html lang="{"zh-CN" if expected == "zh" else "en"}">' in page.text
    assert ("生产档案" in page.text) == (expected == "zh")


def test_lang_parameter_falls_back_too(item, client):
    page = client.get(f"/01/{GTIN}?lang=en-GB", headers={"Accept-Language": "zh"})
    assert '<html lang="en">' in page.text


def test_record_times_on_the_lot_page_are_local(item, client):
    f.make_record(
        item.a.batch,
        item.a.recorder,
        title="Harvest day",
        is_public=True,
        occurred_at=datetime(2026, 9, 1, 1, 30, tzinfo=UTC),
    )
    db.session.commit()
    page = client.get(f"/01/{GTIN}/10/{LOT_PATH}", headers=EN)
    assert "2026-09-01 09:30 (UTC+08:00)" in page.text


def test_product_page_pages_its_batches(item, client):
    for n in range(24):
        f.make_batch(item.a.product, f"P-{n:02d}", is_public=True)
    db.session.commit()
    first = client.get(f"/01/{GTIN}", headers=EN).text
    assert "Page 1 of 2 · 25 items" in first
    assert f'href="/01/{GTIN}?page=2"' in first
    second = client.get(f"/01/{GTIN}?page=2", headers=EN).text
    shown = [n for n in range(24) if f">P-{n:02d}<" in first + second]
    assert len(shown) == 24
    assert not any(f">P-{n:02d}<" in first and f">P-{n:02d}<" in second for n in range(24))
