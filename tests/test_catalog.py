"""The catalogue: products, production areas, images, members; tenant isolation; escaping."""

import io

import pytest

from suyuan.extensions import db
from suyuan.models import Filing, Membership, Product, ProductionArea
from tests import factories

EN = {"Accept-Language": "en"}
PNG = factories.png_bytes()


def _product(**changes):
    data = {
        "name": "Huaniu apples",
        "category": "fruit",
        "spec": "5 kg / box",
        "packaging_spec": "carton",
        "gtin": "6901234567892",
        "description": "Crisp",
    }
    data.update(changes)
    return data


def test_product_crud(world, login):
    client = login(world.a.recorder)
    response = client.post("/portal/products/new", data=_product())
    assert response.status_code == 302
    product = db.session.query(Product).filter_by(name="Huaniu apples").one()
    assert product.filing.status == "draft"
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Huaniu apples" in page and "6901234567892" in page and "Draft" in page

    listing = client.get("/portal/products?q=690123", headers=EN).get_data(as_text=True)
    assert "Huaniu apples" in listing and "Gansu Apples product" not in listing
    listing = client.get("/portal/products?category=tea", headers=EN).get_data(as_text=True)
    assert "Huaniu apples" not in listing

    response = client.post(f"/portal/products/{product.id}/edit", data=_product(spec="10 kg"))
    assert response.status_code == 302
    assert "10 kg" in client.get(f"/portal/products/{product.id}").get_data(as_text=True)

    assert client.post(f"/portal/products/{product.id}/delete").status_code == 302
    assert client.get(f"/portal/products/{product.id}").status_code == 404
    assert db.session.query(Filing).filter_by(product_id=product.id).count() == 0


def test_product_with_batches_cannot_be_deleted(world, login):
    client = login(world.a.recorder)
    response = client.post(f"/portal/products/{world.a.product.id}/delete", headers=EN)
    assert response.status_code == 303
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "This product has batches" in page


def test_gtin_with_a_wrong_check_digit_is_explained(world, login):
    client = login(world.a.recorder)
    response = client.post("/portal/products/new", data=_product(gtin="6901234567891"), headers=EN)
    assert response.status_code == 400
    assert "The check digit is wrong: for these digits it should be 2." in response.get_data(
        as_text=True
    )
    response = client.post("/portal/products/new", data=_product(gtin="12345"), headers=EN)
    assert "8, 12, 13 or 14 digits" in response.get_data(as_text=True)


def test_product_requires_name_and_category(world, login):
    client = login(world.a.recorder)
    response = client.post("/portal/products/new", data=_product(name="", category=""), headers=EN)
    assert response.status_code == 400
    assert response.get_data(as_text=True).count("This field is required.") == 2


def test_duplicate_product_is_refused_with_a_message(world, login):
    client = login(world.a.recorder)
    client.post("/portal/products/new", data=_product())
    response = client.post("/portal/products/new", data=_product(), headers=EN)
    assert response.status_code == 409
    assert "already has a product with this name" in response.get_data(as_text=True)


def test_product_images_upload_and_serve(world, login):
    client = login(world.a.recorder)
    url = f"/portal/products/{world.a.product.id}"
    response = client.post(
        f"{url}/images", data={"image": (io.BytesIO(PNG), "apple.png")}, headers=EN
    )
    assert response.status_code == 302
    image = world.a.product.images[0]
    page = client.get(url, headers=EN).get_data(as_text=True)
    assert f"{url}/images/{image.id}" in page
    served = client.get(f"{url}/images/{image.id}")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.data == PNG
    served.close()
    # Enterprise B's member cannot fetch A's image.
    assert login(world.b.recorder).get(f"{url}/images/{image.id}").status_code == 404


def test_pdf_is_not_a_product_image(world, login):
    client = login(world.a.recorder)
    url = f"/portal/products/{world.a.product.id}"
    response = client.post(
        f"{url}/images", data={"image": (io.BytesIO(b"%PDF-1.7 x"), "a.png")}, headers=EN
    )
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Product images must be PNG or JPEG files." in page
    assert not world.a.product.images


def test_areas_crud_unique_names_and_delete_guard(world, login):
    client = login(world.a.recorder)
    data = {"name": "North orchard", "location": "Jingning", "area_size": "12 mu"}
    assert client.post("/portal/areas/new", data=data).status_code == 302
    response = client.post("/portal/areas/new", data=data, headers=EN)
    assert response.status_code == 409
    assert "already has a production area with this name" in response.get_data(as_text=True)
    listing = client.get("/portal/areas?q=north", headers=EN).get_data(as_text=True)
    assert "North orchard" in listing

    area = db.session.query(ProductionArea).filter_by(name="North orchard").one()
    world.a.batch.production_area_id = area.id
    db.session.commit()
    response = client.post(f"/portal/areas/{area.id}/delete", headers=EN)
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "cannot be deleted" in page
    world.a.batch.production_area_id = None
    db.session.commit()
    assert client.post(f"/portal/areas/{area.id}/delete").status_code == 302
    assert "North orchard" not in client.get("/portal/areas").get_data(as_text=True)


def test_areas_paginate(world, login):
    for n in range(25):
        factories.make_area(world.a.enterprise, f"Plot {n:02d}")
    db.session.commit()
    client = login(world.a.recorder)
    first = client.get("/portal/areas", headers=EN).get_data(as_text=True)
    second = client.get("/portal/areas?page=2", headers=EN).get_data(as_text=True)
    assert "Plot 00" in first and "Plot 24" not in first
    assert "Plot 24" in second and "Page 2 of 2" in second


