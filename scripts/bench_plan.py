"""How fast is the order forecast? 10,000 open order lines, 60 workers, a 90-day horizon.

What it does:

1. Generates a realistic plan in memory (seeded): ~2,000 orders of 1-9 lines (10,000 lines)
   over the four production lines, due from 3 days ago to 100 days ahead; 60 workers under
   the 8/40 or 7/35 rule with a weekly pattern (4-8 h shifts, four or five days a week),
   one to three skills each (with help, independent or can teach), absences (therapy days,
   short leaves, now and then two weeks of leave); some lines partly made already. The
   quantities are scaled to 90 % of each process's share of the capacity (about three
   quarters of all worker minutes), so the result mixes on-track, at-risk and late lines
   as a busy cooperative's would.
2. Times, best of ``--runs``:

   * ``baseline_sort_and_sum``: sort the lines earliest-due-first and add up their work
     (the least any forecast does: the baseline of the figures below);
   * ``capacity_table``: every worker's productive minutes for each day of the horizon
     from the weekly pattern, absences, caps and breaks (``planning.inputs.day_minutes``,
     what the service does before forecasting);
   * ``forecast``: the pure ``planning.forecast.forecast`` on those inputs;
   * ``forecast_overloaded``: the same with every quantity doubled (most lines late, many
     not done within the horizon), for information.

   Budget: ``forecast`` <= 2 s. The exit status is 1 on a miss, 2 on a usage error.
3. Unless ``--no-db``: writes the same data to a fresh SQLite file (or ``--database-url``,
   a PostgreSQL database whose name contains "bench" or "test", emptied first), then times
   ``recompute_forecasts`` end to end (reading the lines, their progress, the workers,
   storing 10,000 rows), ``what_if`` and ``deadline_alerts`` (first run, then a repeat that
   finds every alert already sent), for information only. It checks that the stored
   forecast has the same risk counts as the in-memory one (the database has no tablet taps,
   so both use pace 1.0).

Run it from the repository root::

    .venv/bin/python scripts/bench_plan.py                 # ~20 s with the database part
    .venv/bin/python scripts/bench_plan.py --no-db         # the budgeted figures only
    .venv/bin/python scripts/bench_plan.py --lines 2000 --workers 20   # smaller
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from shopfloor.lines import LINE_CODES  # noqa: E402
from shopfloor.planning.forecast import LineWork, WorkerDays, forecast  # noqa: E402
from shopfloor.planning.inputs import LEVEL_FACTORS, day_minutes  # noqa: E402

BUDGET_S = 2.0
TARGET_LOAD = 0.9
CHUNK = 5000
# Shifts a worker may have under each rule (start, end), all within the daily cap.
SHIFTS = {"8/40": [(clock(7), clock(15)), (clock(7, 30), clock(14, 30)), (clock(8), clock(14)),
                   (clock(8), clock(12))],
          "7/35": [(clock(7), clock(14)), (clock(8), clock(14)), (clock(8), clock(12))]}
LEVELS = {"with_help": 2, "independent": 6, "can_teach": 2}  # relative frequency


# --------------------------------------------------------------------------- data

@dataclass
class WorkerPlan:
    """A generated worker: rule, weekly pattern, absences, skills."""

    id: int
    rule: str
    shifts: dict[int, tuple[clock, clock]]
    absences: list[tuple[date, date, str]]
    levels: dict[str, str]

    def absent_days(self) -> set[date]:
        days = set()
        for first, last, _kind in self.absences:
            day = first
            while day <= last:
                days.add(day)
                day += timedelta(days=1)
        return days


@dataclass
class LinePlan:
    """A generated order line."""

    id: int
    order_id: int
    line_no: int
    product_id: int
    quantity: int
    due: date
    made: int = 0


@dataclass
class Plan:
    """Everything generated: products (id -> (line, standard minutes)), orders, workers."""

    start: date
    horizon: int
    products: dict[int, tuple[str, Decimal]]
    workers: list[WorkerPlan]
    lines: list[LinePlan]
    orders: int
    order_due: dict[int, date] = field(default_factory=dict)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line: sizes, runs, seed, database."""
    parser = argparse.ArgumentParser(description="Time the order forecast against a budget.")
    parser.add_argument("--lines", type=int, default=10_000, help="open order lines")
    parser.add_argument("--workers", type=int, default=60)
    parser.add_argument("--horizon", type=int, default=90, help="days")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (best)")
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--no-db", action="store_true", help="skip the database part")
    parser.add_argument("--database-url", default="",
                        help="SQLAlchemy URL for the database part (default: a new SQLite "
                             "file in a temporary folder)")
    args = parser.parse_args(argv)
    for name in ("lines", "workers", "horizon", "runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def make_workers(rng: random.Random, count: int, start: date, horizon: int) -> list[WorkerPlan]:
    """Workers with patterns, absences and skills as a cooperative has them."""
    workers = []
    end = start + timedelta(days=horizon - 1)
    for worker_id in range(1, count + 1):
        rule = "7/35" if rng.random() < 0.3 else "8/40"
        shift = rng.choice(SHIFTS[rule])
        days = range(5) if rng.random() < 0.8 else rng.sample(range(5), 4)
        absences: list[tuple[date, date, str]] = []
        # A weekly therapy day for some, short leaves for most, a long leave now and then.
        if rng.random() < 0.25:
            weekday = rng.randrange(5)
            day = start + timedelta(days=(weekday - start.weekday()) % 7)
            while day <= end:
                absences.append((day, day, "therapy"))
                day += timedelta(days=14)
        for _ in range(rng.randint(0, 3)):
            first = start + timedelta(days=rng.randrange(horizon))
            absences.append((first, first + timedelta(days=rng.randint(0, 4)), "leave"))
        if rng.random() < 0.15:
            first = start + timedelta(days=rng.randrange(horizon))
            absences.append((first, first + timedelta(days=13), "leave"))
        absences = _without_overlaps(absences)
        skills = rng.sample(LINE_CODES, rng.choice((1, 1, 2, 2, 3)))
        levels = {p: rng.choices(list(LEVELS), weights=list(LEVELS.values()))[0]
                  for p in skills}
        workers.append(WorkerPlan(worker_id, rule, dict.fromkeys(days, shift), absences,
                                  levels))
    return workers


def _without_overlaps(absences: list[tuple[date, date, str]]) -> list[tuple[date, date, str]]:
    """Drop absences overlapping an earlier one (the application refuses overlaps)."""
    kept: list[tuple[date, date, str]] = []
    for first, last, kind in sorted(absences):
        if kept and first <= kept[-1][1]:
            continue
        kept.append((first, last, kind))
    return kept


def capacity_table(plan: Plan) -> list[WorkerDays]:
    """Every worker's productive minutes per day and factor per process."""
    return [WorkerDays(w.id, day_minutes(w.rule, None, w.shifts, w.absent_days(), plan.start,
                                         plan.horizon),
                       {p: LEVEL_FACTORS[level] for p, level in w.levels.items()})
            for w in plan.workers]


def generate(rng: random.Random, args: argparse.Namespace, start: date) -> Plan:
    """Products, workers and open order lines loaded to about TARGET_LOAD of capacity."""
    products = {}
    for pid in range(1, 201):
        products[pid] = (LINE_CODES[pid % len(LINE_CODES)],
                         Decimal(str(round(rng.uniform(0.5, 20), 2))))
    by_line = {code: [p for p, (line, _m) in products.items() if line == code]
               for code in LINE_CODES}
    workers = make_workers(rng, args.workers, start, args.horizon)
    plan = Plan(start, args.horizon, products, workers, [], 0)
    capacity = capacity_table(plan)
    # Capacity per process in standard minutes: a worker's minutes split evenly over the
    # processes they do, at their factor.
    per_process = dict.fromkeys(LINE_CODES, 0.0)
    for worker in capacity:
        total = sum(worker.minutes)
        for process, factor in worker.factors.items():
            per_process[process] += total * factor / len(worker.factors)
    lines: list[LinePlan] = []
    order_id = 0
    while len(lines) < args.lines:
        order_id += 1
        process = rng.choice(LINE_CODES)
        due = start + timedelta(days=rng.randint(-3, 100))
        plan.order_due[order_id] = due
        for line_no in range(1, rng.randint(1, 9) + 1):
            if len(lines) >= args.lines:
                break
            lines.append(LinePlan(len(lines) + 1, order_id, line_no,
                                  rng.choice(by_line[process]), 0,
                                  due + timedelta(days=rng.choice((0, 0, 0, 7, 14)))))
    plan.orders = order_id
    # Quantities: each process gets TARGET_LOAD of its capacity, spread over its lines
    # with some lines ten times bigger than others.
    weights = [rng.lognormvariate(0, 0.8) for _ in lines]
    weight_of = dict.fromkeys(LINE_CODES, 0.0)
    for line, weight in zip(lines, weights, strict=True):
        weight_of[products[line.product_id][0]] += weight
    for line, weight in zip(lines, weights, strict=True):
        process, minutes = products[line.product_id]
        work = TARGET_LOAD * per_process[process] * weight / weight_of[process]
        line.quantity = max(1, round(work / float(minutes)))
        if rng.random() < 0.15:  # partly made already (a finished batch)
            line.made = rng.randint(0, line.quantity - 1)
    plan.lines = lines
    return plan


def line_work(plan: Plan) -> list[LineWork]:
    """The forecast's view of the generated lines (pace 1.0, as with no tablet taps)."""
    return [LineWork(line_id=ln.id, order_id=ln.order_id, due_on=ln.due,
                     process=plan.products[ln.product_id][0],
                     remaining_quantity=ln.quantity - ln.made,
                     standard_minutes=float(plan.products[ln.product_id][1]))
            for ln in plan.lines]


# --------------------------------------------------------------------------- timing

def best_of(runs: int, call: Callable[[], object]) -> tuple[float, object]:
    """The fastest of ``runs`` calls in seconds (after one untimed warm-up) and a result."""
    result = call()
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        begin = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - begin)
    return best, result


