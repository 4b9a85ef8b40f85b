"""Identity-code pools and ranges: allocation, binding through the portal, refusals, release and
void with history, the CLI, tenant isolation."""

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from suyuan.extensions import db
from suyuan.identity import code_key, damm_digit, group
from suyuan.models import CodePool, CodeRange
from suyuan.services.codes import (
    allocate_pool,
    bind_code_range,
    release_codes,
    resolve_code,
    void_codes,
)
from suyuan.services.errors import Conflict, DomainError
from tests import factories

EN = {"Accept-Language": "en"}


def code(index: int) -> str:
    return code_key().encode(index)


def batch_url(batch) -> str:
    return f"/portal/batches/{batch.id}/codes"


def bind(client, batch, first, last):
    return client.post(
        batch_url(batch),
        data={"mode": "codes", "first_code": first, "last_code": last},
        headers=EN,
    )


def text_of(response) -> str:
    return response.get_data(as_text=True)


def live_rows(batch=None) -> list[CodeRange]:
    query = select(CodeRange).where(CodeRange.status != "released").order_by(CodeRange.start_index)
    if batch is not None:
        query = query.where(CodeRange.batch_id == batch.id)
    return list(db.session.scalars(query))


@pytest.fixture
def en(ctx):
    with force_locale("en"):
        yield


# Allocation


def test_pools_are_allocated_contiguously(world, en):
    first = allocate_pool(world.a.enterprise, 500)
    second = allocate_pool(world.b.enterprise, 1)
    third = allocate_pool(world.a.enterprise, 10**9)
    assert (first.start_index, first.end_index) == (2000, 2499)
    assert (second.start_index, second.end_index) == (2500, 2500)
    assert third.start_index == 2501 and third.size == 10**9


@pytest.mark.parametrize("count", [0, -5, 10**9 + 1])
def test_pool_size_is_bounded(world, en, count):
    with pytest.raises(DomainError, match="from 1 to 1,000,000,000"):
        allocate_pool(world.a.enterprise, count)


def test_unapproved_enterprise_may_receive_a_pool(ctx, en):
    enterprise = factories.make_enterprise(approved=False)
    assert allocate_pool(enterprise, 10).start_index == 0


# Binding through the portal


def test_bind_first_and_last_code_lists_the_range(world, login):
    client = login(world.a.recorder)
    first, last = code(10), code(19)
    response = bind(client, world.a.batch, group(first), last)
    assert response.status_code == 302
    page = text_of(client.get(batch_url(world.a.batch), headers=EN))
    assert "Bound 10 codes to batch" in page
    assert group(first) in page and group(last) in page
    assert [(r.start_index, r.end_index) for r in live_rows()] == [(10, 19)]
    overview = text_of(client.get("/portal/codes", headers=EN))
    assert group(first) in overview and world.a.batch.lot_number in overview


def test_bind_by_pool_positions(world, login):
    client = login(world.a.recorder)
    response = client.post(
        batch_url(world.a.batch),
        data={
            "mode": "positions",
            "pool_id": world.a.pool.id,
            "first_position": 1,
            "last_position": 1000,
        },
        headers=EN,
    )
    assert response.status_code == 302
    assert [(r.start_index, r.end_index) for r in live_rows()] == [(0, 999)]


def test_positions_outside_the_pool_are_refused(world, login):
    client = login(world.a.recorder)
    response = client.post(
        batch_url(world.a.batch),
        data={
            "mode": "positions",
            "pool_id": world.a.pool.id,
            "first_position": 5,
            "last_position": 1001,
        },
        headers=EN,
    )
    assert response.status_code == 400
    assert "Positions in this pool run from 1 to 1,000" in text_of(response)


def mistyped(valid: str) -> str:
    digit = str((int(valid[7]) + 1) % 10)
    return valid[:7] + digit + valid[8:]


def forged(valid: str) -> str:
    body = valid[:13] + f"{(int(valid[13:19]) + 1) % 10**6:06d}"
    return body + str(damm_digit(body))


@pytest.mark.parametrize(
    ("first", "last", "status", "message"),
    [
        (lambda: code(19), lambda: code(10), 400, "swap the two codes"),
        (lambda: mistyped(code(10)), lambda: code(19), 400, "Please check the digits"),
        (lambda: code(10), lambda: forged(code(19)), 400, "not a code issued by this platform"),
        (lambda: "1234 5678", lambda: code(19), 400, "20 digits"),
        (lambda: code(5000), lambda: code(5001), 400, "code pools"),
        (lambda: code(1500), lambda: code(1510), 400, "code pools"),
        (lambda: code(990), lambda: code(1010), 400, "code pools"),
    ],
    ids=["reversed", "mistyped", "forged", "short", "outside", "other-enterprise", "runs-out"],
)
def test_bind_refusals(world, login, first, last, status, message):
    client = login(world.a.recorder)
    response = bind(client, world.a.batch, first(), last())
    assert response.status_code == status
    assert message in text_of(response)
    assert live_rows() == []


