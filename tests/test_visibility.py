"""The visibility matrix: nothing reaches a public surface unless it, and everything it hangs
from, is opened for public query. Every text field carries a unique marker; each test looks
for the markers in the bodies of the scan page, its JSON form and the file downloads."""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.services.errors import NotAllowed
from suyuan.services.publication import set_public
from tests import factories as f

EN = {"Accept-Language": "en"}
SURFACES = ("html", "json", "files")


def mark(name: str) -> str:
    return f"MARK-{name}-{hashlib.sha256(name.encode()).hexdigest()[:6]}"


#: item → (its markers, the items it hangs from and that must be open for it to show).
ITEMS = {
    "profile": (["ent-name", "ent-address", "profile"], []),
    "area": (["area-name", "area-location", "area-size", "area-description"], ["batch"]),
    "product": (["product-name", "product-spec", "product-pack", "product-description"], []),
    "image": (["image"], ["product"]),
    "batch": (["batch-lot"], []),
    "record1": (["r1-title", "r1-place", "r1-operator", "r1-details"], ["batch"]),
    "record2": (["r2-title", "r2-place", "r2-operator", "r2-details"], ["batch"]),
    "record3": (["r3-title", "r3-place", "r3-operator", "r3-details"], ["batch"]),
    "file1": (["file1"], ["batch", "record1"]),
    "file2": (["file2"], ["batch", "record2"]),
}
#: Markers that must never appear on a public surface, whatever is published.
NEVER = [
    "never-legal",
    "never-contact",
    "never-phone",
    "never-batch-notes",
    "never-filing-reason",
    "never-draft-title",
    "never-draft-details",
    "never-draft-file",
    "never-old-title",
    "never-old-details",
    "never-old-file",
    "never-otherbatch-lot",
    "never-otherbatch-title",
    "never-other-name",
    "never-other-product",
    "never-other-lot",
    "never-other-title",
    "never-other-file",
]


@dataclass
class Scene:
    code: str
    admin: object
    items: dict
    files: list = field(default_factory=list)  # (id, filename) of every attachment of A


def _record(batch, author, key, **fields):
    return f.make_record(
        batch,
        author,
        title=mark(f"{key}-title"),
        place=mark(f"{key}-place"),
        operator=mark(f"{key}-operator"),
        details=mark(f"{key}-details"),
        **fields,
    )


def _file(enterprise, key, **owner):
    name = mark(key)
    data = (b"%PDF-1.4 " if key == "file2" else b"\x89PNG\r\n\x1a\n") + name.encode()
    return f.make_stored_attachment(enterprise, filename=f"{name}.bin", data=data, **owner)


def _enterprise_a():
    ent = f.make_enterprise(mark("ent-name"))
    ent.address = mark("ent-address")
    ent.profile = mark("profile")
    ent.legal_representative = mark("never-legal")
    ent.contact_name = mark("never-contact")
    ent.contact_phone = mark("never-phone")
    ent.enterprise_filing.reason = mark("never-filing-reason")
    return ent


def _other_enterprise():
    """Enterprise B, everything published: scanning A's code must still show none of it."""
    ent = f.make_enterprise(mark("never-other-name"), region="330100", is_profile_public=True)
    author = f.make_member(ent)
    product = f.make_product(ent, mark("never-other-product"), is_public=True)
    batch = f.make_batch(product, mark("never-other-lot"), is_public=True)
    record = f.make_record(batch, author, title=mark("never-other-title"), is_public=True)
    _file(ent, "never-other-file", stage_record=record, is_public=True)
    pool = f.make_pool(ent, 5000, 100)
    f.make_range(pool, batch, 5000, 5099, author)


def build_scene() -> Scene:
    ent = _enterprise_a()
    admin = f.make_member(ent, recorder=True, admin=True)
    area = f.make_area(
        ent,
        mark("area-name"),
        location=mark("area-location"),
        area_size=mark("area-size"),
        description=mark("area-description"),
    )
    product = f.make_product(
        ent,
        mark("product-name"),
        spec=mark("product-spec"),
        packaging_spec=mark("product-pack"),
        description=mark("product-description"),
    )
    image = _file(ent, "image", product=product)
    batch = f.make_batch(
        product, mark("batch-lot"), production_area=area, notes=mark("never-batch-notes")
    )
    records = [
        _record(batch, admin, f"r{n}", occurred_at=datetime(2026, 5, n, tzinfo=UTC))
        for n in (1, 2, 3)
    ]
    file1 = _file(ent, "file1", stage_record=records[0])
    file2 = _file(ent, "file2", stage_record=records[1])
    # A draft and a superseded version, flagged public as if by a slip elsewhere: never shown.
    draft = _record(batch, admin, "never-draft", status="draft", is_public=True)
    old = _record(batch, admin, "never-old", status="superseded", is_public=True)
    _file(ent, "never-draft-file", stage_record=draft, is_public=True)
    _file(ent, "never-old-file", stage_record=old, is_public=True)
    # Another batch of the same enterprise, fully published: not this code's batch.
    other_batch = f.make_batch(product, mark("never-otherbatch-lot"), is_public=True)
    _record(other_batch, admin, "never-otherbatch", is_public=True)
    pool = f.make_pool(ent, 0, 1000)
    f.make_range(pool, batch, 0, 99, admin)
    _other_enterprise()
    db.session.commit()
    items = {
        "profile": ent,
        "area": area,
        "product": product,
        "image": image,
        "batch": batch,
        "record1": records[0],
        "record2": records[1],
        "record3": records[2],
        "file1": file1,
        "file2": file2,
    }
    files = [(a.id, a.filename) for a in db.session.scalars(_attachments_of(ent))]
    return Scene(code=code_key().encode(7), admin=admin, items=items, files=files)


