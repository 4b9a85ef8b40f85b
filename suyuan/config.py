"""Configuration: defaults, then ``SUYUAN_*`` environment variables, then generated secrets.

Secrets that are not given are generated once into ``instance/`` so that the demo needs no
setup; ``SUYUAN_ENV=production`` refuses to start with generated or default secrets.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

DEFAULTS = {
    "ENV": "development",
    "DATABASE_URL": None,  # default: sqlite:///<instance>/suyuan.db
    "BASE_URL": "http://127.0.0.1:5000",
    "REDIS_URL": None,
    "RATELIMIT_STORAGE_URI": None,
    "UPLOAD_MAX_MB": "20",
    "STORAGE_QUOTA_MB": "200",
    "JOBS_URL": None,  # default: Redis when REDIS_URL is set, else sqlite:///<instance>/jobs.db
    "JOBS_IMMEDIATE": "0",  # 1: run jobs inside the request (small installs without a worker)
    "JOBS_STALE_SECONDS": "120",
    "LABELS_FOLDER": None,  # default: <instance>/labels
    "LABELS_PER_FILE": "10000",
}

SECRET_NAMES = ("SECRET_KEY", "CODE_KEY", "AUDIT_KEY")


class ConfigError(RuntimeError):
    """The configuration cannot be used (e.g. production with generated secrets)."""


def _instance_secret(instance_path: Path, name: str) -> str:
    path = instance_path / f"{name.lower()}.secret"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the Flask config mapping; ``overrides`` (tests) win over the environment."""
    overrides = dict(overrides or {})
    env = {key: os.environ.get(f"SUYUAN_{key}", default) for key, default in DEFAULTS.items()}
    env.update({k: v for k, v in overrides.items() if k in DEFAULTS})
    instance = Path(instance_path)
    generated = []
    values = {}
    for name in SECRET_NAMES:
        value = overrides.get(name) or os.environ.get(f"SUYUAN_{name}")
        if not value:
            value = _instance_secret(instance, name)
            generated.append(name)
        values[name] = value
    if env["ENV"] == "production" and generated:
        raise ConfigError(
            "Production needs SUYUAN_SECRET_KEY, SUYUAN_CODE_KEY and SUYUAN_AUDIT_KEY set "
            f"explicitly; refusing to start with generated secrets ({', '.join(generated)})."
        )
    database_url = env["DATABASE_URL"] or f"sqlite:///{instance / 'suyuan.db'}"
    redis_url = env["REDIS_URL"]
    is_production = env["ENV"] == "production"
    config = {
        "ENV_NAME": env["ENV"],
        "SECRET_KEY": values["SECRET_KEY"],
        "CODE_KEY": values["CODE_KEY"],
        "AUDIT_KEY": values["AUDIT_KEY"],
        "BASE_URL": env["BASE_URL"].rstrip("/"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "AUDIT_ANCHOR": os.environ.get("SUYUAN_AUDIT_ANCHOR")
        or str(instance / "audit_anchor.json"),
        "MAX_CONTENT_LENGTH": int(env["UPLOAD_MAX_MB"]) * 1024 * 1024,
        "STORAGE_QUOTA_MB": int(env["STORAGE_QUOTA_MB"]),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": is_production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": is_production,
        "REMEMBER_COOKIE_DURATION": timedelta(days=7),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "SESSION_IDLE_MINUTES": int(os.environ.get("SUYUAN_SESSION_IDLE_MINUTES", "30")),
        "SESSION_ABSOLUTE_HOURS": int(os.environ.get("SUYUAN_SESSION_ABSOLUTE_HOURS", "12")),
        "RATELIMIT_STORAGE_URI": env["RATELIMIT_STORAGE_URI"] or redis_url or "memory://",
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": {"zh": "中文", "en": "English"},
        "PASSWORD_HASH_FAST": False,
        "JOBS_URL": env["JOBS_URL"] or redis_url or f"sqlite:///{instance / 'jobs.db'}",
        "JOBS_IMMEDIATE": env["JOBS_IMMEDIATE"] in ("1", "true", "yes", True),
        "JOBS_STALE_SECONDS": int(env["JOBS_STALE_SECONDS"]),
        "LABELS_FOLDER": env["LABELS_FOLDER"] or str(instance / "labels"),
        "LABELS_PER_FILE": int(env["LABELS_PER_FILE"]),
    }
    config.update({k: v for k, v in overrides.items() if k not in DEFAULTS})
    return config
