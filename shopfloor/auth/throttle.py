"""Pure rules for limiting sign-in attempts (no Flask, no database)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta


def locked_until(failures: Iterable[datetime], limit: int, window: timedelta,
                 now: datetime) -> datetime | None:
    """When the key may try again, or None when it may try now.

    A key is locked while ``limit`` or more failures fall inside the last ``window``;
    it opens again when the oldest of the latest ``limit`` failures leaves the window.
    """
    recent = sorted((t for t in failures if now - t < window), reverse=True)
    if limit <= 0 or len(recent) < limit:
        return None
    return recent[limit - 1] + window
