"""Scan test helpers: a published code of world.a, scanning "devices", recorded scans."""

from dataclasses import dataclass

import pytest

from suyuan.extensions import db
from suyuan.identity import code_key
from tests.factories import make_range, make_world


@dataclass
class Coded:
    """Plain values (no ORM objects) so that tests can run requests without holding the
    database: on SQLite, a test session that touches a row outside a request would hold
    the write lock while the scan writer waits for it."""

    code: str
    index: int
    batch_id: int
    enterprise_id: int
    product_id: int
    void_code: str
    unbound_code: str
    other_code: str  # another bound code of the same batch
    admin_email: str = ""
    other_admin_email: str = ""
    gansu_email: str = ""
    zhejiang_email: str = ""


def publish(side) -> None:
    side.enterprise.is_profile_public = True
    side.product.is_public = True
    side.batch.is_public = True


def make_coded(world) -> Coded:
    side = world.a
    make_range(side.pool, side.batch, 0, 99, side.recorder)
    make_range(side.pool, side.batch, 200, 209, side.recorder, status="void")
    publish(side)
    db.session.commit()
    key = code_key()
    coded = Coded(
        code=key.encode(5),
        index=5,
        batch_id=side.batch.id,
        enterprise_id=side.enterprise.id,
        product_id=side.product.id,
        void_code=key.encode(205),
        unbound_code=key.encode(500),
        other_code=key.encode(6),
        admin_email=side.admin.email,
        other_admin_email=world.b.admin.email,
        gansu_email=world.gansu.email,
        zhejiang_email=world.zhejiang.email,
    )
    db.session.close()
    return coded


@pytest.fixture
def coded(app, recording):
    """World a's published code, built in an app context of its own that is gone before the
    test's requests: each request then has its own session, as in production (a test-wide
    context would share one session, and its read snapshot, across every request)."""
    with app.app_context():
        coded = make_coded(make_world())
        db.session.remove()
    return coded


def device(app, number: int, region: str | None = None, agent: str = "Phone"):
    """A test client that looks like its own phone (address and browser)."""
    client = app.test_client()
    client.environ_base.update(
        {"REMOTE_ADDR": f"10.0.{number // 250}.{number % 250 + 1}", "HTTP_USER_AGENT": agent}
    )
    if region:
        client.set_cookie("suyuan_region", region)
    return client


@pytest.fixture
def recording(app):
    """Scans are written at once (inline) for the duration of the test."""
    previous = app.config["SCAN_WRITES"]
    app.config["SCAN_WRITES"] = "inline"
    yield app
    app.config["SCAN_WRITES"] = previous
