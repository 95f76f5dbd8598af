"""Dates as the cooperative sees them: stored in UTC, the working day in the local zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from shopfloor.database import utcnow


def local_today() -> date:
    """Today's date in the configured time zone (a Warsaw evening is still today)."""
    zone = ZoneInfo(current_app.config["SHOPFLOOR"]["time_zone"])
    return utcnow().astimezone(zone).date()


def local_minute(moment: datetime) -> str:
    """A moment as local time to the minute, as a datetime-local input shows it
    (``2026-12-06T14:30``)."""
    zone = ZoneInfo(current_app.config["SHOPFLOOR"]["time_zone"])
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def weekday_name(weekday: int) -> str:
    """The name of a weekday (0 Monday ... 6 Sunday) in the current interface language."""
    from babel.dates import get_day_names
    from flask_babel import get_locale

    return get_day_names("wide", locale=get_locale() or "en")[weekday]
