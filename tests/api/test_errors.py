"""Every error on /api/v1 has the JSON shape, whatever raised it; HTML pages keep theirs."""

from tests.api.conftest import error_of


def test_unknown_path_is_json_404(a):
    response = a.get("/no-such-thing")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_wrong_method_is_json_405_with_allow(a):
    response = a.delete("/products")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_invalid_json_body_is_400(a):
    response = a.post("/products", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["message"] == "The body is not valid JSON."


def test_unknown_field_is_422(a):
    response = a.post("/products", json={"name": "x", "category": "fruit", "colour": "red"})
    assert response.status_code == 422
    assert "colour" in error_of(response)["fields"]


def test_too_large_body_is_413(app, a, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 100)
    response = a.post("/products", json={"name": "x" * 200, "category": "fruit"})
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


def test_html_pages_keep_their_error_page(client):
    response = client.get("/portal/no-such-page", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert b"<html" in response.data


def test_messages_follow_accept_language(a, world):
    body = {"name": "Gansu Apples product", "category": "fruit"}
    english = a.post("/products", json=body)
    chinese = a.post("/products", json=body, headers={"Accept-Language": "zh-CN"})
    assert chinese.status_code == english.status_code == 409
    assert error_of(english)["message"].startswith("Your enterprise already has a product")
    assert error_of(chinese)["message"] == "本企业已有名称和规格相同的产品。"


def test_api_never_sets_a_cookie(a, world):
    response = a.get("/enterprise?lang=zh")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_validator_messages_name_the_limit(a, world):
    response = a.post("/products", json={"name": "x" * 201, "category": "rocks"})
    fields = error_of(response)["fields"]
    assert fields["name"] == ["At most 200 characters."]
    assert fields["category"][0].startswith("Choose one of: fruit, vegetable")


def test_unexpected_failure_is_json_500_and_rolls_back(a, world, monkeypatch):
    from suyuan.services import products

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(products, "products_query", broken)
    response = a.get("/products")
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error" and "disk" not in error["message"]
