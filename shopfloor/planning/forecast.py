"""The order forecast as a pure function: open order lines loaded earliest-due-first onto the
qualified workers' minutes, day by day, giving each line a projected completion day, its
slack to the due date and a risk (on track, at risk, late).

Nothing here needs Flask or a database: ``planning.services`` gathers the inputs and stores
the result. The rules, so a person can check a result by hand:

- A line's work in minutes is remaining quantity x standard minutes per unit / pace (pace
  1.0 = the standard speed, 0.5 = half as fast, so twice the minutes).
- Lines are loaded in order of due date, then order id, then line id. A line takes minutes
  from the first day that still has minutes for its process and goes on day by day until
  its work is covered; the day that covers the last minute is its projected completion day.
- Capacity is each worker's productive minutes per day. A worker's minutes on a day count
  once, whatever process uses them: a worker qualified in two processes may give the morning
  to one line and the afternoon to another. Within a day a line takes workers in a fixed
  order: those qualified in fewer processes first (so the versatile ones stay free for
  processes only they can do), then the faster factor, then the lower worker id.
- A worker's factor for a process scales what their minutes yield: 1.0 for full pace, 0.5
  for someone who works with help (one minute of theirs covers half a standard minute).
- Slack is calendar days from the projected day to the due date (negative when late). A line
  is *late* when projected after its due date, or not finished within the horizon while due
  inside it; *at risk* when fewer than ``at_risk_days`` working days lie after the projected
  day up to and including the due date, or not finished within the horizon but due after it;
  else *on track*. A working day is a day of the horizon on which anyone has minutes (beyond
  the horizon: Monday to Friday).
- An order is as late as its latest line and as risky as its riskiest line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

ON_TRACK = "on_track"
AT_RISK = "at_risk"
LATE = "late"
# Worst last; the values are those of planning.models.Risk.
RISK_ORDER = (ON_TRACK, AT_RISK, LATE)
_RISK_RANK = {risk: rank for rank, risk in enumerate(RISK_ORDER)}

DEFAULT_AT_RISK_DAYS = 2
# Minutes below this count as nothing left (floating-point crumbs of divisions).
EPSILON = 1e-6


@dataclass(frozen=True)
class LineWork:
    """One open order line as the forecast needs it."""

    line_id: int
    order_id: int
    due_on: date
    process: str
    remaining_quantity: float
    standard_minutes: float
    pace: float = 1.0

    @property
    def work_minutes(self) -> float:
        """Standard minutes of work left, at the expected pace."""
        if self.pace <= 0:
            raise ValueError(f"line {self.line_id}: pace must be above 0, not {self.pace}")
        return max(0.0, float(self.remaining_quantity)) * float(self.standard_minutes) / float(
            self.pace)


@dataclass(frozen=True)
class WorkerDays:
    """One worker's productive minutes on each day of the horizon (day 0 = the start) and
    what a minute of theirs yields in each process they are qualified for (1.0 or 0.5)."""

    worker_id: int
    minutes: Sequence[float]
    factors: Mapping[str, float]


@dataclass(frozen=True)
class LineOutlook:
    """The forecast of one line."""

    line_id: int
    order_id: int
    due_on: date
    work_minutes: float
    projected_on: date | None
    slack_days: int | None
    risk: str


@dataclass(frozen=True)
class OrderOutlook:
    """The forecast of one order: its latest line and its worst risk."""

    order_id: int
    due_on: date
    projected_on: date | None
    slack_days: int | None
    risk: str


@dataclass
class Forecast:
    """The result: per line, per order, and the minutes used (for capacity screens).

    ``worker_minutes_used[worker_id][day]`` and ``process_minutes_used[process][day]`` are
    worker minutes (not standard minutes) taken on each day of the horizon.
    """

    start: date
    horizon_days: int
    lines: dict[int, LineOutlook] = field(default_factory=dict)
    orders: dict[int, OrderOutlook] = field(default_factory=dict)
    worker_minutes_used: dict[int, list[float]] = field(default_factory=dict)
    process_minutes_used: dict[str, list[float]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """How many lines have each risk (every risk present, zero included)."""
        counts = dict.fromkeys(RISK_ORDER, 0)
        for outlook in self.lines.values():
            counts[outlook.risk] += 1
        return counts


def worse(a: str, b: str) -> str:
    """The worse of two risks."""
    return a if _RISK_RANK[a] >= _RISK_RANK[b] else b


class _WorkingDays:
    """Counts working days after one day up to another, in O(1) inside the horizon."""

    def __init__(self, start: date, open_days: Sequence[bool]):
        self.start = start
        self.horizon = len(open_days)
        # prefix[i] = working days among days 0 .. i-1
        self.prefix = [0]
        for is_open in open_days:
            self.prefix.append(self.prefix[-1] + (1 if is_open else 0))

    def _up_to(self, index: int) -> int:
        """Working days among days 0 .. index (index may pass the horizon)."""
        if index < self.horizon:
            return self.prefix[index + 1]
        beyond_first = self.start + timedelta(days=self.horizon)
        beyond_last = self.start + timedelta(days=index)
        return self.prefix[-1] + _weekdays_between(beyond_first, beyond_last)

    def after_until(self, first: date, last: date) -> int:
        """Working days d with first < d <= last (0 when last <= first)."""
        if last <= first:
            return 0
        return self._up_to((last - self.start).days) - self._up_to((first - self.start).days)


def _weekdays_between(first: date, last: date) -> int:
    """Monday-to-Friday days from ``first`` to ``last``, both included."""
    if last < first:
        return 0
    days = (last - first).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    weekday = first.weekday()
    for offset in range(rest):
        if (weekday + offset) % 7 < 5:
            count += 1
    return count


def _slots(workers: Iterable[WorkerDays], horizon: int):
    """Each worker's remaining minutes per day, and per process and day the qualified
    workers with minutes that day, in the order lines take them."""
    remaining: dict[int, list[float]] = {}
    capacity: dict[int, list[float]] = {}
    ranked = []
    for worker in workers:
        minutes = [max(0.0, float(m)) for m in worker.minutes[:horizon]]
        minutes += [0.0] * (horizon - len(minutes))
        if worker.worker_id in remaining:
            raise ValueError(f"worker {worker.worker_id} is listed twice")
        remaining[worker.worker_id] = minutes
        capacity[worker.worker_id] = list(minutes)
        for process, factor in worker.factors.items():
            if factor > 0:
                ranked.append((process, len(worker.factors), -float(factor), worker.worker_id,
                               float(factor)))
    ranked.sort()
    slots: dict[str, list[list[tuple[list[float], float, int]]]] = {}
    for process, _n, _f, worker_id, factor in ranked:
        days = slots.setdefault(process, [[] for _ in range(horizon)])
        minutes = remaining[worker_id]
        for day in range(horizon):
            if minutes[day] > EPSILON:
                days[day].append((minutes, factor, worker_id))
    return remaining, capacity, slots


def forecast(lines: Iterable[LineWork], workers: Iterable[WorkerDays], start: date,
             horizon_days: int, at_risk_days: int = DEFAULT_AT_RISK_DAYS) -> Forecast:
    """Load ``lines`` earliest-due-first onto the workers' minutes from ``start`` for
    ``horizon_days`` days; see the module docstring for the rules."""
    if horizon_days < 1:
        raise ValueError("the horizon must be at least one day")
    remaining, capacity, slots = _slots(workers, horizon_days)
    open_days = [any(minutes[day] > EPSILON for minutes in capacity.values())
                 for day in range(horizon_days)]
    working = _WorkingDays(start, open_days)
    horizon_end = start + timedelta(days=horizon_days - 1)
    result = Forecast(start=start, horizon_days=horizon_days)
    used_by_process = {process: [0.0] * horizon_days for process in slots}

    # Per process: the first day that may still have minutes, and per day the index of the
    # first worker who may still have some. Both only move forward, because minutes are only
    # ever taken, so no line scans the days or workers earlier lines used up.
    first_day = dict.fromkeys(slots, 0)
    first_worker = {process: [0] * horizon_days for process in slots}

    for line in sorted(lines, key=lambda w: (w.due_on, w.order_id, w.line_id)):
        work = line.work_minutes
        need = work
        done_day: int | None = 0 if need <= EPSILON else None
        days = slots.get(line.process)
        if days is not None and done_day is None:
            used = used_by_process[line.process]
            pointers = first_worker[line.process]
            day = first_day[line.process]
            while day < horizon_days:
                candidates = days[day]
                index = pointers[day]
                while index < len(candidates) and need > EPSILON:
                    minutes, factor, _worker_id = candidates[index]
                    left = minutes[day]
                    if left <= EPSILON:
                        index += 1
                        continue
                    take = min(left, need / factor)
                    minutes[day] = left - take
                    used[day] += take
                    need -= take * factor
                    if minutes[day] <= EPSILON:
                        index += 1
                pointers[day] = index
                if need <= EPSILON:
                    done_day = day
                    if index >= len(candidates):
                        day += 1
                    break
                day += 1
            first_day[line.process] = day
        projected = None if done_day is None else start + timedelta(days=done_day)
        result.lines[line.line_id] = _outlook(line, work, projected, working, horizon_end,
                                              at_risk_days)

    result.worker_minutes_used = {
        worker_id: [cap - left for cap, left in zip(capacity[worker_id], minutes, strict=True)]
        for worker_id, minutes in remaining.items()}
    result.process_minutes_used = used_by_process
    result.orders = orders_of(result.lines.values())
    return result


def _outlook(line: LineWork, work: float, projected: date | None, working: _WorkingDays,
             horizon_end: date, at_risk_days: int) -> LineOutlook:
    if projected is None:
        risk = LATE if line.due_on <= horizon_end else AT_RISK
        slack = None
    else:
        slack = (line.due_on - projected).days
        if projected > line.due_on:
            risk = LATE
        elif working.after_until(projected, line.due_on) < at_risk_days:
            risk = AT_RISK
        else:
            risk = ON_TRACK
    return LineOutlook(line_id=line.line_id, order_id=line.order_id, due_on=line.due_on,
                       work_minutes=work, projected_on=projected, slack_days=slack, risk=risk)


def orders_of(outlooks: Iterable[LineOutlook]) -> dict[int, OrderOutlook]:
    """Aggregate line forecasts per order: the latest projected day (None when any line has
    none), the smallest slack, the earliest due date and the worst risk."""
    grouped: dict[int, list[LineOutlook]] = {}
    for outlook in outlooks:
        grouped.setdefault(outlook.order_id, []).append(outlook)
    orders = {}
    for order_id, group in grouped.items():
        unknown = any(o.projected_on is None for o in group)
        risk = ON_TRACK
        for o in group:
            risk = worse(risk, o.risk)
        orders[order_id] = OrderOutlook(
            order_id=order_id,
            due_on=min(o.due_on for o in group),
            projected_on=None if unknown else max(o.projected_on for o in group),
            slack_days=None if unknown else min(o.slack_days for o in group),
            risk=risk)
    return orders
