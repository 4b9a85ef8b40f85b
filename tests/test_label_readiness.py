"""The print-readiness check: module size in printer dots, and what to change when a label
would not scan."""

import io

import pytest

from labels.engine import NotReady, RenderOptions, check_readiness, render
from labels.layouts import PRESETS, custom_layout, get_layout
from labels.render import code_url
from tests.label_support import items

#: Pure code, no database: run once, not again in the PostgreSQL pass.
pytestmark = pytest.mark.nodb

DEMO_URL = code_url("http://127.0.0.1:5000", "1" * 20)  # the default SUYUAN_BASE_URL
PUBLIC_URL = code_url("https://suyuan.example.cn", "1" * 20)


@pytest.mark.parametrize("url", [DEMO_URL, PUBLIC_URL])
@pytest.mark.parametrize("key", sorted(PRESETS))
def test_every_preset_is_ready_for_the_usual_base_urls(key, url):
    layout = get_layout(key)
    verdict = check_readiness(RenderOptions(layout), url)
    assert verdict.ok, verdict.problems
    assert verdict.problems == []
    assert verdict.dpi == layout.dpi
    assert verdict.dots_per_module >= 3
    assert verdict.module_mm == pytest.approx(verdict.dots_per_module * 25.4 / layout.dpi, 1e-3)
    assert (verdict.qr_version, verdict.modules) == (3, 29)


def test_tiny_thermal_label_with_high_correction_is_refused_with_remedies():
    layout = custom_layout(kind="roll", label_w_mm=15, label_h_mm=10)
    options = RenderOptions(layout, error_correction="H", dpi=203)
    verdict = check_readiness(options, PUBLIC_URL)
    assert not verdict.ok
    assert verdict.dots_per_module < 3
    text = " ".join(verdict.problems)
    assert "printer dots at 203 dpi; at least 3 are needed" in text
    assert "Use a label at least" in text
    assert "shorter base URL" in text
    with pytest.raises(NotReady) as refused:
        render(items(1), options, io.BytesIO())
    assert refused.value.problems == verdict.problems


def test_lower_correction_is_suggested_when_it_would_be_enough():
    layout = custom_layout(kind="roll", label_w_mm=20, label_h_mm=18, dpi=203)
    options = RenderOptions(layout, error_correction="H", show_product=False, show_lot=False)
    verdict = check_readiness(options, PUBLIC_URL)
    assert not verdict.ok
    assert "Or choose error correction M." in verdict.problems
    lower = RenderOptions(layout, error_correction="M", show_product=False, show_lot=False)
    assert check_readiness(lower, PUBLIC_URL).ok


def test_a_sharper_printer_is_suggested_when_it_would_be_enough():
    layout = custom_layout(kind="roll", label_w_mm=20, label_h_mm=15)
    options = RenderOptions(layout, show_product=False, show_lot=False)
    verdict = check_readiness(options, PUBLIC_URL)
    assert not verdict.ok
    assert "Or print at 300 dpi." in verdict.problems
    assert check_readiness(
        RenderOptions(layout, dpi=300, show_product=False, show_lot=False), PUBLIC_URL
    ).ok


def test_higher_correction_means_a_bigger_symbol_and_smaller_modules():
    layout = get_layout("roll-40x30")
    low = check_readiness(RenderOptions(layout, error_correction="L"), PUBLIC_URL)
    high = check_readiness(RenderOptions(layout, error_correction="H"), PUBLIC_URL)
    assert high.modules > low.modules and high.module_mm <= low.module_mm


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fmt": "gif"}, "output format"),
        ({"error_correction": "X"}, "error-correction level"),
        ({"dpi": 50}, "between 100 and 1200 dpi"),
    ],
)
def test_bad_settings_are_named(changes, message):
    verdict = check_readiness(RenderOptions(get_layout("a4-3x8"), **changes), PUBLIC_URL)
    assert not verdict.ok and any(message in problem for problem in verdict.problems)


def test_an_address_too_long_for_any_qr_is_refused():
    verdict = check_readiness(RenderOptions(get_layout("a4-3x8")), "https://x/" + "y" * 5000)
    assert not verdict.ok and "shorter base URL" in verdict.problems[0]


def test_dropping_the_text_is_suggested_when_it_makes_room():
    layout = custom_layout(kind="roll", label_w_mm=25, label_h_mm=19)
    with_text = check_readiness(RenderOptions(layout), PUBLIC_URL)
    assert not with_text.ok
    assert "Or leave out the product name and lot." in with_text.problems
    assert check_readiness(RenderOptions(layout, show_product=False, show_lot=False), PUBLIC_URL).ok
