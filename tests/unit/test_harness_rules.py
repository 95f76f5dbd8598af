"""Wire-harness rules with their boundaries (shared/domain.md section 2): colour codes, the
pull-test table, the crimp set-up verdict, tester program against drawing revision, and the
wire list against the connectors' cavity maps."""

from decimal import Decimal as D

import pytest

from shopfloor.harness import rules

X1 = {"name": "X1", "part": "", "layout": [[1, 2], [3, None]]}
X2 = {"name": "X2", "part": "", "layout": [[1, 2, 3]]}


def wire(name, a, ca, b, cb, colour="RD", gauge=20, length="500", tolerance="10"):
    return {"wire": name, "from": a, "from_cavity": ca, "to": b, "to_cavity": cb,
            "colour": colour, "gauge_awg": gauge, "length_mm": length, "tolerance_mm": tolerance}


@pytest.mark.parametrize(("code", "valid"), [
    ("RD", True), ("gn/ye", True), ("BK", True), ("XX", False), ("RD/GN/YE", False), ("", False),
])
def test_iec_60757_colour_codes(code, valid):
    assert rules.valid_colour(code) is valid


@pytest.mark.parametrize(("gauge", "minimum"), [
    (26, D("13.4")), (24, D("22.3")), (22, D("35.6")), (20, D("57.9")), (18, D("89.0")),
    (16, D("133.5")), (14, D("222.5")), (12, D("311.5")), (28, None),
])
def test_the_te_pull_table(gauge, minimum):
    assert rules.minimum_pull(gauge) == minimum


def test_a_setup_passes_at_its_boundaries():
    # Height exactly at both ends of the spec; five pulls, the lowest exactly the minimum.
    for height in ("1.45", "1.55"):
        verdict = rules.judge_setup(D(height), D("1.45"), D("1.55"),
                                    ["57.9", "60", "61", "62", "63"], 20)
        assert verdict.passed, height


@pytest.mark.parametrize(("height", "pulls", "problem"), [
    ("1.44", ["60"] * 5, "height"), ("1.56", ["60"] * 5, "height"),
    ("1.50", ["60"] * 4, "pull_count"), ("1.50", ["57.8", "60", "60", "60", "60"], "pull"),
])
def test_a_setup_fails_just_outside(height, pulls, problem):
    verdict = rules.judge_setup(D(height), D("1.45"), D("1.55"), pulls, 20)
    assert not verdict.passed and verdict.problems == [problem]


def test_the_tester_program_must_be_written_for_the_drawing_revision():
    assert rules.program_matches("C.3", "C")
    assert rules.program_matches("c.12", "C")
    assert not rules.program_matches("B.7", "C")
    assert rules.program_revision("AB.1") == "AB"
    for bad in ("C", "C.", ".3", "C.x"):
        with pytest.raises(rules.BadProgramVersion):
            rules.program_revision(bad)


def test_a_layout_is_read_as_moulded():
    assert rules.parse_layout("1 2\n3 -") == [[1, 2], [3, None]]
    assert rules.parse_layout("1 2 / 3 4") == [[1, 2], [3, 4]]
    assert rules.layout_text([[1, 2], [3, None]]) == "1 2\n3 -"
    with pytest.raises(ValueError, match="a"):
        rules.parse_layout("1 a")


def test_a_right_wire_list_has_no_problems():
    wires = [wire("W1", "X1", 1, "X2", 1), wire("W2", "X1", 2, "X2", 2, "GN/YE"),
             wire("W3", "X1", 3, "X2", 3, "BU", 18)]
    assert rules.wire_list_problems([X1, X2], wires) == []


@pytest.mark.parametrize(("bad", "problem"), [
    (wire("W9", "X1", 4, "X2", 3), "cavity"),      # X1 has no cavity 4 (a dash)
    (wire("W9", "X3", 1, "X2", 3), "connector"),
    (wire("W9", "X1", 1, "X2", 3), "occupied"),     # W1 is in X1:1 already
    (wire("W9", "X1", 3, "X2", 3, "PURPLE"), "colour"),
    (wire("W9", "X1", 3, "X2", 3, gauge=28), "gauge"),
    (wire("W9", "X1", 3, "X2", 3, length="0"), "length"),
    (wire("W1", "X1", 3, "X2", 3), "wire twice"),
])
def test_each_wire_list_mistake_is_named(bad, problem):
    wires = [wire("W1", "X1", 1, "X2", 1), bad]
    assert rules.wire_list_problems([X1, X2], wires) == [(problem, bad["wire"])]
