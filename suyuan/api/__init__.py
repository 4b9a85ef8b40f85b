"""REST API v1 (/api/v1): JSON over the same service functions as the portal, bearer-token
authentication, an OpenAPI 3 spec generated from the code (/api/v1/openapi.json) and a
server-rendered reference page (/api/v1/docs).

Each resource is one module in ``resources/`` with its schemas and views; adding a resource
is adding a module and naming it in ``RESOURCES``.
"""

from importlib import import_module

from flask import Flask
from flask_smorest import Api

from suyuan.api.errors import ErrorSchema, register_routing_errors

PREFIX = "/api/v1"
RESOURCES = (
    "enterprise",
    "products",
    "batches",
    "records",
    "codes",
    "publication",
    "counterparties",
    "transactions",
    "stock",
    "recalls",
    "nonconformance",
    "regulator",
    "regulator_recalls",
)

SPEC_DESCRIPTION = """\
Authenticate every call with `Authorization: Bearer <token>`; tokens are created by an
enterprise admin in the portal (or `suyuan tokens create`), and are refused in the query
string. Lists take `page` and `per_page` (at most 100) and answer
`{"items", "page", "per_page", "total", "pages"}`. Errors answer
`{"error": {"code", "message", "fields"}}`. A writing call with an `Idempotency-Key` header is
done once: a retry with the same key and body gets the first response again (header
`Idempotent-Replayed: true`); the same key with another request is refused with 409.
"""


class SuyuanApi(Api):
    """flask-smorest's Api without its app-wide error handler: the API's handlers live on its
    own blueprints, so the HTML pages keep theirs."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        register_routing_errors(self._app)


def init_app(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "Suyuan API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_RATE_LIMIT", "600 per minute")
    api = SuyuanApi(
        app,
        spec_kwargs={
            "info": {"description": SPEC_DESCRIPTION},
            "security": [{"bearerAuth": []}],
        },
    )
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "sy_… token"}
    )
    from suyuan.api.common import BLUEPRINTS

    for name in RESOURCES:
        import_module(f"suyuan.api.resources.{name}")
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix=PREFIX)

    from suyuan.api.docs import bp as docs_bp

    app.register_blueprint(docs_bp, url_prefix=PREFIX)
