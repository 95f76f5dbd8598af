"""State changes of stations (shared tablets) and of workers signing in on them.

Decisions (see also the models):

- A station may have several workers signed in at once (a shared table). A worker is
  signed in on at most one station: signing in on another one ends the open session there.
  Signing in again where the worker already is keeps that session.
- Only the workers expected at a station (``set_expected_workers``) may sign in there;
  a station without a list lets nobody in, which the supervisor sees on the photo screen.
- Counted failures: someone else's badge, or someone else's picture. A misread scan or a
  code that is not a badge (a batch label) is answered but not counted: it cannot guess
  anyone's badge, and a bad camera must not lock a worker out.
- A worker is locked after ``per_worker`` failures in the window (failures before their
  last successful sign-in do not count); a station after ``per_station`` failures of any
  of its workers. Only a supervisor unlocks (``unlock_worker``, ``unlock_station``): the
  worker is told to call them, never to wait.
- Messages a worker may see are short and easy to read, and never blame.
- Access (only supervisors and managers enrol, revoke, set lists, unlock) is checked by
  the views, as for every other service.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified

from shopfloor.audit.services import check_version, commit, conflict_safe, write_audit
from shopfloor.codes import format_code
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.lines import LINE_CODES
from shopfloor.stations import rules
from shopfloor.stations.models import (
    Station,
    StationWorker,
    WorkerSession,
)
from shopfloor.workers.models import Worker

NAME_MAX = 60
ATTEMPT_RETENTION = timedelta(days=30)

# What a worker may be shown (easy-to-read: short, concrete, no blame).
MSG_LOCKED = _l("Too many tries. Call the supervisor.")
MSG_WRONG_BADGE = _l("That is not your badge. Try again.")
MSG_NOT_A_BADGE = _l("This is not a badge. Scan your badge.")
MSG_UNREADABLE = _l("The code was not read. Scan again.")
MSG_WRONG_PICTURE = _l("That is not your photo. Try again.")
MSG_NOT_EXPECTED = _l("You are not on this tablet's list. Call the supervisor.")
MSG_INACTIVE = _l("You cannot sign in now. Call the supervisor.")
MSG_NO_PHOTO = _l("Your photo is missing. Call the supervisor.")
MSG_FEW_PHOTOS = _l("There are too few photos. Call the supervisor.")
MSG_STATION_REVOKED = _l("This tablet is blocked. Call the supervisor.")
MSG_TRY_AGAIN = _l("Something went wrong. Try again.")


class WorkerSignInRefused(DomainError):
    """A worker's sign-in was refused; ``message`` is easy to read and says what to do.

    ``locked``: too many failures, a supervisor must unlock (``retry_at`` says when the lock
    would lapse by itself, for the supervisor's screen).
    """

    def __init__(self, message, *, locked: bool = False, retry_at: datetime | None = None):
        super().__init__(message, field="answer")
        self.locked = locked
        self.retry_at = retry_at


@dataclass(frozen=True)
class SignInChallenge:
    """The second step of a worker's sign-in: scan the badge, or pick the own photo from
    ``grid`` (worker ids, in the order to show them)."""

    worker_id: int
    method: str
    grid: list[int] = field(default_factory=list)


# ---------------------------------------------------------------- stations


def _clean_name(name: str, station: Station | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_l("Enter a name for the station."), field="name")
    if len(name) > NAME_MAX:
        raise DomainError(_l("Use at most %(n)s characters.", n=NAME_MAX), field="name")
    taken = db.session.scalar(select(Station.id).where(Station.name == name))
    if taken is not None and (station is None or taken != station.id):
        raise DomainError(_l("A station with this name exists. Choose another name."),
                          field="name")
    return name


def _clean_line(line: str | None) -> str | None:
    if not line:
        return None
    if line not in LINE_CODES:
        raise DomainError(_l("Choose a line from the list."), field="line")
    return line


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, rules.token_hash(token)


def enrol_station(name: str, line: str | None, user,
                  now: datetime | None = None) -> tuple[Station, str]:
    """Enrol a tablet as a station; returns the station and its device token.

    The token is shown (or set as the tablet's cookie) once: only its hash is stored.
    """
    token, digest = _new_token()
    station = Station(name=_clean_name(name), line=_clean_line(line), token_hash=digest,
                      enrolled_by=user.id if user is not None else None,
                      enrolled_at=now or utcnow())
    try:
        db.session.add(station)
        write_audit(station, "created", user, to_status=station.status)  # flushes: needs an id
        commit([station])
    except IntegrityError:  # the same name enrolled at the same moment
        db.session.rollback()
        raise DomainError(_l("A station with this name exists. Choose another name."),
                          field="name") from None
    return station, token


def _end_open_sessions(station: Station, now: datetime) -> None:
    db.session.execute(
        update(WorkerSession)
        .where(WorkerSession.station_id == station.id, WorkerSession.ended_at.is_(None))
        .values(ended_at=now))


@conflict_safe
def revoke_station(station: Station, user, reason: str, now: datetime | None = None,
                   expected_version: int | str | None = None) -> None:
    """Shut a tablet out (lost, broken, moved): its token stops working and the workers
    signed in on it are signed out. A reason is required."""
    check_version(station, expected_version)
    if not (reason or "").strip():
        raise DomainError(_l("Say why you revoke this station."), field="reason")
    if station.revoked_at is not None:
        raise DomainError(_l("This station is already revoked."))
    now = now or utcnow()
    _end_open_sessions(station, now)
    station.revoked_at = now
    write_audit(station, "status", user, from_status="active", to_status="revoked",
                reason=reason.strip())
    commit([station])


@conflict_safe
def reenrol_station(station: Station, user, now: datetime | None = None) -> str:
    """Make the tablet in hand the station (a new or replaced tablet, or a revoked station
    brought back), keeping its name, workers and work; returns the new device token. The
    previous tablet's token stops working at once."""
    token, digest = _new_token()
    was_revoked = station.revoked_at is not None
    station.token_hash = digest
    station.revoked_at = None
    station.last_seen_at = None
    station.enrolled_by = user.id if user is not None else None
    station.enrolled_at = now or utcnow()
    if was_revoked:
        write_audit(station, "status", user, from_status="revoked", to_status="active")
    else:
        write_audit(station, "edited", user, changes={"tablet": ("previous", "replaced")})
    commit([station])
    return token


def station_for_token(token: str | None, now: datetime | None = None) -> Station | None:
    """The active station whose device token this is, or None (unknown or revoked).

    The token is looked up by its SHA-256, so no secret is compared character by character.
    ``last_seen_at`` is written at most once a minute, without bumping the row's version
    (a tablet in use must not make a supervisor's open edit form stale). Call it at the
    start of a request: it commits.
    """
    if not token:
        return None
    station = db.session.scalar(select(Station).where(Station.token_hash ==
                                                      rules.token_hash(token)))
    if station is None or station.revoked_at is not None:
        return None
    now = now or utcnow()
    if rules.last_seen_due(station.last_seen_at, now):
        # Conditional, so concurrent requests of the same tablet write it once.
        db.session.execute(
            update(Station)
            .where(Station.id == station.id,
                   or_(Station.last_seen_at.is_(None),
                       Station.last_seen_at <= now - rules.LAST_SEEN_INTERVAL))
            .values(last_seen_at=now))
        db.session.commit()
    return station


def set_expected_workers(station: Station, worker_ids, user,
                         expected_version: int | str | None = None) -> None:
    """Set which workers are expected at a station (only they can sign in on it)."""
    check_version(station, expected_version)
    try:
        wanted = {int(i) for i in worker_ids}
    except (TypeError, ValueError):
        raise DomainError(_l("Choose workers from the list."), field="workers") from None
    workers = {w.id: w for w in db.session.scalars(select(Worker).where(Worker.id.in_(wanted)))}
    if set(workers) != wanted:
        raise DomainError(_l("Choose workers from the list."), field="workers")
    current = set(db.session.scalars(
        select(StationWorker.worker_id).where(StationWorker.station_id == station.id)))
    if current == wanted:
        return
    if current - wanted:
        db.session.execute(delete(StationWorker).where(
            StationWorker.station_id == station.id,
            StationWorker.worker_id.in_(current - wanted)))
    db.session.add_all(StationWorker(station_id=station.id, worker_id=i)
                       for i in sorted(wanted - current))
    workers.update({w.id: w for w in db.session.scalars(
        select(Worker).where(Worker.id.in_(current - wanted)))})

    def names(ids):
        return sorted(f"{workers[i].first_name} {format_code(workers[i].code)}" for i in ids)

    write_audit(station, "edited", user, changes={"workers": (names(current), names(wanted))})
    # The list lives in its own table: touch the station row so its version moves on and a
    # second supervisor saving an older list gets a conflict instead of overwriting this one.
    flag_modified(station, "name")
    commit([station])


def expected_workers(station: Station) -> list[Worker]:
    """The active workers expected at a station, for its photo screen (by first name)."""
    return list(db.session.scalars(
        select(Worker).join(StationWorker, StationWorker.worker_id == Worker.id)
        .where(StationWorker.station_id == station.id, Worker.active.is_(True))
        .order_by(Worker.first_name, Worker.id)))


ASSIGNABLE = frozenset({"released", "in_progress"})


@conflict_safe
def assign_batch(station: Station, batch, user, expected_version: int | str | None = None) -> None:
    """Give the station's workers a batch to work on now (None: no task)."""
    check_version(station, expected_version)
    if station.revoked_at is not None:
        raise DomainError(_l("This station is already revoked."), field="batch")
    if batch is not None:
        if batch.status not in ASSIGNABLE:
            raise DomainError(_l("Only a released batch or one in progress can be worked on."),
                              field="batch")
        if station.line and batch.line != station.line:
            raise DomainError(_l("This batch is for another line."), field="batch")
    old = station.current_batch_id
    new = batch.id if batch is not None else None
    if old != new:
        station.current_batch_id = new
        write_audit(station, "edited", user, changes={"batch": (old, new)})
    if batch is not None and batch.instruction_version_id is None:
        _follow_published_instruction(batch, user)
    commit([station])


def _follow_published_instruction(batch, user) -> None:
    """From now on the batch records the instruction version its workers follow: the one
    published for its product when work is given out (a later version does not change it)."""
    from shopfloor.instructions.services import published_version

    version = published_version(batch.product_id)
    if version is None:
        return
    batch.instruction_version_id = version.id
    write_audit(batch, "edited", user, changes={
        "instruction": (None, f"{version.instruction.title} v{version.number}")})
