"""The audit log: every change leaves a hash-chained, signed entry; tampering is found.

Each test would fail without its protection: no hook → no entries; no hash → edited rows
verify; no signature → a rewritten chain verifies; no anchor → a cut-off tail verifies; no
trigger → PostgreSQL lets the application rewrite history.
"""

import json

import pytest
from sqlalchemy import select, text, update

from suyuan.audit import GENESIS, entry_hash, verify_chain
from suyuan.extensions import db
from suyuan.models import AuditEntry, Product

KEY = "test-audit-key"


@pytest.fixture
def audited_app(app):
    app.config["AUDIT_KEY"] = KEY
    return app


def entries(**where):
    query = select(AuditEntry).order_by(AuditEntry.id)
    for key, value in where.items():
        query = query.where(getattr(AuditEntry, key) == value)
    return db.session.scalars(query).all()


def test_a_web_change_is_logged_with_actor_object_and_digests(audited_app, world, login):
    admin = login(world.a.admin)
    admin_id, email = world.a.admin.id, world.a.admin.email
    db.session.commit()
    form = {"name": "North orchard", "location": "Lanzhou", "area_size": "3 ha"}
    assert admin.post("/portal/areas/new", data=form).status_code == 302
    [created] = entries(object_type="production_areas", action="insert")
    form["location"] = "Tianshui"
    edit = admin.post(f"/portal/areas/{created.object_id}/edit", data=form)
    assert edit.status_code == 302, edit.text
    [entry] = entries(object_type="production_areas", action="update")
    assert entry.actor == email and entry.actor_id == admin_id
    assert entry.object_id == created.object_id and entry.changed == "location"
    assert entry.before_digest == created.after_digest != entry.after_digest
    report = verify_chain(db.session, KEY)
    assert report.ok and report.entries == len(entries())


def test_a_rolled_back_change_leaves_no_entry(audited_app, world):
    before = len(entries())
    world.a.product.name = "Never saved"
    db.session.flush()
    db.session.rollback()
    assert len(entries()) == before
    assert verify_chain(db.session, KEY).ok


def test_the_chain_links_every_entry_to_the_one_before(audited_app, world):
    rows = entries()
    assert rows[0].prev_hash == GENESIS
    for earlier, later in zip(rows, rows[1:], strict=False):
        assert later.prev_hash == earlier.entry_hash


def _tamper(sql: str, **params):
    db.session.commit()  # outside requests a SQLite session holds the write lock
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        conn.execute(text(sql), params)
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))


def test_an_edited_entry_is_found(audited_app, world):
    target = entries()[3]
    _tamper("UPDATE audit_log SET actor = 'someone else' WHERE id = :id", id=target.id)
    db.session.expire_all()
    report = verify_chain(db.session, KEY)
    assert not report.ok and report.broken_at == target.id
    assert "hash" in report.reason


def test_a_deleted_entry_is_found(audited_app, world):
    rows = entries()
    _tamper("DELETE FROM audit_log WHERE id = :id", id=rows[2].id)
    report = verify_chain(db.session, KEY)
    assert report.broken_at == rows[3].id and "follow" in report.reason


def test_a_chain_rewritten_without_the_key_is_found(audited_app, world):
    """An attacker with the database but not the key recomputes every hash consistently."""
    rows = [{c.key: getattr(e, c.key) for c in AuditEntry.__table__.columns} for e in entries()]
    prev = GENESIS
    db.session.commit()
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        for row in rows:
            row["actor"] = "forger"
            row["prev_hash"] = prev
            row["entry_hash"] = prev = entry_hash(row, prev)
            conn.execute(
                update(AuditEntry.__table__)
                .where(AuditEntry.__table__.c.id == row["id"])
                .values(actor="forger", prev_hash=row["prev_hash"], entry_hash=row["entry_hash"])
            )
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    report = verify_chain(db.session, KEY)
    assert report.broken_at == rows[0]["id"] and "signature" in report.reason


def test_entries_cut_off_the_end_are_found_with_the_anchor(audited_app, world, runner, tmp_path):
    anchor = tmp_path / "anchor.json"
    db.session.commit()
    result = runner.invoke(args=["audit", "anchor", "--anchor", str(anchor)])
    assert result.exit_code == 0, result.output
    head = json.loads(anchor.read_text())
    ok = runner.invoke(args=["audit", "verify", "--anchor", str(anchor)])
    assert ok.exit_code == 0 and "intact" in ok.output, ok.output
    _tamper("DELETE FROM audit_log WHERE id >= :id", id=head["id"] - 1)
    assert verify_chain(db.session, KEY).ok  # the chain alone cannot tell
    broken = runner.invoke(args=["audit", "verify", "--anchor", str(anchor)])
    assert broken.exit_code == 1
    assert f"BROKEN at entry {head['id']}" in broken.output


def test_verify_command_names_the_first_broken_link(audited_app, world, runner, tmp_path):
    target = entries()[1]
    _tamper("UPDATE audit_log SET object_id = '999' WHERE id = :id", id=target.id)
    result = runner.invoke(args=["audit", "verify", "--anchor", str(tmp_path / "none.json")])
    assert result.exit_code == 1
    assert f"BROKEN at entry {target.id}" in result.output


def test_postgresql_refuses_to_update_or_delete_audit_rows(audited_app, world):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's; SQLite relies on the chain")
    target = entries()[0]
    for statement in (
        "UPDATE audit_log SET actor = 'x' WHERE id = :id",
        "DELETE FROM audit_log WHERE id = :id",
    ):
        with pytest.raises(Exception, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(statement), {"id": target.id})
    assert verify_chain(db.session, KEY).ok


def test_deleting_a_record_is_logged_with_its_last_state(audited_app, world):
    product = Product(enterprise=world.a.enterprise, name="Short-lived", category="fruit")
    db.session.add(product)
    db.session.commit()
    product_id = product.id
    db.session.delete(product)
    db.session.commit()
    [deleted] = entries(object_type="products", action="delete", object_id=str(product_id))
    [created] = entries(object_type="products", action="insert", object_id=str(product_id))
    assert deleted.before_digest == created.after_digest and deleted.after_digest is None
