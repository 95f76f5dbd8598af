"""What a worker's tablet shows: the work now, its screens, counts, the help call's state.

State changes go through the floor and stations services; this module only gathers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from shopfloor.extensions import db
from shopfloor.floor.models import HelpCall
from shopfloor.floor.services import latest_help_call, measure_settings, round_counted
from shopfloor.instructions.models import InstructionStep, InstructionVersion
from shopfloor.production.models import Batch
from shopfloor.stations.models import Station, WorkerSession
from shopfloor.tablet import screens as rules
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
