"""What the jobs page shows: each job's last run, last error and next run, and the lease."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import inspect, select, text

from shopfloor.extensions import db
from shopfloor.scheduling.jobs import JOBS, JobSpec
from shopfloor.scheduling.lease import LEASE_NAME
from shopfloor.scheduling.models import JobRun, RunOutcome, SchedulerLease
from shopfloor.scheduling.process import JOBSTORE_TABLE


@dataclass
class JobRow:
    """One line of the jobs page."""

    name: str
    spec: JobSpec
    schedule_label: Any
    last_run: JobRun | None
    last_failure: JobRun | None
    next_run_at: datetime | None
    scheduled: bool

    @property
    def duration(self) -> timedelta | None:
        """How long the last run took (None while it runs)."""
        if self.last_run is None or self.last_run.finished_at is None:
            return None
        return self.last_run.finished_at - self.last_run.started_at


@dataclass
class LeaseState:
    """Who holds the scheduler lease, as the lease row says."""

    holder: str | None
    expires_at: datetime | None
    live: bool


def next_run_times() -> dict[str, datetime | None] | None:
    """Next run of each job from APScheduler's job store; None when no scheduler has ever
    run here (the table does not exist yet)."""
    if not inspect(db.session.connection()).has_table(JOBSTORE_TABLE):
        return None
    rows = db.session.execute(text(f"SELECT id, next_run_time FROM {JOBSTORE_TABLE}"))  # noqa: S608 - a constant
    return {job_id: (datetime.fromtimestamp(stamp, UTC) if stamp is not None else None)
            for job_id, stamp in rows}


def _last(name: str, *conditions) -> JobRun | None:
    return db.session.scalar(select(JobRun).where(JobRun.job == name, *conditions)
                             .order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(1))


def job_overview(settings) -> list[JobRow]:
    """Every registered job, in registry order, with its last run and next run."""
    upcoming = next_run_times() or {}
    return [JobRow(name=name, spec=spec, schedule_label=spec.schedule(settings).label,
                   last_run=_last(name),
                   last_failure=_last(name, JobRun.outcome == RunOutcome.FAILED.value),
                   next_run_at=upcoming.get(name), scheduled=name in upcoming)
            for name, spec in JOBS.items()]


def lease_state(now: datetime) -> LeaseState:
    """The lease row: who runs the jobs, and whether the lease is still live."""
    lease = db.session.get(SchedulerLease, LEASE_NAME)
    if lease is None:
        return LeaseState(None, None, False)
    return LeaseState(lease.holder, lease.expires_at, lease.expires_at > now)
