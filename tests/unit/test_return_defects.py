"""The dispositions' rules and the Pareto of defects, by hand (shared/domain.md section 3)."""

from decimal import Decimal as D

import pytest

from shopfloor.returns.defects import disposition_problem, pareto, severity


@pytest.mark.parametrize(("disposition", "code", "zone", "ban", "exemption", "reinspected",
                          "problem"), [
    ("repair", None, None, True, "", None, "repair_needs_defect"),
    ("repair", "M02", None, True, "", None, "repair_needs_defect"),
    ("repair", "M02", "A", True, "", None, None),
    ("restock", "M02", "A", True, "", None, "restock_needs_reinspection"),
    ("restock", "M02", "A", True, "", False, "restock_needs_reinspection"),
    ("restock", "M02", "A", True, "", True, None),
    ("restock", "N01", "B", True, "", None, None),        # a minor defect may go back
    ("restock", None, None, True, "", None, None),
    ("restock", "C01", "A", True, "", True, "critical"),  # never on sale again
    ("second_quality", "C02", "B", True, "", None, "critical"),
    ("donate", "C01", "A", True, "", None, "critical"),
    ("recycle", "C01", "A", True, "", None, None),
    ("return_to_manufacturer", "C01", "A", True, "", None, None),
    ("destroy", "C01", "A", True, "", None, "destroy_banned"),
    ("destroy", "C01", "A", True, "   ", None, "destroy_banned"),
    ("destroy", "C01", "A", True, "Sanepid: pleśń, decyzja 12/2026", None, None),
    ("destroy", "M01", "B", False, "", None, None),      # a small firm: no ban
])
def test_each_disposition_rule(disposition, code, zone, ban, exemption, reinspected, problem):
    assert disposition_problem(disposition, code, zone, ban, exemption, reinspected) == problem


def test_severity_of_codes():
    assert (severity("C01"), severity("M04"), severity("N02"), severity(None),
            severity("X9")) == ("critical", "major", "minor", None, None)


def test_the_pareto_counts_pairs_most_frequent_first_with_running_shares():
    pairs = [("KURTKA-01", "M02")] * 5 + [("KURTKA-01", "M04")] * 3 + [("SPODNIE-02", "M02")] * 2
    rows = pareto(pairs + [("SPODNIE-02", None)])
    assert [(r.sku, r.code, r.count) for r in rows] == [
        ("KURTKA-01", "M02", 5), ("KURTKA-01", "M04", 3), ("SPODNIE-02", "M02", 2)]
    assert [r.share for r in rows] == [D("50.0"), D("30.0"), D("20.0")]
    assert [r.cumulative for r in rows] == [D("50.0"), D("80.0"), D("100.0")]
    assert pareto([]) == []


def test_working_days_skip_the_weekend():
    from datetime import date

    from shopfloor.returns.defects import working_days

    friday, monday = date(2026, 12, 4), date(2026, 12, 7)
    assert working_days(friday, friday) == 0
    assert working_days(friday, monday) == 1
    assert working_days(monday, date(2026, 12, 11)) == 4  # Monday to Friday
    assert working_days(monday, date(2026, 12, 14)) == 5


def test_turnaround_against_the_target_at_its_boundary():
    from datetime import date

    from shopfloor.returns.defects import turnaround

    monday = date(2026, 12, 7)
    spans = [(monday, date(2026, 12, 14)),   # 5 working days: within a target of 5
             (monday, date(2026, 12, 15)),   # 6: late
             (monday, date(2026, 12, 8)),    # 1
             (None, date(2026, 12, 8))]      # no receipt date: not counted
    summary = turnaround(spans, 5)
    assert (summary.decided, summary.within, summary.median_days) == (3, 2, D(5))
    assert summary.share_within == D("66.7")
    assert turnaround([], 5).share_within is None