def test_another_enterprise_code_reveals_nothing(world, login):
    client = login(world.a.recorder)
    page = text_of(bind(client, world.a.batch, code(1500), code(1510)))
    assert group(code(1500)) in page and "not in your enterprise" in page
    assert world.b.enterprise.name not in page


def test_range_spanning_two_pools_names_the_outside_code(world, login):
    factories.make_pool(world.a.enterprise, 2000, 100)
    db.session.commit()
    client = login(world.a.recorder)
    response = bind(client, world.a.batch, code(990), code(2010))
    assert response.status_code == 400
    page = text_of(response)
    assert "spans two pools" in page and group(code(2010)) in page


def test_overlap_names_the_range_and_its_size(world, login):
    factories.make_range(world.a.pool, world.a.batch, 10, 19, world.a.recorder)
    other = factories.make_batch(world.a.product, lot="LOT-OTHER")
    db.session.commit()
    client = login(world.a.recorder)
    response = bind(client, other, code(15), code(30))
    assert response.status_code == 409
    page = text_of(response)
    assert f"{group(code(10))} – {group(code(19))}" in page
    assert world.a.batch.lot_number in page and "5 of these codes are already bound" in page


def test_unapproved_product_cannot_bind(world, login):
    product = factories.make_product(world.a.enterprise, approved=False)
    batch = factories.make_batch(product)
    db.session.commit()
    response = bind(login(world.a.recorder), batch, code(10), code(19))
    assert response.status_code == 409
    assert "product filing" in text_of(response)


def test_unapproved_enterprise_cannot_bind(ctx, login):
    enterprise = factories.make_enterprise(approved=False)
    recorder = factories.make_member(enterprise)
    batch = factories.make_batch(factories.make_product(enterprise))
    factories.make_pool(enterprise, 0, 100)
    db.session.commit()
    response = bind(login(recorder), batch, code(1), code(2))
    assert response.status_code == 409
    assert "approved your enterprise filing" in text_of(response)


def test_binding_needs_a_recorder(world, login):
    response = bind(login(world.a.admin), world.a.batch, code(10), code(19))
    assert response.status_code == 403


def test_ten_million_codes_are_one_row(world, en):
    pool = factories.make_pool(world.a.enterprise, 10_000, 10_000_000)
    bound = bind_code_range(world.a.batch, pool.start_index, pool.end_index, world.a.recorder)
    assert bound.size == 10_000_000
    assert db.session.scalar(select(func.count(CodeRange.id))) == 1
    assert resolve_code(pool.start_index).id == bound.id
    assert resolve_code(pool.end_index).id == bound.id
    assert resolve_code(pool.start_index - 1) is None
    assert resolve_code(pool.end_index + 1) is None


# Release and void


def test_release_splits_with_history_and_codes_can_be_bound_again(world, login):
    original = factories.make_range(world.a.pool, world.a.batch, 100, 199, world.a.recorder)
    db.session.commit()
    client = login(world.a.recorder)
    response = client.post(
        batch_url(world.a.batch) + "/release",
        data={
            "release-first_code": code(120),
            "release-last_code": code(129),
            "release-reason": "Misprinted roll",
        },
        headers=EN,
    )
    assert response.status_code == 302
    rows = db.session.scalars(select(CodeRange).order_by(CodeRange.id)).all()
    assert [(r.start_index, r.end_index, r.status) for r in rows] == [
        (100, 199, "released"),
        (100, 119, "bound"),
        (120, 129, "released"),
        (130, 199, "bound"),
    ]
    assert all(r.parent_id == original.id for r in rows[1:])
    assert rows[0].ended_at is not None and rows[2].reason == "Misprinted roll"
    page = text_of(client.get(batch_url(world.a.batch), headers=EN))
    assert "Misprinted roll" in page and f"#{original.id}" in page
    other = factories.make_batch(world.a.product)
    db.session.commit()
    assert bind(client, other, code(120), code(129)).status_code == 302
    assert resolve_code(125).batch_id == other.id


def test_void_splits_and_voided_codes_cannot_be_bound_again(world, en):
    batch, recorder = world.a.batch, world.a.recorder
    original = bind_code_range(batch, 100, 199, recorder)
    voided = void_codes(batch, 150, 199, recorder, "Labels burnt")
    assert (voided.status, voided.parent_id, voided.ended_by_id) == (
        "void",
        original.id,
        recorder.id,
    )
    assert [(r.start_index, r.end_index, r.status) for r in live_rows()] == [
        (100, 149, "bound"),
        (150, 199, "void"),
    ]
    assert resolve_code(160).status == "void"
    other = factories.make_batch(world.a.product)
    with pytest.raises(Conflict, match="voided"):
        bind_code_range(other, 190, 210, recorder)


