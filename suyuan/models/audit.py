"""The audit log: one append-only, hash-chained row per state change of a business record."""

from datetime import datetime
from typing import Optional

from sqlalchemy import DDL, String, event
from sqlalchemy.orm import Mapped, mapped_column

from suyuan.models.base import Base, intpk, str64, str200, text


class AuditEntry(Base):
    """``entry_hash`` = SHA-256 over the canonical form of this row and ``prev_hash``;
    ``signature`` = HMAC-SHA256 of ``entry_hash`` with ``SUYUAN_AUDIT_KEY``, a key the database
    does not hold, so a chain rewritten from scratch does not verify either."""

    __tablename__ = "audit_log"

    id: Mapped[intpk]
    at: Mapped[datetime]
    actor_id: Mapped[Optional[int]]  # no foreign key: a user's removal must not touch the log
    actor: Mapped[str200]
    action: Mapped[str] = mapped_column(String(10))  # insert | update | delete
    object_type: Mapped[str] = mapped_column(String(60), index=True)
    object_id: Mapped[str] = mapped_column(String(60))
    changed: Mapped[text]  # comma-separated column names
    before_digest: Mapped[Optional[str64]]
    after_digest: Mapped[Optional[str64]]
    prev_hash: Mapped[str64]
    entry_hash: Mapped[str64] = mapped_column(unique=True)
    signature: Mapped[str64]


#: On PostgreSQL the application cannot rewrite or delete history, whatever its privileges on
#: the table. (TRUNCATE is a separate privilege; production revokes it from the app role.)
APPEND_ONLY = DDL(
    """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: %% refused', TG_OP;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
"""
)
event.listen(AuditEntry.__table__, "after_create", APPEND_ONLY.execute_if(dialect="postgresql"))
