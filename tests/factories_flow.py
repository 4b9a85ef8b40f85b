"""Factories for the goods flow: counterparties, documents, and the three-enterprise chain
(producer in Gansu → distributor → two retailers, one in Zhejiang) built through services."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import Batch, Counterparty, Enterprise, Transaction, User
from suyuan.services.counterparties import create_counterparty
from suyuan.services.flow import create_transaction, submit_transaction
from suyuan.services.matching import current_counterpart
from tests.factories import (
    credit_code,
    make_batch,
    make_enterprise,
    make_member,
    make_product,
    make_regulator,
)


def make_counterparty(enterprise, partner=None, *, role="both", **fields) -> Counterparty:
    """A counterparty of ``enterprise``: platform enterprise ``partner``, or an outside one."""
    values = {
        "role": role,
        "business_type": fields.pop("business_type", "other"),
        "name": partner.name if partner else fields.pop("name", "Outside trader"),
        "credit_code": partner.credit_code
        if partner
        else fields.pop("credit_code", None) or credit_code("110100"),
        "region_code": partner.region_code if partner else fields.pop("region_code", "110100"),
        "contact_name": "Zhang San",
        "contact_phone": "13800000000",
        **fields,
    }
    return create_counterparty(enterprise, values)


def document(enterprise, author, kind, number, lines, counterparty=None, *, on=None, submit=True):
    """A document through the service; ``lines`` is [(batch, quantity, unit), ...]."""
    values = {
        "kind": kind,
        "number": number,
        "moved_on": on or date(2026, 10, 10),
        "counterparty": counterparty,
        "note": "",
    }
    rows = [{"batch": b, "quantity": q, "unit": u} for b, q, u in lines]
    return create_transaction(enterprise, author, values, rows, submit=submit)


def confirm(source: Transaction, user: User) -> Transaction:
    """The partner confirms the pending counterpart of ``source``."""
    pending = current_counterpart(source.origin_id)
    return submit_transaction(pending, user)


@dataclass
class Chain:
    producer: Enterprise
    distributor: Enterprise
    retailer_gs: Enterprise
    retailer_zj: Enterprise
    supplier: Enterprise
    users: dict
    batch: Batch
    material: Batch
    docs: dict
    national: User
    gansu: User
    zhejiang: User
    shanghai: User


def make_chain() -> Chain:
    """Producer (Lanzhou) makes lot X from material Y bought from a supplier (Tianshui);
    sells 60 to a distributor (Lanzhou), which sells 20 to a Lanzhou retailer and 30 to a
    Hangzhou retailer; the Hangzhou retailer returns 5. Stock: producer 40, distributor 15,
    Lanzhou retailer 20, Hangzhou retailer 25."""
    supplier = make_enterprise("Tianshui Cartons", region="620500")
    producer = make_enterprise("Lanzhou Orchard", region="620100")
    distributor = make_enterprise("Gansu Fruit Distribution", region="620100")
    retailer_gs = make_enterprise("Lanzhou Market", region="620100")
    retailer_zj = make_enterprise("Hangzhou Fresh", region="330100")
    users = {
        e: make_member(e, recorder=True, admin=True, name=f"{e.name} staff")
        for e in (supplier, producer, distributor, retailer_gs, retailer_zj)
    }
    material = make_batch(
        make_product(supplier, "Apple carton", category="processed_food"),
        "CT-01",
        production_date=date(2026, 8, 1),
    )
    batch = make_batch(
        make_product(producer, "Red Fuji apple"), "RF-2026-01", production_date=date(2026, 10, 1)
    )
    docs = {}
    step = _Steps(users, docs)
    step.doc(supplier, "finished_in", "S-IN-1", [(material, 500, "piece")], on=date(2026, 8, 2))
    s_to_p = make_counterparty(supplier, producer, role="customer")
    step.doc(supplier, "sales_out", "S-OUT-1", [(material, 200, "piece")], s_to_p, date(2026, 9, 1))
    step.confirm("S-OUT-1", producer)
    step.doc(producer, "finished_in", "P-IN-1", [(batch, 100, "box")], on=date(2026, 10, 2))
    p_to_d = make_counterparty(producer, distributor, role="customer", business_type="distributor")
    step.doc(producer, "sales_out", "P-OUT-1", [(batch, 60, "box")], p_to_d, date(2026, 10, 5))
    step.confirm("P-OUT-1", distributor)
    d_to_r1 = make_counterparty(distributor, retailer_gs, role="customer")
    d_to_r2 = make_counterparty(distributor, retailer_zj, role="customer")
    step.doc(distributor, "sales_out", "D-OUT-1", [(batch, 20, "box")], d_to_r1, date(2026, 10, 8))
    step.doc(distributor, "sales_out", "D-OUT-2", [(batch, 30, "box")], d_to_r2, date(2026, 10, 9))
    step.confirm("D-OUT-1", retailer_gs)
    step.confirm("D-OUT-2", retailer_zj)
    supplier_of_r2 = db.session.scalar(
        select(Counterparty).where(
            Counterparty.enterprise_id == retailer_zj.id,
            Counterparty.linked_enterprise_id == distributor.id,
        )
    )
    step.doc(
        retailer_zj, "purchase_return", "R2-RET-1", [(batch, 5, "box")], supplier_of_r2,
        date(2026, 10, 12),
    )  # fmt: skip
    step.confirm("R2-RET-1", distributor)
    chain = Chain(
        producer, distributor, retailer_gs, retailer_zj, supplier, users, batch, material, docs,
        national=make_regulator("000000", name="National"),
        gansu=make_regulator("620000", name="Gansu"),
        zhejiang=make_regulator("330000", name="Zhejiang"),
        shanghai=make_regulator("310000", name="Shanghai"),
    )  # fmt: skip
    db.session.commit()
    return chain


class _Steps:
    def __init__(self, users, docs):
        self.users, self.docs = users, docs

    def doc(self, enterprise, kind, number, lines, counterparty=None, on=None):
        self.docs[number] = document(
            enterprise, self.users[enterprise], kind, number, lines, counterparty, on=on
        )

    def confirm(self, number, enterprise):
        self.docs[f"{number}@confirm"] = confirm(self.docs[number], self.users[enterprise])


def counterparty_of(enterprise, partner) -> Counterparty:
    """``enterprise``'s existing counterparty record for platform enterprise ``partner``."""
    return db.session.scalar(
        select(Counterparty).where(
            Counterparty.enterprise_id == enterprise.id,
            Counterparty.linked_enterprise_id == partner.id,
        )
    )
