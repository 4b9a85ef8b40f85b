def test_start_page_offers_code_entry(client):
    response = client.get("/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert b'name="code"' in response.data


def test_member_sees_portal_overview(world, login):
    client = login(world.a.recorder)
    page = client.get("/portal/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Gansu Apples" in page
