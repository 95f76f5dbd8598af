"""One row per status change or edit of a business record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shopfloor.database import UTCDateTime, utcnow
from shopfloor.extensions import db


class AuditEntry(db.Model):
    """Who did what to which record: a status change (from -> to) or an edit (old -> new)."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_record", "record_type", "record_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(20))  # created | status | edited
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
