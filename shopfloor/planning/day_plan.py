"""The daily plan in the application: who works on which batch at which station on a day.

The planner suggests (``planning.daily``, pure); the supervisor adjusts by tapping (place a
worker at a station, remove them, change a station's batch) and confirms. Confirming today's
plan gives each station its batch and its expected workers, which is what the tablets show as
"Twoja praca teraz". Every placement passes the working-time guard (``placement_problems``):
a worker absent that day, without hours that weekday, over the daily or weekly cap of their
rule, or at night without the doctor's consent is refused, with the reason.

A worker works at one station a day (placing them again moves them). Suggestions are stored
unconfirmed; what a supervisor placed or confirmed is kept when the planner suggests again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from shopfloor.catalog.models import Product
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.orders.models import OrderLine
from shopfloor.planning import worktime
from shopfloor.planning.daily import BatchNeed, StationSlot, WorkerDay, suggest_day
from shopfloor.planning.inputs import day_minutes, measured_paces
from shopfloor.planning.models import PlanAssignment
from shopfloor.production.models import Batch, BatchAllocation
from shopfloor.stations.models import Station
from shopfloor.stations.services import ASSIGNABLE
from shopfloor.workers.models import Absence, Worker, WorkerAvailability, WorkerSkill


@dataclass
class WorkerOnDay:
    """A worker's day as the plan sees it: hours, absence, productive minutes, skills."""

    worker: Worker
    shift: tuple[time, time] | None
    absence: str | None  # the absence kind, when absent that day
    week_before_minutes: int  # shift minutes of the week's earlier working days
    minutes: int  # productive minutes the day offers (0 when absent or off)
    levels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BatchOnDay:
    """A batch that can be worked on: due date of its earliest order line, work left."""

    batch: Batch
    due: date | None
    remaining_minutes: int


def _week_days(day: date) -> list[date]:
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


def workers_on(day: date, worker_ids: set[int] | None = None) -> dict[int, WorkerOnDay]:
    """Every active worker's day (or those of ``worker_ids``), by worker id."""
    from shopfloor.workers.capacity import work_time_settings

    query = select(Worker).where(Worker.active.is_(True)).order_by(Worker.first_name, Worker.id)
    if worker_ids is not None:
        query = query.where(Worker.id.in_(worker_ids))
    workers = list(db.session.scalars(query))
    ids = [w.id for w in workers]
    shifts: dict[int, dict[int, tuple[time, time]]] = defaultdict(dict)
    for row in db.session.execute(select(WorkerAvailability).where(
            WorkerAvailability.worker_id.in_(ids))).scalars():
        shifts[row.worker_id][row.weekday] = (row.starts_at, row.ends_at)
    week = _week_days(day)
    absent: dict[int, dict[date, str]] = defaultdict(dict)
    for row in db.session.scalars(select(Absence).where(
            Absence.worker_id.in_(ids), Absence.ends_on >= week[0], Absence.starts_on <= week[-1])):
        for moment in week:
            if row.starts_on <= moment <= row.ends_on:
                absent[row.worker_id][moment] = row.kind
    levels: dict[int, dict[str, str]] = defaultdict(dict)
    for worker_id, process, level in db.session.execute(
            select(WorkerSkill.worker_id, WorkerSkill.process, WorkerSkill.level)
            .where(WorkerSkill.worker_id.in_(ids))):
        levels[worker_id][process] = level
    extra_break = work_time_settings().extra_break_minutes
    result = {}
    for worker in workers:
        own_shifts, own_absent = shifts[worker.id], absent[worker.id]
        before = sum(worktime.shift_minutes(*own_shifts[d.weekday()]) for d in week
                     if d < day and d.weekday() in own_shifts and d not in own_absent)
        minutes = day_minutes(worker.working_time_rule, worker.night_overtime_consent_on,
                              own_shifts, set(own_absent), day, 1, None, extra_break)[0]
        result[worker.id] = WorkerOnDay(
            worker=worker, shift=own_shifts.get(day.weekday()), absence=own_absent.get(day),
            week_before_minutes=before, minutes=int(minutes), levels=levels[worker.id])
    return result


