"""The daily plan screen: the supervisor sees the suggestion station by station, moves
workers by tapping (tap a worker, then the station), changes a station's batch, and confirms;
today's confirmed plan goes to the tablets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.auth.access import require_role
from shopfloor.core.roles import STAFF
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.lines import line_name
from shopfloor.planning import day_plan as plans
from shopfloor.planning.daily import CAN_TEACH, INDEPENDENT, LEARNING, WITH_HELP
from shopfloor.planning.worktime import format_minutes
from shopfloor.stations.models import Station
from shopfloor.timeutil import local_today
from shopfloor.workers.capacity import SKILL_LEVEL_NAMES

bp = Blueprint("day_plan", __name__)

# How far ahead a plan can be made (and back, to look at what was planned).
DAYS_AHEAD, DAYS_BACK = 14, 7


@dataclass
class StationCard:
    """One station on the plan screen: its batch and the workers planned there."""

    station: Station
    batch: plans.BatchOnDay | None = None
    rows: list[tuple] = field(default_factory=list)  # (assignment, WorkerOnDay)
    warnings: list = field(default_factory=list)


def _day_from(value: str | None, today: date) -> date:
    try:
        day = date.fromisoformat(value) if value else today
    except ValueError:
        return today
    return min(max(day, today - timedelta(days=DAYS_BACK)), today + timedelta(days=DAYS_AHEAD))


def _team_warnings(card: StationCard) -> list:
    """A learner needs someone who can teach; a worker with help needs an independent one."""
    if card.batch is None:
        return []
    process = card.batch.batch.line
    levels = {info.levels.get(process) for _a, info in card.rows}
    warnings = []
    if LEARNING in levels and CAN_TEACH not in levels:
        warnings.append(_("A learner works here: plan someone who can teach this work."))
    if WITH_HELP in levels and not levels & {INDEPENDENT, CAN_TEACH}:
        warnings.append(_("Someone here works with help: plan a worker who works on their own."))
    return warnings


def _board(day: date):
    """What the screen shows for ``day``."""
    now = utcnow()
    workers = plans.workers_on(day)
    batches = plans.batches_to_plan(now)
    rows = plans.assignments_on(day)
    cards = {s.id: StationCard(s) for s in plans.active_stations()}
    planned_workers, planned_batches = set(), set()
    for row in rows:
        card = cards.get(row.station_id)
        info = workers.get(row.worker_id)
        if card is None or info is None:
            continue
        card.batch = batches.get(row.batch_id) or card.batch
        card.rows.append((row, info))
        planned_workers.add(row.worker_id)
        planned_batches.add(row.batch_id)
    for card in cards.values():
        card.warnings = _team_warnings(card)
    free, away = [], []
    for info in workers.values():
        if info.worker.id in planned_workers:
            continue
        problems = plans.placement_problems(info, day, None)
        (away if problems else free).append((info, problems))
    waiting = sorted((b for b in batches.values()
                      if b.batch.id not in planned_batches and b.remaining_minutes > 0),
                     key=lambda b: (b.due or date.max, b.batch.id))
    return {"cards": list(cards.values()), "free": free, "away": away, "waiting": waiting,
            "batches": sorted(batches.values(), key=lambda b: (b.due or date.max, b.batch.id)),
            "confirmed": bool(rows) and all(r.confirmed for r in rows), "planned": bool(rows)}


def _render(day: date, errors: dict | None = None, status: int = 200):
    today = local_today()
    pick = request.values.get("pick", type=int)
    board = _board(day)
    picked = next((info for info, _p in board["free"] if info.worker.id == pick), None) or next(
        (info for card in board["cards"] for _a, info in card.rows if info.worker.id == pick),
        None)
    return render_template(
        "planning/day.html", day=day, today=today, board=board, picked=picked,
        errors=errors or {}, previous_day=day - timedelta(days=1), next_day=day + timedelta(days=1),
        can_go_back=day > today - timedelta(days=DAYS_BACK),
        can_go_ahead=day < today + timedelta(days=DAYS_AHEAD), editable=day >= today,
        line_name=line_name, format_minutes=format_minutes,
        level_names=SKILL_LEVEL_NAMES), status


@bp.get("/planning/day")
@require_role(*STAFF)
def day_plan():
    """The plan of a day (today unless ``?day=``); ``?pick=`` is the worker being moved."""
    return _render(_day_from(request.args.get("day"), local_today()))[0]


def _editable_day(value: str) -> date:
    today = local_today()
    day = _day_from(value, today)
    if day.isoformat() != value or day < today:
        raise DomainError(_("Only today's plan and the next days' can be changed."), field="plan")
    return day


def _back(day: date, anchor: str | None = None):
    return redirect(url_for("day_plan.day_plan", day=day.isoformat(), _anchor=anchor))


def _act(value: str, action, success: str, key_of_error: str = "plan", anchor: str | None = None):
    """Run an edit of the day ``value``; on refusal show the page again with the message
    where the tap was (``key_of_error``: a station id, or "plan")."""
    try:
        day = _editable_day(value)
    except DomainError as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("day_plan.day_plan"))
    try:
        result = action(day)
    except DomainError as exc:
        return _render(day, {key_of_error: str(exc.message)}, 422)
    message = success(result) if callable(success) else success
    if message:
        flash(message, "success")
    return _back(day, anchor)


@bp.post("/planning/day/<value>/suggest")
@require_role(*STAFF)
def suggest(value: str):
    """Let the planner fill the day around what supervisors placed."""
    def success(result):
        text = _("Suggested: %(count)s workers placed.", count=result.added)
        if result.unplanned:
            text += " " + _("%(count)s batches could not be placed (see below).",
                            count=len(result.unplanned))
        return text

    return _act(value, lambda day: plans.suggest(day, current_user, utcnow()), success)


@bp.post("/planning/day/<value>/place")
@require_role(*STAFF)
def place(value: str):
    """Put the picked worker at the tapped station."""
    station = request.form.get("station", "")
    return _act(value, lambda day: plans.place_worker(
        day, request.form.get("worker", ""), station, current_user,
        request.form.get("batch")), None, f"station-{station}", f"station-{station}")


@bp.post("/planning/day/<value>/remove")
@require_role(*STAFF)
def remove(value: str):
    """Take a worker out of the day's plan."""
    return _act(value, lambda day: plans.remove_worker(
        day, request.form.get("worker", ""), current_user), None, "plan", "free-workers")


@bp.post("/planning/day/<value>/batch")
@require_role(*STAFF)
def change_batch(value: str):
    """Give a station's planned workers another batch."""
    station = request.form.get("station", "")
    return _act(value, lambda day: plans.change_batch(
        day, station, request.form.get("batch"), current_user), None,
        f"station-{station}", f"station-{station}")


@bp.post("/planning/day/<value>/confirm")
@require_role(*STAFF)
def confirm(value: str):
    """Confirm the plan; today's goes to the stations' tablets at once."""
    def run(day):
        return day, plans.confirm(day, current_user, local_today())

    def success(result):
        day, problems = result
        for problem in problems:
            flash(problem, "error")
        if day == local_today():
            return _("The plan is confirmed. The stations show it now.")
        return _("The plan is confirmed. It goes to the stations on the day.")

    return _act(value, run, success)
