"""Idempotency-Key on creating calls: a retry replays, another body with the key is 409."""

from sqlalchemy import func, select

from suyuan.extensions import db
from suyuan.models import Product
from tests.api.conftest import error_of
from tests.factories_api import make_token


def count_products() -> int:
    return db.session.scalar(select(func.count(Product.id)))


def test_same_key_and_body_replays_the_first_response(a, world):
    body = {"name": "Fuji", "category": "fruit"}
    first = a.post("/products", json=body, headers={"Idempotency-Key": "k-1"})
    before = count_products()
    again = a.post("/products", json=body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count_products() == before


def test_same_key_with_another_body_is_409(a, world):
    a.post(
        "/products", json={"name": "Fuji", "category": "fruit"}, headers={"Idempotency-Key": "k"}
    )
    response = a.post(
        "/products", json={"name": "Gala", "category": "fruit"}, headers={"Idempotency-Key": "k"}
    )
    assert response.status_code == 409
    assert "Idempotency-Key" in error_of(response)["message"]


def test_failed_call_does_not_use_up_the_key(a, world):
    bad = a.post("/products", json={"category": "fruit"}, headers={"Idempotency-Key": "k"})
    assert bad.status_code == 422
    good = a.post(
        "/products", json={"name": "Fuji", "category": "fruit"}, headers={"Idempotency-Key": "k"}
    )
    assert good.status_code == 201


def test_keys_belong_to_one_token(api, a, world):
    body = {"name": "Fuji", "category": "fruit"}
    a.post("/products", json=body, headers={"Idempotency-Key": "shared"})
    other = api(make_token(world.a)).post(
        "/products", json={**body, "spec": "1 kg"}, headers={"Idempotency-Key": "shared"}
    )
    assert other.status_code == 201 and "Idempotent-Replayed" not in other.headers


def test_overlong_key_is_400(a, world):
    response = a.post("/products", json={}, headers={"Idempotency-Key": "k" * 201})
    assert response.status_code == 400


def test_old_keys_are_pruned_by_the_cli(a, world, runner):
    from datetime import UTC, datetime, timedelta

    from suyuan.models import IdempotencyKey

    body = {"name": "Fuji", "category": "fruit"}
    a.post("/products", json=body, headers={"Idempotency-Key": "old"})
    a.post("/products", json={**body, "spec": "2"}, headers={"Idempotency-Key": "new"})
    old = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == "old"))
    old.created_at = datetime.now(UTC) - timedelta(hours=30)
    db.session.commit()
    result = runner.invoke(args=["tokens", "prune-keys", "--hours", "24"])
    assert result.output.strip() == "Forgot 1 idempotency keys."
    assert [k.key for k in db.session.scalars(select(IdempotencyKey))] == ["new"]
