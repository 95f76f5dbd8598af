"""The scheduled jobs (a registry) and ``run_job``, the one way any of them is run.

A job is a plain function taking ``now`` (UTC) and returning a one-line summary. The
scheduler process, ``shopfloor run-job NAME``, the "run now" button and the tests all go
through ``run_job``, which records every run as a ``JobRun``. The job functions live in
their areas and are imported inside the wrappers below, so an area that is missing or
broken fails its own job (recorded, with the traceback) instead of the whole registry.

To add a job: write the function in its area, a wrapper here, and one entry in ``JOBS``.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_request_context
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.scheduling.models import JobRun, RunOutcome

log = logging.getLogger("shopfloor.scheduler")


@dataclass(frozen=True)
class Schedule:
    """When a job runs: an APScheduler trigger (``interval`` or ``cron``) with its fields,
    and how the jobs page says it. ``offset`` shifts an interval job's grid, so a job that
    reads another's results runs after it."""

    trigger: str
    fields: Mapping[str, int]
    label: Any
    offset: timedelta = field(default=timedelta(0))


@dataclass(frozen=True)
class JobSpec:
    """A registered job: its function, its title and purpose, and its schedule (computed
    from the settings, since some schedules are configurable)."""

    run: Callable[[datetime], str]
    title: Any
    description: Any
    schedule: Callable[[Mapping[str, Any]], Schedule]


def _every(minutes: int, offset_minutes: int = 0, label: Any = None) -> Schedule:
    label = label or (_l("Every minute") if minutes == 1
                      else _l("Every %(num)s min", num=minutes))
    return Schedule("interval", {"minutes": minutes}, label, timedelta(minutes=offset_minutes))


def _daily(hour: int) -> Schedule:
    clock = f"{hour:02d}:00"  # outside the _l call: the extractor warns about f-strings in it
    return Schedule("cron", {"hour": hour, "minute": 0}, _l("Every day at %(time)s", time=clock))


def _weekly(weekday: str, hour: int) -> Schedule:
    """Once a week: ``weekday`` is a name from ``config.WEEKDAYS`` ("monday" ...)."""
    from shopfloor.config import WEEKDAYS
    from shopfloor.timeutil import weekday_name

    day = WEEKDAYS.index(weekday)  # APScheduler's day_of_week: 0 is Monday, as here
    clock = f"{hour:02d}:00"
    return Schedule("cron", {"day_of_week": day, "hour": hour, "minute": 0},
                    _l("Every week, %(weekday)s at %(time)s",
                       weekday=LazyString(weekday_name, day), time=clock))


# ------------------------------------------------------------------ the job wrappers
# Imported here, not at the top: a helper area that does not exist yet (or fails to import)
# must fail only its own job.


def _recompute_forecasts(now: datetime) -> str:
    from shopfloor.planning.services import recompute_forecasts

    return recompute_forecasts(now)


def _deadline_alerts(now: datetime) -> str:
    from shopfloor.planning.services import deadline_alerts

    return deadline_alerts(now)


def _send_outbox(now: datetime) -> str:
    from shopfloor.notifications.services import send_outbox

    return send_outbox(now)


def _deliver_webhooks(now: datetime) -> str:
    from shopfloor.webhooks.delivery import deliver_webhooks

    return deliver_webhooks(now)


def _escalate_help_calls(now: datetime) -> str:
    from shopfloor.floor.jobs import escalate_help_calls

    return escalate_help_calls(now)


def _morning_digest(now: datetime) -> str:
    from shopfloor.scheduling.digest import morning_digest

    return morning_digest(now)


def _daily_plan(now: datetime) -> str:
    from shopfloor.planning.day_plan import daily_plan

    return daily_plan(now)


def _partner_digests(now: datetime) -> str:
    from shopfloor.scheduling.partner_digest import partner_digests

    return partner_digests(now)


def _complaint_clock(now: datetime) -> str:
    from shopfloor.lines.garment_clock import complaint_clock

    return complaint_clock(now)


def _cleanup(now: datetime) -> str:
    from shopfloor.scheduling.cleanup import cleanup

    return cleanup(now)


def heartbeat(now: datetime) -> str:
    """A job that only says it ran: proves a scheduler is alive (tests, deployment checks).
    Not in ``JOBS``; ``shopfloor scheduler --heartbeat SECONDS`` adds it to one process."""
    return f"alive at {now.isoformat(timespec='seconds')}"


def heartbeat_job(seconds: int) -> JobSpec:
    """The heartbeat as a job running every ``seconds``."""
    return JobSpec(heartbeat, "heartbeat", "",
                   lambda _settings: Schedule("interval", {"seconds": seconds},
                                              f"every {seconds} s"))


# The clean-up runs at night, when nothing else is busy.
CLEANUP_HOUR = 3

