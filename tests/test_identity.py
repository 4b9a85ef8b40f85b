"""The 20-digit identity code: typos are caught by the check digit, guesses by the tag, and
the serial hides the index order. Pure functions, no database."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suyuan.identity import SERIAL_SPACE, CodeError, CodeKey, damm_digit

#: Pure code, no database: run once, not again in the PostgreSQL pass.
pytestmark = pytest.mark.nodb

KEY = CodeKey.from_secret("test-code-key")
OTHER_KEY = CodeKey.from_secret("another-deployment-key")

indices = st.integers(min_value=0, max_value=SERIAL_SPACE - 1)
deterministic = settings(derandomize=True, max_examples=200, deadline=None)


def reason(key: CodeKey, text: str) -> str:
    with pytest.raises(CodeError) as error:
        key.decode(text)
    return error.value.reason


@deterministic
@given(indices)
def test_every_single_digit_substitution_fails_the_checksum(index):
    code = KEY.encode(index)
    for position, digit in enumerate(code):
        for other in "0123456789".replace(digit, ""):
            typo = code[:position] + other + code[position + 1 :]
            assert reason(KEY, typo) == "checksum", (code, typo)


@deterministic
@given(indices)
def test_every_adjacent_transposition_fails_the_checksum(index):
    code = KEY.encode(index)
    for position in range(len(code) - 1):
        a, b = code[position], code[position + 1]
        if a == b:
            continue  # swapping equal digits changes nothing
        swapped = code[:position] + b + a + code[position + 2 :]
        assert reason(KEY, swapped) == "checksum", (code, swapped)


def test_random_well_formed_codes_are_not_accepted():
    rng = random.Random(20260901)
    reasons = set()
    for _ in range(10**5):
        body = f"{rng.randrange(10**19):019d}"
        reasons.add(reason(KEY, body + str(damm_digit(body))))
    assert reasons == {"forged", "version"}


@deterministic
@given(indices)
def test_round_trip(index):
    code = KEY.encode(index)
    assert len(code) == 20 and code.isdigit()
    assert KEY.decode(code) == index


@pytest.mark.parametrize("index", [0, 1, SERIAL_SPACE - 2, SERIAL_SPACE - 1])
def test_round_trip_at_the_edges(index):
    assert KEY.decode(KEY.encode(index)) == index


def test_grouped_input_decodes():
    code = KEY.encode(42)
    assert KEY.decode(" ".join(code[i : i + 4] for i in range(0, 20, 4))) == 42
    assert KEY.decode(code[:10] + "-" + code[10:]) == 42


def test_out_of_range_index_cannot_be_encoded():
    for index in (-1, SERIAL_SPACE):
        with pytest.raises(ValueError, match="out of range"):
            KEY.encode(index)


@pytest.mark.parametrize("text", ["", "1234", "1" * 21, "１" * 20, "abcdefghijabcdefghij"])
def test_malformed_text_is_a_format_error(text):
    assert reason(KEY, text) == "format"


@deterministic
@given(st.integers(min_value=0, max_value=SERIAL_SPACE - 2))
def test_consecutive_indices_do_not_give_consecutive_codes(index):
    here, after = KEY.encode(index), KEY.encode(index + 1)
    assert abs(int(after[1:13]) - int(here[1:13])) != 1
    assert abs(int(after) - int(here)) != 1


def test_consecutive_serials_are_scattered():
    serials = [int(KEY.encode(i)[1:13]) for i in range(1000)]
    steps = {b - a for a, b in zip(serials, serials[1:], strict=False)}
    assert len(steps) > 990


def test_another_key_decodes_nothing_of_the_first():
    for index in range(0, 10**6, 997):
        assert reason(OTHER_KEY, KEY.encode(index)) == "forged"
