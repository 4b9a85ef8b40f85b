"""The API reference at /api/v1/docs: the OpenAPI spec rendered as tables on the server (no
script, no CDN), so it works under the site's CSP and offline."""

from flask import Blueprint, current_app, render_template

bp = Blueprint("api_docs", __name__, template_folder="templates")

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(ref_or_schema: dict) -> str:
    ref = ref_or_schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else ref_or_schema.get("type", "")


def _operations(spec: dict) -> list[dict]:
    """Operations grouped by tag, in the spec's path order."""
    groups: dict[str, list] = {tag["name"]: [] for tag in spec.get("tags", [])}
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            body = op.get("requestBody", {}).get("content", {})
            groups.setdefault((op.get("tags") or [""])[0], []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [*shared, *op.get("parameters", [])],
                    "body": {ctype: _schema_name(c["schema"]) for ctype, c in body.items()},
                    "responses": {
                        code: _schema_name(
                            r.get("content", {}).get("application/json", {}).get("schema", {})
                        )
                        for code, r in op.get("responses", {}).items()
                    },
                }
            )
    return [(tag, ops) for tag, ops in groups.items() if ops]


@bp.route("/docs")
def docs():
    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    return render_template(
        "api/docs.html",
        spec=spec,
        groups=_operations(spec),
        schemas=spec.get("components", {}).get("schemas", {}),
    )
