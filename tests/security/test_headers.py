"""Security headers that depend on the connection: HSTS only over HTTPS. (The headers every
response carries are checked on every cell of the access matrix.)"""

HSTS = "Strict-Transport-Security"


def test_hsts_is_sent_over_https_only(world, login):
    client = login(world.a.recorder)
    secure = client.get("/portal/", base_url="https://localhost")
    assert secure.status_code == 200
    assert secure.headers[HSTS] == "max-age=31536000; includeSubDomains"
    assert HSTS not in client.get("/portal/").headers
