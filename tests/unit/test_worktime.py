"""Working-time rules: caps per rule, night work, breaks, consent, whole weekly patterns."""

from __future__ import annotations

from datetime import date, time

import pytest
from flask_babel import force_locale

from shopfloor.planning.worktime import (
    break_minutes,
    check_shift,
    daily_cap_minutes,
    is_night,
    night_period,
    productive_minutes,
    shift_minutes,
    week_minutes,
    week_problems,
    weekly_cap_minutes,
)

MONDAY = date(2026, 11, 30)


def english(messages) -> list[str]:
    """The messages as an English-speaking manager reads them."""
    with force_locale("en"):
        return [str(m) for m in messages]


def test_caps_per_rule():
    assert (daily_cap_minutes("8/40"), weekly_cap_minutes("8/40")) == (480, 2400)
    assert (daily_cap_minutes("7/35"), weekly_cap_minutes("7/35")) == (420, 2100)
    with pytest.raises(ValueError, match="unknown working-time rule"):
        daily_cap_minutes("9/45")


def test_a_day_up_to_the_cap_is_fine_and_a_longer_one_is_refused_with_the_numbers():
    assert check_shift("7/35", None, MONDAY, time(8), time(15)) == []
    assert english(check_shift("7/35", None, MONDAY, time(8), time(16, 30))) == [
        "7 h a day is the most for this worker; this is 8 h 30 min."]
    assert english(check_shift("8/40", None, MONDAY, time(7), time(15, 45))) == [
        "8 h a day is the most for this worker; this is 8 h 45 min."]


def test_the_messages_never_name_why_a_worker_has_a_lower_cap():
    text = " ".join(english(check_shift("7/35", None, MONDAY, time(21), time(23, 59), 2100)))
    for word in ("disab", "degree", "health", "7/35", "certificate"):
        assert word not in text.lower()


def test_the_week_is_checked_on_the_day_that_passes_the_cap():
    assert check_shift("7/35", None, MONDAY, time(8), time(15), 28 * 60) == []  # 35 h exactly
    assert english(check_shift("7/35", None, MONDAY, time(8), time(15), 30 * 60)) == [
        "35 h a week is the most for this worker; with this day the week has 37 h."]


@pytest.mark.parametrize(("start", "end", "night"), [
    (time(6), time(14), False),        # starts as the night ends
    (time(14), time(22), False),       # ends as the night starts
    (time(14), time(22, 15), True),
    (time(5, 30), time(12), True),
    (time(23), time(1), True),         # across midnight
    (time(0, 30), time(4), True),
])
def test_night_work_is_any_minute_in_the_night_period(start, end, night):
    assert is_night(start, end) is night


def test_the_night_period_is_a_parameter():
    evening = (time(21), time(5))
    assert is_night(time(14), time(21, 30), night=evening)
    assert not is_night(time(5), time(13), night=evening)
    assert night_period("21:00", "05:00") == evening
    with pytest.raises(ValueError, match="8 hours between 21:00 and 07:00"):
        night_period("20:00", "04:00")
    with pytest.raises(ValueError, match="8 hours"):
        night_period("22:00", "05:00")
    with pytest.raises(ValueError, match="look like 22:00"):
        night_period("10 pm", "6 am")


def test_night_work_needs_a_consent_that_has_come():
    message = ("22:00–06:00 is night time. This worker may work then only with the doctor's "
               "consent, which the manager records.")
    assert english(check_shift("8/40", None, MONDAY, time(16), time(23))) == [message]
    assert english(check_shift("8/40", date(2026, 12, 1), MONDAY, time(16), time(23))) == [
        message]  # the consent is dated tomorrow: not yet
    assert check_shift("8/40", MONDAY, MONDAY, time(16), time(23)) == []


def test_overtime_with_consent_stops_at_the_labour_code_limits():
    consent = date(2026, 1, 10)
    assert check_shift("7/35", consent, MONDAY, time(6), time(16), 30 * 60) == []
    assert english(check_shift("7/35", consent, MONDAY, time(6), time(20), 0)) == [
        "13 h a day is the most anyone may work (11 h rest between days); this is 14 h."]
    assert english(check_shift("7/35", consent, MONDAY, time(6), time(16), 40 * 60)) == [
        "48 h a week is the most anyone may work; with this day the week has 50 h."]


@pytest.mark.parametrize(("minutes", "breaks", "productive"), [
    (0, 0, 0),
    (4 * 60, 15, 225),          # only the extra break
    (6 * 60 - 1, 15, 344),
    (6 * 60, 30, 330),          # the Labour Code break joins at 6 h
    (8 * 60, 30, 450),
    (10, 15, 0),                # never negative
])
def test_breaks_and_productive_minutes(minutes, breaks, productive):
    assert break_minutes(minutes) == breaks
    assert productive_minutes(minutes) == productive


def test_the_extra_break_length_is_a_parameter():
    assert break_minutes(7 * 60, extra_break=45) == 60
    assert productive_minutes(7 * 60, extra_break=45) == 360


def test_shift_length_across_midnight():
    assert shift_minutes(time(8), time(15, 30)) == 450
    assert shift_minutes(time(22), time(6)) == 480


def test_a_weekly_pattern_reports_each_problem_next_to_its_day():
    week = {0: (time(8), time(15)), 1: (time(8), time(15)), 2: (time(8), time(16)),
            3: (time(8), time(15)), 4: (time(8), time(15)), 5: None, 6: (time(9), time(10))}
    assert week_minutes(week) == 37 * 60
    problems = {day: english(found) for day, found in
                week_problems("7/35", None, MONDAY, week).items()}
    assert problems == {
        2: ["7 h a day is the most for this worker; this is 8 h."],
        4: ["35 h a week is the most for this worker; with this day the week has 36 h."],
        6: ["35 h a week is the most for this worker; with this day the week has 37 h."],
    }
    assert week_problems("8/40", None, MONDAY, week) == {}


def test_a_configured_night_period_outside_the_labour_code_stops_start_up(tmp_path):
    from shopfloor.config import ConfigError, load_settings

    settings = load_settings(tmp_path, environ={"SHOPFLOOR_WORKING_TIME_NIGHT_STARTS": "21:00",
                                                "SHOPFLOOR_WORKING_TIME_NIGHT_ENDS": "05:00"})
    assert settings["working_time.night_starts"] == "21:00"
    with pytest.raises(ConfigError, match="working_time.night_starts"):
        load_settings(tmp_path, environ={"SHOPFLOOR_WORKING_TIME_NIGHT_STARTS": "20:00"})
