"""The demo's goods flow: the apple cooperative sells to a Lanzhou distributor on the
platform, which sells on to a Hangzhou supermarket (on the platform) and to a shop that is
not; one delivery still waits for the distributor's confirmation."""

from datetime import date

from suyuan.extensions import db
from suyuan.models import Batch, Enterprise
from suyuan.services.counterparties import create_counterparty
from suyuan.services.flow import create_transaction, submit_transaction
from suyuan.services.matching import current_counterpart

FLOW_LOGINS = (
    ("admin@distributor.demo", "Lanzhou fruit distributor: enterprise admin + recorder"),
    ("admin@retail.demo", "Hangzhou supermarket: enterprise admin + recorder"),
)


def seed_goods_flow(users, make_enterprise) -> None:
    """``make_enterprise(users, admin_email, regulator_email, **fields)`` is the demo's own
    enterprise builder (approved filing, admin membership)."""
    coop = db.session.query(Enterprise).filter_by(credit_code="93620826MA7HX8K2AE").one()
    lot_1, lot_2 = (
        db.session.query(Batch).filter_by(lot_number=lot).one()
        for lot in ("JN-2026-HF-001", "JN-2026-HF-002")
    )
    distributor = make_enterprise(
        users, "admin@distributor.demo", "gansu@regulator.demo",
        name="兰州陇上鲜果品批发有限公司", credit_code="91620100MA71L53X2E", region_code="620100",
        address="甘肃省兰州市七里河区西津西路 16 号", legal_representative="马志强",
        contact_name="马志强", contact_phone="0931-2660188",
        profile="西北果品冷链批发。\nCold-chain fruit wholesale for the north-west.",
    )  # fmt: skip
    retailer = make_enterprise(
        users, "admin@retail.demo", "national@regulator.demo",
        name="杭州鲜果汇超市有限公司", credit_code="91330100MA2H7XQ5KL", region_code="330106",
        address="浙江省杭州市西湖区文三路 90 号", legal_representative="沈丽",
        contact_name="沈丽", contact_phone="0571-88001234",
    )  # fmt: skip
    coop_user = users["admin@apple.demo"]
    dist_user, retail_user = users["admin@distributor.demo"], users["admin@retail.demo"]
    to_distributor = _customer(coop, distributor.name, distributor.credit_code, "620100")
    to_retailer = _customer(distributor, retailer.name, retailer.credit_code, "330106")
    to_shop = _customer(distributor, "兰州安宁区果蔬便利店", "92330106MA2KX8P3LB", "620100")

    _doc(coop, coop_user, "finished_in", "JN-RK-001", date(2026, 10, 6), [(lot_1, 1000)])
    _doc(coop, coop_user, "finished_in", "JN-RK-002", date(2026, 10, 13), [(lot_2, 800)])
    sale = _doc(coop, coop_user, "sales_out", "JN-XS-001", date(2026, 11, 1), [(lot_1, 400)],
                to_distributor)  # fmt: skip
    submit_transaction(current_counterpart(sale.origin_id), dist_user)
    onward = _doc(distributor, dist_user, "sales_out", "LS-XS-101", date(2026, 11, 5),
                  [(lot_1, 150)], to_retailer)  # fmt: skip
    submit_transaction(current_counterpart(onward.origin_id), retail_user)
    _doc(distributor, dist_user, "sales_out", "LS-XS-102", date(2026, 11, 6), [(lot_1, 100)],
         to_shop)  # fmt: skip
    # Left pending on purpose: the distributor's portal shows a delivery to confirm.
    _doc(coop, coop_user, "sales_out", "JN-XS-002", date(2026, 11, 8), [(lot_2, 200)],
         to_distributor)  # fmt: skip


def _customer(enterprise, name, credit_code, region):
    return create_counterparty(
        enterprise,
        {"role": "customer", "business_type": "distributor", "name": name,
         "credit_code": credit_code, "region_code": region},
    )  # fmt: skip


def _doc(enterprise, user, kind, number, on, lines, counterparty=None):
    rows = [{"batch": batch, "quantity": quantity, "unit": "carton"} for batch, quantity in lines]
    values = {"kind": kind, "number": number, "moved_on": on, "counterparty": counterparty}
    return create_transaction(enterprise, user, values, rows, submit=True)