def _attachments_of(ent):
    from sqlalchemy import select

    from suyuan.models import Attachment

    return select(Attachment).where(Attachment.enterprise_id == ent.id)


def publish(scene: Scene, names) -> None:
    for name in names:
        item = scene.items[name]
        kind = "enterprise_profile" if name == "profile" else None
        set_public(scene.admin, item, True, item_type=kind)
    db.session.commit()


def bodies(client, scene: Scene, surface: str) -> list[bytes]:
    if surface == "html":
        return [client.get(f"/q/{scene.code}", headers=EN).data]
    if surface == "json":
        return [client.get(f"/q/{scene.code}.json", headers=EN).data]
    return [_file_body(client, f"/files/{i}/{name}") for i, name in scene.files]


def _file_body(client, url: str) -> bytes:
    """The body of a file request, less the requested URL itself (which a 404 page echoes in
    its language links): the requester typed that, it reveals nothing."""
    with client.get(url) as response:
        return response.data.replace(url.encode(), b"")


def found(markers, payloads) -> list[str]:
    return [m for m in markers if any(mark(m).encode() in body for body in payloads)]


@pytest.fixture
def scene(ctx):
    return build_scene()


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("item", sorted(ITEMS))
def test_unpublished_item_is_nowhere(scene, client, item, surface):
    payloads = bodies(client, scene, surface)
    assert found(ITEMS[item][0], payloads) == []


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("item", sorted(ITEMS))
def test_item_closed_while_everything_else_is_open(scene, client, item, surface):
    publish(scene, [name for name in ITEMS if name != item])
    payloads = bodies(client, scene, surface)
    assert found(ITEMS[item][0], payloads) == []
    assert found(NEVER, payloads) == []


@pytest.mark.parametrize("item", sorted(ITEMS))
def test_published_item_appears_and_nothing_else(scene, client, item):
    markers, needs = ITEMS[item]
    publish(scene, [*needs, item])
    page = bodies(client, scene, "html") + bodies(client, scene, "json")
    assert found(markers, page[:1]) == markers
    assert found(markers, page[1:]) == markers
    if item.startswith("file") or item == "image":
        assert found(markers, bodies(client, scene, "files")) == markers
    closed = [m for name, (ms, _) in ITEMS.items() if name not in (item, *needs) for m in ms]
    everything = page + bodies(client, scene, "files")
    assert found(closed, everything) == []
    assert found(NEVER, everything) == []


def test_everything_published_still_hides_drafts_old_versions_and_others(scene, client):
    publish(scene, list(ITEMS))
    set_public(scene.admin, scene.items["profile"], True, item_type="filings")
    db.session.commit()
    everything = [body for s in SURFACES for body in bodies(client, scene, s)]
    assert found(NEVER, everything) == []
    data = client.get(f"/q/{scene.code}.json").get_json()
    assert data["published"] == {"stages": 3, "total_stages": 3}


def test_filings_show_only_when_opened_with_the_profile(scene, client):
    url = f"/q/{scene.code}.json"
    publish(scene, ["profile"])
    assert client.get(url).get_json()["enterprise"]["filings"] is None
    set_public(scene.admin, scene.items["profile"], True, item_type="filings")
    db.session.commit()
    filings = client.get(url).get_json()["enterprise"]["filings"]
    assert filings["enterprise"] == "approved"
    assert filings["product"] is None  # the product itself is not open
    assert "Enterprise filing" in client.get(f"/q/{scene.code}", headers=EN).text


def test_filings_alone_show_nothing(scene, client):
    set_public(scene.admin, scene.items["profile"], True, item_type="filings")
    db.session.commit()
    data = client.get(f"/q/{scene.code}.json").get_json()
    assert data["enterprise"] is None


def test_unpublished_batch_hides_published_records_but_tells_the_total(scene, client):
    publish(scene, ["record1", "record2"])
    data = client.get(f"/q/{scene.code}.json").get_json()
    assert data["stages"] == []
    assert data["published"] == {"stages": 0, "total_stages": 3}


@pytest.mark.parametrize("status", ["draft", "superseded"])
def test_drafts_and_old_versions_cannot_be_published(app, scene, status):
    batch = scene.items["batch"]
    record = f.make_record(batch, scene.admin, status=status, title=mark(f"try-{status}"))
    attachment = _file(batch.product.enterprise, f"try-{status}-file", stage_record=record)
    for item in (record, attachment):
        with app.test_request_context(headers=EN), pytest.raises(NotAllowed):
            set_public(scene.admin, item, True)
        assert item.is_public is False
