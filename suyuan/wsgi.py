"""WSGI entry point for gunicorn: ``gunicorn suyuan.wsgi:app``."""

from suyuan import create_app

app = create_app()
