"""Backups: the database and the uploaded files in one archive, and the way back.

SQLite is copied with its online backup API (consistent while the service runs); PostgreSQL
with ``pg_dump --format=custom`` and restored with ``pg_restore --clean``. The archive is a
tar file holding ``database.sqlite`` or ``database.pgdump``, ``uploads/`` and
``manifest.json`` (time, database kind, schema revision, audit head). It is written to a
temporary name and renamed, so an interrupted backup never looks complete.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import make_url

from suyuan.extensions import db
from suyuan.models import AuditEntry


class BackupError(RuntimeError):
    """The backup or restore could not be done; the message says why."""


def _libpq_url() -> str:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _sqlite_path() -> Path:
    return Path(make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database)


def _run(args: list[str], what: str) -> None:
    try:
        subprocess.run(args, check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(f"{what}: {args[0]} is not installed") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{what} failed: {error.stderr.strip()}") from error


def _manifest(dialect: str) -> dict:
    revision = None
    if inspect(db.engine).has_table("alembic_version"):
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    head = db.session.execute(
        select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    return {
        "created_at": datetime.now(UTC).isoformat(),
        "database": dialect,
        "schema_revision": revision,
        "audit_head": {"id": head.id, "entry_hash": head.entry_hash} if head else None,
    }


def create_backup(target: Path) -> dict:
    """Write a backup archive at ``target``; return its manifest."""
    dialect = db.engine.dialect.name
    manifest = _manifest(dialect)
    db.session.rollback()  # release this session's snapshot before copying
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if dialect == "sqlite":
            dump = work / "database.sqlite"
            source = sqlite3.connect(_sqlite_path())
            copy = sqlite3.connect(dump)
            with copy:
                source.backup(copy)
            copy.close()
            source.close()
        elif dialect == "postgresql":
            dump = work / "database.pgdump"
            _run(["pg_dump", "--format=custom", f"--file={dump}", _libpq_url()], "pg_dump")
        else:
            raise BackupError(f"backups of {dialect} databases are not supported")
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = target.with_name(f".{target.name}.partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / "manifest.json", "manifest.json")
            archive.add(dump, dump.name)
            uploads = Path(current_app.config["UPLOAD_FOLDER"])
            if uploads.exists():
                archive.add(uploads, "uploads")
        os.replace(partial, target)
    return manifest


def _safe_members(archive: tarfile.TarFile):
    for member in archive.getmembers():
        if not (member.isfile() or member.isdir()):
            raise BackupError(f"unexpected entry in the archive: {member.name}")
        yield member


def restore_backup(source: Path) -> dict:
    """Replace the database and the uploaded files with the archive's; return its manifest."""
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    dialect = db.engine.dialect.name
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work, members=_safe_members(archive), filter="data")
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest["database"] != dialect:
            raise BackupError(
                f"this backup is of a {manifest['database']} database; the configured "
                f"database is {dialect}"
            )
        db.session.remove()
        db.engine.dispose()
        if dialect == "sqlite":
            backup = sqlite3.connect(work / "database.sqlite")
            live = sqlite3.connect(_sqlite_path())
            with live:
                backup.backup(live)
            live.close()
            backup.close()
        else:
            _run(
                [
                    "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                    f"--dbname={_libpq_url()}", str(work / "database.pgdump"),
                ],
                "pg_restore",
            )  # fmt: skip
        uploads = Path(current_app.config["UPLOAD_FOLDER"])
        if uploads.exists():
            shutil.rmtree(uploads)
        if (work / "uploads").exists():
            shutil.copytree(work / "uploads", uploads)
    return manifest
