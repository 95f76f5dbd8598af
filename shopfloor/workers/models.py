"""A worker's production record: name, photo, badge, sign-in method, working-time rule.

Nothing about diagnosis, degree or certificates is stored here (shared/domain.md §5); the
working-time rule is kept as the rule value (8/40 or 7/35) and shown to the manager only.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db


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
