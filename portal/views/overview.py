"""The portal's start page: where the enterprise stands and what to do next."""

from flask import g, render_template
from sqlalchemy import func, select

from portal import bp
from suyuan.extensions import db
from suyuan.models import Batch, CodePool, CodeRange, Product, StageRecord
from suyuan.permissions import enterprise_role_required


@bp.route("/")
@enterprise_role_required()
def index():
    enterprise = g.enterprise
    counts = {
        "products": _count(Product, Product.enterprise_id == enterprise.id),
        "batches": _count(Batch, Batch.enterprise_id == enterprise.id),
        "records": db.session.scalar(
            select(func.count(StageRecord.id))
            .join(Batch)
            .where(Batch.enterprise_id == enterprise.id, StageRecord.status != "superseded")
        ),
        "pooled": _sum_size(CodePool, CodePool.enterprise_id == enterprise.id),
        "bound": _sum_size(
            CodeRange, CodeRange.enterprise_id == enterprise.id, CodeRange.status == "bound"
        ),
    }
    return render_template("portal/index.html", enterprise=enterprise, counts=counts)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count(model.id)).where(*where))


def _sum_size(model, *where) -> int:
    size = func.coalesce(func.sum(model.end_index - model.start_index + 1), 0)
    return db.session.scalar(select(size).where(*where))
