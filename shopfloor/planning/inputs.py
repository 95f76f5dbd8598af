"""What the forecast is fed, read from the database: the open order lines with the work left,
each worker's productive minutes per day of the horizon, and the pace each line keeps.

Assumptions (the forecast's docstring has the loading rules):

- Open orders are those that still owe the partner something and were confirmed: every
  status but draft, shipped, closed and cancelled. A draft is not a commitment yet (the
  what-if answers "what if we take it").
- The quantity left on a line is what is neither made (good output of finished batches
  filling their allocations, as the order page counts it) nor shipped. Output of batches
  still in progress is not subtracted until the batch is done, so a busy line looks a little
  later than it is, never earlier.
- A worker's minutes on a day: their availability for that weekday (local time), nothing on
  an absence day, capped at the daily and weekly limits of their working-time rule (the
  absolute 13 h / 48 h instead when the doctor's consent is in force), minus the breaks
  (both count as working time, nothing is produced in them). Today counts only the part
  of the shift still ahead.
- Qualified means a skills-matrix level above "learning" in the product's line: independent
  and can-teach at full pace, with-help at half pace (a minute of theirs covers half a
  standard minute). Learners add no capacity; the older "can work on" list is not read.
- A line's pace is measured per production line from the last 30 days of tablet taps when
  there are at least 30 "done" taps: standard minutes of the units counted, divided by the
  minutes workers spent (first to last tap per worker, batch and day). Else 1.0 (the
  standard). Measured paces are kept between 0.25 and 2 so a few odd days cannot make the
  forecast absurd.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from shopfloor.catalog.models import Product
from shopfloor.extensions import db
from shopfloor.floor.models import EventKind, StepEvent
from shopfloor.orders.models import Order, OrderLine
from shopfloor.orders.queries import lines_progress
from shopfloor.orders.status import FINISHED, OrderStatus
from shopfloor.planning import worktime
from shopfloor.planning.forecast import LineWork, WorkerDays
from shopfloor.production.models import Batch
from shopfloor.workers.models import (
    Absence,
    SkillLevel,
    Worker,
    WorkerAvailability,
    WorkerSkill,
)

# Orders that still need work: confirmed and not finished.
OPEN_STATUSES = tuple(s.value for s in OrderStatus if s not in FINISHED and s != OrderStatus.DRAFT)
# What one minute of a worker yields, by skills-matrix level (learning: nothing).
LEVEL_FACTORS = {SkillLevel.WITH_HELP.value: 0.5, SkillLevel.INDEPENDENT.value: 1.0,
                 SkillLevel.CAN_TEACH.value: 1.0}

PACE_WINDOW_DAYS = 30
PACE_MIN_DONE_EVENTS = 30
PACE_MIN_WORKER_MINUTES = 60
PACE_LIMITS = (0.25, 2.0)


@dataclass(frozen=True)
class OpenLine:
    """An open order line with the quantity still to make."""

    id: int
    order_id: int
    line_no: int
    product_id: int
    process: str
    due_date: date
    quantity: Decimal
    quantity_shipped: Decimal
    remaining: Decimal
    standard_minutes: Decimal


@dataclass(frozen=True)
class PlanningInputs:
    """Everything ``forecast()`` needs, plus the lines as read (for storing the result)."""

    start: date
    horizon_days: int
    at_risk_days: int
    lines: list[OpenLine]
    paces: dict[str, float]
    workers: list[WorkerDays]

    def work(self, lines: Iterable[OpenLine] | None = None) -> list[LineWork]:
        """The forecast's view of the open lines (or of ``lines``)."""
        return [LineWork(line_id=ln.id, order_id=ln.order_id, due_on=ln.due_date,
                         process=ln.process, remaining_quantity=float(ln.remaining),
                         standard_minutes=float(ln.standard_minutes),
                         pace=self.paces.get(ln.process, 1.0))
                for ln in (self.lines if lines is None else lines)]


def local_moment(now: datetime) -> datetime:
    """``now`` in the cooperative's time zone."""
    return now.astimezone(ZoneInfo(current_app.config["SHOPFLOOR"]["time_zone"]))


