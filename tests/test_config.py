"""Configuration: SUYUAN_* variables, generated secrets, production refusing demo defaults."""

import pytest

from suyuan.config import ConfigError, load_config


def test_generated_secrets_are_kept_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SUYUAN_SECRET_KEY", raising=False)
    monkeypatch.delenv("SUYUAN_CODE_KEY", raising=False)
    first = load_config(str(tmp_path))
    second = load_config(str(tmp_path))
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert first["CODE_KEY"] == second["CODE_KEY"] != first["SECRET_KEY"]
    assert (tmp_path / "code_key.secret").stat().st_mode & 0o077 == 0


def test_environment_variables_win(tmp_path, monkeypatch):
    monkeypatch.setenv("SUYUAN_DATABASE_URL", "postgresql+psycopg://db/x")
    monkeypatch.setenv("SUYUAN_BASE_URL", "https://trace.example.cn/")
    config = load_config(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/x"
    assert config["BASE_URL"] == "https://trace.example.cn"


def test_production_refuses_generated_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("SUYUAN_ENV", "production")
    monkeypatch.delenv("SUYUAN_SECRET_KEY", raising=False)
    monkeypatch.setenv("SUYUAN_CODE_KEY", "set")
    with pytest.raises(ConfigError, match="SUYUAN_SECRET_KEY"):
        load_config(str(tmp_path))


def test_production_cookies_are_secure(tmp_path, monkeypatch):
    monkeypatch.setenv("SUYUAN_ENV", "production")
    monkeypatch.setenv("SUYUAN_SECRET_KEY", "s")
    monkeypatch.setenv("SUYUAN_CODE_KEY", "c")
    monkeypatch.setenv("SUYUAN_AUDIT_KEY", "a")
    config = load_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
