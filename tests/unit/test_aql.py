"""ISO 2859-1 / ANSI Z1.4 single sampling for normal inspection: Table 1 code letters, Table 2-A
plans with their arrows followed, 100 % inspection of small lots, and the lot verdict.

The expected plans are cells of the standard's tables as given by the sources named in
shopfloor/quality/aql.py (AQLSchemes' Z1.4 tables and a GB/T 2828.1 = ISO 2859-1
transcription, which agree on every cell), not values computed from the module."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shopfloor.quality.aql import (
    AQLS,
    CODE_LETTERS,
    LEVELS,
    SAMPLE_SIZES,
    Plan,
    code_letter,
    normalize_aql,
    plan,
    plan_for_letter,
    verdict,
)

# --- Table 1 -------------------------------------------------------------------------------


@pytest.mark.parametrize(("lot_size", "letter"), [
    (2, "A"), (8, "A"), (9, "B"), (15, "B"), (16, "C"), (25, "C"), (26, "D"), (50, "D"),
    (51, "E"), (90, "E"), (91, "F"), (150, "F"), (151, "G"), (280, "G"), (281, "H"),
    (500, "H"), (501, "J"), (1200, "J"), (1201, "K"), (3200, "K"), (3201, "L"),
    (10000, "L"), (10001, "M"), (35000, "M"), (35001, "N"), (150000, "N"), (150001, "P"),
    (500000, "P"), (500001, "Q"), (10_000_000, "Q"),
])
def test_code_letter_level_ii_at_range_boundaries(lot_size, letter):
    assert code_letter(lot_size) == letter
    assert code_letter(lot_size, "II") == letter


@pytest.mark.parametrize(("lot_size", "level", "letter"), [
    (100, "S-1", "B"), (100, "S-2", "B"), (100, "S-3", "C"), (100, "S-4", "D"),
    (100, "I", "D"), (100, "III", "G"),
    (8, "III", "B"), (1000, "I", "G"), (1000, "III", "K"), (1000, "S-4", "F"),
    (600000, "S-1", "D"), (600000, "S-3", "H"), (600000, "I", "N"), (600000, "III", "R"),
])
def test_code_letter_other_levels(lot_size, level, letter):
    assert code_letter(lot_size, level) == letter


def test_level_spelling_is_forgiving_but_unknown_levels_are_refused():
    assert code_letter(100, "ii") == code_letter(100, " II ") == "F"
    assert code_letter(100, "s4") == code_letter(100, "S-4") == "D"
    with pytest.raises(ValueError, match="'IV'"):
        code_letter(100, "IV")


@pytest.mark.parametrize("lot_size", [1, 0, -5])
def test_lots_under_two_items_are_refused(lot_size):
    with pytest.raises(ValueError, match="at least 2"):
        code_letter(lot_size)
    with pytest.raises(ValueError):
        plan(lot_size, "2.5")


def test_lot_size_must_be_an_integer():
    with pytest.raises(TypeError):
        code_letter(100.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        code_letter(True)  # type: ignore[arg-type]


# --- constants -----------------------------------------------------------------------------


def test_sample_sizes_and_preferred_aqls():
    assert list(SAMPLE_SIZES) == list(CODE_LETTERS) == list("ABCDEFGHJKLMNPQR")
    assert [SAMPLE_SIZES[letter] for letter in CODE_LETTERS] == [
        2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000]
    assert [str(aql) for aql in AQLS] == [
        "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65",
        "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65",
        "100", "150", "250", "400", "650", "1000"]
    assert all(isinstance(aql, Decimal) for aql in AQLS)
    assert LEVELS == ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")


# --- AQL values ----------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "standard"), [
    ("2.5", "2.5"), (" 2.5 ", "2.5"), (Decimal("2.50"), "2.5"), (2.5, "2.5"),
    ("4", "4.0"), ("4.0", "4.0"), (4, "4.0"), (Decimal("4"), "4.0"),
    ("0.01", "0.010"), ("0.65", "0.65"), (0.65, "0.65"), ("10.0", "10"), ("1000", "1000"),
])
def test_aql_spellings_name_the_standard_value(given, standard):
    assert str(normalize_aql(given)) == standard
    assert plan(100, given) == plan(100, standard)


@pytest.mark.parametrize("given", ["3", "2.4", "0", "-2.5", "1500", "abc", "", "nan", "inf"])
def test_unknown_aql_is_refused_by_name(given):
    with pytest.raises(ValueError, match=repr(given)):
        normalize_aql(given)
    with pytest.raises(ValueError, match=repr(given)):
        plan(100, given)


def test_aql_of_a_wrong_type_is_refused():
    with pytest.raises(ValueError):
        normalize_aql(True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        normalize_aql(None)  # type: ignore[arg-type]


# --- Table 2-A through plan() --------------------------------------------------------------

# (lot size, level, AQL) -> (letter finally used, sample size, Ac, Re)
PLANS = [
    # Lot 91-150 is letter F (n = 20), the check in the project's domain notes.
    ((100, "II", "2.5"), ("F", 20, 1, 2)),
    ((100, "II", "4.0"), ("F", 20, 2, 3)),
    ((100, "II", "0.65"), ("F", 20, 0, 1)),
    ((100, "II", "6.5"), ("F", 20, 3, 4)),
    # F at 1.0 is an up arrow: first plan above is E's 0/1 with E's sample of 13.
    ((100, "II", "1.0"), ("E", 13, 0, 1)),
    # F at 1.5 is a down arrow: first plan below is G's 1/2 with G's sample of 32.
    ((100, "II", "1.5"), ("G", 32, 1, 2)),
    # F at 100 (nonconformities per 100 items) is an up arrow to E's 21/22.
    ((100, "II", "100"), ("E", 13, 21, 22)),
    # Lot 501-1200 is letter J (n = 80).
    ((1000, "II", "2.5"), ("J", 80, 5, 6)),
    ((1000, "II", "0.65"), ("J", 80, 1, 2)),
    ((1000, "II", "0.25"), ("H", 50, 0, 1)),  # up arrow
    ((1000, "II", "0.40"), ("K", 125, 1, 2)),  # down arrow
    ((1000, "II", "0.10"), ("K", 125, 0, 1)),  # long down arrow from the top of the column
    ((1000, "II", "10"), ("J", 80, 14, 15)),
    ((1000, "II", "15"), ("J", 80, 21, 22)),
    ((2000, "II", "15"), ("J", 80, 21, 22)),  # K at 15: up arrow to J
    ((5000, "II", "1.0"), ("L", 200, 5, 6)),
    ((5000, "II", "10"), ("K", 125, 21, 22)),  # up arrow
    ((20000, "II", "0.065"), ("L", 200, 0, 1)),  # M at 0.065: up arrow
    ((20000, "II", "4.0"), ("M", 315, 21, 22)),
    ((1_000_000, "II", "0.010"), ("Q", 1250, 0, 1)),
    ((1_000_000, "II", "0.025"), ("R", 2000, 1, 2)),  # Q at 0.025: down arrow to R
    # Letter R (level III, over 500000): R at 0.010 and 0.015 point up, to Q's and P's 0/1.
    ((1_000_000, "III", "0.010"), ("Q", 1250, 0, 1)),
    ((1_000_000, "III", "0.015"), ("P", 800, 0, 1)),
    ((1_000_000, "III", "0.025"), ("R", 2000, 1, 2)),
    ((1_000_000, "III", "1.0"), ("Q", 1250, 21, 22)),
    # Letter A at 10: nothing lies above row A; the plan is C's 1/2 below it.
    ((8, "II", "10"), ("C", 5, 1, 2)),
    ((8, "II", "15"), ("B", 3, 1, 2)),
    ((8, "II", "25"), ("A", 2, 1, 2)),
    ((5, "II", "1000"), ("A", 2, 30, 31)),
    ((10, "II", "1000"), ("B", 3, 44, 45)),
    ((20, "II", "1000"), ("B", 3, 44, 45)),  # C at 1000: up arrow to B
    ((60, "II", "250"), ("E", 13, 44, 45)),
    # Level S-4 gives letter D for lot 100: D at 2.5 points up, D at 4.0 points down.
    ((100, "S-4", "2.5"), ("C", 5, 0, 1)),
    ((100, "S-4", "4.0"), ("E", 13, 1, 2)),
]


@pytest.mark.parametrize(("args", "expected"), PLANS, ids=[str(args) for args, _ in PLANS])
def test_plan_from_table_2a(args, expected):
    lot_size, level, aql = args
    letter, sample_size, accept, reject = expected
    assert plan(lot_size, aql, level) == Plan(letter, sample_size, accept, reject, False)


@pytest.mark.parametrize(("letter", "aql", "expected"), [
    ("F", "1.0", ("E", 13, 0, 1)),
    ("F", "1.5", ("G", 32, 1, 2)),
    ("G", "0.65", ("F", 20, 0, 1)),
    ("H", "0.65", ("J", 80, 1, 2)),
    ("A", "4.0", ("B", 3, 0, 1)),
    ("A", "0.010", ("Q", 1250, 0, 1)),
    ("R", "1000", ("B", 3, 44, 45)),
    ("P", "1.5", ("P", 800, 21, 22)),
    ("Q", "1.5", ("P", 800, 21, 22)),
])
def test_plan_for_letter_follows_the_arrows(letter, aql, expected):
    found = plan_for_letter(letter, aql)
    assert (found.code_letter, found.sample_size, found.accept, found.reject) == expected
    assert found.inspect_all is False


def test_unknown_letter_is_refused():
    with pytest.raises(ValueError, match="'I'"):
        plan_for_letter("I", "2.5")


def test_every_cell_of_table_2a_leads_to_a_plan_of_the_table_s_shape():
    for letter in CODE_LETTERS:
        accepts = []
        for aql in AQLS:
            found = plan_for_letter(letter, aql)
            assert found.reject == found.accept + 1
            assert found.sample_size == SAMPLE_SIZES[found.code_letter]
            accepts.append(found.accept)
        assert accepts == sorted(accepts), letter  # a laxer AQL never accepts fewer
    for aql in AQLS:
        sizes = [plan_for_letter(letter, aql).sample_size for letter in CODE_LETTERS]
        assert sizes == sorted(sizes), aql  # a later letter never samples fewer


# --- 100 % inspection ----------------------------------------------------------------------


@pytest.mark.parametrize(("lot_size", "aql", "expected"), [
    # Lot 10 is letter B; B at 0.65 points down to F's n = 20, more than the lot.
    (10, "0.65", ("F", 10, 0, 1)),
    # Lot 20 is letter C; C at 0.10 points down to K's n = 125.
    (20, "0.10", ("K", 20, 0, 1)),
    # Lot 13 is letter B; B at 1.0 points down to E's n = 13: equal to the lot counts too.
    (13, "1.0", ("E", 13, 0, 1)),
    # Lot 2 is letter A, whose n = 2 at 6.5 is the whole lot.
    (2, "6.5", ("A", 2, 0, 1)),
])
def test_sample_reaching_the_lot_size_means_inspecting_every_item(lot_size, aql, expected):
    letter, sample_size, accept, reject = expected
    assert plan(lot_size, aql) == Plan(letter, sample_size, accept, reject, True)


def test_sample_just_under_the_lot_size_is_still_a_sample():
    assert plan(14, "1.0") == Plan("E", 13, 0, 1, False)


# --- verdict -------------------------------------------------------------------------------


def test_verdict_accepts_up_to_ac_and_rejects_from_re():
    f25 = plan(100, "2.5")
    assert (f25.accept, f25.reject) == (1, 2)
    assert verdict(f25, 0) is True
    assert verdict(f25, f25.accept) is True
    assert verdict(f25, f25.reject) is False
    assert verdict(f25, 7) is False
    j25 = plan(1000, "2.5")
    assert verdict(j25, 5) is True
    assert verdict(j25, 6) is False


def test_verdict_for_zero_acceptance_and_whole_lot_inspection():
    zero = plan(10, "0.65")
    assert zero.inspect_all
    assert verdict(zero, 0) is True
    assert verdict(zero, 1) is False


def test_verdict_refuses_impossible_counts():
    with pytest.raises(ValueError):
        verdict(plan(100, "2.5"), -1)
    with pytest.raises(TypeError):
        verdict(plan(100, "2.5"), 1.0)  # type: ignore[arg-type]