def planning_inputs(now: datetime, due_until: date | None = None) -> PlanningInputs:
    """Read the forecast's inputs as of ``now``: the horizon starts today (local date).
    ``due_until`` limits the lines to those due that day or earlier (the what-if needs no
    more)."""
    settings = current_app.config["SHOPFLOOR"]
    local = local_moment(now)
    horizon = settings["planning.horizon_days"]
    return PlanningInputs(
        start=local.date(), horizon_days=horizon, at_risk_days=settings["planning.at_risk_days"],
        lines=open_lines(due_until), paces=measured_paces(now),
        workers=worker_days(local.date(), horizon, local.time()))


def open_lines(due_until: date | None = None) -> list[OpenLine]:
    """Lines of open orders not yet all shipped, with what is left to make (may be zero:
    made but not shipped), earliest due first."""
    query = (select(OrderLine.id, OrderLine.order_id, OrderLine.line_no, OrderLine.product_id,
                    OrderLine.due_date, OrderLine.quantity, OrderLine.quantity_shipped,
                    Product.line, Product.standard_minutes)
             .join(Order, Order.id == OrderLine.order_id)
             .join(Product, Product.id == OrderLine.product_id)
             .where(Order.status.in_(OPEN_STATUSES),
                    OrderLine.quantity_shipped < OrderLine.quantity)
             .order_by(OrderLine.due_date, OrderLine.order_id, OrderLine.id))
    if due_until is not None:
        query = query.where(OrderLine.due_date <= due_until)
    rows = db.session.execute(query).all()
    progress = lines_progress(rows)
    lines = []
    for row in rows:
        done = max(progress[row.id].made, row.quantity_shipped)
        lines.append(OpenLine(
            id=row.id, order_id=row.order_id, line_no=row.line_no, product_id=row.product_id,
            process=row.line, due_date=row.due_date, quantity=row.quantity,
            quantity_shipped=row.quantity_shipped, remaining=max(Decimal(0), row.quantity - done),
            standard_minutes=row.standard_minutes))
    return lines


# ------------------------------------------------------------------ capacity

