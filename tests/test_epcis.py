"""EPCIS 2.0 exports: valid against GS1's JSON schema, the public one holding published
items only, the full ones scoped to the enterprise and the regulator's region.

GS1's schema and examples are read from ``shared/standards`` next to the project (CI has
them; they are not copied into the project). ``uri`` and ``date-time`` formats are checked
(jsonschema checks them only with optional packages we do not install, so the checks are
written here); ``$ref`` resolves inside the schema, never over the network.
"""

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, FormatChecker

from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.services.epcis import VOCAB, biz_step
from suyuan.services.publication import set_public
from suyuan.validators import gtin_check_digit
from tests import factories as f
from tests.conftest import missing
from tests.test_visibility import ITEMS, NEVER, build_scene, found, publish

PROJECT = Path(__file__).resolve().parent.parent
GTIN13 = "690123456789" + str(gtin_check_digit("690123456789"))
#: RFC 3986 absolute URI (scheme ":" rest), or a JSON-LD blank node ``_:name``, which GS1's own
#: examples use as document ids.
URI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*|_):[^\s<>\"{}|\\^`]+$")


def standards_dir() -> Path:
    """``SUYUAN_STANDARDS_DIR``, else the nearest ``shared/standards`` above the project."""
    if os.environ.get("SUYUAN_STANDARDS_DIR"):
        return Path(os.environ["SUYUAN_STANDARDS_DIR"])
    for parent in PROJECT.parents:
        if (parent / "shared" / "standards").is_dir():
            return parent / "shared" / "standards"
    return PROJECT.parent / "shared" / "standards"


formats = FormatChecker(formats=())


@formats.checks("uri")
def is_uri(value) -> bool:
    return not isinstance(value, str) or bool(URI.match(value))


@formats.checks("date-time", raises=ValueError)
def is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return "T" in value and moment.tzinfo is not None  # RFC 3339 needs the offset


@pytest.fixture(scope="module")
def validator():
    path = standards_dir() / "EPCIS-JSON-Schema.json"
    if not path.is_file():
        missing(f"GS1's EPCIS 2.0 JSON schema is not at {path}")
    schema = json.loads(path.read_text())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=formats)


def errors(validator, document) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


@pytest.mark.parametrize(
    "name", ["epcis-example-ObjectEvent.jsonld", "epcis-example-ObjectEvent-DigitalLink.jsonld"]
)
def test_gs1_examples_validate(validator, name):
    document = json.loads((standards_dir() / name).read_text())
    assert errors(validator, document) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("eventTimeZoneOffset",), "+8"),
        (("epcList",), ["not a uri"]),
        (("eventTime",), "yesterday"),
        (("bizStep",), "urn:epcglobal:cbv:bizstep:planting"),  # not ours to coin
        (("action",), "CREATE"),
    ],
)
def test_the_validator_catches_broken_events(validator, path, value):
    document = json.loads((standards_dir() / "epcis-example-ObjectEvent.jsonld").read_text())
    event = document["epcisBody"]["eventList"][0]
    event[path[0]] = value
    assert errors(validator, document) != []


# A batch with a history: a published record, an unpublished one, a draft, a correction.


@pytest.fixture
def chain(world):
    a = world.a
    a.product.gtin = GTIN13
    a.product.is_public = True
    a.batch.is_public = True
    a.batch.lot_number = "APPLE-7"
    a.batch.production_area = f.make_area(a.enterprise, "North orchard", is_public=True)
    record = f.make_record  # brevity
    planting = record(
        a.batch,
        a.recorder,
        stage_type="planting",
        title="Planted saplings",
        occurred_at=datetime(2026, 3, 1, 1, 0, tzinfo=UTC),
        is_public=True,
    )
    old = record(
        a.batch,
        a.recorder,
        stage_type="inspection",
        title="Old inspection wording",
        status="superseded",
        occurred_at=datetime(2026, 4, 1, tzinfo=UTC),
    )
    fixed = record(
        a.batch,
        a.recorder,
        stage_type="inspection",
        title="Inspection passed",
        occurred_at=datetime(2026, 4, 1, tzinfo=UTC),
        version=2,
        supersedes=old,
        correction_reason="Wrong lab name",
        is_public=True,
    )
    record(a.batch, a.recorder, stage_type="fertilizing", title="Unpublished fertilizing")
    record(a.batch, a.recorder, stage_type="irrigation", title="Draft irrigation", status="draft")
    record(
        a.batch,
        a.recorder,
        stage_type="shipping",
        title="Shipped to market",
        occurred_at=datetime(2026, 9, 2, tzinfo=UTC),
        is_public=True,
    )
    f.make_range(a.pool, a.batch, 0, 99, a.recorder)
    db.session.commit()
    world.records = {"planting": planting, "old": old, "fixed": fixed}
    return world


