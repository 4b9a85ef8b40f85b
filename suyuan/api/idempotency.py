"""Writes: one transaction per call, and an ``Idempotency-Key`` header so a retried call gets
the first call's response (same key, same body) instead of doing the work twice."""

import hashlib
from copy import deepcopy
from functools import wraps

from flask import Response, abort, current_app, g, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from suyuan.extensions import db
from suyuan.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": "Retrying with the same key and body replays the first response; "
    "the same key with another request is refused with 409.",
}


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.full_path.encode(), request.get_data()):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _key() -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        abort(400, description=_("An Idempotency-Key is 1 to 200 printable characters."))
    return key


def _replay(stored: IdempotencyKey, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        abort(
            409,
            description=_(
                "This Idempotency-Key was already used for a different request. "
                "Use a new key for a new request."
            ),
        )
    response = current_app.response_class(
        stored.response_body, status=stored.response_status, mimetype="application/json"
    )
    response.headers["Idempotent-Replayed"] = "true"
    return response


def write(view):
    """Run a writing view in one transaction: commit on success (with the idempotency record
    when a key was sent), roll back otherwise."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        key = _key()
        fingerprint = _fingerprint() if key else None
        if key:
            stored = db.session.scalar(
                select(IdempotencyKey).where(
                    IdempotencyKey.token_id == g.api_token.id, IdempotencyKey.key == key
                )
            )
            if stored is not None:
                return _replay(stored, fingerprint)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code >= 400:
            db.session.rollback()
            return response
        if key:
            db.session.add(
                IdempotencyKey(
                    token_id=g.api_token.id,
                    key=key,
                    fingerprint=fingerprint,
                    response_status=response.status_code,
                    response_body=response.get_data(as_text=True),
                )
            )
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            abort(
                409,
                description=_(
                    "A request with this Idempotency-Key is being handled right now. "
                    "Retry in a moment to get its response."
                ),
            )
        return response

    wrapped._apidoc = deepcopy(getattr(view, "_apidoc", {}))
    wrapped._apidoc.setdefault("manual_doc", {})["parameters"] = [PARAMETER]
    return wrapped
