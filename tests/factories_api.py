"""Factories for the REST API tests: tokens for an enterprise side or a regulator."""

from suyuan.extensions import db
from suyuan.services.tokens import create_enterprise_token, create_regulator_token

ALL = ("read", "write", "publish", "codes")


def make_token(side, permissions=ALL, name="test token") -> str:
    """A live token of ``side`` (tests.factories.Side) acting as its admin; returns the secret."""
    _token, secret = create_enterprise_token(side.admin, side.enterprise, name, permissions)
    db.session.commit()
    return secret


def make_regulator_token(regulator, name="regulator token") -> str:
    _token, secret = create_regulator_token(regulator, name)
    db.session.commit()
    return secret
