"""Stage records (生产档案): drafts, submission (which locks), corrections and their history.

Seed 000: 保存 keeps a draft that can still be edited, 提交 locks it. A submitted record is
never changed: a correction is a new version that supersedes it and says why, and the old
version stays readable (regulators trace what was claimed when).
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from suyuan.extensions import db
from suyuan.models import StageRecord
from suyuan.models.base import utcnow
from suyuan.services.errors import Conflict, DomainError, NotAllowed
from suyuan.services.files import copy_attachment, store_upload
from suyuan.vocab import stage_types_for

DEFAULT_TZ = "Asia/Shanghai"
TEXT_FIELDS = {"title": 200, "place": 200, "operator": 64, "details": None}


def local_occurred_at(record) -> datetime:
    """When the event happened, in the zone the recorder entered it in."""
    try:
        zone = ZoneInfo(record.occurred_tz)
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    return record.occurred_at.astimezone(zone)


def editable_values(record) -> dict:
    """A record's values as its form shows them (local time without zone, plus the zone)."""
    values = {name: getattr(record, name) for name in ("stage_type", *TEXT_FIELDS)}
    values["occurred_at"] = local_occurred_at(record).replace(tzinfo=None)
    values["occurred_tz"] = record.occurred_tz
    return values


def create_record(batch, author, values: dict, submit: bool = False, files=()) -> StageRecord:
    """A new record of ``batch``: a draft, or submitted (locked) at once when ``submit``."""
    record = StageRecord(batch=batch, created_by=author, status="draft", **_checked(batch, values))
    db.session.add(record)
    db.session.flush()
    _attach(record, files)
    if submit:
        submit_record(record)
    return record


def checked_record(batch, author, values: dict, submit: bool = False) -> dict:
    """The columns of a new record of ``batch``, checked exactly as ``create_record`` checks
    them, for writers that insert many records in one statement (the spreadsheet import)."""
    return {
        "batch_id": batch.id,
        "created_by_id": author.id,
        "status": "submitted" if submit else "draft",
        "submitted_at": utcnow() if submit else None,
        **_checked(batch, values),
    }


def update_draft(record, values: dict, files=()) -> StageRecord:
    _require_draft(record)
    for name, value in _checked(record.batch, values).items():
        setattr(record, name, value)
    db.session.flush()
    _attach(record, files)
    return record


def submit_record(record) -> StageRecord:
    _require_draft(record)
    record.status = "submitted"
    record.submitted_at = utcnow()
    db.session.flush()
    return record


def delete_draft(record) -> None:
    _require_draft(record)
    for attachment in list(record.attachments):
        db.session.delete(attachment)
    db.session.delete(record)
    db.session.flush()


def correct_record(record, author, values: dict, reason: str, files=()) -> StageRecord:
    """Version n+1 of a submitted record, submitted at once; version n becomes superseded and
    keeps its content. ``files`` are added to copies of the old version's attachments."""
    if record.status == "draft":
        raise NotAllowed(_("A draft is edited directly; only submitted records are corrected."))
    if record.status == "superseded":
        raise NotAllowed(
            _("This version has been superseded: only the current version can be corrected.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the correction."), field="reason")
    fields = _checked(record.batch, values)
    correction = _supersede(record, author, reason, fields)
    _attach(correction, files)
    return correction


def _supersede(record, author, reason: str, fields: dict) -> StageRecord:
    """Swap versions in a savepoint: two simultaneous corrections of one version collide
    on the unique ``supersedes_id`` and the later one becomes a Conflict."""
    attachments = list(record.attachments)
    try:
        with db.session.begin_nested():
            record.status = "superseded"
            correction = StageRecord(
                batch=record.batch,
                created_by=author,
                status="submitted",
                submitted_at=utcnow(),
                version=record.version + 1,
                supersedes=record,
                correction_reason=reason,
                # Publication carries over: the admin opened this event for public query and
                # the correction tells the same event right. Closing it would blank the
                # consumer's trace until the admin noticed; a superseded version is never
                # shown publicly anyway.
                is_public=record.is_public,
                **fields,
            )
            db.session.add(correction)
            for attachment in attachments:
                copy_attachment(attachment, stage_record=correction)
    except IntegrityError:
        raise Conflict(
            _("This record was corrected by someone else just now. Reload it and try again.")
        ) from None
    return correction


def record_history(record) -> list[StageRecord]:
    """Every version of ``record``'s event, oldest first (walks the chain both ways)."""
    chain = [record]
    while chain[0].supersedes is not None:
        chain.insert(0, chain[0].supersedes)
    while True:
        newer = db.session.scalar(
            select(StageRecord).where(StageRecord.supersedes_id == chain[-1].id)
        )
        if newer is None:
            return chain
        chain.append(newer)


def _require_draft(record) -> None:
    if record.status == "superseded":
        raise NotAllowed(_("This version has been superseded and can no longer be changed."))
    if record.status != "draft":
        raise NotAllowed(
            _("This record is submitted and locked. To change it, submit a correction.")
        )


def _checked(batch, values: dict) -> dict:
    """The record's own fields from ``values``, checked; the time is stored in UTC."""
    stage_type = values.get("stage_type") or ""
    if stage_type not in stage_types_for(batch.product.category):
        raise DomainError(
            _("This stage type is not recorded for products of this category."),
            field="stage_type",
        )
    fields = {"stage_type": stage_type, **_texts(values)}
    if not fields["title"]:
        raise DomainError(_("Enter a title."), field="title")
    fields.update(_occurred(values.get("occurred_at"), values.get("occurred_tz") or DEFAULT_TZ))
    return fields


def _texts(values: dict) -> dict:
    texts = {}
    for name, limit in TEXT_FIELDS.items():
        texts[name] = (values.get(name) or "").strip()
        if limit and len(texts[name]) > limit:
            raise DomainError(_("At most %(n)s characters.", n=limit), field=name)
    return texts


def _occurred(moment: datetime | None, tz_name: str) -> dict:
    """A naive ``moment`` is local time in ``tz_name``; an aware one is taken as it is."""
    if moment is None:
        raise DomainError(_("Enter when it happened."), field="occurred_at")
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError(_("Unknown time zone."), field="occurred_tz") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return {"occurred_at": moment.astimezone(UTC), "occurred_tz": tz_name}


def _attach(record, files) -> None:
    enterprise = record.batch.product.enterprise
    for file_storage in files:
        if file_storage and file_storage.filename:
            store_upload(file_storage, enterprise, stage_record=record)
