"""GS1 check digits, SSCC building and element-string parsing (no app needed)."""

from datetime import date

import pytest

from shopfloor.codes import new_code
from shopfloor.labels.gs1 import (
    GS,
    Gs1Data,
    Gs1Error,
    check_digit,
    complete_gtin,
    is_valid_gtin,
    is_valid_sscc,
    looks_like_gs1,
    make_sscc,
    parse_element_string,
    parse_gs1_date,
    sscc_capacity,
    to_element_string,
    to_human_readable,
)

SSCC = "106141411234567897"  # (00) 1 0614141 123456789 7, GS1 General Specifications
GTIN13 = "4006381333931"
GTIN14 = "0" + GTIN13


# --- check digits -------------------------------------------------------------------------

def test_worked_examples():
    assert check_digit("10614141123456789") == "7"
    assert is_valid_sscc(SSCC)
    assert check_digit("400638133393") == "1"
    assert complete_gtin("400638133393") == GTIN13
    assert is_valid_gtin(GTIN13)
    assert is_valid_gtin(GTIN14)


def test_other_gtin_lengths():
    assert complete_gtin("9638507") == "96385074"  # GTIN-8
    assert complete_gtin("03600029145") == "036000291452"  # GTIN-12 (UPC-A)
    assert is_valid_gtin("96385074")
    assert is_valid_gtin("036000291452")
    assert not is_valid_gtin("4006381333932")
    assert not is_valid_gtin("400638133393")  # no check digit
    assert not is_valid_gtin("40063813339311")  # 14 digits, wrong check digit
    assert not is_valid_gtin("400638133393a")
    assert not is_valid_gtin("")


def test_every_single_digit_substitution_in_the_sscc_is_caught():
    for position in range(len(SSCC)):
        for digit in "0123456789":
            if digit == SSCC[position]:
                continue
            typo = SSCC[:position] + digit + SSCC[position + 1:]
            assert not is_valid_sscc(typo), typo


def test_sscc_and_gtin_lengths_are_not_mixed_up():
    assert not is_valid_sscc(GTIN14)
    assert not is_valid_gtin(SSCC)
    assert not is_valid_sscc(SSCC + "0")


@pytest.mark.parametrize("data", ["", "12a4", "１２３", " 123"])
def test_check_digit_refuses_non_digits(data):
    with pytest.raises(Gs1Error, match="digits"):
        check_digit(data)


def test_complete_gtin_refuses_wrong_lengths():
    with pytest.raises(Gs1Error, match="7, 11, 12 or 13"):
        complete_gtin("12345")


# --- SSCC building ------------------------------------------------------------------------

def test_make_sscc_matches_the_worked_example():
    assert make_sscc(1, "0614141", 123456789) == SSCC


def test_make_sscc_pads_the_serial_and_every_result_is_valid():
    sscc = make_sscc(0, "5901234567", 42)
    assert sscc == "05901234567000042" + check_digit("05901234567000042")
    assert is_valid_sscc(sscc)
    for serial in (0, 1, 999, 999_999):
        assert is_valid_sscc(make_sscc(3, "5901234567", serial))


def test_sscc_capacity_depends_on_the_prefix_length():
    assert sscc_capacity("0614141") == 10**9
    assert sscc_capacity("5901234567") == 10**6
    assert make_sscc(9, "5901234567", 999_999).startswith("95901234567999999")


@pytest.mark.parametrize(
    ("extension", "prefix", "serial", "message"),
    [
        (0, "5901234567", 1_000_000, "does not fit"),
        (0, "0614141", 10**9, "does not fit"),
        (0, "590123", 1, "7 to 10 digits"),
        (0, "59012345678", 1, "7 to 10 digits"),
        (0, "59012a4", 1, "must be digits"),
        (10, "5901234", 1, "extension digit"),
        (-1, "5901234", 1, "extension digit"),
        ("1", "5901234", 1, "extension digit"),
        (0, "5901234", -1, "serial reference"),
        (0, "5901234", 1.0, "serial reference"),
    ],
)
def test_make_sscc_refuses_bad_input(extension, prefix, serial, message):
    with pytest.raises(Gs1Error, match=message):
        make_sscc(extension, prefix, serial)


