"""The demo: `suyuan demo` migrates, seeds once, prints logins and three sample codes, and
the codes show what the summary promises."""

import re

import pytest

from suyuan import create_app
from suyuan.demo import PASSWORD, sample_codes, seed_demo
from suyuan.extensions import db

EN = {"Accept-Language": "en"}


@pytest.fixture
def demo_app(tmp_path):
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
            "SECRET_KEY": "k",
            "CODE_KEY": "demo-test-key",
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "PASSWORD_HASH_FAST": True,
            "TESTING": True,
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def test_demo_command_seeds_once_and_prints_codes(demo_app):
    runner = demo_app.test_cli_runner()
    result = runner.invoke(args=["demo", "--no-serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "Seeded the demo data." in result.output
    assert PASSWORD in result.output
    assert "gansu@regulator.demo" in result.output
    codes = re.findall(r"^(\d{20})$", result.output, flags=re.MULTILINE)
    assert len(codes) == 4
    assert "http://127.0.0.1:8123/q/" in result.output
    again = runner.invoke(args=["demo", "--no-serve"])
    assert again.exit_code == 0
    assert "already present" in again.output


def test_demo_codes_show_what_the_summary_says(ctx, client):
    seed_demo()
    db.session.commit()
    codes = sample_codes()
    full = client.get(f"/q/{codes['full']}.json").get_json()
    assert full["batch"]["lot_number"] == "JN-2026-HF-001"
    assert full["published"] == {"stages": 6, "total_stages": 6}
    partial = client.get(f"/q/{codes['partial']}.json").get_json()
    assert partial["published"] == {"stages": 3, "total_stages": 6}
    unknown = client.get(f"/q/{codes['unknown']}", headers=EN)
    assert unknown.status_code == 404
    assert "not a registered" in unknown.get_data(as_text=True)


def test_demo_refuses_production(tmp_path, monkeypatch):
    monkeypatch.setenv("SUYUAN_SECRET_KEY", "s")
    monkeypatch.setenv("SUYUAN_CODE_KEY", "c")
    monkeypatch.setenv("SUYUAN_AUDIT_KEY", "a")
    app = create_app(
        {"ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}", "TESTING": True}
    )
    result = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code != 0
    assert "not for production" in result.output
