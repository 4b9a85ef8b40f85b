"""/code-pools and /code-ranges: bind, release and void through the same service as the portal."""

from suyuan.extensions import db
from suyuan.services.codes import printed
from tests import factories
from tests.api.conftest import error_of


def span(first: int, last: int, **extra) -> dict:
    return {"first_code": printed(first), "last_code": printed(last), **extra}


def test_pools_show_bound_void_and_free(a, world):
    factories.make_range(world.a.pool, world.a.batch, 0, 99, world.a.recorder)
    db.session.commit()
    [pool] = a.get("/code-pools").get_json()["items"]
    assert (pool["size"], pool["bound"], pool["void"], pool["free"]) == (1000, 100, 0, 900)
    assert pool["first_code"] == printed(0)


def test_bind_release_and_void(a, world):
    batch = world.a.batch.id
    bound = a.post(f"/batches/{batch}/code-ranges", json=span(0, 99))
    assert bound.status_code == 201, bound.get_json()
    assert (bound.get_json()["size"], bound.get_json()["status"]) == (100, "bound")
    released = a.post(f"/batches/{batch}/code-ranges/release", json=span(10, 19, reason="Spare"))
    assert released.status_code == 201 and released.get_json()["status"] == "released"
    voided = a.post(f"/batches/{batch}/code-ranges/void", json=span(20, 24, reason="Torn"))
    assert voided.status_code == 201 and voided.get_json()["status"] == "void"
    live = a.get("/code-ranges?status=bound").get_json()
    assert sorted((r["first_code"], r["size"]) for r in live["items"]) == sorted(
        [(printed(0), 10), (printed(25), 75)]
    )
    history = a.get(f"/batches/{batch}/code-ranges").get_json()
    assert history["total"] == 6  # the original, its three pieces, and the two ended parts


def test_overlap_is_409_and_bad_codes_are_422(a, world):
    factories.make_range(world.a.pool, world.a.batch, 0, 99, world.a.recorder)
    db.session.commit()
    overlap = a.post(f"/batches/{world.a.batch.id}/code-ranges", json=span(50, 150))
    assert overlap.status_code == 409 and "already bound" in error_of(overlap)["message"]
    typo = a.post(
        f"/batches/{world.a.batch.id}/code-ranges",
        json={"first_code": "1234", "last_code": printed(5)},
    )
    assert typo.status_code == 422 and "first_code" in error_of(typo)["fields"]
    foreign = a.post(f"/batches/{world.a.batch.id}/code-ranges", json=span(1000, 1010))
    assert foreign.status_code == 422
    assert "not in your enterprise's code pools" in error_of(foreign)["message"]
    no_reason = a.post(f"/batches/{world.a.batch.id}/code-ranges/void", json=span(0, 1))
    assert no_reason.status_code == 422 and "reason" in error_of(no_reason)["fields"]


def test_other_enterprises_batch_is_404(a, world):
    batch = world.b.batch.id
    assert a.get(f"/batches/{batch}/code-ranges").status_code == 404
    assert a.post(f"/batches/{batch}/code-ranges", json=span(0, 9)).status_code == 404
    payload = span(0, 9, reason="x")
    assert a.post(f"/batches/{batch}/code-ranges/void", json=payload).status_code == 404
    assert a.get("/code-ranges").get_json()["total"] == 0