def test_gs1_error_is_a_value_error():
    assert issubclass(Gs1Error, ValueError)


# --- parsing ------------------------------------------------------------------------------

EXPECTED = {"01": GTIN14, "10": "ABC123", "17": "261231"}


@pytest.mark.parametrize(
    "raw",
    [
        "(01)04006381333931(10)ABC123(17)261231",
        "(01) 0 4006381 33393 1 (10)ABC123 (17)261231",
        "0104006381333931" + "10ABC123" + GS + "17261231",
        "0104006381333931" + "10ABC123<GS>17261231",
        "0104006381333931" + "10ABC123<gs>17261231",
        "0104006381333931" + "10ABC123^]17261231",
        "]C10104006381333931" + "10ABC123" + GS + "17261231",
        "]d20104006381333931" + "10ABC123" + GS + "17261231\r\n",
        "]Q3" + GS + "0104006381333931" + "10ABC123" + GS + "17261231",
        "]e00104006381333931" + "10ABC123" + GS + "17261231",
    ],
)
def test_each_accepted_form_parses(raw):
    data = parse_element_string(raw)
    assert data.elements == EXPECTED
    assert list(data.elements) == ["01", "10", "17"]
    assert data.gtin == GTIN14
    assert data.batch == "ABC123"
    assert data.expiry == date(2026, 12, 31)
    assert data.sscc is None and data.serial is None


def test_sscc_in_both_forms():
    assert parse_element_string("(00)106141411234567897").sscc == SSCC
    assert parse_element_string("00" + SSCC).sscc == SSCC
    assert parse_element_string("]C100" + SSCC).sscc == SSCC


def test_variable_field_last_needs_no_separator_and_fixed_field_may_have_one():
    data = parse_element_string("0104006381333931" + GS + "10ABC123" + GS + "21XYZ")
    assert data.elements == {"01": GTIN14, "10": "ABC123", "21": "XYZ"}
    assert data.serial == "XYZ"


def test_all_supported_ais():
    raw = ("02" + GTIN14 + "37" + "24" + GS + "11250115" + "13250116" + "15250200"
           + "00" + SSCC + "21S-1/2" + GS + "10L.3")
    data = parse_element_string(raw)
    assert data.elements == {"02": GTIN14, "37": "24", "11": "250115", "13": "250116",
                             "15": "250200", "00": SSCC, "21": "S-1/2", "10": "L.3"}


def test_day_00_means_the_last_day_of_the_month():
    assert parse_element_string("(17)260200").expiry == date(2026, 2, 28)
    assert parse_element_string("(17)280200").expiry == date(2028, 2, 29)
    assert parse_gs1_date("261100") == date(2026, 11, 30)


def test_century_follows_the_gs1_rule():
    today = date(2025, 6, 1)
    assert parse_gs1_date("751231", today) == date(2075, 12, 31)  # +50: this century
    assert parse_gs1_date("760101", today) == date(1976, 1, 1)  # +51: previous century
    assert parse_gs1_date("991231", date(2051, 1, 1)) == date(2099, 12, 31)
    assert parse_gs1_date("010101", date(2051, 1, 1)) == date(2101, 1, 1)  # -50: next


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("(00)106141411234567891", "SSCC 106141411234567891: check digit should be 7"),
        ("00106141411234567891", "SSCC 106141411234567891: check digit should be 7"),
        ("0104006381333932", "GTIN 04006381333932: check digit should be 1"),
        ("(02)04006381333930(37)5", r"GTIN of contained trade items .*should be 1"),
        ("001061414112345", r"\(00\) SSCC is incomplete: 13 of 18"),
        ("0104006381333931" + "17" + "2612", r"\(17\) expiry date is incomplete: 4 of 6"),
        ("0104006" + GS + "10ABC", r"\(01\) GTIN is incomplete"),
        ("(17)2612", r"\(17\) expiry date must have 6 characters"),
        ("(17)261301", "month 13 does not exist"),
        ("(17)261232", "day 32 does not exist in December 2026"),
        ("(11)250229", "day 29 does not exist in February 2025"),
        ("(17)26AB01", "must be digits"),
        ("(99)123", r"unknown or unsupported application identifier \(99\)"),
        ("99123", "unknown or unsupported application identifier at position 0"),
        ("0104006381333931" + "7212", "unknown or unsupported application identifier"),
        ("10" + "A" * 21, "21 characters, at most 20 allowed"),
        ("0104006381333931" + "10ABC12345" + "21XYZ123" + "17261231",
         "a group separator may be missing"),
        ("(37)123456789", "at most 8"),
        ("(37)12A", "must be digits"),
        ("0104006381333931" + "10ABC~21XYZ", r"character '~' is not allowed.*scanner"),
        ("(10)", "is empty"),
        ("10" + GS + "21X", "is empty"),
        ("(10)A(10)B", "appears twice"),
        ("(1)(10)A", "before the first application identifier"),
        ("]C0123", "not a GS1 symbology"),
        ("", "no GS1 data"),
        (GS, "no GS1 data"),
        ("]C1", "no GS1 data"),
    ],
)
def test_bad_input_raises_a_helpful_error(raw, message):
    with pytest.raises(Gs1Error, match=message):
        parse_element_string(raw)


