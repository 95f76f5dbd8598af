"""What the scheduler ran, and the lease that lets exactly one scheduler run jobs."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db


class RunOutcome(enum.StrEnum):
    """How a job run ended (``running`` until it does)."""

    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"


class JobRun(db.Model):
    """One run of a scheduled job (by the scheduler or ``shopfloor run-job``)."""

    __tablename__ = "job_run"
    __table_args__ = (
        one_of("outcome", RunOutcome),
        Index("ix_job_run_job_started", "job", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(60))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(String(10), default=RunOutcome.RUNNING.value)
    summary: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str | None] = mapped_column(Text)
    runner: Mapped[str] = mapped_column(String(120), default="")


class SchedulerLease(db.Model):
    """The right to run jobs, held by one scheduler process at a time and renewed while it
    lives; another scheduler takes it over only after it has expired."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
