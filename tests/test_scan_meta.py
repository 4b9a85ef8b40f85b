"""What a shared scan link previews (OpenGraph tags) and how the scan page is served: only
published data in the tags, escaped producer text, the inlined stylesheet admitted by the CSP
by its hash and nothing else."""

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

from suyuan.extensions import db
from suyuan.identity import code_key
from tests.factories import make_range, make_stored_attachment, png_bytes

EN = {"Accept-Language": "en"}


class MetaTags(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key:
            self.tags[key] = attrs.get("content", "")


@pytest.fixture
def code(world):
    make_range(world.a.pool, world.a.batch, 0, 99, world.a.recorder)
    db.session.commit()
    return code_key().encode(5)


def publish(side, *, product=True, profile=True, batch=True):
    side.enterprise.is_profile_public = profile
    side.product.is_public = product
    side.batch.is_public = batch
    db.session.commit()


def meta_of(client, code, headers=EN):
    response = client.get(f"/q/{code}", headers=headers)
    return response, MetaTags(response.text).tags


def test_published_code_previews_product_producer_and_photo(client, world, code):
    side = world.a
    side.product.name = 'Fuji "best" <apples>'
    photo = make_stored_attachment(
        side.enterprise, filename="fuji.png", data=png_bytes(), product=side.product
    )
    photo.is_public = True
    publish(side)
    response, tags = meta_of(client, code)
    assert response.status_code == 200
    assert tags["og:title"] == 'Fuji "best" <apples>'
    assert (
        '<meta property="og:title" content="Fuji &#34;best&#34; &lt;apples&gt;">' in response.text
    )
    assert tags["og:type"] == "website"
    assert tags["og:url"] == f"http://suyuan.test/q/{code}"
    assert tags["og:image"] == f"http://suyuan.test/files/{photo.id}/fuji.png"
    assert tags["og:locale"] == "en_US"
    description = tags["og:description"]
    assert f"Produced by {side.enterprise.name}" in description
    assert f"Lot {side.batch.lot_number}" in description
    assert tags["description"] == description


def test_unpublished_product_producer_and_batch_are_never_previewed(client, world, code):
    side = world.a
    photo = make_stored_attachment(
        side.enterprise, filename="fuji.png", data=png_bytes(), product=side.product
    )
    photo.is_public = True
    publish(side, product=False, profile=False, batch=False)
    response, tags = meta_of(client, code)
    assert response.status_code == 200
    assert tags["og:title"] == "Registered identity code"
    assert "og:image" not in tags
    for secret in (side.product.name, side.enterprise.name, side.batch.lot_number, "fuji.png"):
        assert secret not in response.text
    assert "Produced by" not in tags["og:description"]


def test_unpublished_photo_of_a_published_product_is_not_previewed(client, world, code):
    side = world.a
    make_stored_attachment(
        side.enterprise, filename="draft.png", data=png_bytes(), product=side.product
    )
    publish(side)
    response, tags = meta_of(client, code)
    assert tags["og:title"] == side.product.name
    assert "og:image" not in tags
    assert "draft.png" not in response.text


def test_voided_code_previews_the_withdrawal_only(client, world):
    side = world.a
    make_range(side.pool, side.batch, 200, 209, side.recorder, status="void")
    publish(side, profile=False)
    response, tags = meta_of(client, code_key().encode(205))
    assert response.status_code == 410
    assert tags["og:title"] == "This code was voided by the producer"
    assert side.product.name not in response.text
    assert "stage records" not in tags["og:description"]


def test_chinese_preview_says_its_locale(client, world, code):
    publish(world.a)
    _, tags = meta_of(client, code, headers={"Accept-Language": "zh-CN"})
    assert tags["og:locale"] == "zh_CN"


def test_scan_page_inlines_the_stylesheet_the_csp_admits_by_hash(client, world, code):
    publish(world.a)
    response = client.get(f"/q/{code}", headers=EN)
    styles = re.findall(r"<style>(.*?)</style>", response.text, flags=re.DOTALL)
    assert len(styles) == 1 and "@media print" in styles[0]
    assert 'rel="stylesheet"' not in response.text
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    policy = response.headers["Content-Security-Policy"]
    style_src = next(part for part in policy.split(";") if part.strip().startswith("style-src"))
    assert style_src.split() == ["style-src", "'self'", f"'sha256-{digest}'"]
    assert "unsafe-inline" not in policy


def test_other_pages_link_the_stylesheet(client):
    response = client.get("/auth/login", headers=EN)
    assert '<link rel="stylesheet" href="/static/suyuan.css">' in response.text
    assert "<style>" not in response.text
