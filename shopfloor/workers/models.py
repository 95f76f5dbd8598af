"""A worker's production record: name, photo, badge, sign-in method, working-time rule.

Nothing about diagnosis, degree or certificates is stored here (shared/domain.md §5); the
working-time rule is kept as the rule value (8/40 or 7/35) and shown to the manager only.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, String
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
