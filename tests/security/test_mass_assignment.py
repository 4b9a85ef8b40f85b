"""Mass assignment: fields a form does not have (``enterprise_id``, ``status``, ``is_public``,
``created_by_id``, ``id``, ``is_platform_admin``, ...) are ignored; nothing protected changes.

Every form that creates or edits something is posted with valid values plus ``EXTRA`` fields
that name another enterprise, a decided status, publication, another author or elevated
rights; the new or edited row keeps what the server decides, and nothing of enterprise B, of
the acting user or of anybody's rights changes.
"""

from datetime import date

import pytest
from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import (
    Batch,
    CodePool,
    Enterprise,
    Filing,
    Membership,
    Product,
    ProductionArea,
    StageRecord,
    User,
)
from tests import factories

EN = {"Accept-Language": "en"}


def extra(world) -> dict:
    """What a hostile client adds to a form; a form's own fields take precedence."""
    b = world.b
    return {
        "id": "987654",
        "enterprise_id": str(b.enterprise.id),
        "batch_id": str(b.batch.id),
        "product_id": str(b.product.id),
        "status": "approved",
        "is_public": "y",
        "is_profile_public": "y",
        "is_filings_public": "y",
        "created_by_id": str(b.recorder.id),
        "created_by": str(b.recorder.id),
        "decided_by_id": str(b.recorder.id),
        "version": "7",
        "submitted_at": "2020-01-01T00:00",
        "is_platform_admin": "y",
        "regulator_region": "000000",
        "session_version": "99",
        "is_active_account": "y",
        "is_admin": "y",
        "is_recorder": "y",
        "user_id": str(world.platform_admin.id),
    }


def post(client, url: str, world, valid: dict):
    response = client.post(url, data={**extra(world), **valid}, headers=EN)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[-6000:]
    db.session.expire_all()
    return response


def rights() -> dict:
    """Every user's rights: admin or regulator where, session, membership and roles."""
    stmt = (
        select(
            User.id,
            User.is_platform_admin,
            User.regulator_region,
            User.session_version,
            Membership.enterprise_id,
            Membership.is_recorder,
            Membership.is_admin,
        )
        .outerjoin(Membership, Membership.user_id == User.id)
        .order_by(User.id)
    )
    return {row[0]: tuple(row[1:]) for row in db.session.execute(stmt)}


def enterprise_b(world) -> list[tuple]:
    """Every row of enterprise B that a form could touch."""
    b_id = world.b.enterprise.id
    rows = db.session.execute(select(Enterprise.__table__).where(Enterprise.id == b_id)).all()
    for model in (Product, Batch, ProductionArea, CodePool, Filing):
        table = model.__table__
        rows += db.session.execute(select(table).where(table.c.enterprise_id == b_id)).all()
    records = select(StageRecord.__table__).join(Batch).where(Batch.enterprise_id == b_id)
    return [*rows, *db.session.execute(records).all()]


@pytest.fixture
def guarded(world):
    """Fails the test if anybody's rights or any of enterprise B's rows changed."""
    db.session.expire_all()
    before = rights(), enterprise_b(world)
    yield world
    db.session.expire_all()
    now = rights()
    assert ({user: now.get(user) for user in before[0]}, enterprise_b(world)) == before


def newest(model):
    return db.session.scalars(select(model).order_by(model.id.desc())).first()


PRODUCT = {"name": "Huaniu apples", "category": "fruit", "spec": "5 kg / box"}


def test_new_and_edited_products_stay_in_the_enterprise_and_unpublished(guarded, login):
    a = guarded.a
    client = login(a.recorder)
    post(client, "/portal/products/new", guarded, PRODUCT)
    product = newest(Product)
    assert (product.enterprise_id, product.is_public, product.filing.status) == (
        a.enterprise.id,
        False,
        "draft",
    )
    post(client, f"/portal/products/{product.id}/edit", guarded, {**PRODUCT, "spec": "10 kg"})
    assert (product.id, product.spec, product.enterprise_id, product.is_public) == (
        newest(Product).id,
        "10 kg",
        a.enterprise.id,
        False,
    )
    assert product.filing.status == "draft"


def test_new_and_edited_batches_keep_their_product_enterprise_and_status(guarded, login):
    a = guarded.a
    client = login(a.recorder)
    valid = {"product_id": a.product.id, "lot_number": "L-77", "production_date": "2026-09-02"}
    post(client, "/portal/batches/new", guarded, valid)
    batch = newest(Batch)
    assert (batch.enterprise_id, batch.product_id, batch.status, batch.is_public) == (
        a.enterprise.id,
        a.product.id,
        "in_production",
        False,
    )
    edit = {
        "lot_number": "L-78",
        "production_date": "2026-09-03",
        "production_area_id": "0",
        "status": "released",
    }
    post(client, f"/portal/batches/{batch.id}/edit", guarded, edit)
    assert (batch.lot_number, batch.enterprise_id, batch.product_id, batch.is_public) == (
        "L-78",
        a.enterprise.id,
        a.product.id,
        False,
    )
    assert batch.production_date == date(2026, 9, 3)


RECORD = {
    "stage_type": "fertilizing",
    "title": "Organic fertilizer",
    "occurred_at": "2026-05-01T10:00",
    "occurred_tz": "Asia/Shanghai",
    "save": "y",
}


