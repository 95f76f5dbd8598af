"""Pure rules of stations and worker sign-in (no Flask, no database)."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random
from urllib.parse import urlsplit

from shopfloor.auth.throttle import locked_until
from shopfloor.codes import KIND_WORKER, InvalidCode, parse_code

GRID_MIN = 4
GRID_MAX = 6
GRID_SIZE = 6
# A station's last_seen_at is written at most this often, not on every request.
LAST_SEEN_INTERVAL = timedelta(minutes=1)


def token_hash(token: str) -> str:
    """What is stored of a station's device token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def last_seen_due(last_seen_at: datetime | None, now: datetime,
                  interval: timedelta = LAST_SEEN_INTERVAL) -> bool:
    """Whether a station's last-seen time is old enough to be written again."""
    return last_seen_at is None or now - last_seen_at >= interval


def picture_grid(worker_id: int, other_ids: Iterable[int], size: int, rng: Random) -> list[int]:
    """The worker's own picture once among up to ``size - 1`` other workers', shuffled.

    The grid is shorter than ``size`` when there are not enough other workers; the caller
    decides whether a short grid is enough.
    """
    if not GRID_MIN <= size <= GRID_MAX:
        raise ValueError(f"a picture grid has {GRID_MIN} to {GRID_MAX} pictures")
    others = sorted({i for i in other_ids if i != worker_id})  # sorted: a seeded rng repeats
    grid = [worker_id, *rng.sample(others, min(size - 1, len(others)))]
    rng.shuffle(grid)
    return grid


def picked_own_picture(worker_id: int, answer: int | str | None) -> bool:
    """Whether the picked picture (a worker id, as a form sends it) is the worker's own."""
    try:
        return int(str(answer).strip()) == worker_id
    except ValueError:
        return False


def code_in_scan(text: str | None) -> str | None:
    """The code a scan holds: the last path segment of a QR link (``…/s/<CODE>``) or the
    bare code; None when the text is not a well-formed code (a misread)."""
    text = (text or "").replace("\r", "").replace("\n", "").strip()
    if "://" in text or text.startswith("/"):
        path = urlsplit(text).path if "://" in text else text
        segments = [s for s in path.split("/") if s]
        text = segments[-1] if segments else ""
    try:
        return parse_code(text)
    except InvalidCode:
        return None


class BadgeCheck(enum.StrEnum):
    """What a badge scan turned out to be."""

    MATCH = "match"  # the worker's own badge
    OTHER_BADGE = "other_badge"  # a valid badge, someone else's: counts as a failure
    NOT_A_BADGE = "not_a_badge"  # a valid code of another kind (a batch label): no count
    UNREADABLE = "unreadable"  # not a code at all (misread): no count


def check_badge(scan_text: str | None, worker_code: str) -> BadgeCheck:
    """Compare a scan with the worker's badge code."""
    code = code_in_scan(scan_text)
    if code is None:
        return BadgeCheck.UNREADABLE
    if code[0] != KIND_WORKER:
        return BadgeCheck.NOT_A_BADGE
    return BadgeCheck.MATCH if code == worker_code else BadgeCheck.OTHER_BADGE


@dataclass(frozen=True)
class WorkerSignInLimits:
    """How many failed sign-ins a worker and a station may have in a window."""

    per_worker: int = 5
    per_station: int = 20
    window: timedelta = timedelta(minutes=15)


def sign_in_locked_until(worker_failures: Iterable[datetime],
                         station_failures: Iterable[datetime],
                         limits: WorkerSignInLimits, now: datetime) -> datetime | None:
    """When the worker may try again on this station, or None when they may try now.

    The caller passes only failures that still count (not cleared by a supervisor, and for
    the worker: after their last successful sign-in).
    """
    locks = [locked_until(worker_failures, limits.per_worker, limits.window, now),
             locked_until(station_failures, limits.per_station, limits.window, now)]
    locks = [t for t in locks if t is not None]
    return max(locks) if locks else None