@pytest.fixture
def b_objects(world):
    area = factories.make_area(world.b.enterprise, "Hangzhou terrace")
    db.session.commit()
    return {
        "product": world.b.product.id,
        "area": area.id,
        "filing": world.b.product.filing.id,
        "member": world.b.recorder.membership.id,
    }


ISOLATED = [
    ("GET", "/portal/products/{product}"),
    ("GET", "/portal/products/{product}/edit"),
    ("POST", "/portal/products/{product}/edit"),
    ("POST", "/portal/products/{product}/delete"),
    ("POST", "/portal/products/{product}/images"),
    ("GET", "/portal/areas/{area}/edit"),
    ("POST", "/portal/areas/{area}/edit"),
    ("POST", "/portal/areas/{area}/delete"),
    ("GET", "/portal/filings/{filing}"),
    ("POST", "/portal/filings/{filing}/submit"),
    ("POST", "/portal/enterprise/members/{member}/recorder/remove"),
]


@pytest.mark.parametrize(("method", "url"), ISOLATED)
def test_other_enterprises_objects_answer_404(world, b_objects, login, method, url):
    client = login(world.a.admin, role="admin") if "members" in url else login(world.a.admin)
    response = client.open(url.format(**b_objects), method=method, data={"name": "x"})
    assert response.status_code == 404
    assert db.session.get(Product, b_objects["product"]).name == "Zhejiang Tea product"


def test_producer_text_is_escaped(world, login):
    evil = "<script>alert(1)</script>"
    client = login(world.a.recorder)
    client.post("/portal/products/new", data=_product(name=evil, description=evil))
    client.post("/portal/areas/new", data={"name": evil, "location": evil})
    product = db.session.query(Product).filter_by(name=evil).one()
    pages = [
        f"/portal/products/{product.id}",
        f"/portal/products/{product.id}/edit",
        "/portal/products",
        "/portal/areas",
        "/portal/filings",
        f"/portal/filings/{product.filing.id}",
    ]
    for url in pages:
        page = client.get(url).get_data(as_text=True)
        assert evil not in page, url
        assert "&lt;script&gt;" in page, url
    regulator = login(world.national)
    page = regulator.get(f"/admin/enterprises/{world.a.enterprise.id}").get_data(as_text=True)
    assert evil not in page and "&lt;script&gt;" in page


def test_admin_adds_a_member_who_can_log_in(world, login):
    client = login(world.a.admin)
    data = {
        "name": "New hand",
        "email": "newhand@example.com",
        "password": factories.PASSWORD,
        "roles": "recorder",
    }
    assert client.post("/portal/enterprise/members/new", data=data).status_code == 302
    page = client.get("/portal/enterprise", headers=EN).get_data(as_text=True)
    assert "newhand@example.com" in page
    response = client.post("/portal/enterprise/members/new", data=data, headers=EN)
    assert response.status_code == 409
    assert "already exists" in response.get_data(as_text=True)
    newcomer = login(db.session.query(Membership).all()[-1].user)
    assert "Gansu Apples" in newcomer.get("/portal/").get_data(as_text=True)


def test_recorder_sees_the_profile_but_cannot_edit(world, login):
    client = login(world.a.recorder)
    page = client.get("/portal/enterprise", headers=EN).get_data(as_text=True)
    assert (
        "Only the enterprise admin can edit" in page
        and '<form method="post" novalidate' not in page
    )
    response = client.post("/portal/enterprise", data={"name": "Hijacked"}, headers=EN)
    assert response.status_code == 403
    assert "Only the enterprise admin" in response.get_data(as_text=True)
    assert client.get("/portal/enterprise/members/new").status_code == 403


def test_the_last_admin_keeps_the_role(world, login):
    admin_membership = world.a.admin.membership
    client = login(world.a.admin)
    url = f"/portal/enterprise/members/{admin_membership.id}/admin/remove"
    response = client.post(url, headers=EN)
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "needs at least one admin" in page
    assert db.session.get(Membership, admin_membership.id).is_admin


def test_removing_the_only_role_removes_the_member(world, login):
    recorder = world.a.recorder.membership
    client = login(world.a.admin)
    url = f"/portal/enterprise/members/{recorder.id}/recorder/remove"
    assert client.post(url, headers=EN).status_code == 302
    page = client.get("/portal/enterprise", headers=EN).get_data(as_text=True)
    assert "Gansu Apples recorder no longer belongs to the enterprise." in page
    assert "Gansu Apples recorder</td>" not in page
    assert db.session.get(Membership, recorder.id) is None


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("admin", "/portal/enterprise"),
        ("admin", "/portal/enterprise/members/new"),
        ("recorder", "/portal/areas/new"),
        ("recorder", "/portal/products/new"),
        ("recorder", "/portal/products?q=x&category=fruit"),
        ("admin", "/portal/filings?status=approved"),
        ("national", "/admin/enterprises?status=approved&q=Gansu"),
        ("national", "/admin/filings?status=approved&kind=product"),
        ("platform_admin", "/admin/users/new"),
        ("platform_admin", "/admin/users?role=member"),
    ],
)
def test_pages_render(world, login, who, url):
    user = world.a.admin if who == "admin" else getattr(world.a, who, None)
    user = user or getattr(world, who)
    assert login(user).get(url, headers=EN).status_code == 200
