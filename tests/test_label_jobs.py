"""The job queue: Huey storage per configuration, a real ``suyuan jobs worker`` process that
is killed in the middle of a run, recovery, and running the run again."""

import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from huey import MemoryHuey, RedisHuey, SqliteHuey

from labels.runs import execute_run, recover_runs
from suyuan.extensions import db
from suyuan.jobs import jobs, make_huey
from suyuan.models import PrintRun
from suyuan.models.base import utcnow
from tests.factories import make_pool
from tests.factories_labels import bind, make_run, manifest_indices, read_zip

SUYUAN = Path(sys.executable).with_name("suyuan")


def test_storage_follows_the_configuration(tmp_path):
    assert isinstance(make_huey(f"sqlite:///{tmp_path}/jobs.db"), SqliteHuey)
    assert (tmp_path / "jobs.db").exists()
    assert isinstance(make_huey("redis://127.0.0.1:6379/3"), RedisHuey)
    assert isinstance(make_huey("memory://"), MemoryHuey)
    with pytest.raises(ValueError, match="unsupported"):
        make_huey("ftp://example.com/jobs")


def test_default_storage_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    from suyuan.config import load_config

    for name in ("JOBS_URL", "REDIS_URL", "JOBS_IMMEDIATE", "LABELS_FOLDER", "LABELS_PER_FILE"):
        monkeypatch.delenv(f"SUYUAN_{name}", raising=False)
    config = load_config(str(tmp_path), {"SECRET_KEY": "s", "CODE_KEY": "c"})
    assert config["JOBS_URL"] == f"sqlite:///{tmp_path / 'jobs.db'}"
    assert config["JOBS_IMMEDIATE"] is False
    assert config["LABELS_FOLDER"] == str(tmp_path / "labels")
    assert config["LABELS_PER_FILE"] == 10_000
    redis = load_config(str(tmp_path), {"SECRET_KEY": "s", "CODE_KEY": "c", "REDIS_URL": "redis://r:6379/0"})  # fmt: skip
    assert redis["JOBS_URL"] == "redis://r:6379/0"
    monkeypatch.setenv("SUYUAN_JOBS_URL", "redis://jobs:6379/1")
    monkeypatch.setenv("SUYUAN_JOBS_IMMEDIATE", "1")
    monkeypatch.setenv("SUYUAN_LABELS_PER_FILE", "5000")
    chosen = load_config(str(tmp_path), {"SECRET_KEY": "s", "CODE_KEY": "c", "REDIS_URL": "redis://r:6379/0"})  # fmt: skip
    assert chosen["JOBS_URL"] == "redis://jobs:6379/1" and chosen["JOBS_IMMEDIATE"] is True
    assert chosen["LABELS_PER_FILE"] == 5000


def test_a_job_for_an_old_attempt_does_nothing(world, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "LABELS_FOLDER", str(tmp_path))
    bind(world.a, 0, 9)
    run = make_run(world.a, batch=world.a.batch)
    run.attempt = 2
    db.session.commit()
    execute_run(run.id, 1)
    db.session.refresh(run)
    assert run.status == "queued" and run.done == 0


def test_recovery_fails_runs_of_dead_or_silent_workers(world, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "LABELS_FOLDER", str(tmp_path))
    bind(world.a, 0, 9)
    dead, silent, alive = (make_run(world.a, batch=world.a.batch) for _ in range(3))
    host = os.uname().nodename
    gone = subprocess.Popen(["true"])  # a pid that has exited
    gone.wait()
    now = utcnow()
    for run, worker, beat in (
        (dead, f"{host}:{gone.pid}", now),
        (silent, "elsewhere:1", now - timedelta(minutes=10)),
        (alive, f"{host}:{os.getpid()}", now),
    ):
        run.status, run.worker, run.started_at, run.heartbeat_at = "running", worker, beat, beat
    db.session.commit()
    assert recover_runs() == 2
    states = {r.id: (r.status, r.error_code) for r in db.session.scalars(db.select(PrintRun))}
    assert states[dead.id] == states[silent.id] == ("failed", "interrupted")
    assert states[alive.id] == ("running", "")


