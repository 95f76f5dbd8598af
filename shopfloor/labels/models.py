"""Pallets: each SSCC handed out for a pallet label is kept with the batch it was printed
for, so a scanned pallet label finds its batch and a shipment can list its pallets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shopfloor.database import UTCDateTime, utcnow
from shopfloor.extensions import db


class Pallet(db.Model):
    """One pallet label printed: its SSCC (18 digits, never reused) and the batch on it."""

    __tablename__ = "pallet"

    id: Mapped[int] = mapped_column(primary_key=True)
    sscc: Mapped[str] = mapped_column(String(18), unique=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"), index=True)
    contents: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
