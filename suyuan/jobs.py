"""Background jobs on Huey: SQLite storage in the instance folder by default, Redis when
``SUYUAN_JOBS_URL`` (or ``SUYUAN_REDIS_URL``) names one; ``suyuan jobs worker`` consumes them.

Feature modules register plain functions with ``@job(name)``; each app builds its Huey
instance on first use and wraps every registered function so that it runs inside an
application context of the worker's app. Work that must survive a crash keeps its own state
in the database (a print run's status and heartbeat): Huey only carries the job's arguments.
"""

import logging
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

_JOBS: dict[str, Callable] = {}
_PERIODIC: dict[str, tuple[Callable, dict]] = {}
_ON_WORKER_START: list[Callable] = []


def job(name: str):
    """Register ``fn(*args)`` as a background job called ``name``."""

    def register(fn):
        _JOBS[name] = fn
        return fn

    return register


def periodic(name: str, **schedule):
    """Register ``fn()`` to run on a crontab schedule (``minute="*"``) in every worker."""

    def register(fn):
        _PERIODIC[name] = (fn, schedule)
        return fn

    return register


def on_worker_start(fn):
    """Register ``fn()`` to run once, in an app context, when a worker starts."""
    _ON_WORKER_START.append(fn)
    return fn


def make_huey(url: str, immediate: bool = False) -> Huey:
    """The Huey instance for a storage URL: ``redis://``, ``sqlite:///path`` or ``memory://``."""
    scheme = urlparse(url).scheme
    if scheme in ("redis", "rediss", "unix"):
        return RedisHuey("suyuan", url=url, immediate=immediate)
    if scheme == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey("suyuan", filename=str(path), immediate=immediate)
    if scheme == "memory":
        return MemoryHuey("suyuan", immediate=immediate)
    raise ValueError(f"SUYUAN_JOBS_URL: unsupported job storage {url!r}")


class Jobs:
    """One app's queue: its Huey instance and the registered jobs bound to the app."""

    def __init__(self, app: Flask):
        self.app = app
        self.huey = make_huey(app.config["JOBS_URL"], app.config["JOBS_IMMEDIATE"])
        self.tasks = {
            name: self.huey.task(name=name)(self._in_app(fn)) for name, fn in _JOBS.items()
        }
        for name, (fn, schedule) in _PERIODIC.items():
            self.huey.periodic_task(crontab(**schedule), name=name)(self._in_app(fn))

    def _in_app(self, fn: Callable) -> Callable:
        app = self.app

        def run(*args):
            with app.app_context():
                return fn(*args)

        return run

    def enqueue(self, name: str, *args):
        """Queue job ``name``; in immediate mode it runs before this returns."""
        return self.tasks[name](*args)

    def run_worker(self, workers: int = 1) -> None:
        """Recover from a previous worker's death, then consume jobs until stopped."""
        with self.app.app_context():
            for hook in _ON_WORKER_START:
                hook()
        consumer = self.huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
        consumer.run()


def jobs(app: Flask | None = None) -> Jobs:
    """The app's ``Jobs``, built on first use (nothing is created for apps that never queue)."""
    app = app or current_app._get_current_object()
    found = app.extensions.get("suyuan_jobs")
    if found is None:
        found = app.extensions["suyuan_jobs"] = Jobs(app)
    return found


def configure_worker_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
