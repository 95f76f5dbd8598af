"""How the forecast is shown on the planning screens: risk names, slack in words, and the
geometry of the timeline bar (today on the left, the planning horizon's last day on the
right). Pure functions: nothing here reads the database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from babel.dates import format_interval
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from shopfloor.planning.forecast import AT_RISK, LATE, ON_TRACK

# The risk as text: a badge always says it in words, its colour only repeats it.
RISK_NAMES = {ON_TRACK: _l("On track"), AT_RISK: _l("At risk"), LATE: _l("Late")}

# The timeline's size in SVG user units (= CSS pixels: the SVG is not stretched).
TIMELINE_WIDTH = 240
TIMELINE_HEIGHT = 28


def slack_text(slack_days: int | None) -> str:
    """Slack in words: "3 days to spare", "on the due day", "2 days late"; "" when unknown."""
    if slack_days is None:
        return ""
    if slack_days > 0:
        return ngettext("%(num)s day to spare", "%(num)s days to spare", slack_days)
    if slack_days == 0:
        return _("On the due day")
    return ngettext("%(num)s day late", "%(num)s days late", -slack_days)


def day_span(first: date, last: date) -> str:
    """Two days as a span in the reader's language: "Nov 30 – Dec 6, 2026"."""
    return format_interval(first, last, "yMMMd", locale=get_locale() or "en")


@dataclass(frozen=True)
class Timeline:
    """Where the bar ends and where the due dates' marks stand (their left edges), in SVG
    units. ``beyond``: the work does not end within the horizon (the bar fills the track).
    A due date already past stands at the left edge, one past the horizon at the right."""

    width: int
    height: int
    bar_end: float
    due_marks: tuple[float, ...]
    beyond: bool

    mark_width = 3


def timeline(start: date, horizon_end: date, dues: Iterable[date],
             projected: date | None) -> Timeline:
    """The bar of work projected to end on ``projected`` (None: not within the horizon)
    against its due dates, on a track from ``start`` to ``horizon_end`` (both included; a
    day ends at its right edge)."""
    days = max(1, (horizon_end - start).days + 1)

    def end_of(day: date) -> float:
        offset = min(max((day - start).days + 1, 0), days)
        return offset * TIMELINE_WIDTH / days

    marks = sorted({round(min(max(end_of(due) - Timeline.mark_width / 2, 0),
                              TIMELINE_WIDTH - Timeline.mark_width), 1) for due in dues})
    return Timeline(width=TIMELINE_WIDTH, height=TIMELINE_HEIGHT,
                    bar_end=TIMELINE_WIDTH if projected is None else round(end_of(projected), 1),
                    due_marks=tuple(marks), beyond=projected is None)
