"""Recalls issued from a forward trace, and the notice each partner received."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.database import UTCDateTime, utcnow
from shopfloor.extensions import db
from shopfloor.partners.models import Partner


class Recall(db.Model):
    """A recall of what was made from some lots (a supplier's recall of a fragrance lot):
    the lots were blocked, unfinished batches held and every partner who received goods
    told, each about its own deliveries only."""

    __tablename__ = "recall"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(120))  # what the trace was searched by
    reason: Mapped[str] = mapped_column(Text)
    lot_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    held_batches: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    notices: Mapped[list[RecallNotice]] = relationship(
        back_populates="recall", cascade="all, delete-orphan", order_by="RecallNotice.id")


class RecallNotice(db.Model):
    """What one partner was told of a recall: its batches and its delivery notes."""

    __tablename__ = "recall_notice"
    __table_args__ = (UniqueConstraint("recall_id", "partner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recall_id: Mapped[int] = mapped_column(ForeignKey("recall.id", ondelete="CASCADE"),
                                           index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    # [{"code", "product_code", "product_name", "unit", "quantity"}], what was shipped to it
    batches: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # [{"id", "number", "shipped_on"}]
    shipments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    event_id: Mapped[str] = mapped_column(String(36))
    contacts_mailed: Mapped[int] = mapped_column(default=0)

    recall: Mapped[Recall] = relationship(back_populates="notices")
    partner: Mapped[Partner] = relationship()