def _worker(app, env) -> subprocess.Popen:
    with open(Path(env["SUYUAN_LABELS_FOLDER"]).parent / "worker.log", "ab") as log:
        return subprocess.Popen(
            [str(SUYUAN), "jobs", "worker", "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its renderer processes share its group: killed together
        )


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for(run_id: int, ready, seconds: float = 120) -> SimpleNamespace:
    """Poll the run's row until ``ready(row)``; no transaction stays open between polls (on
    SQLite it would hold the write lock the worker needs)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = db.session.get(PrintRun, run_id, populate_existing=True)
        row = SimpleNamespace(
            **{name: getattr(run, name) for name in ("status", "done", "total", "attempt")},
            error_code=run.error_code,
            result_name=run.result_name,
        )
        db.session.rollback()
        if ready(row):
            return row
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} stayed {row.status} at {row.done}/{row.total}")


@pytest.fixture
def queue_on_disk(app, tmp_path, monkeypatch):
    """The test app and worker processes share a SQLite job store and a labels folder."""
    monkeypatch.setitem(app.config, "JOBS_URL", f"sqlite:///{tmp_path / 'jobs.db'}")
    monkeypatch.setitem(app.config, "LABELS_FOLDER", str(tmp_path / "labels"))
    monkeypatch.delitem(app.extensions, "suyuan_jobs", raising=False)
    env = {
        **os.environ,
        "SUYUAN_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SUYUAN_SECRET_KEY": app.config["SECRET_KEY"],
        "SUYUAN_CODE_KEY": app.config["CODE_KEY"],
        "SUYUAN_BASE_URL": app.config["BASE_URL"],
        "SUYUAN_JOBS_URL": app.config["JOBS_URL"],
        "SUYUAN_LABELS_FOLDER": app.config["LABELS_FOLDER"],
    }
    yield env
    app.extensions.pop("suyuan_jobs", None)


def test_killed_worker_leaves_no_download_and_the_run_again_succeeds(
    world, app, login, queue_on_disk
):
    if not SUYUAN.exists():
        pytest.skip("the suyuan command is not installed in this environment")
    total = 8000
    pool = make_pool(world.a.enterprise, 5000, total)
    bind(world.a, 5000, 5000 + total - 1)
    db.session.commit()
    client = login(world.a.recorder)
    started = client.post(
        f"/labels/batches/{world.a.batch.id}/print",
        data={"action": "start", "code_range": "all", "layout": "a4-3x8", "fmt": "pdf",
              "error_correction": "M", "show_product": "y", "show_lot": "y", "per_file": "480"},
    )  # fmt: skip
    assert started.status_code == 302, started.get_data(as_text=True)
    run_id = db.session.scalar(db.select(PrintRun.id))
    assert pool.size == total
    db.session.rollback()

    first = _worker(app, queue_on_disk)
    try:
        run = _wait_for(run_id, lambda r: r.status == "running" and r.done > 0)
        assert run.done < run.total, "the run finished before the worker could be killed"
        status = client.get(f"/labels/runs/{run_id}.json").get_json()
        assert status["status"] == "running" and 0 < status["done"] < total
        page = client.get(f"/labels/runs/{run_id}").get_data(as_text=True)
        bar = re.search(r'<progress max="(\d+)" value="(\d+)"', page)
        assert bar and int(bar.group(1)) == total and 0 < int(bar.group(2)) < total
        assert 'http-equiv="refresh"' in page and "run-progress.js" in page
    finally:
        _stop(first, signal.SIGKILL)

    folder = Path(app.config["LABELS_FOLDER"])
    assert not list(folder.glob("*.zip"))
    with client.get(f"/labels/runs/{run_id}/download") as refused:
        assert refused.status_code == 409

    second = _worker(app, queue_on_disk)
    try:
        run = _wait_for(run_id, lambda r: r.status == "failed", seconds=60)
        assert run.error_code == "interrupted"
        page = client.get(f"/labels/runs/{run_id}", headers={"Accept-Language": "en"})
        assert "The worker stopped while rendering this run" in page.get_data(as_text=True)
        with client.get(f"/labels/runs/{run_id}/download") as refused:
            assert refused.status_code == 409
        assert not (folder / "work" / f"run-{run_id}-1").exists()
        assert not list(folder.glob(".*.partial"))

        assert client.post(f"/labels/runs/{run_id}/retry").status_code == 302
        run = _wait_for(run_id, lambda r: r.status in ("done", "failed"), seconds=240)
        assert (run.status, run.attempt, run.done) == ("done", 2, total)
        assert (folder / run.result_name).is_file()
        with client.get(f"/labels/runs/{run_id}/download") as download:
            assert download.status_code == 200
            _archive, rows, manifest = read_zip(download.data)
    finally:
        _stop(second)
    order = list(range(5000, 5000 + total))
    assert manifest["total"] == total
    assert manifest_indices(rows, order) == order


def test_immediate_mode_runs_the_job_on_enqueue(world, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_URL", "memory://")
    monkeypatch.setitem(app.config, "JOBS_IMMEDIATE", True)
    monkeypatch.setitem(app.config, "LABELS_FOLDER", str(tmp_path))
    monkeypatch.delitem(app.extensions, "suyuan_jobs", raising=False)
    bind(world.a, 0, 4)
    run = make_run(world.a, batch=world.a.batch)
    run_id, attempt = run.id, run.attempt
    db.session.commit()
    jobs().enqueue("labels.print_run", run_id, attempt)
    db.session.remove()
    assert db.session.get(PrintRun, run_id).status == "done"
    app.extensions.pop("suyuan_jobs", None)