def record_state(record) -> tuple:
    return (
        record.batch_id,
        record.status,
        record.version,
        record.created_by_id,
        record.is_public,
        record.submitted_at,
    )


def test_stage_records_keep_their_batch_author_status_and_version(guarded, login):
    a = guarded.a
    client = login(a.recorder)
    post(client, f"/portal/batches/{a.batch.id}/records/new", guarded, RECORD)
    record = newest(StageRecord)
    assert record_state(record) == (a.batch.id, "draft", 1, a.recorder.id, False, None)
    edited = {**RECORD, "title": "Compost"}
    post(client, f"/portal/records/{record.id}/edit", guarded, edited)
    assert record.title == "Compost"
    assert record_state(record) == (a.batch.id, "draft", 1, a.recorder.id, False, None)


def test_a_correction_is_the_next_version_by_its_author(guarded, login):
    a = guarded.a
    original = factories.make_record(a.batch, a.admin)
    db.session.commit()
    client = login(a.recorder)
    correction = {**RECORD, "reason": "Wrong dose", "submit": "y"}
    post(client, f"/portal/records/{original.id}/correct", guarded, correction)
    new = newest(StageRecord)
    assert (new.supersedes_id, new.version, new.status, new.created_by_id, new.batch_id) == (
        original.id,
        2,
        "submitted",
        a.recorder.id,
        a.batch.id,
    )
    assert new.is_public is False and original.status == "superseded"


def test_production_areas_stay_in_the_enterprise_and_unpublished(guarded, login):
    a = guarded.a
    client = login(a.recorder)
    post(client, "/portal/areas/new", guarded, {"name": "East slope"})
    area = newest(ProductionArea)
    assert (area.enterprise_id, area.is_public) == (a.enterprise.id, False)
    post(client, f"/portal/areas/{area.id}/edit", guarded, {"name": "West slope"})
    assert (area.name, area.enterprise_id, area.is_public) == ("West slope", a.enterprise.id, False)


def test_a_new_member_gets_only_the_roles_chosen(guarded, login):
    a = guarded.a
    client = login(a.admin)
    member = {
        "name": "New hand",
        "email": "hand@example.com",
        "password": "long enough password",
        "roles": "recorder",
    }
    post(client, "/portal/enterprise/members/new", guarded, member)
    user = newest(User)
    assert (user.email, user.is_platform_admin, user.regulator_region) == (
        "hand@example.com",
        False,
        None,
    )
    assert (user.membership.enterprise_id, user.membership.is_admin) == (a.enterprise.id, False)


def test_the_enterprise_profile_keeps_its_id_publication_and_filing(guarded, login):
    a = guarded.a
    enterprise = a.enterprise
    values = {
        name: getattr(enterprise, name)
        for name in (
            "name",
            "credit_code",
            "region_code",
            "address",
            "legal_representative",
            "contact_name",
            "contact_phone",
        )
    }
    before = (enterprise.id, enterprise.enterprise_filing.status)
    post(login(a.admin), "/portal/enterprise", guarded, {**values, "profile": "Since 1990"})
    assert enterprise.profile == "Since 1990"
    assert (enterprise.id, enterprise.enterprise_filing.status) == before
    assert (enterprise.is_profile_public, enterprise.is_filings_public) == (False, False)


def test_registration_creates_no_rights_and_no_decided_filing(ctx, client):
    world = factories.make_world()
    code = factories.credit_code("621200")
    registration = {
        "name": "Longnan Olives",
        "credit_code": code,
        "region_code": "621200",
        "address": "8 River Road",
        "legal_representative": "Zhang San",
        "contact_name": "Li Si",
        "contact_phone": "0939-1234567",
        "account_name": "Zhang San",
        "email": "new@example.com",
        "password": "long enough password",
        "confirm": "long enough password",
    }
    post(client, "/auth/register", world, registration)
    enterprise = db.session.scalars(select(Enterprise).filter_by(credit_code=code)).one()
    user = newest(User)
    assert (user.is_platform_admin, user.regulator_region, user.session_version) == (
        False,
        None,
        1,
    )
    assert user.membership.enterprise_id == enterprise.id
    assert enterprise.enterprise_filing.status == "draft"
    assert (enterprise.is_profile_public, enterprise.is_filings_public) == (False, False)


def test_console_account_is_what_its_kind_says(world, login):
    account = {
        "kind": "regulator",
        "name": "Tianshui regulator",
        "email": "ts@example.com",
        "password": "long enough password",
        "region": "620500",
    }
    post(login(world.platform_admin), "/admin/users/new", world, account)
    user = newest(User)
    assert (user.regulator_region, user.is_platform_admin, user.session_version) == (
        "620500",
        False,
        1,
    )
    assert user.membership is None


def test_a_pool_goes_to_the_enterprise_of_the_credit_code(guarded, login):
    a = guarded.a
    form = {"credit_code": a.enterprise.credit_code, "count": "10"}
    post(login(guarded.platform_admin), "/admin/pools", guarded, form)
    assert newest(CodePool).enterprise_id == a.enterprise.id


def test_a_rejection_is_decided_by_the_regulator_who_rejects(guarded, login):
    a = guarded.a
    filing = a.product.filing
    filing.status = "submitted"
    db.session.commit()
    reason = {"reason": "The specification is missing."}
    post(login(guarded.gansu), f"/admin/filings/{filing.id}/reject", guarded, reason)
    assert (filing.status, filing.decided_by_id) == ("rejected", guarded.gansu.id)
