"""What the supervisors' live board shows: open help calls first, then every station with
who is signed in, their batch and step, progress toward the target, and idle workers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shopfloor.extensions import db
from shopfloor.floor.models import HelpCall, StepEvent
from shopfloor.floor.services import open_help_calls
from shopfloor.instructions.models import InstructionStep
from shopfloor.production.models import Batch
from shopfloor.stations.models import Station, WorkerSession
from shopfloor.workers.models import Worker
from shopfloor.workers.services import current_support

# A call from a station's photo or sign-in screen, before anyone signed in.
SOMEONE = _l("Someone (not signed in)")


@dataclass
class WorkerRow:
    """One signed-in worker on the board."""

    worker: Worker
    since: datetime
    last_event: StepEvent | None = None
    batch: Batch | None = None
    step: InstructionStep | None = None
    idle: bool = False

    @property
    def progress(self) -> tuple[Decimal, Decimal] | None:
        """Good quantity and planned quantity of the worker's batch."""
        if self.batch is None:
            return None
        return self.batch.good_quantity, self.batch.planned_quantity


@dataclass
class StationRow:
    """One station on the board."""

    station: Station
    workers: list[WorkerRow] = field(default_factory=list)


@dataclass
class CallRow:
    """A help call with the names the board shows."""

    call: HelpCall
    worker: str
    station: str
    batch: Batch | None = None
    step: InstructionStep | None = None


@dataclass
class Board:
    """Help calls (oldest first) and stations with their workers."""

    calls: list[CallRow]
    stations: list[StationRow]


def _timer_wait_after(last: StepEvent | None) -> timedelta:
    """How long the step after the worker's last Done asks them to wait, if it is a timer."""
    if last is None or last.kind != "done" or last.instruction_step_id is None:
        return timedelta(0)
    done = db.session.get(InstructionStep, last.instruction_step_id)
    following = db.session.scalar(select(InstructionStep).where(
        InstructionStep.instruction_version_id == done.instruction_version_id,
        InstructionStep.position == done.position + 1))
    if following is None or following.kind != "timer":
        return timedelta(0)
    return timedelta(minutes=float((following.settings or {}).get("minutes") or 0))


def build_board(now: datetime) -> Board:
    """Collect the board with a few queries (no per-row lookups beyond the signed-in)."""
    stations = db.session.scalars(select(Station).where(Station.revoked_at.is_(None))
                                  .order_by(Station.name)).all()
    rows = {s.id: StationRow(s) for s in stations}
    sessions = db.session.scalars(select(WorkerSession).where(
        WorkerSession.ended_at.is_(None)).order_by(WorkerSession.started_at)).all()
    for session in sessions:
        if session.station_id not in rows:
            continue
        worker = db.session.get(Worker, session.worker_id)
        last = db.session.scalar(select(StepEvent).where(StepEvent.session_id == session.id)
                                 .order_by(StepEvent.received_at.desc()).limit(1))
        row = WorkerRow(worker, session.started_at, last)
        if last is not None:
            row.batch = db.session.get(Batch, last.batch_id) if last.batch_id else None
            row.step = (db.session.get(InstructionStep, last.instruction_step_id)
                        if last.instruction_step_id else None)
        else:  # signed in, no tap yet: the batch the station is set to work on
            station = rows[session.station_id].station
            row.batch = (db.session.get(Batch, station.current_batch_id)
                         if station.current_batch_id else None)
        # The silent alert: no tap for longer than this worker's coach allows (plus the
        # wait of a timer step the worker went on to: waiting is doing that step).
        alert_after = timedelta(minutes=current_support(worker.id).idle_alert_minutes)
        alert_after += _timer_wait_after(last)
        row.idle = now - (last.received_at if last else session.started_at) > alert_after
        rows[session.station_id].workers.append(row)
    calls = []
    for call in open_help_calls():
        worker = db.session.get(Worker, call.worker_id) if call.worker_id else None
        station = db.session.get(Station, call.station_id)
        calls.append(CallRow(
            call, worker.first_name if worker else str(SOMEONE), station.name if station else "",
            db.session.get(Batch, call.batch_id) if call.batch_id else None,
            (db.session.get(InstructionStep, call.instruction_step_id)
             if call.instruction_step_id else None)))
    return Board(calls, list(rows.values()))