def placement_problems(day_info: WorkerOnDay, day: date, process: str | None) -> list:
    """Why this worker cannot be placed on ``day`` (on work of ``process``): translatable
    messages, empty when they can. The guard behind every placement."""
    from shopfloor.workers.capacity import ABSENCE_KIND_NAMES, work_time_settings

    worker = day_info.worker
    if day_info.absence is not None:
        return [_l("%(name)s is absent that day (%(kind)s).", name=worker.first_name,
                   kind=ABSENCE_KIND_NAMES.get(day_info.absence, day_info.absence))]
    if day_info.shift is None:
        return [_l("%(name)s has no working hours on that weekday. Change the availability "
                   "on the worker's page first.", name=worker.first_name)]
    problems = list(worktime.check_shift(
        worker.working_time_rule, worker.night_overtime_consent_on, day, *day_info.shift,
        day_info.week_before_minutes, night=work_time_settings().night))
    if process is not None and process not in day_info.levels:
        problems.append(_l("%(name)s has not learned this work yet (see the skills matrix).",
                           name=worker.first_name))
    return problems


def batches_to_plan(now: datetime) -> dict[int, BatchOnDay]:
    """Batches that can be given out (released or in progress), with their work left in
    worker minutes at the line's measured pace and the due date of their earliest order line."""
    paces = measured_paces(now)
    due = dict(db.session.execute(
        select(BatchAllocation.batch_id, func.min(OrderLine.due_date))
        .join(OrderLine, OrderLine.id == BatchAllocation.order_line_id)
        .group_by(BatchAllocation.batch_id)).all())
    result = {}
    for batch, standard in db.session.execute(
            select(Batch, Product.standard_minutes).join(Product, Product.id == Batch.product_id)
            .where(Batch.status.in_(sorted(ASSIGNABLE))).order_by(Batch.id)):
        left = max(Decimal(0), batch.planned_quantity - batch.good_quantity)
        minutes = float(left * standard) / paces.get(batch.line, 1.0)
        result[batch.id] = BatchOnDay(batch, due.get(batch.id), int(round(minutes)))
    return result


def active_stations() -> list[Station]:
    """Stations whose tablets are in use, by name."""
    return list(db.session.scalars(
        select(Station).where(Station.revoked_at.is_(None)).order_by(Station.name)))


def assignments_on(day: date) -> list[PlanAssignment]:
    """The day's plan as stored, by station then worker."""
    return list(db.session.scalars(
        select(PlanAssignment).where(PlanAssignment.day == day)
        .order_by(PlanAssignment.station_id, PlanAssignment.id)))


def _user_id(user) -> int | None:
    return getattr(user, "id", None)


# ---------------------------------------------------------------- suggesting

@dataclass(frozen=True)
class SuggestResult:
    """What the planner added and which batches it could not place, with why."""

    added: int
    unplanned: list[tuple[int, str]]


