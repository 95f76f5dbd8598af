"""Workers signing in on a station: challenges, attempt limits, sessions.

The decisions are described in ``shopfloor.stations.services``.
"""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from shopfloor.audit.services import commit, write_audit
from shopfloor.database import utcnow
from shopfloor.extensions import db
from shopfloor.stations import rules
from shopfloor.stations.models import (
    Station,
    StationWorker,
    WorkerSession,
    WorkerSignInAttempt,
)
from shopfloor.stations.rules import BadgeCheck, WorkerSignInLimits
from shopfloor.stations.services import (  # noqa: F401
    ATTEMPT_RETENTION,
    MSG_FEW_PHOTOS,
    MSG_INACTIVE,
    MSG_LOCKED,
    MSG_NO_PHOTO,
    MSG_NOT_A_BADGE,
    MSG_NOT_EXPECTED,
    MSG_STATION_REVOKED,
    MSG_TRY_AGAIN,
    MSG_UNREADABLE,
    MSG_WRONG_BADGE,
    MSG_WRONG_PICTURE,
    SignInChallenge,
    WorkerSignInRefused,
)
from shopfloor.workers.models import SignInMethod, Worker

# ---------------------------------------------------------------- attempt limits


def _counted_failures(*conditions) -> list[datetime]:
    return list(db.session.scalars(
        select(WorkerSignInAttempt.at)
        .where(WorkerSignInAttempt.succeeded.is_(False),
               WorkerSignInAttempt.cleared_at.is_(None), *conditions)))


def worker_locked_until(worker: Worker, station: Station | None, now: datetime | None = None,
                        limits: WorkerSignInLimits | None = None) -> datetime | None:
    """When the worker could try again on ``station`` by themselves, or None if they may try
    now. ``station`` None: only the worker's own failures count."""
    now = now or utcnow()
    limits = limits or WorkerSignInLimits()
    window_start = now - limits.window
    last_success = db.session.scalar(
        select(func.max(WorkerSignInAttempt.at))
        .where(WorkerSignInAttempt.worker_id == worker.id,
               WorkerSignInAttempt.succeeded.is_(True)))
    since = max(window_start, last_success) if last_success else window_start
    worker_failures = _counted_failures(WorkerSignInAttempt.worker_id == worker.id,
                                        WorkerSignInAttempt.at > since)
    station_failures = [] if station is None else _counted_failures(
        WorkerSignInAttempt.station_id == station.id, WorkerSignInAttempt.at > window_start)
    return rules.sign_in_locked_until(worker_failures, station_failures, limits, now)


def station_locked_until(station: Station, now: datetime | None = None,
                         limits: WorkerSignInLimits | None = None) -> datetime | None:
    """When the station's sign-in opens again by itself after too many failures on it,
    whoever tried, or None if it is open (a supervisor may unlock it sooner)."""
    now = now or utcnow()
    limits = limits or WorkerSignInLimits()
    failures = _counted_failures(WorkerSignInAttempt.station_id == station.id,
                                 WorkerSignInAttempt.at > now - limits.window)
    return rules.sign_in_locked_until([], failures, limits, now)


def _refuse_if_locked(worker: Worker, station: Station, now: datetime,
                      limits: WorkerSignInLimits) -> None:
    retry_at = worker_locked_until(worker, station, now, limits)
    if retry_at is not None:
        raise WorkerSignInRefused(MSG_LOCKED, locked=True, retry_at=retry_at)


def unlock_worker(worker: Worker, user, now: datetime | None = None) -> int:
    """A supervisor lets a locked-out worker try again; returns how many failures it cleared.

    The failures are kept (marked cleared), so the supervisor can still see them.
    """
    cleared = db.session.execute(
        update(WorkerSignInAttempt)
        .where(WorkerSignInAttempt.worker_id == worker.id,
               WorkerSignInAttempt.succeeded.is_(False),
               WorkerSignInAttempt.cleared_at.is_(None))
        .values(cleared_at=now or utcnow())).rowcount
    write_audit(worker, "edited", user, changes={"sign_in_lock": ("locked", "unlocked")})
    commit()
    return cleared


def unlock_station(station: Station, user, now: datetime | None = None) -> int:
    """A supervisor clears the failures counted against a station; returns how many."""
    cleared = db.session.execute(
        update(WorkerSignInAttempt)
        .where(WorkerSignInAttempt.station_id == station.id,
               WorkerSignInAttempt.succeeded.is_(False),
               WorkerSignInAttempt.cleared_at.is_(None))
        .values(cleared_at=now or utcnow())).rowcount
    write_audit(station, "edited", user, changes={"sign_in_lock": ("locked", "unlocked")})
    commit()
    return cleared


# ---------------------------------------------------------------- worker sign-in


