"""Stored forecasts (recomputed, never edited) and the daily plan's assignments."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db


class Risk(enum.StrEnum):
    """How an order line stands against its due date."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"


class LineForecast(db.Model):
    """The latest forecast of one open order line: when its remaining work is projected to
    be done, the slack to its due date and the risk. Replaced on every recomputation."""

    __tablename__ = "line_forecast"
    __table_args__ = (one_of("risk", Risk),)

    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("order_line.id", ondelete="CASCADE"), primary_key=True)
    remaining_minutes: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    # None: the horizon ran out before the work did (nobody qualified, or too much work).
    projected_on: Mapped[date | None]
    slack_days: Mapped[int | None]
    risk: Mapped[str] = mapped_column(String(10))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PlanAssignment(db.Model):
    """One worker's work on one day: which batch, at which station, for how long."""

    __tablename__ = "plan_assignment"
    __table_args__ = (
        UniqueConstraint("day", "worker_id", "batch_id", name="uq_plan_assignment"),
        Index("ix_plan_assignment_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"))
    station_id: Mapped[int | None] = mapped_column(
        ForeignKey("station.id", ondelete="SET NULL"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"))
    minutes: Mapped[int]
    # False: suggested by the planner; True: a supervisor placed or confirmed it.
    confirmed: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ForecastState(db.Model):
    """One row (id 1): when something the forecast reads last changed (orders, batches,
    availability, absences, skills) and when the stored forecast was last computed. Planning
    pages recompute when the forecast is older than the last change."""

    __tablename__ = "forecast_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
