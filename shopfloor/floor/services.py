"""State changes from the tablets: step events (counts move the batch's good quantity) and
help calls that supervisors acknowledge and close."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shopfloor.audit.services import commit, conflict_safe, write_audit
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.floor import rules
from shopfloor.floor.counting import counted, last_tap_to_undo, round_counted
from shopfloor.floor.models import EventKind, HelpCall, StepEvent
from shopfloor.floor.readings import measure_into_record, refuse_if_line_says_so
from shopfloor.instructions.models import InstructionStep, StepKind
from shopfloor.production.models import Batch
from shopfloor.production.services import add_to_good_quantity
from shopfloor.production.status import BatchStatus
from shopfloor.stations.models import Station, WorkerSession

# Worker screens: short sentences, say what to do, no blame (accessibility.md).
MSG_FINISHED = _l("This task is finished. Call the supervisor.")
MSG_NOT_STARTED = _l("This task has not started. Call the supervisor.")
MSG_SIGNED_OUT = _l("You are signed out. Sign in again.")
MSG_WRONG_STEP = _l("This step is not part of this task. Call the supervisor.")
MSG_BAD_TAP = _l("The tablet sent something wrong. Call the supervisor.")
MSG_NOTHING_TO_UNDO = _l("There is nothing to take back.")
MSG_TYPE_NUMBER = _l("Type the number again.")
MSG_SCAN_AGAIN = _l("Scan the label again.")
MSG_CHOOSE_PHOTO = _l("Choose the good photo or the bad photo.")
# Supervisor screen.
MSG_CALL_CLOSED = _l("This help call is already closed.")

FINISHED_STATUSES = frozenset({BatchStatus.AWAITING_QC, BatchStatus.DONE, BatchStatus.SCRAPPED})
# The step kinds each event kind belongs to; "done" fits every step, "help" needs none.
STEP_KINDS = {
    EventKind.COUNT: {StepKind.COUNT}, EventKind.UNDO: {StepKind.COUNT},
    EventKind.MEASURE: {StepKind.MEASURE}, EventKind.SCAN: {StepKind.SCAN},
    EventKind.CHECK: {StepKind.CHECK},
}
CHECK_ANSWERS = ("good", "bad")
MAX_MEASURE = Decimal(10) ** 11  # what Numeric(14, 3) holds


@dataclass(frozen=True)
class EventResult:
    """What a step event did, for the tablet's answer.

    ``in_range``: a measure within the step's min/max (None: not a measure, or no range).
    ``matched``: a scan of the kind the step asks for (None: not a scan, or any scan goes).
    """

    event: StepEvent
    created: bool
    in_range: bool | None = None
    matched: bool | None = None

    @property
    def total(self) -> Decimal | None:
        """A count step's running count on the batch, all workers (None: not a count);
        summed only when asked, as the tablet shows the worker's own round instead."""
        if self.event.kind not in rules.COUNTING_KINDS:
            return None
        return counted(self.event.batch_id, self.event.instruction_step_id)


def measure_settings(step: InstructionStep, line: str) -> dict:
    """A measuring step's settings with the range the worker must hit: the line plug-in's
    range for the quantity, narrowed by the step's own min/max."""
    from shopfloor.lines import get_line

    settings = step.settings or {}
    line_range = get_line(line).measure_range(settings.get("measure", "")) if line else None
    return rules.measure_bounds(settings, line_range)


def canonical_tap_id(client_id) -> str:
    """The tablet's UUID in its canonical spelling, so a resend matches the first send."""
    try:
        return str(uuid.UUID(str(client_id or "").strip()))
    except ValueError:
        raise DomainError(MSG_BAD_TAP, field="client_id") from None


def _aware(moment: datetime | None, now: datetime) -> datetime:
    if moment is None:
        return now
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _refuse_unless_working(session: WorkerSession, batch: Batch) -> None:
    if not session.open:
        raise DomainError(MSG_SIGNED_OUT, field="session")
    if batch.status != BatchStatus.IN_PROGRESS:
        raise DomainError(MSG_FINISHED if batch.status in FINISHED_STATUSES
                          else MSG_NOT_STARTED, field="batch")