def _signable_worker(station: Station, worker_id) -> Worker:
    """The worker, if they may sign in on this station at all (else a refusal to show)."""
    if station.revoked_at is not None:
        raise WorkerSignInRefused(MSG_STATION_REVOKED)
    try:
        worker = db.session.get(Worker, int(worker_id))
    except (TypeError, ValueError):
        worker = None
    if worker is None:
        raise WorkerSignInRefused(MSG_NOT_EXPECTED)
    if not worker.active:
        raise WorkerSignInRefused(MSG_INACTIVE)
    expected = db.session.get(StationWorker, (station.id, worker.id))
    if expected is None:
        raise WorkerSignInRefused(MSG_NOT_EXPECTED)
    return worker


def start_sign_in(station: Station, worker_id: int, now: datetime | None = None,
                  rng: random.Random | None = None, grid_size: int = rules.GRID_SIZE,
                  limits: WorkerSignInLimits | None = None) -> SignInChallenge:
    """A worker tapped their photo on a station: what they do next (scan or pick).

    The picture grid mixes the worker's photo with other active workers' photos; it is not
    stored, so the answer is checked only against the worker's own id.
    """
    now = now or utcnow()
    worker = _signable_worker(station, worker_id)
    _refuse_if_locked(worker, station, now, limits or WorkerSignInLimits())
    if worker.sign_in_method != SignInMethod.PICTURE:
        return SignInChallenge(worker.id, SignInMethod.BADGE.value)
    if not worker.photo:
        raise WorkerSignInRefused(MSG_NO_PHOTO)
    others = db.session.scalars(
        select(Worker.id).where(Worker.active.is_(True), Worker.photo.is_not(None),
                                Worker.id != worker.id))
    grid = rules.picture_grid(worker.id, others, grid_size, rng or random.SystemRandom())
    if len(grid) < rules.GRID_MIN:
        raise WorkerSignInRefused(MSG_FEW_PHOTOS)
    return SignInChallenge(worker.id, SignInMethod.PICTURE.value, grid)


def _answer_is_right(worker: Worker, answer) -> tuple[bool, str]:
    """Whether the answer proves the worker, and the message if it does not.

    Answers that cannot be anyone's (misreads, other codes) raise at once, uncounted.
    """
    if worker.sign_in_method == SignInMethod.PICTURE:
        return rules.picked_own_picture(worker.id, answer), MSG_WRONG_PICTURE
    check = rules.check_badge(None if answer is None else str(answer), worker.code)
    if check is BadgeCheck.UNREADABLE:
        raise WorkerSignInRefused(MSG_UNREADABLE)
    if check is BadgeCheck.NOT_A_BADGE:
        raise WorkerSignInRefused(MSG_NOT_A_BADGE)
    return check is BadgeCheck.MATCH, MSG_WRONG_BADGE


def _open_session(station: Station, worker: Worker, now: datetime) -> WorkerSession:
    current = db.session.scalar(select(WorkerSession).where(
        WorkerSession.worker_id == worker.id, WorkerSession.ended_at.is_(None)))
    if current is not None and current.station_id == station.id:
        return current
    if current is not None:
        current.ended_at = now
        db.session.flush()  # end it before the new one: one open session per worker
    session = WorkerSession(station_id=station.id, worker_id=worker.id, started_at=now)
    db.session.add(session)
    return session


def finish_sign_in(station: Station, worker_id: int, answer, now: datetime | None = None,
                   limits: WorkerSignInLimits | None = None) -> WorkerSession:
    """Check the scanned badge text (``badge``) or the picked worker id (``picture``) and
    sign the worker in on the station; a refusal carries the message to show."""
    now = now or utcnow()
    limits = limits or WorkerSignInLimits()
    worker = _signable_worker(station, worker_id)
    _refuse_if_locked(worker, station, now, limits)
    right, wrong_message = _answer_is_right(worker, answer)

    db.session.execute(delete(WorkerSignInAttempt).where(
        WorkerSignInAttempt.at < now - ATTEMPT_RETENTION))
    db.session.add(WorkerSignInAttempt(worker_id=worker.id, station_id=station.id,
                                       succeeded=right, at=now))
    if not right:
        db.session.commit()
        retry_at = worker_locked_until(worker, station, now, limits)
        if retry_at is not None:
            raise WorkerSignInRefused(MSG_LOCKED, locked=True, retry_at=retry_at)
        raise WorkerSignInRefused(wrong_message)
    try:
        session = _open_session(station, worker, now)
        db.session.commit()
    except IntegrityError:  # signed in on two tablets at the same moment
        db.session.rollback()
        raise WorkerSignInRefused(MSG_TRY_AGAIN) from None
    return session


def sign_out_worker(session: WorkerSession, now: datetime | None = None) -> None:
    """End a worker's session (their own tap on "Koniec", or a supervisor's)."""
    if session.ended_at is None:
        session.ended_at = now or utcnow()
        db.session.commit()


def open_sessions(station: Station) -> list[WorkerSession]:
    """The workers signed in on a station now, first signed in first."""
    return list(db.session.scalars(
        select(WorkerSession)
        .where(WorkerSession.station_id == station.id, WorkerSession.ended_at.is_(None))
        .order_by(WorkerSession.started_at, WorkerSession.id)))
