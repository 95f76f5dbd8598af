"""Working-time rules for the cooperative's workers (shared/domain.md §5), as pure functions.

- Daily and weekly caps: 8 h / 40 h under rule "8/40", 7 h / 35 h under "7/35"
  (Rehabilitation Act art. 15(1)-(2)).
- Night work and overtime (time beyond those caps) are refused (art. 15(3)) unless the worker
  asked for them and the occupational doctor agreed, on a recorded date that has come
  (art. 16). Even then the Labour Code's outer limits hold: 11 h of rest in every 24 h
  (art. 132, so at most 13 h in a day) and 48 h a week including overtime (art. 131).
- The night period is 8 hours between 21:00 and 7:00 chosen by the employer (Labour Code
  art. 151^7); 22:00-06:00 is the default and every function takes it as a parameter.
- Breaks: every worker here gets the extra 15 minutes (art. 17), and the Labour Code's
  15 minutes when the day is 6 h or longer (art. 134). Both count as working time, so a
  shift's length is its working time; the planner assumes nothing is produced in either
  (``productive_minutes``). A 2026 article claims 45 minutes for some workers; the statute
  says 15, so 15 is the default and the value is a parameter (confirm with a lawyer).

Messages are translatable (lazy) English msgids that name only numbers: never the reason a
worker has a lower cap. Nothing here needs the app or the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time

from flask_babel import lazy_gettext as _l

MINUTES_PER_DAY = 24 * 60

# (daily cap, weekly cap) in minutes per working-time rule value (Worker.working_time_rule).
_CAPS = {"8/40": (8 * 60, 40 * 60), "7/35": (7 * 60, 35 * 60)}

DEFAULT_NIGHT = (time(22, 0), time(6, 0))
NIGHT_LENGTH_MINUTES = 8 * 60
# The Labour Code lets the employer place the 8 night hours only inside 21:00-07:00.
_NIGHT_EARLIEST, _NIGHT_LATEST = time(21, 0), time(7, 0)

EXTRA_BREAK_MINUTES = 15           # Rehabilitation Act art. 17, for every worker here
LABOUR_CODE_BREAK_MINUTES = 15     # Labour Code art. 134 ...
LABOUR_CODE_BREAK_FROM_MINUTES = 6 * 60  # ... when the day is at least 6 h

# Outer limits that hold even with the doctor's consent.
ABSOLUTE_DAY_MINUTES = 13 * 60     # 11 h uninterrupted rest in every 24 h (art. 132)
ABSOLUTE_WEEK_MINUTES = 48 * 60    # 48 h a week including overtime (art. 131)


@dataclass(frozen=True)
class WorkTimeSettings:
    """The cooperative's own choices within the law: its night period and the extra break."""

    night: tuple[time, time] = DEFAULT_NIGHT
    extra_break_minutes: int = EXTRA_BREAK_MINUTES


DEFAULT_SETTINGS = WorkTimeSettings()


# ---------------------------------------------------------------- caps and periods

def daily_cap_minutes(rule: str) -> int:
    """The most minutes a worker under ``rule`` ("8/40" or "7/35") may work in a day."""
    return _caps(rule)[0]


def weekly_cap_minutes(rule: str) -> int:
    """The most minutes a worker under ``rule`` may work in a week."""
    return _caps(rule)[1]


def _caps(rule: str) -> tuple[int, int]:
    try:
        return _CAPS[rule]
    except KeyError:
        raise ValueError(f"unknown working-time rule {rule!r}") from None


def shift_minutes(starts_at: time, ends_at: time) -> int:
    """Length of a shift in minutes; an end at or before the start means the next day."""
    start, end = _minute_of_day(starts_at), _minute_of_day(ends_at)
    return end - start if end > start else end - start + MINUTES_PER_DAY