# Ordered: the deadline alerts read the forecasts, so they come (and run) after them.
JOBS: dict[str, JobSpec] = {
    "recompute_forecasts": JobSpec(
        _recompute_forecasts, _l("Recompute forecasts"),
        _l("Projects when every open order line will be done and how it stands against "
           "its due date."),
        lambda s: _every(s["scheduler.deadline_check_minutes"])),
    "deadline_alerts": JobSpec(
        _deadline_alerts, _l("Deadline alerts"),
        _l("Tells the managers when an order becomes at risk or late."),
        lambda s: _every(s["scheduler.deadline_check_minutes"], offset_minutes=2,
                         label=_l("Every %(num)s min, 2 min after the forecasts",
                                  num=s["scheduler.deadline_check_minutes"]))),
    "send_outbox": JobSpec(
        _send_outbox, _l("Send e-mail"),
        _l("Sends the e-mail waiting in the outbox and retries what failed."),
        lambda _s: _every(1)),
    "escalate_help_calls": JobSpec(
        _escalate_help_calls, _l("Unanswered help calls"),
        _l("Tells all supervisors and managers about a help call nobody has answered."),
        lambda _s: _every(1)),
    "daily_plan": JobSpec(
        _daily_plan, _l("Plan of the day"),
        _l("Sends a confirmed plan to the stations; without one, suggests the day's plan "
           "and tells the supervisors."),
        lambda s: _daily(s["planning.daily_plan_hour"])),
    "morning_digest": JobSpec(
        _morning_digest, _l("Morning summary"),
        _l("Sends each manager a summary: overdue orders, lines at risk, lots to approve, "
           "open help calls."),
        lambda s: _daily(s["scheduler.morning_digest_hour"])),
    "partner_digests": JobSpec(
        _partner_digests, _l("Partners' weekly status e-mail"),
        _l("E-mails each partner's contacts who receive it the status of the partner's open "
           "orders: progress, due dates, expected completion, and which will be late."),
        lambda s: _weekly(s["scheduler.partner_digest_weekday"],
                          s["scheduler.partner_digest_hour"])),
    "complaint_clock": JobSpec(
        _complaint_clock, _l("Garment complaint clock"),
        _l("Warns managers and supervisors when a returned garment reaches day 10 of the 14 "
           "days to answer, and again when the 14 days are up."),
        lambda _s: _every(60, label=_l("Every hour"))),
    # After the first six (their order is tested); like send_outbox, every minute.
    "webhooks": JobSpec(
        _deliver_webhooks, _l("Send webhooks"),
        _l("Posts the partners' webhooks that are waiting and retries what failed."),
        lambda _s: _every(1)),
    "cleanup": JobSpec(
        _cleanup, _l("Clean-up"),
        _l("Deletes old job runs (keeping each job's last run), sent e-mail and read "
           "notifications."),
        lambda _s: _daily(CLEANUP_HOUR)),
}


def _unknown(name: str, jobs: Mapping[str, JobSpec]) -> DomainError:
    return DomainError(_l("There is no job called %(name)s. Known jobs: %(known)s.",
                          name=repr(name), known=", ".join(jobs)), field="job")


def job_spec(name: str, jobs: Mapping[str, JobSpec] | None = None) -> JobSpec:
    """The registered job of that name, or a DomainError listing the known names."""
    jobs = JOBS if jobs is None else jobs
    if name not in jobs:
        raise _unknown(name, jobs)
    return jobs[name]


def run_job(name: str, now: datetime | None = None, runner: str = "cli",
            jobs: Mapping[str, JobSpec] | None = None) -> JobRun:
    """Run one job now and record it: a ``JobRun`` is committed as ``running`` first, then
    marked ``ok`` with the job's summary or ``failed`` with the traceback.

    A failing job does not raise (its error is on the run); an unknown name raises a
    DomainError naming the known jobs. Needs an app context; outside a request a request
    context on the public base URL is set up, so jobs can build links and translate (in
    the default language).
    """
    spec = job_spec(name, jobs)
    now = now or utcnow()
    run = JobRun(job=name, started_at=utcnow(), runner=runner,
                 outcome=RunOutcome.RUNNING.value, summary="")
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    context = (nullcontext() if has_request_context() else current_app.test_request_context(
        base_url=current_app.config["SHOPFLOOR"]["public_base_url"]))
    try:
        with context:
            summary = spec.run(now)
    except Exception:  # noqa: BLE001 - any failure is the run's outcome, kept with its traceback
        error = traceback.format_exc()
        db.session.rollback()
        run = db.session.get(JobRun, run_id)
        run.outcome = RunOutcome.FAILED.value
        run.error = error
        run.finished_at = utcnow()
        db.session.commit()
        log.error("Job %s failed (run %s by %s):\n%s", name, run_id, runner, error)
        return run
    run = db.session.get(JobRun, run_id)
    run.outcome = RunOutcome.OK.value
    run.summary = str(summary or "")
    run.finished_at = utcnow()
    db.session.commit()
    log.info("Job %s ok (run %s by %s): %s", name, run_id, runner, run.summary)
    return run


# Runners that are not scheduler processes: their runs are never taken for abandoned.
NOT_SCHEDULERS = ("cli", "manual")
ABANDONED = "The scheduler process stopped (killed or crashed) before this run finished."


def abandon_runs(runner: str, now: datetime | None = None) -> int:
    """Mark as failed the runs left ``running`` by other scheduler processes; called by a
    scheduler when it takes the lease, since the previous holder stopped without finishing
    them. (A run that does finish after all still records its own outcome.)"""
    changed = db.session.execute(
        update(JobRun).where(JobRun.outcome == RunOutcome.RUNNING.value,
                             JobRun.runner != runner, JobRun.runner.not_in(NOT_SCHEDULERS))
        .values(outcome=RunOutcome.FAILED.value, error=ABANDONED,
                finished_at=now or utcnow())).rowcount
    db.session.commit()
    return changed
