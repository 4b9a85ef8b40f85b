"""Check characters: GB 32100 unified social credit codes and GS1 GTINs catch typing errors."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suyuan.validators import (
    CREDIT_CHARSET,
    credit_check_char,
    credit_code_error,
    gtin_check_digit,
    gtin_error,
    region_covers,
    region_prefix,
)

#: Pure code, no database: run once, not again in the PostgreSQL pass.
pytestmark = pytest.mark.nodb

# A realistic body: registration authority + type (2 chars), a six-digit region, 9 chars.
credit_bodies = st.builds(
    lambda head, region, rest: head + region + rest,
    st.text(CREDIT_CHARSET, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(CREDIT_CHARSET, min_size=9, max_size=9),
)
valid_credit_codes = credit_bodies.map(lambda body: body + credit_check_char(body))


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])
def test_real_credit_codes_are_accepted(code):
    assert credit_code_error(code) is None


@given(valid_credit_codes)
def test_generated_credit_codes_are_accepted(code):
    assert credit_code_error(code) is None


@given(valid_credit_codes)
def test_every_single_substitution_is_rejected(code):
    # The weights are 3^0..3^16 mod 31, all non-zero modulo the prime 31, so changing one
    # character always changes the weighted sum: every substitution is caught.
    for i, original in enumerate(code):
        for ch in CREDIT_CHARSET:
            if ch != original:
                assert credit_code_error(code[:i] + ch + code[i + 1 :]) is not None, (i, ch)


@given(valid_credit_codes)
def test_every_adjacent_transposition_is_rejected(code):
    # Swapping positions i and i+1 changes the sum by (a - b)(w_i - w_i+1); the weights are
    # distinct powers of 3 (3 has order 30 modulo 31), so the difference is never 0 mod 31.
    # Swapping the last body character with the check character changes the check equation
    # by 27(c - a), also non-zero for distinct characters: no transposition is undetectable.
    for i in range(len(code) - 1):
        a, b = code[i], code[i + 1]
        if a != b:
            swapped = code[:i] + b + a + code[i + 2 :]
            assert credit_code_error(swapped) is not None, i


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y4I", "characters"),
        ("91A50100M000100Y43", "region"),
        ("91350100M000100Y44", "check"),
    ],
)
def test_credit_code_errors_say_what_is_wrong(code, error):
    assert credit_code_error(code) == error


# GTIN

gtin_bodies = st.sampled_from([7, 11, 12, 13]).flatmap(
    lambda n: st.text("0123456789", min_size=n, max_size=n)
)
valid_gtins = gtin_bodies.map(lambda body: body + str(gtin_check_digit(body)))


@pytest.mark.parametrize("gtin", ["6901234567892", "4006381333931", "96385074", "036000291452"])
def test_real_gtins_are_accepted(gtin):
    assert gtin_error(gtin) is None


@given(valid_gtins)
def test_every_single_digit_error_is_rejected(gtin):
    for i, original in enumerate(gtin):
        for digit in "0123456789":
            if digit != original:
                assert gtin_error(gtin[:i] + digit + gtin[i + 1 :]) == "check", (i, digit)


@given(valid_gtins)
def test_adjacent_transpositions_are_rejected_unless_digits_differ_by_5(gtin):
    # Weights alternate 3 and 1, so a swap changes the sum by 2(a - b): a multiple of 10
    # exactly when |a - b| = 5. Those swaps (0↔5, 1↔6, 2↔7, 3↔8, 4↔9) are undetectable.
    for i in range(len(gtin) - 1):
        a, b = gtin[i], gtin[i + 1]
        if a == b:
            continue
        swapped = gtin[:i] + b + a + gtin[i + 2 :]
        undetectable = abs(int(a) - int(b)) == 5
        assert (gtin_error(swapped) is None) == undetectable, (i, a, b)


@pytest.mark.parametrize("gtin", ["", "123", "690123456789a", "６９０１２３４５６７８９２"])
def test_malformed_gtins_are_rejected(gtin):
    assert gtin_error(gtin) == "length"


@pytest.mark.parametrize(
    ("scope", "region", "covered"),
    [
        ("000000", "330100", True),
        ("620000", "620100", True),
        ("620000", "621000", True),
        ("620100", "620102", True),
        ("620100", "620500", False),
        ("620000", "330100", False),
    ],
)
def test_region_scopes(scope, region, covered):
    assert region_covers(scope, region) is covered
    assert region.startswith(region_prefix(scope)) is covered
