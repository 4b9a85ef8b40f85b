"""The audit trail: every insert, update and delete of a business record, hash-chained.

A session hook (``after_flush``) writes one ``AuditEntry`` per changed row, in the same
transaction as the change, so nothing is changed without its entry and no entry survives a
rolled-back change. Services need not remember to log: a new model is audited unless it is
listed in ``NOT_AUDITED`` (high-volume, non-business tables).

Each entry's hash covers its content and the previous entry's hash; its signature is an HMAC of
the hash with ``SUYUAN_AUDIT_KEY``. ``verify_chain`` recomputes both and names the first entry
that does not match, so editing, deleting or inserting a row — or rewriting the whole chain
without the key — is detected.
"""

import hashlib
import hmac
import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.orm import Session

from suyuan.models.audit import AuditEntry
from suyuan.models.base import utcnow

GENESIS = "0" * 64
#: Tables whose rows are not business state: the log itself and high-volume counters.
NOT_AUDITED = {"audit_log", "api_idempotency_keys"}
#: Columns whose changes alone are bookkeeping, not a state change worth an entry.
IGNORED_COLUMNS = {"api_tokens": {"last_used_at"}}
#: Serialises appends on PostgreSQL (an arbitrary application-wide advisory-lock key).
CHAIN_LOCK = 0x5355_5941_4E41

_actor: ContextVar[tuple[int | None, str] | None] = ContextVar("audit_actor", default=None)


def canonical(value) -> bytes:
    """Stable bytes for hashing: sorted keys, no whitespace, UTC ISO times, decimals as text."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
    ).encode()


def _plain(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def digest(value) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


@contextmanager
def acting_as(user=None, label: str = "system"):
    """Attribute the changes made inside the block (CLI commands, jobs) to ``user``."""
    token = _actor.set((user.id, user.email) if user is not None else (None, label))
    try:
        yield
    finally:
        _actor.reset(token)


def _current_actor() -> tuple[int | None, str]:
    explicit = _actor.get()
    if explicit is not None:
        return explicit
    if has_request_context():
        user = g.get("_login_user")  # already loaded by Flask-Login; never query mid-flush
        if user is not None and getattr(user, "is_authenticated", False):
            return user.id, user.email
        return None, "anonymous"
    return None, "system"


def _columns(obj) -> dict:
    state = inspect(obj)
    return {attr.key: getattr(obj, attr.key) for attr in state.mapper.column_attrs}


def _before(obj) -> dict:
    values = {}
    for attr in inspect(obj).mapper.column_attrs:
        history = inspect(obj).attrs[attr.key].history
        if history.deleted:
            values[attr.key] = history.deleted[0]
        elif history.unchanged:
            values[attr.key] = history.unchanged[0]
        else:
            values[attr.key] = None
    return values


def _object_id(obj) -> str:
    identity = inspect(obj).identity or tuple(
        getattr(obj, c.key) for c in inspect(obj).mapper.primary_key
    )
    return ",".join(str(part) for part in identity)


def _audited(obj) -> bool:
    table = getattr(obj, "__tablename__", None)
    return table is not None and table not in NOT_AUDITED


def _changes(session: Session) -> list[tuple[str, object, dict | None, dict | None]]:
    changes = []
    for obj in session.new:
        if _audited(obj):
            changes.append(("insert", obj, None, _columns(obj)))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            before, after = _before(obj), _columns(obj)
            ignored = IGNORED_COLUMNS.get(obj.__tablename__, set())
            if any(before[k] != after[k] for k in after if k not in ignored):
                changes.append(("update", obj, before, after))
    for obj in session.deleted:
        if _audited(obj):
            changes.append(("delete", obj, _before(obj), None))
    return changes


def entry_hash(row: dict, prev_hash: str) -> str:
    fields = {
        key: row[key]
        for key in (
            "at",
            "actor_id",
            "actor",
            "action",
            "object_type",
            "object_id",
            "changed",
            "before_digest",
            "after_digest",
        )
    }
    return hashlib.sha256(prev_hash.encode() + canonical(fields)).hexdigest()


def sign(entry_hash_hex: str, key: str) -> str:
    return hmac.new(key.encode(), entry_hash_hex.encode(), hashlib.sha256).hexdigest()


def _after_flush(session: Session, _context) -> None:
    if not has_app_context():
        return
    changes = _changes(session)
    if not changes:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    head = connection.execute(
        select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar()
    prev = head or GENESIS
    key = current_app.config["AUDIT_KEY"]
    actor_id, actor = _current_actor()
    now = utcnow()
    rows = []
    for action, obj, before, after in changes:
        changed = sorted(
            k for k in (after or before) if (before or {}).get(k) != (after or {}).get(k)
        )
        row = {
            "at": now,
            "actor_id": actor_id,
            "actor": actor[:200],
            "action": action,
            "object_type": obj.__tablename__,
            "object_id": _object_id(obj),
            "changed": ",".join(changed),
            "before_digest": digest(before) if before is not None else None,
            "after_digest": digest(after) if after is not None else None,
        }
        row["prev_hash"] = prev
        row["entry_hash"] = prev = entry_hash(row, prev)
        row["signature"] = sign(prev, key)
        rows.append(row)
    connection.execute(insert(AuditEntry), rows)


def init_app(app) -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


@dataclass
class ChainReport:
    entries: int
    head: str
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(session: Session, key: str, anchor: dict | None = None) -> ChainReport:
    """Recompute every link in id order; stop at the first entry that does not match.

    ``anchor`` (an earlier head written outside the database by ``write_anchor``) catches what
    the chain alone cannot: entries cut off the end.
    """
    table = AuditEntry.__table__
    prev, count, last_id = GENESIS, 0, 0
    anchored = anchor is None
    while True:
        rows = session.execute(
            select(table).where(table.c.id > last_id).order_by(table.c.id).limit(5000)
        ).mappings()
        seen = False
        for row in rows:
            seen = True
            if row["prev_hash"] != prev:
                return ChainReport(count, prev, row["id"], "does not follow the entry before it")
            if entry_hash(row, prev) != row["entry_hash"]:
                return ChainReport(count, prev, row["id"], "content does not match its hash")
            if not hmac.compare_digest(sign(row["entry_hash"], key), row["signature"]):
                return ChainReport(count, prev, row["id"], "signature does not match the key")
            prev, count, last_id = row["entry_hash"], count + 1, row["id"]
            if not anchored and row["id"] == anchor["id"]:
                if row["entry_hash"] != anchor["entry_hash"]:
                    return ChainReport(count, prev, row["id"], "differs from the anchored head")
                anchored = True
        if not seen:
            break
    if not anchored:
        return ChainReport(count, prev, anchor["id"], "the anchored entry is missing")
    return ChainReport(count, prev)


def write_anchor(session: Session, path) -> dict:
    """Record the current head (id and hash) in a file outside the database."""
    table = AuditEntry.__table__
    head = session.execute(
        select(table.c.id, table.c.entry_hash).order_by(table.c.id.desc()).limit(1)
    ).first()
    anchor = {"id": head.id, "entry_hash": head.entry_hash} if head else None
    if anchor:
        path.write_text(json.dumps(anchor))
    return anchor
