"""A batch's whole chain for a regulator: every stage record with all its versions (drafts,
corrections and what they superseded), attachments and code ranges, published or not."""

from flask import render_template
from sqlalchemy import select

from admin import bp
from suyuan.extensions import db
from suyuan.models import Batch, CodeRange, StageRecord
from suyuan.permissions import get_in_region_or_404, module_required
from suyuan.services.analytics import batch_scans
from suyuan.services.records import local_occurred_at
from suyuan.vocab import FLAG_LABELS, RULE_LABELS


@bp.route("/batches/<int:batch_id>")
@module_required("enterprises")
def batches_detail(batch_id: int):
    batch = get_in_region_or_404(Batch, batch_id)
    records = db.session.scalars(
        select(StageRecord)
        .where(StageRecord.batch_id == batch.id)
        .order_by(StageRecord.occurred_at, StageRecord.id)
    ).all()
    ranges = db.session.scalars(
        select(CodeRange).where(CodeRange.batch_id == batch.id).order_by(CodeRange.start_index)
    ).all()
    return render_template(
        "admin/batches/detail.html",
        batch=batch,
        records=records,
        ranges=ranges,
        local_time=local_occurred_at,
        scans=batch_scans(batch),
        rule_labels=RULE_LABELS,
        flag_labels=FLAG_LABELS,
    )
