"""Staff accounts and the sign-in attempt log used for rate limiting."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db


class Role(enum.StrEnum):
    """What an account may do: the cooperative's staff, or a partner firm's people in the
    portal (viewers read; orderers also send order requests and answer decisions)."""

    MANAGER = "manager"
    SUPERVISOR = "supervisor"
    PARTNER_VIEWER = "partner_viewer"
    PARTNER_ORDERER = "partner_orderer"


ROLE_VALUES = tuple(r.value for r in Role)
STAFF_ROLE_VALUES = (Role.MANAGER.value, Role.SUPERVISOR.value)
PARTNER_ROLE_VALUES = (Role.PARTNER_VIEWER.value, Role.PARTNER_ORDERER.value)


class User(UserMixin, db.Model):
    """An account that signs in with a user name and password: staff, or a partner firm's
    person (``partner_id`` set, and only then; their user name is their e-mail address)."""

    __tablename__ = "user_account"
    __table_args__ = (
        one_of("role", ROLE_VALUES),
        CheckConstraint(
            "(partner_id IS NULL AND role IN ('manager', 'supervisor')) OR "
            "(partner_id IS NOT NULL AND role IN ('partner_viewer', 'partner_orderer'))",
            name="partner_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(5))
    # Where alerts and digests are e-mailed (None: the in-app inbox only).
    email: Mapped[str | None] = mapped_column(String(254))
    # The partner firm a portal account belongs to (None for staff).
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), index=True)
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

    @property
    def is_partner(self) -> bool:
        """Whether this is a partner firm's portal account."""
        return self.partner_id is not None

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


class TokenScope(enum.StrEnum):
    """What an API token may do: read only, or also change (send order requests...)."""

    READ = "read"
    WRITE = "write"


class ApiToken(db.Model):
    """A named API token of one account, sent as ``Authorization: Bearer <token>``. Only a
    hash of the secret is kept (the secret is shown once); it acts as its owner, within its
    scope, and is counted per minute for the rate limit."""

    __tablename__ = "api_token"
    __table_args__ = (one_of("scope", TokenScope),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(String(80))
    # The first characters of the secret, to tell tokens apart in lists and logs.
    prefix: Mapped[str] = mapped_column(String(12))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The rate limit's fixed window: the minute counted and the requests in it.
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    window_count: Mapped[int] = mapped_column(default=0)