def _check_step(batch: Batch, step: InstructionStep | None, kind: str) -> None:
    if kind not in {k.value for k in EventKind}:
        raise DomainError(MSG_BAD_TAP, field="kind")
    if step is None:
        if kind != EventKind.HELP:
            raise DomainError(MSG_WRONG_STEP, field="step")
        return
    if batch.instruction_version_id is None \
            or step.instruction_version_id != batch.instruction_version_id:
        raise DomainError(MSG_WRONG_STEP, field="step")
    if kind in STEP_KINDS and step.kind not in STEP_KINDS[kind]:
        raise DomainError(MSG_BAD_TAP, field="kind")


def _clean_input(kind: str, value, text: str | None) -> tuple[Decimal | None, str | None]:
    """The value and text stored for an event of ``kind`` (others are dropped)."""
    if kind == EventKind.UNDO:
        # What an undo moves by is the server's to work out (it reverses the last tap); the
        # tablet's own guess (-1 or +1) is accepted and ignored.
        if value is not None and rules.as_decimal(value) not in (Decimal(1), Decimal(-1)):
            raise DomainError(MSG_BAD_TAP, field="value")
        return None, None
    if kind == EventKind.COUNT:
        number = rules.as_decimal(value)
        if number not in (Decimal(1), Decimal(-1)):
            raise DomainError(MSG_BAD_TAP, field="value")
        return number, None
    if kind == EventKind.MEASURE:
        number = rules.as_decimal(value)
        if number is None or abs(number) >= MAX_MEASURE:
            raise DomainError(MSG_TYPE_NUMBER, field="value")
        return number, None
    if kind == EventKind.SCAN:
        scanned = (text or "").strip()
        if not scanned:
            raise DomainError(MSG_SCAN_AGAIN, field="text")
        # Store our codes canonically (traceable later); anything else as read.
        code, _matched = rules.scan_result(scanned, None)
        return None, code or scanned[:200]
    if kind == EventKind.CHECK:
        answer = (text or "").strip().lower()
        if answer not in CHECK_ANSWERS:
            raise DomainError(MSG_CHOOSE_PHOTO, field="text")
        return None, answer
    return None, None


def _counting_scan(step: InstructionStep | None) -> bool:
    """A scan step where each scan of the finished unit's barcode counts one."""
    return step is not None and (step.settings or {}).get("scan") == "kit"


def _event_by_client_id(client_id: str) -> StepEvent | None:
    return db.session.scalar(select(StepEvent).where(StepEvent.client_id == client_id))


def step_events(batch_id: int, step_id: int, worker_id: int | None = None) -> list[StepEvent]:
    """The events of one step of one batch (of one worker if given), oldest first."""
    query = select(StepEvent).where(StepEvent.batch_id == batch_id,
                                    StepEvent.instruction_step_id == step_id)
    if worker_id is not None:
        query = query.where(StepEvent.worker_id == worker_id)
    return list(db.session.scalars(query.order_by(StepEvent.id)))


def _result(event: StepEvent, created: bool) -> EventResult:
    """The result of a stored event, worked out again from the row (a resend gets the same)."""
    if event.kind in rules.COUNTING_KINDS or event.kind not in (EventKind.MEASURE,
                                                                  EventKind.SCAN):
        return EventResult(event, created)
    step = (db.session.get(InstructionStep, event.instruction_step_id)
            if event.instruction_step_id else None)
    settings = (step.settings if step else None) or {}
    if event.kind == EventKind.MEASURE and event.value is not None:
        batch = db.session.get(Batch, event.batch_id)
        return EventResult(event, created, in_range=rules.in_range(
            event.value, measure_settings(step, batch.line)))
    if event.kind == EventKind.SCAN and _counting_scan(step):
        return EventResult(event, created, matched=False)  # a match was stored as a count
    if event.kind == EventKind.SCAN and event.text:
        return EventResult(event, created,
                           matched=rules.scan_result(event.text, settings.get("scan"))[1])
    return EventResult(event, created)


