"""Single-code QR labels: what a scanner reads is exactly the code's query URL."""

import io
from xml.etree import ElementTree

import PIL.Image
import pytest
import zxingcpp

from labels.render import code_url, make_code_qr, qr_png, qr_svg
from suyuan.identity import code_key

BASE_URL = "http://suyuan.test"


def decoded(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(png)))]


def test_renderer_output_decodes_to_the_url():
    url = code_url(BASE_URL + "/", "12345678901234567890")
    assert url == "http://suyuan.test/q/12345678901234567890"
    assert decoded(qr_png(url)) == [url]
    qr = make_code_qr(url)
    assert qr.version == 3 and not qr.is_micro


def test_svg_is_well_formed():
    svg = qr_svg(code_url(BASE_URL, "12345678901234567890"))
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own renderer's output
    assert root.tag.endswith("svg")


def test_member_downloads_png_of_own_code(world, login):
    code = code_key().encode(7)
    response = login(world.a.recorder).get(f"/labels/code/{code}.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{code}.png"'
    assert decoded(response.data) == [f"http://suyuan.test/q/{code}"]


def test_member_downloads_svg_of_own_code(world, login):
    code = code_key().encode(999)
    response = login(world.a.admin).get(f"/labels/code/{code}.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert f'filename="{code}.svg"' in response.headers["Content-Disposition"]
    assert ElementTree.fromstring(response.data).tag.endswith("svg")  # noqa: S314 - our output


@pytest.mark.parametrize("index", [1000, 1999, 5000])
def test_code_outside_own_pools_is_404(world, login, index):
    code = code_key().encode(index)
    assert login(world.a.recorder).get(f"/labels/code/{code}.png").status_code == 404


@pytest.mark.parametrize("text", ["1234", "x" * 20])
def test_malformed_code_is_404(world, login, text):
    assert login(world.a.recorder).get(f"/labels/code/{text}.svg").status_code == 404


def test_mistyped_code_is_404(world, login):
    code = code_key().encode(7)
    typo = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
    assert login(world.a.recorder).get(f"/labels/code/{typo}.png").status_code == 404


def test_non_member_gets_404_and_anonymous_must_log_in(world, login, client):
    code = code_key().encode(7)
    assert login(world.national).get(f"/labels/code/{code}.png").status_code == 404
    assert client.get(f"/labels/code/{code}.png").status_code == 302
