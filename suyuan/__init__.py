"""Suyuan (溯源): QR-code traceability. ``create_app`` wires configuration, extensions,
blueprints, error handlers and the CLI; nothing else happens here."""

from pathlib import Path

from flask import Flask

from suyuan.config import load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(PROJECT_ROOT / "instance"))
    app.config.update(load_config(app.instance_path, config))

    from suyuan import api, audit, cli, errors, i18n, web
    from suyuan.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    web.init_app(app)
    audit.init_app(app)

    from admin import bp as admin_bp
    from labels import bp as labels_bp
    from portal import bp as portal_bp
    from query import bp as query_bp
    from suyuan.auth import bp as auth_bp

    app.register_blueprint(query_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(portal_bp, url_prefix="/portal")
    app.register_blueprint(labels_bp, url_prefix="/labels")
    app.register_blueprint(admin_bp, url_prefix="/admin")

    errors.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    return app