def figure(name: str, seconds: float, baseline: float | None, note: str = "",
           informative: bool = False) -> None:
    """One line: name, value, unit, ratio to the baseline."""
    if informative:
        tail = "(information)"
    else:
        tail = "baseline" if baseline is None else f"x{seconds / baseline:.1f} baseline"
    print(f"{name:<28}{seconds * 1000:10.1f} ms   {tail}{'   ' + note if note else ''}")


# --------------------------------------------------------------------------- database

def make_code(kind: str, number: int) -> str:
    """A valid, unique code whose body spells ``number`` in the code alphabet."""
    from shopfloor.codes import ALPHABET, BODY_LENGTH, check_character

    body = ""
    for _ in range(BODY_LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        body = ALPHABET[digit] + body
    return kind + body + check_character(kind + body)


def prepare_database(url: str, work_dir: Path) -> str:
    """A new SQLite file, or an emptied PostgreSQL database (name must say bench or test)."""
    from sqlalchemy.engine import make_url

    if not url:
        return f"sqlite:///{work_dir / 'bench_plan.db'}"
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return url
    if not any(word in (parsed.database or "") for word in ("bench", "test")):
        raise SystemExit(f"refusing to empty database {parsed.database!r}: its name must "
                         "contain 'bench' or 'test'.")
    from shopfloor.database import empty_postgres_database

    return empty_postgres_database(url)


def load(engine, plan: Plan, user_id: int) -> None:
    """Write the plan with Core bulk inserts."""
    from sqlalchemy import insert

    from shopfloor.models import (
        Absence,
        Batch,
        BatchAllocation,
        Order,
        OrderLine,
        Partner,
        Product,
        Worker,
        WorkerAvailability,
        WorkerSkill,
    )

    def put(model, rows: list[dict]) -> None:
        with engine.begin() as conn:
            for first in range(0, len(rows), CHUNK):
                conn.execute(insert(model.__table__), rows[first:first + CHUNK])

    put(Partner, [{"id": 1, "name": "Partner bench sp. z o.o.", "nip": "5260001246"}])
    put(Product, [{"id": pid, "code": f"P-{pid:04d}", "name": f"{line} product {pid}",
                   "line": line, "unit": "pcs", "standard_minutes": minutes}
                  for pid, (line, minutes) in plan.products.items()])
    statuses = {ln.order_id: "in_production" for ln in plan.lines if ln.made}
    put(Order, [{"id": oid, "code": make_code("Z", oid), "partner_id": 1,
                 "partner_reference": f"PO-{oid}", "status": statuses.get(oid, "confirmed"),
                 "earliest_due": plan.order_due[oid]} for oid in range(1, plan.orders + 1)])
    put(OrderLine, [{"id": ln.id, "order_id": ln.order_id, "line_no": ln.line_no,
                     "product_id": ln.product_id, "quantity": Decimal(ln.quantity),
                     "due_date": ln.due} for ln in plan.lines])
    made = [ln for ln in plan.lines if ln.made]
    put(Batch, [{"id": n, "code": make_code("B", n), "line": plan.products[ln.product_id][0],
                 "product_id": ln.product_id, "planned_quantity": Decimal(ln.made or 1),
                 "good_quantity": Decimal(ln.made), "status": "done"}
                for n, ln in enumerate(made, start=1)])
    put(BatchAllocation, [{"batch_id": n, "order_line_id": ln.id,
                           "quantity": Decimal(ln.made or 1)}
                          for n, ln in enumerate(made, start=1)])
    put(Worker, [{"id": w.id, "code": make_code("P", w.id), "first_name": f"Worker {w.id}",
                  "working_time_rule": w.rule, "skills": sorted(w.levels)}
                 for w in plan.workers])
    put(WorkerAvailability, [{"worker_id": w.id, "weekday": day, "starts_at": shift[0],
                              "ends_at": shift[1]}
                             for w in plan.workers for day, shift in w.shifts.items()])
    put(Absence, [{"worker_id": w.id, "starts_on": first, "ends_on": last, "kind": kind,
                   "created_by": user_id}
                  for w in plan.workers for first, last, kind in w.absences])
    put(WorkerSkill, [{"worker_id": w.id, "process": p, "level": level}
                      for w in plan.workers for p, level in w.levels.items()])


def database_part(args: argparse.Namespace, plan: Plan, now: datetime,
                  expected: dict[str, int]) -> bool:
    """Time the services end to end on a database; True when the stored forecast agrees
    with the in-memory one."""
    from sqlalchemy import func, select

    from shopfloor import create_app
    from shopfloor.auth.services import create_user
    from shopfloor.database import migrate_to_head
    from shopfloor.extensions import db
    from shopfloor.planning.models import LineForecast
    from shopfloor.planning.services import deadline_alerts, recompute_forecasts, what_if

    with tempfile.TemporaryDirectory(prefix="shopfloor-bench-plan-") as tmp:
        work_dir = Path(tmp)
        for name in [n for n in os.environ if n.startswith("SHOPFLOOR_")]:
            del os.environ[name]
        os.environ["SHOPFLOOR_INSTANCE_PATH"] = str(work_dir / "instance")
        url = prepare_database(args.database_url, work_dir)
        app = create_app({"database_url": url, "secret_key": "x" * 40,
                          "planning": {"horizon_days": args.horizon}})
        with app.app_context():
            begin = time.perf_counter()
            migrate_to_head()
            user = create_user("bench", "bench-password-1", "manager", "Bench", "en")
            load(db.engine, plan, user.id)
            print(f"\ndatabase: {db.engine.url.render_as_string(hide_password=True)}, "
                  f"built and filled in {time.perf_counter() - begin:.1f} s")
            begin = time.perf_counter()
            summary = recompute_forecasts(now)
            first = time.perf_counter() - begin
            db.session.close()
            seconds, _ = best_of(2, lambda: (recompute_forecasts(now), db.session.close()))
            figure("recompute_forecasts", seconds, None,
                   f"end to end, best of 2 (first run {first * 1000:.0f} ms): {summary}",
                   informative=True)
            stored = dict(db.session.execute(
                select(LineForecast.risk, func.count()).group_by(LineForecast.risk)).all())
            product = next(iter(plan.products))
            seconds, outlook = best_of(2, lambda: what_if(
                product, 100, plan.start + timedelta(days=30), now))
            figure("what_if", seconds, None,
                   f"100 pcs due in 30 days: {outlook.projected_on} ({outlook.risk})",
                   informative=True)
            with app.test_request_context():
                begin = time.perf_counter()
                sent = deadline_alerts(now)
                first = time.perf_counter() - begin
                begin = time.perf_counter()
                repeat = deadline_alerts(now)
                again = time.perf_counter() - begin
            figure("deadline_alerts_first", first, None, sent, informative=True)
            figure("deadline_alerts_repeat", again, None, repeat, informative=True)
            db.session.remove()
    agrees = {k: stored.get(k, 0) for k in expected} == expected
    print(f"stored risk counts {'match' if agrees else 'DIFFER FROM'} the in-memory forecast"
          f"{'' if agrees else f': {stored} vs {expected}'}")
    return agrees


# --------------------------------------------------------------------------- main

def _outcome(result) -> str:
    counts = result.counts()
    beyond = sum(1 for o in result.lines.values() if o.projected_on is None)
    return (f"on track {counts['on_track']}, at risk {counts['at_risk']}, late "
            f"{counts['late']} ({beyond} not done within the horizon)")


def main(argv: Sequence[str] | None = None) -> int:
    """Generate, time, print; 1 when the forecast misses its budget."""
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    rng = random.Random(args.seed)
    # 04:00 UTC is before any shift starts in Warsaw, so today counts in full.
    now = datetime.combine(date.today(), clock(4), tzinfo=UTC)
    start = now.date()
    plan = generate(rng, args, start)
    work = line_work(plan)
    capacity_seconds, workers = best_of(args.runs, lambda: capacity_table(plan))
    capacity = sum(sum(w.minutes) for w in workers)
    demand = sum(w.work_minutes for w in work)
    absences = sum(len(w.absences) for w in plan.workers)
    print(f"problem: {len(work)} open order lines in {plan.orders} orders, "
          f"{len(LINE_CODES)} processes, {len(workers)} workers ({absences} absences), "
          f"{args.horizon}-day horizon from {start}")
    print(f"capacity {capacity:,.0f} worker-minutes, work {demand:,.0f} standard minutes "
          f"({demand / capacity:.0%} of capacity); best of {args.runs} runs, seed {args.seed}")

    def sort_and_sum():
        ordered = sorted(work, key=lambda w: (w.due_on, w.order_id, w.line_id))
        return sum(w.work_minutes for w in ordered)

    baseline, _ = best_of(args.runs, sort_and_sum)
    seconds, result = best_of(args.runs, lambda: forecast(work, workers, start, args.horizon))
    counts = result.counts()
    print(f"\n{'figure':<28}{'value':>10}      vs baseline of the same run")
    figure("baseline_sort_and_sum", baseline, None)
    figure("capacity_table", capacity_seconds, baseline, f"{len(workers)} x {args.horizon} days")
    figure("forecast", seconds, baseline, _outcome(result))
    doubled = [replace(w, remaining_quantity=2 * w.remaining_quantity) for w in work]
    overloaded, heavy = best_of(args.runs, lambda: forecast(doubled, workers, start,
                                                            args.horizon))
    figure("forecast_overloaded", overloaded, baseline, _outcome(heavy))
    over = seconds > BUDGET_S
    print(f"\nbudget: forecast {seconds:.3f} s <= {BUDGET_S:g} s   {'OVER' if over else 'OK'}")

    agrees = True
    if not args.no_db:
        agrees = database_part(args, plan, now, counts)
    return 1 if over or not agrees else 0


if __name__ == "__main__":
    sys.exit(main())
