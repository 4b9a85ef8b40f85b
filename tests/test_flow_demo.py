"""The demo's goods flow: the cooperative's lot reaches a distributor and a supermarket, one
delivery waits for confirmation, and the mock-recall drill on it finishes with its time."""

import re

from sqlalchemy import select

from suyuan.demo import seed_demo
from suyuan.extensions import db
from suyuan.models import Batch, Enterprise, MockRecallDrill, Transaction
from suyuan.services.stock import stock_of
from suyuan.services.tracing import downstream_enterprises

EN = {"Accept-Language": "en"}


def test_demo_goods_flow_and_drill(ctx, runner):
    seed_demo()
    db.session.commit()
    lot = db.session.scalar(select(Batch).where(Batch.lot_number == "JN-2026-HF-001"))
    names = {e.name for e in downstream_enterprises([lot.id])}
    assert names == {"兰州陇上鲜果品批发有限公司", "杭州鲜果汇超市有限公司"}
    distributor = db.session.scalar(
        select(Enterprise).where(Enterprise.credit_code == "91620100MA71L53X2E")
    )
    assert stock_of(distributor.id, {(lot.id, "carton")})[(lot.id, "carton")] == 150
    pending = db.session.scalar(
        select(Transaction).where(
            Transaction.enterprise_id == distributor.id, Transaction.status == "pending"
        )
    )
    assert pending.number == "JN-XS-002"

    result = runner.invoke(args=["drill", "--batch", "JN-2026-HF-001"])
    assert result.exit_code == 0, result.output
    assert re.search(r"JN-2026-HF-001 .*: \d+ ms", result.output)
    assert "2 receiving enterprises" in result.output
    drill = db.session.scalar(select(MockRecallDrill))
    assert drill.export_rows >= 6 and drill.duration_ms >= 0


def test_demo_logins_see_the_flow(ctx, client):
    seed_demo()
    db.session.commit()
    client.post(
        "/auth/login", data={"email": "admin@distributor.demo", "password": "suyuan-demo-2026"}
    )
    page = client.get("/portal/transactions", headers=EN).get_data(as_text=True)
    assert "JN-XS-002" in page and "Awaiting confirmation" in page and "LS-XS-101" in page
