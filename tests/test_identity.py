"""Check digits of identity numbers (GB 11643-1999) and credit codes (GB 32100-2015); similar requests."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.casework.identity import (
    CREDIT_ALPHABET,
    DUPLICATE_SIMILARITY,
    credit_check_character,
    credit_code_problem,
    description_similarity,
    id_check_character,
    id_number_problem,
    similar_descriptions,
)

TODAY = date(2026, 6, 1)
digits = st.text("0123456789", min_size=1, max_size=1)


@st.composite
def identity_numbers(draw) -> str:
    area = draw(st.text("0123456789", min_size=6, max_size=6))
    born = draw(st.dates(date(1900, 1, 1), TODAY))
    sequence = draw(st.text("0123456789", min_size=3, max_size=3))
    first17 = f"{area}{born:%Y%m%d}{sequence}"
    return first17 + id_check_character(first17)


@st.composite
def credit_codes(draw) -> str:
    head = draw(st.text(CREDIT_ALPHABET, min_size=2, max_size=2))
    region = draw(st.text("0123456789", min_size=6, max_size=6))
    body = draw(st.text(CREDIT_ALPHABET, min_size=9, max_size=9))
    first17 = head + region + body
    return first17 + credit_check_character(first17)


@given(identity_numbers())
def test_generated_identity_numbers_pass(number):
    assert id_number_problem(number, TODAY) is None


@given(identity_numbers(), st.integers(0, 17), st.integers(1, 10))
def test_one_changed_character_of_an_identity_number_fails(number, position, shift):
    alphabet = "0123456789X" if position == 17 else "0123456789"
    old = number[position]
    new = alphabet[(alphabet.index(old) + shift) % len(alphabet)]
    if new == old:
        return
    changed = number[:position] + new + number[position + 1:]
    # MOD 11-2 catches every single substitution; a changed birth date may fail for its own reason.
    assert id_number_problem(changed, TODAY) is not None


@given(credit_codes())
def test_generated_credit_codes_pass(code):
    assert credit_code_problem(code) is None


@given(credit_codes(), st.integers(0, 17), st.integers(1, 30))
def test_one_changed_character_of_a_credit_code_fails(code, position, shift):
    alphabet = "0123456789" if 2 <= position < 8 else CREDIT_ALPHABET
    old = code[position]
    new = alphabet[(alphabet.index(old) + shift) % len(alphabet)]
    if new == old:
        return
    assert credit_code_problem(code[:position] + new + code[position + 1:]) is not None


@pytest.mark.parametrize("number,message", [
    ("11010519491231002X", None),  # the example of GB 11643-1999
    ("110105194912310021", "校验位不正确"),
    ("110105491231002", None),  # 15 digits: no check character
    ("110105491331002", "出生日期不存在"),
    ("11010519491331002X", "出生日期不存在"),
    ("1101051949123100", "应为18位"),
    ("11010530000101002X", "出生日期不正确"),
])
def test_identity_number_examples(number, message):
    problem = id_number_problem(number, TODAY)
    assert (problem is None) if message is None else (message in problem)


@pytest.mark.parametrize("code,message", [
    ("91350100M000100Y43", None),
    ("91350100M000100Y44", "校验位不正确"),
    ("91350100M000100Y4", "应为18位"),
    ("91350100M000100I43", "应为18位"),
])
def test_credit_code_examples(code, message):
    problem = credit_code_problem(code)
    assert (problem is None) if message is None else (message in problem)


def test_similar_descriptions():
    assert similar_descriptions("2025年某某项目征收补偿方案", "某某项目的征收补偿方案（2025年）")
    assert similar_descriptions("征收补偿方案", "某某项目征收补偿方案及其批复")  # contained
    assert not similar_descriptions("某某项目环评报告", "某某项目征收补偿方案")
    assert not similar_descriptions("文件", "某某项目征收补偿方案文件")  # too short to count as contained
    assert description_similarity("", "某某项目") == 0.0
    assert 0 < DUPLICATE_SIMILARITY < 1