def suggest(day: date, user, now: datetime) -> SuggestResult:
    """Replace the day's unconfirmed suggestions with a new one around what supervisors
    placed or confirmed (their workers, stations and batches are left as they are)."""
    db.session.execute(delete(PlanAssignment).where(PlanAssignment.day == day,
                                                    PlanAssignment.confirmed.is_(False)))
    kept = assignments_on(day)
    taken_workers = {a.worker_id for a in kept}
    taken_stations = {a.station_id for a in kept}
    taken_batches = {a.batch_id for a in kept}
    workers = [WorkerDay(w.worker.id, w.minutes, w.levels) for w in workers_on(day).values()
               if w.worker.id not in taken_workers and not placement_problems(w, day, None)]
    batches = batches_to_plan(now)
    needs = [BatchNeed(b.batch.id, b.batch.line, b.due, b.remaining_minutes)
             for b in batches.values() if b.batch.id not in taken_batches]
    slots = [StationSlot(s.id, s.line) for s in active_stations()
             if s.line and s.id not in taken_stations]
    plan = suggest_day(day, workers, needs, slots)
    db.session.add_all(
        PlanAssignment(day=day, worker_id=a.worker_id, station_id=a.station_id,
                       batch_id=a.batch_id, minutes=a.minutes, confirmed=False,
                       created_by=_user_id(user))
        for a in plan.assignments)
    db.session.commit()
    return SuggestResult(len(plan.assignments),
                         [(u.batch_id, u.reason) for u in plan.unplanned])


# ---------------------------------------------------------------- adjusting by tapping

def _station(station_id) -> Station:
    station = db.session.get(Station, station_id) if str(station_id).isdigit() else None
    if station is None or station.revoked_at is not None:
        raise DomainError(_l("Choose a station from the plan."), field="station")
    return station


def _batch_for(station: Station, batch_id) -> Batch:
    batch = db.session.get(Batch, int(batch_id)) if str(batch_id or "").isdigit() else None
    if batch is None:
        raise DomainError(_l("Choose a batch for this station first."), field="batch")
    if batch.status not in ASSIGNABLE:
        raise DomainError(_l("Only a released batch or one in progress can be worked on."),
                          field="batch")
    if station.line and batch.line != station.line:
        raise DomainError(_l("This batch is for another line."), field="batch")
    return batch


def station_batch_id(day: date, station: Station) -> int | None:
    """The batch the plan gives a station on ``day`` (None when nobody is planned there)."""
    return db.session.scalar(select(PlanAssignment.batch_id).where(
        PlanAssignment.day == day, PlanAssignment.station_id == station.id).limit(1))


def place_worker(day: date, worker_id, station_id, user, batch_id=None) -> PlanAssignment:
    """Put a worker at a station for the day (moving them from where the plan had them), on
    the station's planned batch or on ``batch_id`` when the station has none yet. Refused,
    with the reason, when the working-time guard or the skills say no."""
    station = _station(station_id)
    planned = station_batch_id(day, station)
    batch = _batch_for(station, planned if planned is not None else batch_id)
    if not str(worker_id).isdigit():
        raise DomainError(_l("Choose a worker from the list."), field="worker")
    info = workers_on(day, {int(worker_id)}).get(int(worker_id))
    if info is None:
        raise DomainError(_l("Choose a worker from the list."), field="worker")
    problems = placement_problems(info, day, batch.line)
    if problems:
        raise DomainError(" ".join(str(p) for p in problems), field="worker")
    db.session.execute(delete(PlanAssignment).where(PlanAssignment.day == day,
                                                    PlanAssignment.worker_id == info.worker.id))
    assignment = PlanAssignment(day=day, worker_id=info.worker.id, station_id=station.id,
                                batch_id=batch.id, minutes=info.minutes, confirmed=True,
                                created_by=_user_id(user))
    db.session.add(assignment)
    db.session.commit()
    return assignment


def remove_worker(day: date, worker_id, user) -> int:
    """Take a worker out of the day's plan; returns how many assignments went."""
    if not str(worker_id).isdigit():
        raise DomainError(_l("Choose a worker from the list."), field="worker")
    removed = db.session.execute(delete(PlanAssignment).where(
        PlanAssignment.day == day, PlanAssignment.worker_id == int(worker_id))).rowcount
    db.session.commit()
    return removed


