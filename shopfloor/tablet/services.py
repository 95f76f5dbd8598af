"""What a worker's tablet shows: the work now, its screens, counts, the help call's state.

State changes go through the floor and stations services; this module only gathers.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.floor.models import EventKind, HelpCall
from shopfloor.floor.services import (
    MSG_BAD_TAP,
    canonical_tap_id,
    latest_help_call,
    measure_settings,
    record_step_event,
    round_counted,
    step_events,
)
from shopfloor.instructions.models import InstructionStep, InstructionVersion, StepKind
from shopfloor.production.models import Batch
from shopfloor.stations.models import Station, WorkerSession
from shopfloor.tablet import screens as rules
from shopfloor.timeutil import local_today
from shopfloor.workers.models import Worker
from shopfloor.workers.services import SupportData, current_support


@dataclass
class Work:
    """A signed-in worker's work now on this station."""

    station: Station
    session: WorkerSession
    worker: Worker
    support: SupportData
    batch: Batch | None = None
    version: InstructionVersion | None = None
    steps: list[InstructionStep] = field(default_factory=list)
    screens: list[rules.Screen] = field(default_factory=list)

    def screen(self, number: int) -> rules.Screen | None:
        """Screen ``number`` (from 1), or None past either end."""
        return self.screens[number - 1] if 1 <= number <= len(self.screens) else None

    def steps_on(self, screen: rules.Screen) -> list[InstructionStep]:
        """The steps a screen shows, in order."""
        return [s for s in self.steps if s.position in screen.positions]


def work_for(station: Station, session: WorkerSession) -> Work:
    """Gather the worker's work now: the station's batch and the instruction it follows."""
    worker = db.session.get(Worker, session.worker_id)
    work = Work(station, session, worker, current_support(worker.id))
    if station.current_batch_id is None:
        return work
    work.batch = db.session.get(Batch, station.current_batch_id)
    if work.batch is None or work.batch.instruction_version_id is None:
        return work
    work.version = db.session.get(InstructionVersion, work.batch.instruction_version_id)
    work.steps = list(work.version.steps)
    work.screens = rules.screens_for(work.steps, work.support.steps_per_screen)
    return work


def round_count(work: Work, step: InstructionStep) -> Decimal:
    """What this worker counted on this step since they last finished it (tapped Done)."""
    return round_counted(work.batch.id, step.id, work.worker.id)


def step_bounds(work: Work, step: InstructionStep) -> dict:
    """A measuring step's settings including the range from the line plug-in."""
    return measure_settings(step, work.batch.line)


def help_state(station: Station, worker_id: int | None) -> HelpCall | None:
    """The worker's (or, before sign-in, the station's) help call that is still open."""
    call = latest_help_call(station.id, worker_id)
    return call if call is not None and call.closed_at is None else None


def grid_rng(worker: Worker, secret: str | bytes) -> random.Random:
    """The same picture grid for a worker all day: reloading the page to see which photo
    is always there would otherwise give the answer away."""
    key = secret.encode() if isinstance(secret, str) else secret
    seed = hmac.new(key, f"grid:{worker.id}:{local_today().isoformat()}".encode(),
                    hashlib.sha256).hexdigest()
    return random.Random(seed)


def page_is_current(work: Work, number: int, batch_id: str | None,
                    step_ids: str | None) -> bool:
    """Whether the page a tap came from still shows this batch and these steps: after the
    supervisor gives the station other work (or the worker's step size changes) an open
    page must not record into the new batch or onto other steps."""
    screen = work.screen(number)
    if work.batch is None or screen is None:
        return False
    shown = ",".join(str(s.id) for s in work.steps_on(screen))
    return batch_id == str(work.batch.id) and step_ids == shown


# Steps a plain Done may finish; the others need their answer (a photo, a number, a scan).
DONE_KINDS = frozenset({StepKind.DO, StepKind.COUNT, StepKind.TIMER})


def _done_allowed(work: Work, steps: list[InstructionStep]) -> bool:
    """A check step is finished by Done only after the worker chose the bad photo (the
    piece is put aside); measuring and scanning steps never by Done alone."""
    for step in steps:
        if step.kind in DONE_KINDS or (step.settings or {}).get("scan") == "kit":
            continue  # a counting scan step is finished by Done, like a count step
        if step.kind != StepKind.CHECK:
            return False
        answers = step_events(work.batch.id, step.id, work.worker.id)
        last_check = next((e for e in reversed(answers) if e.kind == EventKind.CHECK), None)
        if last_check is None or last_check.text != "bad":
            return False
    return True


def _derived(client_id: str, suffix: str) -> str:
    """The id of a second event one tap makes (the Done after a good check): the same on
    every resend of that tap."""
    return str(uuid.uuid5(uuid.UUID(canonical_tap_id(client_id)), suffix))


@dataclass(frozen=True)
class Outcome:
    """What a tap that ends a screen did: ``done`` (go on), or why the screen stays:
    ``bad`` (put the piece aside), ``out_of_range`` (with ``measured``), ``wrong_label``."""

    done: bool
    kind: str = ""
    measured: Decimal | None = None


def answer_screen(work: Work, steps: list[InstructionStep], action: str, client_id: str,
                  value=None, answer: str | None = None) -> Outcome:
    """Record the tap that ends a screen: Done (for every step of a group), a good or bad
    photo (``check:good``/``check:bad``), a measured number, a scan. An answer that moves
    the worker on also records Done on the step, with an id derived from the tap's, so a
    resend stores nothing twice."""
    step = steps[0]

    def record(one: InstructionStep, kind: str, tap: str, **values):
        return record_step_event(work.session, work.batch, one, kind, tap, **values)

    if action == "done":
        if not _done_allowed(work, steps):
            raise DomainError(MSG_BAD_TAP, field="action")
        for one in steps:
            record(one, EventKind.DONE,
                   _derived(client_id, str(one.id)) if len(steps) > 1 else client_id)
        return Outcome(True)
    if action.startswith("check:"):
        result = record(step, EventKind.CHECK, client_id, text=action.removeprefix("check:"))
        if result.event.text != "good":
            return Outcome(False, "bad")
    elif action == "measure":
        result = record(step, EventKind.MEASURE, client_id, value=value)
        if result.in_range is False:
            return Outcome(False, "out_of_range", result.event.value)
    elif action == "scan":
        result = record(step, EventKind.SCAN, client_id, text=answer)
        if result.event.kind == EventKind.COUNT:  # a kit scanned: counted, scan the next
            return Outcome(False, "counted", round_counted(work.batch.id, step.id, work.worker.id))
        if result.matched is False:
            return Outcome(False, "wrong_label")
    else:
        raise DomainError(MSG_BAD_TAP, field="action")
    record(step, EventKind.DONE, _derived(client_id, "done"))
    return Outcome(True)
