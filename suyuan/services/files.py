"""Uploaded files: checked by content, stored once by SHA-256 under the upload folder.

An upload is refused unless its bytes are a PNG, a JPEG or a PDF (the name and the browser's
claim are ignored), an image decodes within the pixel limit, a PDF carries no script or
embedded file, and the enterprise stays within its storage quota. Bytes are written to a
temporary name and renamed into place; if the database transaction that records the upload
rolls back, files it created are removed again, so a failed operation leaves nothing behind.
"""

import errno
import hashlib
import os
import re
import tempfile
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

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
#: A decompression bomb is a small file with a huge canvas: refuse more pixels than a photo has.
MAX_PIXELS = 40_000_000
#: PDF names that run code or carry files; matched on the raw bytes (names may be hex-escaped).
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)\b")


class TooLarge(DomainError):
    status_code = 413


class StorageFailed(DomainError):
    status_code = 507


def sniff_content_type(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def storage_path(sha256: str) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / sha256[:2] / sha256


def clean_filename(name: str) -> str:
    name = Path(name.replace("\\", "/")).name.strip() or "file"
    return "".join(ch for ch in name if ch.isprintable())[:200]


def check_content(data: bytes) -> str:
    """The content type of ``data``, or a ``DomainError`` saying why it is refused."""
    content_type = sniff_content_type(data[:16])
    if content_type is None:
        raise DomainError(
            _("Only PNG or JPEG images and PDF documents can be attached."), field="file"
        )
    if content_type == "application/pdf":
        if PDF_ACTIVE.search(_pdf_names(data)):
            raise DomainError(
                _("PDF files with scripts, actions or embedded files cannot be attached."),
                field="file",
            )
    else:
        _check_image(data)
    return content_type


def _pdf_names(data: bytes) -> bytes:
    """PDF names with ``#xx`` escapes decoded (``/J#61vaScript`` is ``/JavaScript``)."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), data)


def _check_image(data: bytes) -> None:
    import io
    import warnings

    from PIL import Image

    refused = DomainError(_("The image cannot be read or is too large."), field="file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise refused
                image.verify()
    except DomainError:
        raise
    except Exception as error:  # any decoder complaint means the bytes are not a usable image
        raise refused from error


def enterprise_usage(enterprise_id: int) -> int:
    """Bytes of the enterprise's documents (each attachment counts, as in seed 004)."""
    return db.session.scalar(
        select(func.coalesce(func.sum(Attachment.size), 0)).where(
            Attachment.enterprise_id == enterprise_id
        )
    )


def _check_quota(enterprise, size: int) -> None:
    quota = current_app.config["STORAGE_QUOTA_MB"] * 1024 * 1024
    used = enterprise_usage(enterprise.id)
    if used + size > quota:
        raise TooLarge(
            _(
                "Your enterprise's document space is full: %(used).1f MB of %(quota)d MB used. "
                "Delete files you no longer need or ask the platform to raise the quota.",
                used=used / 1024 / 1024,
                quota=current_app.config["STORAGE_QUOTA_MB"],
            ),
            field="file",
        )


def _write_once(path: Path, data: bytes) -> bool:
    """Write ``data`` at ``path`` atomically; True if this call created the file."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageFailed(
                _("The server has no space left to store the file. Please try again later."),
                field="file",
            ) from error
        raise
    return True


def store_upload(file_storage, enterprise, **owner) -> Attachment:
    """Save an uploaded image or PDF and return its (unpublished) ``Attachment``.

    ``owner`` names the record it belongs to, e.g. ``stage_record=...`` or ``product=...``.
    """
    data = file_storage.read(MAX_FILE_BYTES + 1)
    if not data:
        raise DomainError(_("The file is empty."), field="file")
    if len(data) > MAX_FILE_BYTES:
        raise TooLarge(_("Files may be at most 10 MB."), field="file")
    content_type = check_content(data)
    _check_quota(enterprise, len(data))
    sha256 = hashlib.sha256(data).hexdigest()
    path = storage_path(sha256)
    if _write_once(path, data):
        db.session.info.setdefault("new_files", []).append(path)
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


@event.listens_for(Session, "after_commit")
def _keep_new_files(session: Session) -> None:
    session.info.pop("new_files", None)


@event.listens_for(Session, "after_rollback")
def _remove_new_files(session: Session) -> None:
    """Files written inside a transaction that rolled back belong to nothing: remove them,
    unless another transaction stored the same bytes meanwhile and committed."""
    paths = session.info.pop("new_files", [])
    if not paths:
        return
    with db.engine.connect() as connection:
        kept = set(
            connection.scalars(
                select(Attachment.sha256).where(Attachment.sha256.in_([p.name for p in paths]))
            )
        )
    for path in paths:
        if path.name not in kept:
            path.unlink(missing_ok=True)


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
