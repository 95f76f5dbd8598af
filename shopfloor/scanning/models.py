"""The scan log: every scan, who made it, where, and what it resolved to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shopfloor.database import UTCDateTime, utcnow
from shopfloor.extensions import db


class ScanEvent(db.Model):
    """One scan: the raw text (shortened), the result kind and code, accepted or refused."""

    __tablename__ = "scan_event"
    __table_args__ = (Index("ix_scan_event_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    station: Mapped[str] = mapped_column(String(60), default="")
    raw: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(40))
    accepted: Mapped[bool]
    message: Mapped[str] = mapped_column(String(300), default="")