def _minute_of_day(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def is_night(starts_at: time, ends_at: time, night: tuple[time, time] = DEFAULT_NIGHT) -> bool:
    """Whether any minute of the shift falls in the night period (``night`` = start, end)."""
    start = _minute_of_day(starts_at)
    end = start + shift_minutes(starts_at, ends_at)
    night_start = _minute_of_day(night[0])
    night_end = night_start + shift_minutes(night[0], night[1])
    # The shift lies within [0, 2 days); the night periods that can touch it began the day
    # before, the same day or the next day.
    return any(_overlaps(start, end, night_start + k * MINUTES_PER_DAY,
                         night_end + k * MINUTES_PER_DAY) for k in (-1, 0, 1))


def night_period(starts: str, ends: str) -> tuple[time, time]:
    """Parse a configured night period ("22:00", "06:00"); ValueError unless it is 8 hours
    inside 21:00-07:00, as the Labour Code requires."""
    try:
        period = (time.fromisoformat(starts), time.fromisoformat(ends))
    except ValueError:
        raise ValueError(f"night period times must look like 22:00, not {starts!r} and "
                         f"{ends!r}") from None
    if shift_minutes(*period) != NIGHT_LENGTH_MINUTES or not (
            period[0] >= _NIGHT_EARLIEST and period[1] <= _NIGHT_LATEST):
        raise ValueError(f"the night period must be 8 hours between 21:00 and 07:00, not "
                         f"{starts}-{ends}")
    return period


def has_consent(consent_on: date | None, day: date) -> bool:
    """Whether the doctor's consent to night work and overtime is in force on ``day``."""
    return consent_on is not None and consent_on <= day


# ---------------------------------------------------------------- breaks

def break_minutes(shift_minutes: int, extra_break: int = EXTRA_BREAK_MINUTES) -> int:
    """Minutes of break in a shift: the extra break always, plus the Labour Code's 15 minutes
    when the shift is 6 h or longer (both are working time)."""
    if shift_minutes <= 0:
        return 0
    labour_code = (LABOUR_CODE_BREAK_MINUTES
                   if shift_minutes >= LABOUR_CODE_BREAK_FROM_MINUTES else 0)
    return extra_break + labour_code


def productive_minutes(shift_minutes: int, extra_break: int = EXTRA_BREAK_MINUTES) -> int:
    """Minutes of a shift that can go into production: the shift minus both breaks.

    Assumption: both breaks count as working time (so they are inside the shift and inside
    the caps), but nothing is produced during them.
    """
    return max(0, shift_minutes - break_minutes(shift_minutes, extra_break))


# ---------------------------------------------------------------- checks

def format_minutes(minutes: int):
    """A duration as people write it: "8 h 30 min", "7 h", "45 min" (translatable)."""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return _l("%(hours)s h %(minutes)s min", hours=hours, minutes=rest)
    if hours:
        return _l("%(hours)s h", hours=hours)
    return _l("%(minutes)s min", minutes=rest)


def _hhmm(moment: time) -> str:
    return moment.strftime("%H:%M")


def check_shift(rule: str, consent_on: date | None, day: date, starts_at: time, ends_at: time,
                week_minutes_so_far: int = 0, *, night: tuple[time, time] = DEFAULT_NIGHT,
                ) -> list:
    """What is wrong with a shift on ``day`` for a worker under ``rule``: a list of
    translatable messages, empty when the shift is allowed.

    ``week_minutes_so_far`` is what the worker already works in the same week, so the
    weekly cap is checked on the shift that goes past it.
    """
    length = shift_minutes(starts_at, ends_at)
    week_total = week_minutes_so_far + length
    problems = []
    if has_consent(consent_on, day):
        if length > ABSOLUTE_DAY_MINUTES:
            problems.append(_l(
                "%(cap)s a day is the most anyone may work (11 h rest between days); "
                "this is %(length)s.",
                cap=format_minutes(ABSOLUTE_DAY_MINUTES), length=format_minutes(length)))
        if week_total > ABSOLUTE_WEEK_MINUTES:
            problems.append(_l(
                "%(cap)s a week is the most anyone may work; with this day the week has "
                "%(total)s.",
                cap=format_minutes(ABSOLUTE_WEEK_MINUTES), total=format_minutes(week_total)))
        return problems
    day_cap, week_cap = _caps(rule)
    if length > day_cap:
        problems.append(_l("%(cap)s a day is the most for this worker; this is %(length)s.",
                           cap=format_minutes(day_cap), length=format_minutes(length)))
    if week_total > week_cap:
        problems.append(_l(
            "%(cap)s a week is the most for this worker; with this day the week has "
            "%(total)s.", cap=format_minutes(week_cap), total=format_minutes(week_total)))
    if is_night(starts_at, ends_at, night):
        problems.append(_l(
            "%(starts)s–%(ends)s is night time. This worker may work then only with the "
            "doctor's consent, which the manager records.",
            starts=_hhmm(night[0]), ends=_hhmm(night[1])))
    return problems


def week_minutes(availability: Mapping[int, tuple[time, time] | None]) -> int:
    """Total minutes of a weekly availability pattern (weekday -> (start, end) or None)."""
    return sum(shift_minutes(*shift) for shift in availability.values() if shift)


def week_problems(rule: str, consent_on: date | None, day: date,
                  availability: Mapping[int, tuple[time, time] | None], *,
                  night: tuple[time, time] = DEFAULT_NIGHT) -> dict[int, list]:
    """Check a whole weekly pattern (weekday 0 Monday ... 6 Sunday -> (start, end) or None)
    in force from ``day``: the problems per weekday, only days that have some.

    Days are added up from Monday, so the weekly cap is reported on the day that goes past
    it and on every later working day.
    """
    problems: dict[int, list] = {}
    so_far = 0
    for weekday in sorted(availability):
        shift = availability[weekday]
        if not shift:
            continue
        found = check_shift(rule, consent_on, day, shift[0], shift[1], so_far, night=night)
        if found:
            problems[weekday] = found
        so_far += shift_minutes(*shift)
    return problems
