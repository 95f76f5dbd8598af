"""Stations (shared tablets), the workers expected at each, sign-in attempts and sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db
from shopfloor.lines import LINE_CODES


class Station(db.Model):
    """A shared tablet a supervisor enrolled; it proves itself with a device cookie whose
    token is stored only as a SHA-256 hash. ``revoked_at`` set: the tablet is shut out."""

    __tablename__ = "station"
    __table_args__ = (
        one_of("line", LINE_CODES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    line: Mapped[str | None] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The batch the workers here work on now ("my work now" on the tablet).
    current_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("batch.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def active(self) -> bool:
        """Whether the tablet may still be used."""
        return self.revoked_at is None

    @property
    def status(self) -> str:
        """``active`` or ``revoked`` (the names the audit trail uses)."""
        return "active" if self.active else "revoked"

    def __repr__(self) -> str:
        return f"<Station {self.id} {self.name!r} ({self.status})>"


class StationWorker(db.Model):
    """A worker expected at a station: only they appear on its photo screen and sign in."""

    __tablename__ = "station_worker"

    station_id: Mapped[int] = mapped_column(
        ForeignKey("station.id", ondelete="CASCADE"), primary_key=True)
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("worker.id", ondelete="CASCADE"), primary_key=True, index=True)


class WorkerSignInAttempt(db.Model):
    """One sign-in attempt of a worker on a station, used to limit failures.

    ``cleared_at``: a supervisor unlocked the worker or station, so the failure no longer
    counts (the row is kept, so the supervisor can see who has trouble signing in).
    """

    __tablename__ = "worker_sign_in_attempt"
    __table_args__ = (
        Index("ix_worker_sign_in_attempt_worker_at", "worker_id", "at"),
        Index("ix_worker_sign_in_attempt_station_at", "station_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"))
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"))
    succeeded: Mapped[bool]
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


OPEN = text("ended_at IS NULL")


class WorkerSession(db.Model):
    """A worker signed in on a station, from ``started_at`` until ``ended_at`` (NULL: still
    signed in). A worker has at most one open session (the partial unique index); a station
    may have several at once (a shared table)."""

    __tablename__ = "worker_session"
    __table_args__ = (
        Index("uq_worker_session_open_worker", "worker_id", unique=True,
              sqlite_where=OPEN, postgresql_where=OPEN),
        Index("ix_worker_session_station_ended", "station_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No cascade: sessions are a record of who worked where; stations and workers are
    # revoked or deactivated, not deleted.
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def open(self) -> bool:
        """Whether the worker is still signed in."""
        return self.ended_at is None