def change_batch(day: date, station_id, batch_id, user) -> int:
    """Give the station's planned workers another batch for the day; returns how many
    assignments changed. The workers' skills are checked against the new batch's line."""
    station = _station(station_id)
    batch = _batch_for(station, batch_id)
    rows = [a for a in assignments_on(day) if a.station_id == station.id]
    if not rows:
        raise DomainError(_l("Place a worker at this station first."), field="batch")
    infos = workers_on(day, {a.worker_id for a in rows})
    for row in rows:
        info = infos.get(row.worker_id)
        if info is not None and batch.line not in info.levels:
            raise DomainError(_l("%(name)s has not learned this work yet (see the skills "
                                 "matrix).", name=info.worker.first_name), field="batch")
    db.session.execute(update(PlanAssignment).where(
        PlanAssignment.day == day, PlanAssignment.station_id == station.id)
        .values(batch_id=batch.id, confirmed=True, created_by=_user_id(user)))
    db.session.commit()
    return len(rows)


# ---------------------------------------------------------------- confirming and applying

def confirm(day: date, user, today: date) -> list[str]:
    """Confirm the day's plan; today's also goes to the stations at once (see ``apply``).
    Returns the problems applying met (empty when all went)."""
    if not assignments_on(day):
        raise DomainError(_l("The plan for this day is empty. Suggest a plan or place "
                             "workers first."), field="plan")
    db.session.execute(update(PlanAssignment).where(PlanAssignment.day == day)
                       .values(confirmed=True))
    db.session.commit()
    return apply(day, user) if day == today else []


def apply(day: date, user) -> list[str]:
    """Give each planned station its batch and expected workers, and take planned workers
    off the stations they are not planned at, so the tablets show the plan. Returns what
    could not be applied (a batch finished or held since), station by station."""
    from shopfloor.stations.services import (
        assign_batch,
        expected_workers,
        set_expected_workers,
    )

    planned: dict[int, list[PlanAssignment]] = defaultdict(list)
    for row in assignments_on(day):
        planned[row.station_id].append(row)
    planned_workers = {a.worker_id for rows in planned.values() for a in rows}
    problems = []
    for station in active_stations():
        rows = planned.get(station.id)
        current = {w.id for w in expected_workers(station)}
        try:
            if rows:
                batch = db.session.get(Batch, rows[0].batch_id)
                if station.current_batch_id != batch.id:
                    assign_batch(station, batch, user)
                set_expected_workers(station, {a.worker_id for a in rows}, user)
            elif current & planned_workers:
                set_expected_workers(station, current - planned_workers, user)
        except DomainError as exc:
            db.session.rollback()
            problems.append(f"{station.name}: {exc.message}")
    return problems


# ---------------------------------------------------------------- the job

def daily_plan(now: datetime) -> str:
    """Job, at the configured hour: today's plan. A plan confirmed beforehand goes to the
    stations; with no plan yet the planner suggests one and the supervisors and managers are
    told it waits for them (once a day); a plan being edited is left alone."""
    from flask import url_for
    from flask_babel import gettext as _

    from shopfloor.auth.models import Role
    from shopfloor.auth.queries import active_staff
    from shopfloor.notifications.services import notify
    from shopfloor.planning.inputs import local_moment

    today = local_moment(now).date()
    rows = assignments_on(today)
    if rows and all(a.confirmed for a in rows):
        problems = apply(today, None)
        return _("Today's confirmed plan sent to the stations (%(count)s workers).",
                 count=len(rows)) + "".join(f" {p}" for p in problems)
    if rows:
        return _("Today's plan is being edited; left as it is.")
    result = suggest(today, None, now)
    staff = active_staff(Role.SUPERVISOR, Role.MANAGER)
    notify(staff, "day_plan", f"day-plan:{today.isoformat()}",
           _l("The plan for today waits for you"),
           _l("%(count)s workers suggested at the stations. Check the plan and confirm it.",
              count=result.added),
           link=url_for("day_plan.day_plan", day=today.isoformat()))
    db.session.commit()
    return _("Suggested today's plan: %(count)s workers placed, %(left)s batches left out.",
             count=result.added, left=len(result.unplanned))