def _week(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso[0], iso[1]


def day_minutes(rule: str, consent_on: date | None, shifts: dict[int, tuple[time, time]],
                absent: set[date], start: date, horizon_days: int, now_time: time | None = None,
                extra_break: int = worktime.EXTRA_BREAK_MINUTES) -> list[float]:
    """One worker's productive minutes on each day from ``start``: the weekday's shift, none
    when absent, within the daily and weekly caps, minus the breaks; on the first day only
    the part of the shift after ``now_time`` (when given).

    The week's days before ``start`` count towards its weekly cap, so a horizon that starts
    on a Thursday does not grant a full week's minutes again.
    """
    minutes: list[float] = []
    week_used: dict[tuple[int, int], int] = defaultdict(int)
    first = start - timedelta(days=start.weekday())
    for offset in range((start - first).days + horizon_days):
        day = first + timedelta(days=offset)
        shift = shifts.get(day.weekday())
        worked = 0
        if shift is not None and day not in absent:
            if worktime.has_consent(consent_on, day):
                day_cap, week_cap = worktime.ABSOLUTE_DAY_MINUTES, worktime.ABSOLUTE_WEEK_MINUTES
            else:
                day_cap = worktime.daily_cap_minutes(rule)
                week_cap = worktime.weekly_cap_minutes(rule)
            week = _week(day)
            worked = max(0, min(worktime.shift_minutes(*shift), day_cap,
                                week_cap - week_used[week]))
            week_used[week] += worked
        if day < start:
            continue
        productive = float(worktime.productive_minutes(worked, extra_break))
        if day == start and now_time is not None and productive:
            productive *= _share_ahead(shift, now_time)
        minutes.append(productive)
    return minutes


def _share_ahead(shift: tuple[time, time], now_time: time) -> float:
    """The part of today's shift still ahead of ``now_time`` (0 to 1)."""
    def minute(moment: time) -> int:
        return moment.hour * 60 + moment.minute

    start, end, now = minute(shift[0]), minute(shift[1]), minute(now_time)
    if end <= start:
        return 1.0
    return min(1.0, max(0.0, (end - max(start, now)) / (end - start)))


def worker_days(start: date, horizon_days: int, now_time: time | None = None,
                ) -> list[WorkerDays]:
    """Every active worker with a qualification: minutes per day and factor per process."""
    from shopfloor.workers.capacity import work_time_settings

    extra_break = work_time_settings().extra_break_minutes
    end = start + timedelta(days=horizon_days - 1)
    factors: dict[int, dict[str, float]] = defaultdict(dict)
    for worker_id, process, level in db.session.execute(
            select(WorkerSkill.worker_id, WorkerSkill.process, WorkerSkill.level)
            .join(Worker, Worker.id == WorkerSkill.worker_id)
            .where(Worker.active.is_(True), WorkerSkill.level.in_(list(LEVEL_FACTORS)))):
        factors[worker_id][process] = LEVEL_FACTORS[level]
    if not factors:
        return []
    shifts: dict[int, dict[int, tuple[time, time]]] = defaultdict(dict)
    for row in db.session.execute(
            select(WorkerAvailability.worker_id, WorkerAvailability.weekday,
                   WorkerAvailability.starts_at, WorkerAvailability.ends_at)
            .where(WorkerAvailability.worker_id.in_(list(factors)))):
        shifts[row.worker_id][row.weekday] = (row.starts_at, row.ends_at)
    absent: dict[int, set[date]] = defaultdict(set)
    week_start = start - timedelta(days=start.weekday())
    for worker_id, first, last in db.session.execute(
            select(Absence.worker_id, Absence.starts_on, Absence.ends_on)
            .where(Absence.worker_id.in_(list(factors)), Absence.ends_on >= week_start,
                   Absence.starts_on <= end)):
        day = max(first, week_start)
        while day <= min(last, end):
            absent[worker_id].add(day)
            day += timedelta(days=1)
    workers = []
    for worker_id, rule, consent_on in db.session.execute(
            select(Worker.id, Worker.working_time_rule, Worker.night_overtime_consent_on)
            .where(Worker.id.in_(list(factors))).order_by(Worker.id)):
        workers.append(WorkerDays(
            worker_id, day_minutes(rule, consent_on, shifts[worker_id], absent[worker_id],
                                   start, horizon_days, now_time, extra_break),
            factors[worker_id]))
    return workers


# ------------------------------------------------------------------ pace

def measured_paces(now: datetime) -> dict[str, float]:
    """Pace per production line from the last ``PACE_WINDOW_DAYS`` of tablet taps (only
    lines with enough evidence; the others are left out and count as 1.0)."""
    zone = ZoneInfo(current_app.config["SHOPFLOOR"]["time_zone"])
    rows = db.session.execute(
        select(StepEvent.worker_id, StepEvent.batch_id, StepEvent.kind, StepEvent.value,
               StepEvent.occurred_at, Batch.line, Product.standard_minutes)
        .join(Batch, Batch.id == StepEvent.batch_id)
        .join(Product, Product.id == Batch.product_id)
        .where(StepEvent.occurred_at >= now - timedelta(days=PACE_WINDOW_DAYS),
               StepEvent.occurred_at <= now,
               StepEvent.kind.in_([EventKind.DONE.value, EventKind.COUNT.value,
                                   EventKind.UNDO.value])))
    return paces_from_taps(rows, zone)


def paces_from_taps(rows: Sequence, zone: ZoneInfo) -> dict[str, float]:
    """The arithmetic of ``measured_paces`` on rows of (worker_id, batch_id, kind, value,
    occurred_at, line, standard_minutes)."""
    done: dict[str, int] = defaultdict(int)
    earned: dict[str, float] = defaultdict(float)
    spans: dict[tuple, list[datetime]] = {}
    counted_batches: set[int] = set()
    for worker_id, batch_id, kind, value, occurred_at, line, standard in rows:
        if kind == EventKind.DONE.value:
            done[line] += 1
        else:  # a count (+1) or its undo (stored as -1)
            earned[line] += float(value or 0) * float(standard)
            counted_batches.add(batch_id)
        key = (line, batch_id, worker_id, occurred_at.astimezone(zone).date())
        span = spans.setdefault(key, [occurred_at, occurred_at])
        span[0], span[1] = min(span[0], occurred_at), max(span[1], occurred_at)
    spent: dict[str, float] = defaultdict(float)
    for (line, batch_id, *_rest), (first, last) in spans.items():
        # Time on a batch whose instruction counts nothing would look like time without
        # output, so only batches with counts weigh in.
        if batch_id in counted_batches:
            spent[line] += (last - first).total_seconds() / 60
    paces = {}
    low, high = PACE_LIMITS
    for line, events in done.items():
        if (events >= PACE_MIN_DONE_EVENTS and spent[line] >= PACE_MIN_WORKER_MINUTES
                and earned[line] > 0):
            paces[line] = min(high, max(low, earned[line] / spent[line]))
    return paces