def public_export(client, index=5):
    response = client.get(f"/q/{code_key().encode(index)}/epcis.json")
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/ld+json"
    return response.json


def titles(document) -> list[str]:
    return [e.get("suyuan:title") for e in document["epcisBody"]["eventList"]]


def test_public_export_validates_and_holds_published_records_only(chain, client, validator):
    document = public_export(client)
    assert errors(validator, document) == []
    assert document["@context"][0] == "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
    assert document["schemaVersion"] == "2.0"
    assert titles(document) == ["Planted saplings", "Inspection passed", "Shipped to market"]
    text = json.dumps(document, ensure_ascii=False)
    for hidden in ("Unpublished fertilizing", "Draft irrigation", "Old inspection", "Wrong lab"):
        assert hidden not in text
    assert "errorDeclaration" not in text


def test_public_export_events(chain, client):
    code = code_key().encode(5)
    planting, inspection, shipping = public_export(client)["epcisBody"]["eventList"]
    assert planting["type"] == "ObjectEvent"
    assert planting["action"] == "ADD"  # the batch's first record
    assert planting["bizStep"] == f"{VOCAB}bizStep/planting"
    assert planting["epcList"] == [f"http://suyuan.test/01/0{GTIN13}/21/{code}"]
    assert planting["eventTime"] == "2026-03-01T01:00:00.000Z"
    assert planting["eventTimeZoneOffset"] == "+08:00"
    area = planting["readPoint"]["id"]
    assert area.startswith("http://suyuan.test/id/area/")
    assert planting["bizLocation"] == {"id": area}
    assert inspection["action"] == "OBSERVE"
    assert inspection["bizStep"] == "inspecting"
    assert shipping["bizStep"] == "shipping"
    assert shipping["disposition"] == "in_transit"
    assert "bizLocation" not in shipping


def test_public_export_hides_the_area_and_gtin_until_published(chain, client, validator):
    chain.a.batch.production_area.is_public = False
    chain.a.product.is_public = False
    db.session.commit()
    document = public_export(client)
    assert errors(validator, document) == []
    event = document["epcisBody"]["eventList"][0]
    assert "readPoint" not in event
    assert event["epcList"] == [f"http://suyuan.test/q/{code_key().encode(5)}"]
    assert GTIN13 not in json.dumps(document)


def test_public_export_of_an_unpublished_batch_is_empty(chain, client, validator):
    set_public(chain.a.admin, chain.a.batch, False)
    db.session.commit()
    document = public_export(client)
    assert document["epcisBody"]["eventList"] == []
    assert errors(validator, document) == []


def test_public_export_answers_like_the_scan_page(chain, client):
    unknown = client.get(
        f"/q/{code_key().encode(500)}/epcis.json", headers={"Accept-Language": "en"}
    )
    assert unknown.status_code == 404
    assert unknown.json["reason"] == "unregistered"
    mistyped = client.get("/q/12345/epcis.json")
    assert mistyped.status_code == 404
    assert mistyped.json["reason"] == "format"
    f.make_range(chain.a.pool, chain.a.batch, 200, 210, chain.a.recorder, status="void")
    db.session.commit()
    voided = client.get(f"/q/{code_key().encode(205)}/epcis.json")
    assert voided.status_code == 410
    assert voided.json["reason"] == "void"
    assert voided.json["stages"] == []


def test_scan_page_links_its_export(chain, client):
    code = code_key().encode(5)
    assert f'href="/q/{code}/epcis.json"' in client.get(f"/q/{code}").text


# The full chain, for the enterprise itself and for regulators of its region.


