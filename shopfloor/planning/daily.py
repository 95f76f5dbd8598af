"""The daily plan's suggestion: which workers work on which batch at which station today.

Pure (no Flask, no database): the caller gives each worker's productive minutes for the day
(already within their working-time caps, net of breaks and absences) and skill levels, the
batches that need work with their due dates, and the stations of each line. The supervisor
then adjusts the suggestion by tapping.

Rules, in this order:
- Batches are served earliest due first (then the one with more work left), one batch per
  station a day, on a free station of the batch's line.
- Workers who do a process independently (or can teach it) come first; a worker who needs
  help is placed only where an independent worker or a teacher of that process already is;
  a learner only next to someone who can teach it.
- A worker works at one station a day; workers are added to a batch until its remaining
  work is covered or nobody qualified is left.
- Ties are broken by ids, so the same inputs always give the same plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

LEARNING, WITH_HELP, INDEPENDENT, CAN_TEACH = "learning", "with_help", "independent", "can_teach"
# Who comes first for a batch: the stronger the level, the earlier.
LEVEL_ORDER = {CAN_TEACH: 0, INDEPENDENT: 1, WITH_HELP: 2, LEARNING: 3}


@dataclass(frozen=True)
class WorkerDay:
    """A worker's day: productive minutes available and their level per process."""

    worker_id: int
    minutes: int
    levels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BatchNeed:
    """A batch that needs work: its line (process), due date and minutes of work left."""

    batch_id: int
    process: str
    due: date | None
    remaining_minutes: int


@dataclass(frozen=True)
class StationSlot:
    """A station of a line that can take one batch for the day."""

    station_id: int
    process: str


@dataclass(frozen=True)
class Suggestion:
    """One worker at one station on one batch, for ``minutes`` of the day."""

    worker_id: int
    station_id: int
    batch_id: int
    minutes: int


@dataclass(frozen=True)
class Unplanned:
    """A batch the day could not take, and why (``no_station`` or ``no_worker``)."""

    batch_id: int
    reason: str


@dataclass
class DayPlan:
    """The suggestion for a day: the assignments and the batches left out."""

    day: date
    assignments: list[Suggestion] = field(default_factory=list)
    unplanned: list[Unplanned] = field(default_factory=list)


def _may_join(level: str, present: Iterable[str]) -> bool:
    """Whether a worker of ``level`` may work where workers of ``present`` levels are."""
    present = set(present)
    if level in (INDEPENDENT, CAN_TEACH):
        return True
    if level == WITH_HELP:
        return bool(present & {INDEPENDENT, CAN_TEACH})
    if level == LEARNING:
        return CAN_TEACH in present
    return False


def suggest_day(day: date, workers: Iterable[WorkerDay], batches: Iterable[BatchNeed],
                stations: Iterable[StationSlot]) -> DayPlan:
    """The suggested plan for ``day`` (see the module's rules)."""
    plan = DayPlan(day)
    free_workers = {w.worker_id: w for w in workers if w.minutes > 0}
    free_stations: dict[str, list[int]] = {}
    for station in sorted(stations, key=lambda s: s.station_id):
        free_stations.setdefault(station.process, []).append(station.station_id)

    ordered = sorted(batches, key=lambda b: (b.due or date.max, -b.remaining_minutes,
                                             b.batch_id))
    for batch in ordered:
        if batch.remaining_minutes <= 0:
            continue
        if not free_stations.get(batch.process):
            plan.unplanned.append(Unplanned(batch.batch_id, "no_station"))
            continue
        candidates = sorted(
            (w for w in free_workers.values() if w.levels.get(batch.process) in LEVEL_ORDER),
            key=lambda w: (LEVEL_ORDER[w.levels[batch.process]], -w.minutes, w.worker_id))
        team: list[WorkerDay] = []
        covered = 0
        for worker in candidates:
            if covered >= batch.remaining_minutes:
                break
            level = worker.levels[batch.process]
            if not _may_join(level, (w.levels[batch.process] for w in team)):
                continue
            team.append(worker)
            covered += worker.minutes
        if not team:
            plan.unplanned.append(Unplanned(batch.batch_id, "no_worker"))
            continue
        station_id = free_stations[batch.process].pop(0)
        left = batch.remaining_minutes
        for worker in team:
            minutes = min(worker.minutes, left)
            left -= minutes
            plan.assignments.append(Suggestion(worker.worker_id, station_id, batch.batch_id,
                                               minutes))
            del free_workers[worker.worker_id]
    return plan
