"""Staff accounts and the sign-in attempt log used for rate limiting."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db


class Role(enum.StrEnum):
    """What a staff account may do. Partner users and workers get their own roles later."""

    MANAGER = "manager"
    SUPERVISOR = "supervisor"


ROLE_VALUES = tuple(r.value for r in Role)


class User(UserMixin, db.Model):
    """A staff account that signs in with a user name and password."""

    __tablename__ = "user_account"
    __table_args__ = (
        one_of("role", ROLE_VALUES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(5))
    # Where alerts and digests are e-mailed (None: the in-app inbox only).
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_sign_in_address: Mapped[str | None] = mapped_column(String(64))
    # Bumped when the password changes or the account is disabled: older sessions end.
    session_generation: Mapped[int] = mapped_column(default=1)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_active(self) -> bool:  # Flask-Login: disabled accounts cannot sign in
        return self.active

    def get_id(self) -> str:
        """Session identity: the id plus the generation, so a password change ends old sessions."""
        return f"{self.id}:{self.session_generation}"

    def has_role(self, *roles: str) -> bool:
        """Whether this account holds one of the given roles."""
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class SignInAttempt(db.Model):
    """One sign-in attempt, kept for a day to limit guessing per account and per address."""

    __tablename__ = "sign_in_attempt"
    __table_args__ = (
        Index("ix_sign_in_attempt_username_time", "username_key", "attempted_at"),
        Index("ix_sign_in_attempt_address_time", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username_key: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool]
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime())
