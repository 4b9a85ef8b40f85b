"""The spec at /api/v1/openapi.json and the reference page at /api/v1/docs (no CDN, no script)."""


def test_spec_is_public_openapi_3_with_bearer_auth_and_error_shape(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert spec["security"] == [{"bearerAuth": []}]
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    assert set(spec["components"]["schemas"]["ErrorBody"]["properties"]) == {
        "code", "message", "fields",
    }  # fmt: skip
    page = spec["components"]["schemas"]["ProductPage"]["properties"]
    assert set(page) == {"items", "page", "per_page", "total", "pages"}
    listing = spec["paths"]["/api/v1/products"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"page", "per_page", "q"}
    assert "Needs the `read` permission." in listing["description"]


def test_docs_page_renders_operations_without_scripts_or_cdn(client):
    response = client.get("/api/v1/docs?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script" not in html and "cdn" not in html.lower()
    assert "POST /api/v1/batches/{batch_id}/code-ranges" in html
    assert 'id="schema-ProductIn"' in html and "<code>per_page</code>" in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