def _apply_count(event: StepEvent, batch: Batch, session: WorkerSession) -> None:
    """Store a count or undo and move the batch's good quantity by it, in one transaction.

    The quantity moves by one atomic UPDATE guarded in SQL (still in progress, never below
    zero), so taps at a shared table add up on SQLite and PostgreSQL alike, without a
    read-then-write race. The step event itself is the record of who counted what; the
    batch's version moves on, so an open office form on the batch sees the change.
    """
    _refuse_unless_working(session, batch)
    if event.kind == EventKind.UNDO:
        last = last_tap_to_undo(batch.id, event.instruction_step_id, session.worker_id)
        if last is None:
            raise DomainError(MSG_NOTHING_TO_UNDO, field="value")
        event.value = -last  # a +1 taken back is -1, a -1 taken back is +1
    delta = event.value
    # Only what the worker counted in this round (since their last Done) can be taken back.
    if delta < 0 and round_counted(batch.id, event.instruction_step_id,
                                   session.worker_id) + delta < 0:
        raise DomainError(MSG_NOTHING_TO_UNDO, field="value")
    db.session.add(event)
    db.session.flush()  # a duplicate client_id fails here, before the batch changes
    if not add_to_good_quantity(batch, delta):
        db.session.rollback()
        db.session.refresh(batch)
        _refuse_unless_working(session, batch)
        raise DomainError(MSG_NOTHING_TO_UNDO, field="value")
    from shopfloor.lines import get_line

    try:  # the line's own stock (co-packing: the kit's components) in the same transaction
        get_line(batch.line).output_changed(batch, delta, None)
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()


def record_step_event(session: WorkerSession, batch: Batch, step: InstructionStep | None,
                      kind: str, client_id: str, value=None, text: str | None = None,
                      occurred_at: datetime | None = None,
                      now: datetime | None = None) -> EventResult:
    """Store a worker's tap on a step once per ``client_id`` (a resend changes nothing).

    Refused when the worker is signed out, the batch is not in progress or the step is not
    in the batch's instruction version. Counts (+1/-1) and undos (the worker's last count in
    this round reversed) move the batch's good quantity, never below 0. Measures outside the step's
    min/max and scans of the wrong kind are stored and flagged in the result.
    """
    now = now or utcnow()
    client_id = canonical_tap_id(client_id)
    existing = _event_by_client_id(client_id)
    if existing is not None:
        return _result(existing, False)
    _refuse_unless_working(session, batch)
    _check_step(batch, step, kind)
    if kind != EventKind.HELP:
        refuse_if_line_says_so(batch)
    value, text = _clean_input(kind, value, text)
    if kind == EventKind.SCAN and _counting_scan(step):
        from shopfloor.lines import get_line

        if get_line(batch.line).scan_counts(batch, text):  # one finished unit: a count
            kind, value = EventKind.COUNT.value, Decimal(1)
    event = StepEvent(client_id=client_id, kind=kind, batch_id=batch.id,
                      instruction_step_id=step.id if step else None,
                      worker_id=session.worker_id, station_id=session.station_id,
                      session_id=session.id, value=value, text=text,
                      occurred_at=_aware(occurred_at, now), received_at=now)
    try:
        if kind in rules.COUNTING_KINDS:
            _apply_count(event, batch, session)
        else:
            db.session.add(event)
            if kind == EventKind.MEASURE:
                db.session.flush()  # a duplicate client_id fails here, before the batch changes
                measure_into_record(batch, step, event)
            db.session.commit()
    except IntegrityError:  # the same tap arrived twice at the same moment
        db.session.rollback()
        existing = _event_by_client_id(client_id)
        if existing is None:
            raise
        return _result(existing, False)
    return _result(event, True)


def _call_by_client_id(client_id: str) -> HelpCall | None:
    return db.session.scalar(select(HelpCall).where(HelpCall.client_id == client_id))


def _open_call_of(worker_id: int) -> HelpCall | None:
    return db.session.scalar(select(HelpCall).where(HelpCall.worker_id == worker_id,
                                                    HelpCall.closed_at.is_(None)))


