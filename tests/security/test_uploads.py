"""Uploads: checked by their bytes, bounded in size, pixels and space, never half-stored."""

import io
import os
import zlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from suyuan.extensions import db
from suyuan.models import Attachment, StageRecord
from suyuan.services import files
from tests import factories

EN = {"Accept-Language": "en"}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def record_form(*uploads):
    return {
        "stage_type": "fertilizing",
        "title": "Organic fertilizer",
        "occurred_at": "2026-05-01T10:00",
        "occurred_tz": "Asia/Shanghai",
        "attachments": [(io.BytesIO(data), name) for name, data in uploads],
    }


def post_record(client, batch, *uploads):
    return client.post(
        f"/portal/batches/{batch.id}/records/new", data=record_form(*uploads), headers=EN
    )


def all_files(app) -> set[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def stored_files(app):
    """Files stored during this test (the upload folder is shared by the session)."""
    before = all_files(app)
    return lambda: sorted(all_files(app) - before)


def counts():
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count(StageRecord.id))),
        db.session.scalar(select(func.count(Attachment.id))),
    )


def png_flood(width: int, height: int) -> bytes:
    """A valid PNG header claiming a huge canvas: a few hundred bytes that would take GBs."""
    import struct

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "Only PNG or JPEG images"),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 64, "Only PNG or JPEG images"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', "Only"),
        ("page.png", b"<!doctype html><script>alert(1)</script>", "Only PNG or JPEG images"),
        ("a.pdf", PDF.replace(b">>", b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"), "scripts"),
        ("b.pdf", PDF.replace(b">>", b"/OpenAction << /S /J#61vaScript >> >>"), "scripts"),
        ("c.pdf", PDF.replace(b">>", b"/Names << /EmbeddedFiles 2 0 R >> >>"), "embedded"),
        ("flood.png", png_flood(60_000, 60_000), "cannot be read or is too large"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "cannot be read"),
    ],
)  # fmt: skip
def test_hostile_uploads_are_refused_and_nothing_is_kept(
    world, login, stored_files, name, data, message
):
    client = login(world.a.recorder)
    response = post_record(client, world.a.batch, (name, data))
    assert response.status_code == 400
    assert message in response.text
    assert counts() == (0, 0)
    assert stored_files() == []


def test_a_good_file_next_to_a_bad_one_is_not_left_on_disk(world, login, stored_files):
    client = login(world.a.recorder)
    response = post_record(
        client,
        world.a.batch,
        ("leaf.png", factories.png_bytes(color=tuple(os.urandom(3)))),  # never stored before
        ("x.png", b"not an image"),
    )
    assert response.status_code == 400
    assert counts() == (0, 0)
    assert stored_files() == []  # the PNG was written first, then removed on rollback


def test_a_body_over_the_limit_is_refused_with_413_before_reading_it(world, login, app):
    client = login(world.a.recorder)
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = post_record(client, world.a.batch, ("big.pdf", PDF + b"0" * 4096))
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413
    assert "too large" in response.text
    assert counts() == (0, 0)


def test_the_enterprise_storage_quota_is_enforced(world, login, app):
    client = login(world.a.recorder)
    quota = app.config["STORAGE_QUOTA_MB"]
    app.config["STORAGE_QUOTA_MB"] = 1
    try:
        # Each request stays under Werkzeug's 500 KB in-memory limit (no temporary files).
        answers = [
            post_record(client, world.a.batch, (f"{n}.pdf", PDF + os.urandom(400_000)))
            for n in range(3)
        ]
    finally:
        app.config["STORAGE_QUOTA_MB"] = quota
    assert [a.status_code for a in answers] == [302, 302, 413]
    assert "document space is full" in answers[2].text and "of 1 MB used" in answers[2].text
    assert counts() == (2, 2)


def test_disk_full_gives_a_clear_error_and_the_service_recovers(
    world, login, stored_files, monkeypatch
):
    client = login(world.a.recorder)
    real_mkstemp = files.tempfile.mkstemp
    temporaries = []

    def mkstemp_on_a_full_disk(**kwargs):
        handle, path = real_mkstemp(**kwargs)
        temporaries.append(path)
        os.close(handle)
        return os.open("/dev/full", os.O_WRONLY), path  # every write fails with ENOSPC

    monkeypatch.setattr(files.tempfile, "mkstemp", mkstemp_on_a_full_disk)
    fresh = factories.png_bytes(color=tuple(os.urandom(3)))  # bytes never stored before
    response = post_record(client, world.a.batch, ("leaf.png", fresh))
    assert response.status_code == 507
    assert "no space left" in response.text
    assert counts() == (0, 0)
    assert stored_files() == [] and not any(Path(p).exists() for p in temporaries)

    monkeypatch.setattr(files.tempfile, "mkstemp", real_mkstemp)  # space is freed
    assert post_record(client, world.a.batch, ("leaf.png", fresh)).status_code == 302
    assert counts() == (1, 1) and len(stored_files()) == 1


def test_stored_files_have_random_looking_names_outside_the_web_root(
    world, login, app, stored_files
):
    client = login(world.a.recorder)
    post_record(client, world.a.batch, ("<script>.pdf", PDF + os.urandom(8)))
    [path] = stored_files()
    assert "script" not in str(path) and len(path.name) == 64
    static = Path(app.static_folder).resolve()
    assert static not in path.resolve().parents
    attachment = db.session.scalar(select(Attachment))
    served = client.get(f"/portal/attachments/{attachment.id}", buffered=True)
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("attachment")
    served.close()
    other = login(world.b.recorder).get(f"/portal/attachments/{attachment.id}")
    assert other.status_code == 404
