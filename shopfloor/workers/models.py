"""A worker's production record: name, photo, badge, sign-in method, working-time rule.

Nothing about diagnosis, degree or certificates is stored here (shared/domain.md §5); the
working-time rule is kept as the rule value (8/40 or 7/35) and shown to the manager only.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db
from shopfloor.lines import LINE_CODES


class SignInMethod(enum.StrEnum):
    """How a worker signs in on a station: scan the badge, or pick their own picture."""

    BADGE = "badge"
    PICTURE = "picture"


class WorkingTimeRule(enum.StrEnum):
    """Daily/weekly caps the scheduler applies (Rehabilitation Act art. 15)."""

    STANDARD = "8/40"
    REDUCED = "7/35"


class Worker(db.Model):
    """A worker, identified on the floor by first name (or nickname), photo and badge."""

    __tablename__ = "worker"
    __table_args__ = (
        one_of("sign_in_method", SignInMethod),
        one_of("working_time_rule", WorkingTimeRule),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    first_name: Mapped[str] = mapped_column(String(60))
    photo: Mapped[str | None] = mapped_column(String(80))
    sign_in_method: Mapped[str] = mapped_column(String(10), default=SignInMethod.BADGE.value)
    working_time_rule: Mapped[str] = mapped_column(String(5),
                                                   default=WorkingTimeRule.STANDARD.value)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Night work and overtime are refused unless the worker asked for them and the
    # occupational doctor agreed on this date (Rehabilitation Act art. 16).
    night_overtime_consent_on: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class SupportProfile(db.Model):
    """How the task screens support one worker, as a supervisor set it at ``set_at``.

    Every change adds a row and none is edited, so reports can show support fading over time;
    the newest row is the one in force (a worker without rows gets ``DEFAULT_PROFILE``).
    """

    __tablename__ = "worker_support_profile"
    __table_args__ = (
        Index("ix_worker_support_profile_worker_set", "worker_id", "set_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"))
    # The recorded clip (or speech synthesis) starts by itself on every step.
    audio_autoplay: Mapped[bool] = mapped_column(default=False)
    # The caption is shown under the photo (off: picture and sound only).
    captions: Mapped[bool] = mapped_column(default=True)
    # 1: confirm every step; 2-4: consecutive "do" steps share one screen and one Done.
    steps_per_screen: Mapped[int] = mapped_column(default=1)
    # Minutes without a tap before a gentle reminder, then before the silent alert.
    idle_reminder_minutes: Mapped[int] = mapped_column(default=3)
    idle_alert_minutes: Mapped[int] = mapped_column(default=10)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)



class SkillLevel(enum.StrEnum):
    """How far a worker has come in a process (the skills matrix)."""

    LEARNING = "learning"
    WITH_HELP = "with_help"
    INDEPENDENT = "independent"
    CAN_TEACH = "can_teach"


class AbsenceKind(enum.StrEnum):
    """Why a worker is away (the reason stays this general: no health details)."""

    LEAVE = "leave"
    THERAPY = "therapy"
    TRANSPORT = "transport"
    OTHER = "other"


class WorkerAvailability(db.Model):
    """When a worker can work on one weekday (0 Monday ... 6 Sunday), in local time."""

    __tablename__ = "worker_availability"
    __table_args__ = (
        UniqueConstraint("worker_id", "weekday", name="uq_worker_availability_day"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("starts_at < ends_at", name="order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"))
    weekday: Mapped[int]
    starts_at: Mapped[time]
    ends_at: Mapped[time]


class Absence(db.Model):
    """Days a worker is away, both ends included."""

    __tablename__ = "worker_absence"
    __table_args__ = (
        one_of("kind", AbsenceKind),
        CheckConstraint("starts_on <= ends_on", name="order"),
        Index("ix_worker_absence_worker_days", "worker_id", "starts_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(12))
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WorkerSkill(db.Model):
    """One cell of the skills matrix: a worker's level in a process (a production line)."""

    __tablename__ = "worker_skill"
    __table_args__ = (
        UniqueConstraint("worker_id", "process", name="uq_worker_skill_process"),
        one_of("level", SkillLevel),
        one_of("process", LINE_CODES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"))
    process: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(12))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TrainingRecord(db.Model):
    """A training a worker had: in which process, when, by whom (possibly a partner firm's
    employee), and the level reached."""

    __tablename__ = "worker_training"
    __table_args__ = (
        one_of("level", SkillLevel),
        one_of("process", LINE_CODES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"),
                                           index=True)
    process: Mapped[str] = mapped_column(String(20))
    trained_on: Mapped[date]
    trainer: Mapped[str] = mapped_column(String(120))
    trainer_organisation: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[str] = mapped_column(String(12))
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
