"""A running print run's progress and heartbeat, written to its row from a side thread.

The renderer reports progress as often as it likes; the thread writes the latest count
once per interval (throttled), so a busy renderer never waits on the database and a run
whose worker died is recognisable by its heartbeat going silent.
"""

import logging
import threading

from flask import Flask
from sqlalchemy import case, update

from suyuan.extensions import db
from suyuan.models import PrintRun
from suyuan.models.base import utcnow

log = logging.getLogger(__name__)


class Heartbeat:
    def __init__(self, app: Flask, run_id: int, attempt: int, interval: float = 1.0):
        self.app, self.run_id, self.attempt, self.interval = app, run_id, attempt, interval
        self.done = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"run-{run_id}-heartbeat")

    def report(self, done: int, *_ignored) -> None:
        """The renderer's progress callback: ``done`` labels so far."""
        self.done = done

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._write()

    def _write(self) -> None:
        try:
            self._update()
        except Exception:  # a missed beat is harmless; the next one retries
            log.exception("print run %s: heartbeat not written", self.run_id)

    def _update(self) -> None:
        done = self.done
        with self.app.app_context():
            db.session.execute(
                update(PrintRun)
                .where(
                    PrintRun.id == self.run_id,
                    PrintRun.attempt == self.attempt,
                    PrintRun.status == "running",
                )
                .values(
                    done=case((PrintRun.total < done, PrintRun.total), else_=done),
                    heartbeat_at=utcnow(),
                )
            )
            db.session.commit()
            db.session.remove()
