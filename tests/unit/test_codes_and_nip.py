"""Codes people type and scan, and the NIP checksum."""

import itertools

import pytest

from shopfloor.codes import ALPHABET, InvalidCode, format_code, new_code, parse_code
from shopfloor.partners.nip import format_nip, is_valid_nip, normalize_nip


def test_codes_have_no_look_alike_characters():
    assert not set("01OIL") & set(ALPHABET)


def test_a_code_survives_grouping_case_and_spaces():
    code = new_code("B")
    assert parse_code(format_code(code).lower()) == code
    assert parse_code(" " + code[:4] + " " + code[4:] + " ") == code


def test_every_single_character_mistype_is_refused():
    code = new_code("M")
    for position, replacement in itertools.product(range(1, len(code)), ALPHABET):
        typo = code[:position] + replacement + code[position + 1:]
        if typo == code:
            continue
        with pytest.raises(InvalidCode):
            parse_code(typo)


def test_every_swap_of_two_different_characters_is_refused():
    code = new_code("Z")
    for i, j in itertools.combinations(range(len(code)), 2):
        chars = list(code)
        chars[i], chars[j] = chars[j], chars[i]
        swapped = "".join(chars)
        if swapped != code:
            with pytest.raises(InvalidCode):
                parse_code(swapped)


def test_unknown_kind_and_wrong_length_are_refused():
    with pytest.raises(InvalidCode):
        parse_code("Q2345678")
    with pytest.raises(InvalidCode):
        parse_code("B23")


def test_nip_checksum():
    assert is_valid_nip("526-000-12-46")
    assert is_valid_nip("PL 7740001454")
    assert not is_valid_nip("5260001247")  # last digit off by one
    assert not is_valid_nip("526000124")   # nine digits
    assert not is_valid_nip("52600012a6")
    assert format_nip(normalize_nip("PL5260001246")) == "526-000-12-46"