def full_export(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/ld+json"
    assert "attachment" in response.headers["Content-Disposition"]
    return response.json


@pytest.mark.parametrize("who", ["recorder", "admin", "gansu", "national"])
def test_full_export_validates_and_holds_every_submitted_version(chain, login, validator, who):
    user = getattr(chain.a, who, None) or getattr(chain, who)
    area = "portal" if who in ("recorder", "admin") else "admin"
    document = full_export(login(user), f"/{area}/batches/{chain.a.batch.id}/epcis.json")
    assert errors(validator, document) == []
    assert sorted(titles(document)) == sorted(
        [
            "Planted saplings",
            "Old inspection wording",
            "Inspection passed",
            "Unpublished fertilizing",
            "Shipped to market",
        ]
    )
    assert "Draft irrigation" not in json.dumps(document)
    (quantity,) = document["epcisBody"]["eventList"][0]["quantityList"]
    assert quantity == {"epcClass": f"http://suyuan.test/01/0{GTIN13}/10/APPLE-7", "quantity": 100}


def test_a_correction_is_an_error_declaration_on_the_old_version(chain, login):
    document = full_export(login(chain.gansu), f"/admin/batches/{chain.a.batch.id}/epcis.json")
    events = {e["suyuan:title"]: e for e in document["epcisBody"]["eventList"]}
    old, fixed = events["Old inspection wording"], events["Inspection passed"]
    declaration = old["errorDeclaration"]
    assert declaration["reason"] == "incorrect_data"
    assert declaration["correctiveEventIDs"] == [fixed["eventID"]]
    assert declaration["suyuan:correctionReason"] == "Wrong lab name"
    assert "errorDeclaration" not in fixed
    assert old["eventID"] != fixed["eventID"]
    # Event IDs are stable from one export to the next, and shared with the public export.
    again = full_export(login(chain.a.admin), f"/portal/batches/{chain.a.batch.id}/epcis.json")
    assert fixed["eventID"] in {e["eventID"] for e in again["epcisBody"]["eventList"]}


def test_a_batch_without_gtin_gets_our_own_class_uri(chain, login, validator):
    chain.a.product.gtin = None
    db.session.commit()
    document = full_export(
        login(chain.a.recorder), f"/portal/batches/{chain.a.batch.id}/epcis.json"
    )
    assert errors(validator, document) == []
    epc_class = document["epcisBody"]["eventList"][0]["quantityList"][0]["epcClass"]
    assert epc_class == f"http://suyuan.test/id/batch/{chain.a.batch.id}"


@pytest.mark.parametrize(
    ("who", "area"),
    [("b.recorder", "portal"), ("b.admin", "portal"), ("zhejiang", "admin")],
)
def test_other_tenants_and_regions_get_404(chain, login, who, area):
    user = chain
    for part in who.split("."):
        user = getattr(user, part)
    response = login(user).get(f"/{area}/batches/{chain.a.batch.id}/epcis.json")
    assert response.status_code == 404
    assert b"Planted saplings" not in response.data


def test_full_exports_need_the_right_kind_of_account(chain, login, client):
    url = f"/admin/batches/{chain.a.batch.id}/epcis.json"
    assert login(chain.a.admin).get(url).status_code == 403
    assert client.get(url).status_code == 401  # a .json path: asked to log in, not redirected
    assert (
        login(chain.gansu).get(f"/portal/batches/{chain.a.batch.id}/epcis.json").status_code == 403
    )


def test_batch_pages_link_their_export(chain, login):
    batch_id = chain.a.batch.id
    portal = login(chain.a.recorder).get(f"/portal/batches/{batch_id}").text
    assert f'href="/portal/batches/{batch_id}/epcis.json"' in portal
    admin = login(chain.gansu).get(f"/admin/batches/{batch_id}").text
    assert f'href="/admin/batches/{batch_id}/epcis.json"' in admin


def test_stage_types_map_to_cbv_where_one_fits():
    assert biz_step("packaging") == "packing"
    assert biz_step("raw_material_intake") == "receiving"
    assert biz_step("cold_storage") == "storing"
    assert biz_step("harvest") == f"{VOCAB}bizStep/harvest"


# The visibility matrix of tests/test_visibility.py, on the public EPCIS export.


@pytest.fixture
def scene(ctx):
    return build_scene()


def export_body(client, scene) -> list[bytes]:
    response = client.get(f"/q/{scene.code}/epcis.json")
    assert response.status_code == 200
    return [json.dumps(response.json, ensure_ascii=False).encode()]


@pytest.mark.parametrize("item", sorted(ITEMS))
def test_epcis_unpublished_item_is_absent(scene, client, validator, item):
    publish(scene, [name for name in ITEMS if name != item])
    payloads = export_body(client, scene)
    assert found(ITEMS[item][0], payloads) == []
    assert found(NEVER, payloads) == []
    assert errors(validator, json.loads(payloads[0])) == []


def test_epcis_everything_published_still_hides_drafts_old_versions_and_others(
    scene, client, validator
):
    publish(scene, list(ITEMS))
    payloads = export_body(client, scene)
    assert found(NEVER, payloads) == []
    assert found(["r1-title", "r2-details", "r3-operator", "r1-place"], payloads) == [
        "r1-title",
        "r2-details",
        "r3-operator",
        "r1-place",
    ]
    assert errors(validator, json.loads(payloads[0])) == []
