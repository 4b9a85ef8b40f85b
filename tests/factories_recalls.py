"""Factories for recalls, non-conformance and notices (built through the services)."""

from suyuan.extensions import db
from suyuan.services import recalls as service


def make_recall(actor, product, *, batches=(), code_ranges=(), **fields):
    recall = service.declare_recall(
        actor,
        product,
        severity=fields.pop("severity", "II"),
        reason=fields.pop("reason", "Mould found in retained samples"),
        consumer_advice=fields.pop("consumer_advice", "Stop eating it and return it to the shop"),
        batches=list(batches),
        code_ranges=list(code_ranges),
        **fields,
    )
    db.session.commit()
    return recall
