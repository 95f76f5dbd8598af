"""Pallets: a quantity of one finished batch under one SSCC (never reused), its logistic
label, and the shipment (WZ) it left on; a scanned pallet label finds its batch."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.database import UTCDateTime, utcnow
from shopfloor.extensions import db

if TYPE_CHECKING:
    from shopfloor.production.models import Batch
    from shopfloor.shipping.models import Shipment


class Pallet(db.Model):
    """One pallet: its SSCC (18 digits, never reused), the batch and quantity on it, and
    the shipment it left on. A voided pallet keeps its row, so its SSCC is never issued
    again."""

    __tablename__ = "pallet"
    __table_args__ = (CheckConstraint("quantity IS NULL OR quantity > 0", name="quantity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sscc: Mapped[str] = mapped_column(String(18), unique=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"), index=True)
    contents: Mapped[str] = mapped_column(String(120), default="")
    # None only on labels printed before pallets had contents (migration 0016's rows).
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(14, 3))
    shipment_id: Mapped[int | None] = mapped_column(
        ForeignKey("shipment.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voided_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    void_reason: Mapped[str] = mapped_column(String(200), default="")

    batch: Mapped[Batch] = relationship("Batch")
    shipment: Mapped[Shipment | None] = relationship("Shipment")

    @property
    def is_open(self) -> bool:
        """Built with a quantity, neither shipped nor voided: it can still ship."""
        return self.quantity is not None and self.shipment_id is None and self.voided_at is None