def call_help(session: WorkerSession, batch: Batch | None, step: InstructionStep | None,
              client_id: str, now: datetime | None = None) -> tuple[HelpCall, bool]:
    """A worker asks for help; returns the call and whether it is new.

    Never refused for the batch's status (help is always allowed to a signed-in worker).
    A resend, or another tap while the worker's call is still open, returns that call.
    """
    now = now or utcnow()
    client_id = canonical_tap_id(client_id)
    existing = _call_by_client_id(client_id)
    if existing is not None:
        return existing, False
    if not session.open:
        raise DomainError(MSG_SIGNED_OUT, field="session")
    open_call = _open_call_of(session.worker_id)
    if open_call is not None and open_call.station_id == session.station_id:
        return open_call, False
    if open_call is not None:
        # The worker has moved to another table: the supervisor must go there instead.
        open_call.closed_at = now
        db.session.flush()
    call = HelpCall(client_id=client_id, worker_id=session.worker_id,
                    station_id=session.station_id, batch_id=batch.id if batch else None,
                    instruction_step_id=step.id if step else None, created_at=now)
    try:
        db.session.add(call)
        if batch is not None and batch.status == BatchStatus.IN_PROGRESS:
            # The mark on the batch's timeline (who needed help at which step).
            db.session.add(StepEvent(
                client_id=client_id, kind=EventKind.HELP.value, batch_id=batch.id,
                instruction_step_id=step.id if step else None, worker_id=session.worker_id,
                station_id=session.station_id, session_id=session.id, occurred_at=now,
                received_at=now))
        db.session.commit()
    except IntegrityError:  # a double tap on two requests at once
        db.session.rollback()
        existing = _call_by_client_id(client_id) or _open_call_of(session.worker_id)
        if existing is None:
            raise
        return existing, False
    return call, True


def call_help_from_station(station: Station, client_id: str,
                           now: datetime | None = None) -> tuple[HelpCall, bool]:
    """Someone at a station asks for help before signing in (the photo or sign-in screen).

    The call names the station only. A resend, or another tap while the station's call of
    nobody in particular is still open, returns that call.
    """
    now = now or utcnow()
    client_id = canonical_tap_id(client_id)
    existing = _call_by_client_id(client_id)
    if existing is not None:
        return existing, False
    if station.revoked_at is not None:
        raise DomainError(_l("This tablet is blocked. Call the supervisor."), field="station")
    open_call = db.session.scalar(select(HelpCall).where(
        HelpCall.station_id == station.id, HelpCall.worker_id.is_(None),
        HelpCall.closed_at.is_(None)).limit(1))
    if open_call is not None:
        return open_call, False
    call = HelpCall(client_id=client_id, worker_id=None, station_id=station.id,
                    created_at=now)
    db.session.add(call)
    db.session.commit()
    return call, True


def latest_help_call(station_id: int, worker_id: int | None) -> HelpCall | None:
    """The newest call of this worker (or of nobody in particular) at this station, for the
    tablet to show "Wait" / "The supervisor is coming"."""
    return db.session.scalar(
        select(HelpCall).where(HelpCall.station_id == station_id,
                               HelpCall.worker_id.is_(None) if worker_id is None
                               else HelpCall.worker_id == worker_id)
        .order_by(HelpCall.created_at.desc(), HelpCall.id.desc()).limit(1))


@conflict_safe
def acknowledge_help(call: HelpCall, user, now: datetime | None = None) -> None:
    """A supervisor says "I am coming" (again: nothing changes)."""
    if call.closed_at is not None:
        raise DomainError(MSG_CALL_CLOSED, field="help_call")
    if call.acknowledged_at is not None:
        return
    call.acknowledged_at = now or utcnow()
    call.acknowledged_by = user.id if user else None
    write_audit(call, "status", user, from_status="open", to_status="acknowledged")
    commit([call])


@conflict_safe
def close_help(call: HelpCall, user, now: datetime | None = None) -> None:
    """A supervisor closes a call (again: nothing changes); closing answers it too."""
    if call.closed_at is not None:
        return
    now = now or utcnow()
    from_status = call.status
    if call.acknowledged_at is None:
        call.acknowledged_at = now
        call.acknowledged_by = user.id if user else None
    call.closed_at = now
    call.closed_by = user.id if user else None
    write_audit(call, "status", user, from_status=from_status, to_status="closed")
    commit([call])


def open_help_calls() -> list[HelpCall]:
    """The calls not yet closed, oldest first (who has waited longest)."""
    return list(db.session.scalars(select(HelpCall).where(HelpCall.closed_at.is_(None))
                                   .order_by(HelpCall.created_at, HelpCall.id)))
