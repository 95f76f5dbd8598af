"""What workers do on the tablets: one row per step event, one per call for help."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db


class EventKind(enum.StrEnum):
    """What a worker's tap on a step screen meant."""

    DONE = "done"        # the step is done, go on
    COUNT = "count"      # +1 or -1 on a counting step
    UNDO = "undo"        # take back the worker's last count (stored as its opposite)
    MEASURE = "measure"  # a weight or temperature typed in
    SCAN = "scan"        # a scanned label
    CHECK = "check"      # the good or the bad photo chosen
    HELP = "help"        # asked for help (the timeline mark; the call itself is a HelpCall)


class StepEvent(db.Model):
    """One tap of a worker on a step, sent by a tablet.

    ``client_id`` is a UUID the tablet makes for each tap, so a double tap or a resend after
    a lost answer is stored once. ``occurred_at`` is the tablet's clock, ``received_at`` ours.
    """

    __tablename__ = "step_event"
    __table_args__ = (
        one_of("kind", EventKind),
        Index("ix_step_event_batch_step", "batch_id", "instruction_step_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    # No cascades: events are the record of who did what on which batch.
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"))
    instruction_step_id: Mapped[int | None] = mapped_column(ForeignKey("instruction_step.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    session_id: Mapped[int] = mapped_column(ForeignKey("worker_session.id"))
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 3))
    text: Mapped[str | None] = mapped_column(String(200))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


OPEN_CALL = text("closed_at IS NULL")


class HelpCall(db.Model):
    """A worker asked for help; a supervisor acknowledges it ("coming") and closes it.

    A worker has at most one open call (the partial unique index), so tapping again while
    waiting does not queue more calls; a station likewise has at most one open call of
    nobody in particular (checked by the service).
    """

    __tablename__ = "help_call"
    __table_args__ = (
        Index("uq_help_call_open_worker", "worker_id", unique=True,
              sqlite_where=OPEN_CALL, postgresql_where=OPEN_CALL),
        Index("ix_help_call_closed_created", "closed_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    # None: asked from a station before anyone signed in (the photo or sign-in screen).
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("worker.id"))
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id", ondelete="SET NULL"))
    instruction_step_id: Mapped[int | None] = mapped_column(
        ForeignKey("instruction_step.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def status(self) -> str:
        """``open``, ``acknowledged`` or ``closed`` (the names the audit trail uses)."""
        if self.closed_at is not None:
            return "closed"
        return "acknowledged" if self.acknowledged_at is not None else "open"