def test_release_outside_a_bound_range_is_refused(world, en):
    bind_code_range(world.a.batch, 100, 199, world.a.recorder)
    with pytest.raises(DomainError, match="inside one bound range"):
        release_codes(world.a.batch, 190, 210, world.a.recorder, "why")
    with pytest.raises(DomainError, match="reason"):
        release_codes(world.a.batch, 110, 120, world.a.recorder, "  ")


def test_release_form_shows_refusal(world, login):
    factories.make_range(world.a.pool, world.a.batch, 100, 199, world.a.recorder)
    db.session.commit()
    response = login(world.a.recorder).post(
        batch_url(world.a.batch) + "/void",
        data={"void-first_code": code(90), "void-last_code": code(120), "void-reason": "x"},
        headers=EN,
    )
    assert response.status_code == 400
    assert "inside one bound range of this batch" in text_of(response)


# The codes page


def test_codes_page_lists_pools_and_finds_codes(world, login):
    factories.make_range(world.a.pool, world.a.batch, 10, 19, world.a.recorder)
    db.session.commit()
    client = login(world.a.recorder)
    page = text_of(client.get("/portal/codes", headers=EN))
    assert group(code(0)) in page and group(code(999)) in page and "990" in page
    found = text_of(client.get("/portal/codes", query_string={"code": group(code(15))}, headers=EN))
    assert world.a.batch.lot_number in found and f"/labels/code/{code(15)}.png" in found
    free = text_of(client.get("/portal/codes", query_string={"code": code(500)}, headers=EN))
    assert "Free" in free and "position 501 of 1,000" in free
    other = text_of(client.get("/portal/codes", query_string={"code": code(1500)}, headers=EN))
    assert "not in your enterprise" in other and world.b.enterprise.name not in other
    typo = text_of(
        client.get("/portal/codes", query_string={"code": mistyped(code(5))}, headers=EN)
    )
    assert "check the digits" in typo


def test_codes_page_filters_ranges(world, login):
    factories.make_range(world.a.pool, world.a.batch, 10, 19, world.a.recorder)
    other = factories.make_batch(world.a.product, lot="FIND-ME")
    factories.make_range(world.a.pool, other, 30, 39, world.a.recorder, status="void")
    db.session.commit()
    client = login(world.a.recorder)
    page = text_of(client.get("/portal/codes", query_string={"q": "FIND"}, headers=EN))
    assert group(code(30)) in page and group(code(10)) not in page
    page = text_of(client.get("/portal/codes", query_string={"status": "bound"}, headers=EN))
    assert group(code(10)) in page and group(code(30)) not in page


def test_other_enterprise_batch_codes_page_is_404(world, login):
    client = login(world.a.recorder)
    assert client.get(batch_url(world.b.batch)).status_code == 404
    assert bind(client, world.b.batch, code(1000), code(1001)).status_code == 404


# Admin


def test_platform_admin_allocates_a_pool(world, login):
    client = login(world.platform_admin)
    response = client.post(
        "/admin/pools",
        data={"credit_code": world.b.enterprise.credit_code, "count": 250},
        headers=EN,
        follow_redirects=True,
    )
    page = text_of(response)
    assert response.status_code == 200
    assert f"first code {group(code(2000))}, last code {group(code(2249))}" in page
    search = text_of(client.get("/admin/pools", query_string={"q": "Zhejiang"}, headers=EN))
    assert "Zhejiang Tea" in search and "Gansu Apples" not in search


def test_admin_allocation_refusals(world, login):
    client = login(world.platform_admin)
    response = client.post(
        "/admin/pools", data={"credit_code": "91620100MA0000000X", "count": 5}, headers=EN
    )
    assert response.status_code == 400 and "No enterprise has this" in text_of(response)
    assert login(world.a.recorder).get("/admin/pools").status_code == 403


# CLI


def test_cli_allocate_encode_decode(world, runner):
    credit_code = world.a.enterprise.credit_code
    db.session.commit()
    result = runner.invoke(
        args=["codes", "allocate", "--enterprise", credit_code, "--count", "100"]
    )
    assert result.exit_code == 0, result.output
    assert "2000–2099" in result.output and group(code(2000)) in result.output
    assert group(code(2099)) in result.output
    result = runner.invoke(args=["codes", "encode", "2099"])
    assert result.output.strip() == code(2099)
    result = runner.invoke(args=["codes", "decode", group(code(2099))])
    assert result.exit_code == 0 and result.output.strip() == "2099"


def test_cli_errors_exit_non_zero(world, runner):
    db.session.commit()
    result = runner.invoke(args=["codes", "decode", mistyped(code(7))])
    assert result.exit_code != 0 and "checksum" in result.output
    result = runner.invoke(args=["codes", "allocate", "--enterprise", "nope", "--count", "5"])
    assert result.exit_code != 0 and "No enterprise" in result.output
    result = runner.invoke(
        args=["codes", "allocate", "--enterprise", world.a.enterprise.credit_code, "--count", "0"]
    )
    assert result.exit_code != 0 and "from 1 to" in result.output
    assert db.session.scalar(select(func.count(CodePool.id))) == 2
