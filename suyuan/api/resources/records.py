"""/records: stage records (生产档案) of a batch — drafts, submitting (locks), corrections as
new versions, version history and attachments of drafts."""

from flask import abort, g
from flask_smorest.fields import Upload
from marshmallow import Schema, fields
from sqlalchemy import select

from suyuan.api.auth import acting_user, requires
from suyuan.api.common import (
    Moment,
    Text,
    get_or_404,
    no_content,
    one_of,
    owned_or_404,
    resource_blueprint,
)
from suyuan.api.idempotency import write
from suyuan.api.pagination import PageArgs, page_of, paginate, paginate_rows
from suyuan.models import Batch, StageRecord
from suyuan.models.products import RECORD_STATUSES
from suyuan.services import records as service

bp = resource_blueprint("records", "Stage records: drafts, submission, corrections.")


class AttachmentSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    is_public = fields.Boolean()


class RecordSchema(Schema):
    id = fields.Integer()
    batch_id = fields.Integer()
    stage_type = fields.String()
    title = fields.String()
    occurred_at = fields.DateTime(metadata={"description": "UTC."})
    occurred_tz = fields.String()
    occurred_local = fields.Function(
        lambda r: service.local_occurred_at(r).isoformat(),
        metadata={"type": "string", "description": "In the zone it was entered in."},
    )
    place = fields.String()
    operator = fields.String()
    details = fields.String()
    status = fields.String()
    version = fields.Integer()
    supersedes_id = fields.Integer(allow_none=True)
    correction_reason = fields.String()
    is_public = fields.Boolean()
    created_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    attachments = fields.List(fields.Nested(AttachmentSchema))


class RecordInSchema(Schema):
    stage_type = Text(32, required=True)
    title = Text(200, required=True)
    occurred_at = Moment(
        required=True,
        metadata={"description": "ISO 8601; without an offset it is local time in occurred_tz."},
    )
    occurred_tz = Text(64, metadata={"description": "IANA zone, default Asia/Shanghai."})
    place = Text(200)
    operator = Text(64)
    details = Text(20000)


class RecordCreateSchema(RecordInSchema):
    submit = fields.Boolean(
        load_default=False, metadata={"description": "Submit (and lock) at once."}
    )


class RecordPatchSchema(RecordInSchema):
    stage_type = Text(32)
    title = Text(200)
    occurred_at = Moment()


class CorrectionSchema(RecordPatchSchema):
    """Fields left out keep the corrected version's values."""

    reason = Text(5000, required=True)


class RecordQuerySchema(PageArgs):
    status = fields.String(validate=one_of(RECORD_STATUSES))


class UploadSchema(Schema):
    file = Upload(required=True, metadata={"description": "PNG, JPEG or PDF, at most 10 MB."})


def owned_record_or_404(record_id: int) -> StageRecord:
    record = get_or_404(StageRecord, record_id)
    if record.batch.enterprise_id != g.enterprise.id:
        abort(404)
    return record


@bp.route("/batches/<int:batch_id>/records", methods=["GET"])
@requires("read")
@bp.arguments(RecordQuerySchema, location="query")
@bp.response(200, page_of(RecordSchema))
def list_records(args, batch_id):
    """List a batch's records in the order they happened (every version unless filtered)"""
    batch = owned_or_404(Batch, batch_id)
    query = select(StageRecord).where(StageRecord.batch_id == batch.id)
    if args.get("status"):
        query = query.where(StageRecord.status == args["status"])
    return paginate(query.order_by(StageRecord.occurred_at, StageRecord.id), args)


@bp.route("/batches/<int:batch_id>/records", methods=["POST"])
@requires("write")
@write
@bp.arguments(RecordCreateSchema)
@bp.response(201, RecordSchema)
def create_record(values, batch_id):
    """Record an event: a draft, or submitted at once with `submit: true`"""
    batch = owned_or_404(Batch, batch_id)
    submit = values.pop("submit")
    return service.create_record(batch, acting_user(), values, submit)


@bp.route("/records/<int:record_id>", methods=["GET"])
@requires("read")
@bp.response(200, RecordSchema)
def get_record(record_id):
    """Show a record"""
    return owned_record_or_404(record_id)


@bp.route("/records/<int:record_id>", methods=["PATCH"])
@requires("write")
@write
@bp.arguments(RecordPatchSchema)
@bp.response(200, RecordSchema)
def update_record(values, record_id):
    """Change a draft (a submitted record is corrected instead)"""
    record = owned_record_or_404(record_id)
    return service.update_draft(record, {**service.editable_values(record), **values})


@bp.route("/records/<int:record_id>", methods=["DELETE"])
@requires("write")
@write
@bp.response(204)
def delete_record(record_id):
    """Delete a draft"""
    service.delete_draft(owned_record_or_404(record_id))
    return no_content()


@bp.route("/records/<int:record_id>/submit", methods=["POST"])
@requires("write")
@write
@bp.response(200, RecordSchema)
def submit_record(record_id):
    """Submit a draft: it is locked from now on"""
    return service.submit_record(owned_record_or_404(record_id))


@bp.route("/records/<int:record_id>/corrections", methods=["POST"])
@requires("write")
@write
@bp.arguments(CorrectionSchema)
@bp.response(201, RecordSchema)
def correct_record(values, record_id):
    """Correct a submitted record: a new version replaces it, the old one is kept"""
    record = owned_record_or_404(record_id)
    reason = values.pop("reason")
    values = {**service.editable_values(record), **values}
    return service.correct_record(record, acting_user(), values, reason)


@bp.route("/records/<int:record_id>/history", methods=["GET"])
@requires("read")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(RecordSchema))
def record_history(args, record_id):
    """Every version of the record's event, oldest first"""
    return paginate_rows(service.record_history(owned_record_or_404(record_id)), args)


@bp.route("/records/<int:record_id>/attachments", methods=["POST"])
@requires("write")
@write
@bp.arguments(UploadSchema, location="files")
@bp.response(201, RecordSchema)
def add_attachment(files, record_id):
    """Attach a file to a draft (submitted records take files through a correction)"""
    record = owned_record_or_404(record_id)
    return service.update_draft(record, service.editable_values(record), [files["file"]])
