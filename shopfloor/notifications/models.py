"""Staff notifications (the inbox) and e-mail waiting to be sent (the outbox)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db


class Notification(db.Model):
    """A message in a staff member's inbox. ``dedupe_key`` makes an alert single: the same
    change announced twice (a job run again) is stored once per person."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("uq_notification_user_key", "user_id", "dedupe_key", unique=True),
        Index("ix_notification_user_read", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MailStatus(enum.StrEnum):
    """Where an e-mail stands in the outbox."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry; shown to the manager


class OutboxEmail(db.Model):
    """An e-mail to send. Written in the same transaction as what it reports, sent later
    by the outbox job, retried with growing waits, so an SMTP outage loses nothing."""

    __tablename__ = "outbox_email"
    __table_args__ = (
        one_of("status", MailStatus),
        Index("ix_outbox_email_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=MailStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set for mail that must go once only (a partner's weekly digest): a second job run
    # finds the key taken and queues nothing.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)


class NotificationPreference(db.Model):
    """Whether a person wants an e-mail for one kind of event (a partner's people choose in
    the portal); no row means the kind's default."""

    __tablename__ = "notification_preference"
    __table_args__ = (
        UniqueConstraint("user_id", "event", name="uq_notification_preference_user_event"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    email: Mapped[bool] = mapped_column(default=True)