# --- recognising GS1 scans ----------------------------------------------------------------

@pytest.mark.parametrize(
    "raw",
    [
        "(00)106141411234567897",
        "(01)04006381333931(10)ABC123",
        "00" + SSCC,
        "0104006381333931",
        "0104006381333931" + "10ABC123" + GS + "21XYZ",
        "]C100" + SSCC,
        "]d2010400638133393110ABC",
        "]Q30104006381333931",
    ],
)
def test_gs1_scans_are_recognised(raw):
    assert looks_like_gs1(raw)


def test_our_own_codes_and_plain_text_are_not_gs1():
    own = [new_code(kind) for kind in "BZMW" for _ in range(25)]
    plain = ["B7KQ4M2X", "B-7KQ4-M2X", "hello", "", "   ", "(hello)", "(99)123", "0123",
             "4006381333931", "1234567890123456", "0104006381333932", "0012345678901234"]
    for text in own + plain:
        assert not looks_like_gs1(text), text


# --- writing ------------------------------------------------------------------------------

def test_to_human_readable():
    data = parse_element_string("0104006381333931" + "10ABC123" + GS + "17261231")
    assert to_human_readable(data) == "(01)04006381333931(10)ABC123(17)261231"
    assert to_human_readable({"00": SSCC}) == "(00)106141411234567897"


def test_to_element_string_puts_gs_only_after_variable_fields_that_are_not_last():
    assert to_element_string({"01": GTIN14, "17": "261231", "10": "ABC"}) == (
        "0104006381333931" + "17261231" + "10ABC")
    assert to_element_string({"10": "ABC", "21": "X1", "01": GTIN14}) == (
        "10ABC" + GS + "21X1" + GS + "0104006381333931")
    assert to_element_string({"00": SSCC}) == "00" + SSCC


@pytest.mark.parametrize(
    "elements",
    [
        {"00": SSCC},
        {"01": GTIN14, "10": "ABC123", "17": "261231"},
        {"10": "LOT-7", "21": "S/001", "37": "12", "02": GTIN14, "15": "270100"},
        {"21": "A" * 20, "10": "B" * 20},
    ],
)
def test_round_trip(elements):
    data = Gs1Data(elements)
    assert parse_element_string(to_element_string(elements)) == data
    assert parse_element_string(to_element_string(data)) == data
    assert parse_element_string(to_human_readable(data)) == data
    assert list(parse_element_string(to_element_string(elements)).elements) == list(elements)


@pytest.mark.parametrize(
    ("elements", "message"),
    [
        ({}, "no GS1 elements"),
        ({"00": "106141411234567891"}, "check digit should be 7"),
        ({"99": "1"}, "unknown"),
        ({"10": "A" * 21}, "at most 20"),
    ],
)
def test_writing_refuses_invalid_elements(elements, message):
    with pytest.raises(Gs1Error, match=message):
        to_element_string(elements)


def test_parsed_data_is_frozen_and_hashable():
    data = parse_element_string("(00)106141411234567897")
    with pytest.raises(AttributeError):
        data.elements = {}  # type: ignore[misc]
    assert hash(data) == hash(Gs1Data({"00": SSCC}))
