"""Backup and restore: everything comes back, the audit chain still verifies."""

from pathlib import Path

from sqlalchemy import func, select

from suyuan.extensions import db
from suyuan.models import Attachment, AuditEntry, Product
from suyuan.services.files import storage_path
from tests import factories


def _state():
    db.session.expire_all()
    return (
        sorted(db.session.scalars(select(Product.name))),
        db.session.scalar(select(func.count(AuditEntry.id))),
    )


def test_backup_then_restore_brings_back_data_files_and_a_valid_chain(world, runner, tmp_path):
    attachment = factories.make_stored_attachment(
        world.a.enterprise,
        filename="report.pdf",
        data=b"%PDF-1.4 backed up",
        product=world.a.product,
    )
    db.session.commit()
    stored = storage_path(attachment.sha256)
    before = _state()
    db.session.commit()

    archive = tmp_path / "backup.tar.gz"
    made = runner.invoke(args=["backup", str(archive)])
    assert made.exit_code == 0, made.output
    assert archive.is_file() and not list(tmp_path.glob(".*partial"))

    # Damage: products renamed, the attachment row deleted, its stored file lost.
    world.a.product.name = "Changed after the backup"
    world.b.product.name = "Also changed"
    db.session.delete(db.session.get(Attachment, attachment.id))
    db.session.commit()
    stored.unlink()
    assert _state() != before
    db.session.commit()

    refused = runner.invoke(args=["restore", str(archive)], input="n\n")
    assert refused.exit_code != 0 and _state() != before
    db.session.commit()

    restored = runner.invoke(args=["restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "Audit chain intact" in restored.output
    assert _state() == before
    assert stored.read_bytes() == b"%PDF-1.4 backed up"
    assert db.session.scalar(select(Attachment.filename)) == "report.pdf"
    verify = runner.invoke(args=["audit", "verify", "--anchor", str(tmp_path / "none.json")])
    assert verify.exit_code == 0 and "intact" in verify.output


def test_restore_refuses_an_archive_that_is_not_a_backup(ctx, runner, tmp_path):
    bogus = Path(tmp_path / "bogus.tar.gz")
    bogus.write_bytes(b"not a tar file")
    result = runner.invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code != 0
