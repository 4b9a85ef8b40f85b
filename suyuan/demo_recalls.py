"""The demo's problem lot: a cosmetics batch found non-conforming by the national regulator
and recalled (class II) on a range of its codes; nothing of the batch is published, yet its
codes show the recall banner."""

from datetime import date

from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import Batch, CodePool, CodeRange, Enterprise, Product, User
from suyuan.services import nonconformance, recalls

#: The recalled codes: 120,000–124,999 of lot RX-260901 (bound 120,000–129,999).
RECALLED_INDEX = 120_017
RECALLED_FIRST, RECALLED_LAST = 120_000, 124_999
RECALLED_LOT = "RX-260901"


def seed_recall(users: dict[str, User]) -> None:
    maker = db.session.scalar(
        select(Enterprise).where(Enterprise.credit_code == "91310115MA1K4Y2R8Q")
    )
    product = db.session.scalar(select(Product).where(Product.enterprise_id == maker.id))
    admin, regulator = users["admin@cosmetics.demo"], users["national@regulator.demo"]
    batch = Batch(
        enterprise_id=maker.id, product=product, lot_number=RECALLED_LOT,
        production_date=date(2026, 9, 1), status="released", is_public=False,
    )  # fmt: skip
    db.session.add(batch)
    db.session.flush()
    pool = db.session.scalar(select(CodePool).where(CodePool.enterprise_id == maker.id))
    db.session.add(
        CodeRange(
            enterprise_id=maker.id, pool=pool, batch=batch,
            start_index=120_000, end_index=129_999, created_by=admin,
        )
    )  # fmt: skip
    db.session.flush()
    finding = nonconformance.record_nonconformance(
        regulator,
        product,
        [batch],
        "抽检：菌落总数 1,800 CFU/g，超过限值 1,000 CFU/g。"
        "Sampling: total aerobic count 1,800 CFU/g, above the 1,000 CFU/g limit.",
    )
    recall = recalls.declare_recall(
        admin,
        product,
        severity="II",
        reason="部分产品微生物超标。Some jars contain too many microbes.",
        consumer_advice="请停止使用，退回购买处全额退款。Stop using it and return it where you "
        "bought it for a full refund.",
        code_ranges=[(RECALLED_FIRST, RECALLED_LAST)],
        nonconformance=finding,
    )
    recalls.notify_downstream(recall, admin, "已通知经销商 / Distributors told")
    recalls.advance(recall, admin, "in_progress", "回收中 / Collecting returns")
    nonconformance.set_status(finding, "handled", "已召回 / Recall under way")
