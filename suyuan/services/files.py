"""Uploaded files: type checked by content, stored once by SHA-256 under the upload folder."""

import hashlib
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from suyuan.extensions import db
from suyuan.models import Attachment
from suyuan.services.errors import DomainError

# Trust the bytes, not the file name or the browser's claim.
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)
MAX_FILE_BYTES = 10 * 1024 * 1024


def sniff_content_type(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def storage_path(sha256: str) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / sha256[:2] / sha256


def clean_filename(name: str) -> str:
    name = Path(name.replace("\\", "/")).name.strip() or "file"
    return "".join(ch for ch in name if ch.isprintable())[:200]


def store_upload(file_storage, enterprise, **owner) -> Attachment:
    """Save an uploaded image or PDF and return its (unpublished) ``Attachment``.

    ``owner`` is ``stage_record=...`` or ``product=...``.
    """
    data = file_storage.read(MAX_FILE_BYTES + 1)
    if not data:
        raise DomainError(_("The file is empty."), field="file")
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(_("Files may be at most 10 MB."), field="file")
    content_type = sniff_content_type(data[:16])
    if content_type is None:
        raise DomainError(
            _("Only PNG or JPEG images and PDF documents can be attached."), field="file"
        )
    sha256 = hashlib.sha256(data).hexdigest()
    path = storage_path(sha256)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    attachment = Attachment(
        enterprise_id=enterprise.id,
        filename=clean_filename(file_storage.filename or "file"),
        content_type=content_type,
        size=len(data),
        sha256=sha256,
        **owner,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def copy_attachment(attachment: Attachment, **owner) -> Attachment:
    """The same stored file attached to another owner (a new version of a stage record)."""
    copy = Attachment(
        enterprise_id=attachment.enterprise_id,
        filename=attachment.filename,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        is_public=attachment.is_public,
        **owner,
    )
    db.session.add(copy)
    return copy
