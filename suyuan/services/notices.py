"""Notices (通知公告): a regulator writes to the enterprises of its region (all of them for a
national regulator); each enterprise's first opening is its read receipt."""

import hashlib

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from suyuan.extensions import db
from suyuan.models import Enterprise, Notice, NoticeRead, User
from suyuan.services.errors import DomainError
from suyuan.services.files import (
    MAX_FILE_BYTES,
    clean_filename,
    sniff_content_type,
    storage_path,
)
from suyuan.validators import region_covers, region_prefix


def create_notice(author: User, title: str, body: str, file_storage=None) -> Notice:
    if not author.is_regulator:
        raise DomainError(_("Only a regulator can publish notices."))
    if not (title or "").strip():
        raise DomainError(_("A notice needs a title."), field="title")
    if not (body or "").strip():
        raise DomainError(_("A notice needs a text."), field="body")
    notice = Notice(
        region_code=author.regulator_region, title=title.strip(), body=body.strip(), author=author
    )
    if file_storage is not None and getattr(file_storage, "filename", None):
        _attach(notice, file_storage)
    db.session.add(notice)
    db.session.flush()
    return notice


def _attach(notice: Notice, file_storage) -> None:
    """Store the file like every upload: checked by content, kept once by SHA-256."""
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
    notice.file_name = clean_filename(file_storage.filename)
    notice.file_type = content_type
    notice.file_size = len(data)
    notice.file_sha256 = sha256


def reaches(notice: Notice, enterprise: Enterprise) -> bool:
    """The notice is addressed to ``enterprise`` (its region lies in the notice's)."""
    return region_covers(notice.region_code, enterprise.region_code)


def in_scope(user: User, notice: Notice) -> bool:
    """A regulator oversees notices addressed inside its own region."""
    return user.is_regulator and region_covers(user.regulator_region, notice.region_code)


def _addressed_to(enterprise: Enterprise):
    """SQL: the notice's region covers the enterprise's. The regions covering a code are the
    nation, its province, its city and itself, so this is one ``IN`` on an indexed column."""
    code = enterprise.region_code
    return Notice.region_code.in_({"000000", code[:2] + "0000", code[:4] + "00", code})


def enterprise_notices_query(enterprise: Enterprise, *, q: str = "", unread_only=False):
    query = select(Notice).where(_addressed_to(enterprise))
    if q:
        pattern = f"%{q.strip()}%"
        query = query.where(or_(Notice.title.ilike(pattern), Notice.body.ilike(pattern)))
    if unread_only:
        query = query.where(Notice.id.not_in(_read_by(enterprise)))
    return query.order_by(Notice.created_at.desc(), Notice.id.desc())


def _read_by(enterprise: Enterprise):
    return select(NoticeRead.notice_id).where(NoticeRead.enterprise_id == enterprise.id)


def read_notice_ids(enterprise: Enterprise, notice_ids: list[int]) -> set[int]:
    if not notice_ids:
        return set()
    return set(
        db.session.scalars(
            select(NoticeRead.notice_id).where(
                NoticeRead.enterprise_id == enterprise.id, NoticeRead.notice_id.in_(notice_ids)
            )
        )
    )


def unread_count(enterprise: Enterprise) -> int:
    return db.session.scalar(
        select(func.count()).select_from(
            enterprise_notices_query(enterprise, unread_only=True).order_by(None).subquery()
        )
    )


def mark_read(notice: Notice, enterprise: Enterprise, user: User) -> None:
    """The enterprise's read receipt, written once, by its first reader."""
    exists = db.session.scalar(
        select(NoticeRead.id).where(
            NoticeRead.notice_id == notice.id, NoticeRead.enterprise_id == enterprise.id
        )
    )
    if exists is None:
        db.session.add(NoticeRead(notice=notice, enterprise_id=enterprise.id, user=user))
        db.session.flush()


def regulator_notices_query(user: User, *, q: str = ""):
    prefix = region_prefix(user.regulator_region)
    query = select(Notice).where(Notice.region_code.like(prefix + "%"))
    if q:
        pattern = f"%{q.strip()}%"
        query = query.where(or_(Notice.title.ilike(pattern), Notice.body.ilike(pattern)))
    return query.order_by(Notice.created_at.desc(), Notice.id.desc())


def recipients_count(notice: Notice) -> int:
    """How many enterprises the notice reaches (for the read-receipt ratio)."""
    prefix = region_prefix(notice.region_code)
    return db.session.scalar(
        select(func.count(Enterprise.id)).where(Enterprise.region_code.like(prefix + "%"))
    )
