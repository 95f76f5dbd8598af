"""Received lots of material, own or owned by a partner."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.catalog.models import Material
from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db
from shopfloor.partners.models import Partner


class LotStatus(enum.StrEnum):
    """Whether a lot may be used: new lots wait in quarantine until approved."""

    QUARANTINE = "quarantine"
    APPROVED = "approved"
    REJECTED = "rejected"


LOT_STATUS_VALUES = tuple(s.value for s in LotStatus)


class MaterialLot(db.Model):
    """A received lot of one material, with its supplier's lot number."""

    __tablename__ = "material_lot"
    __table_args__ = (
        CheckConstraint("quantity_received > 0", name="quantity_received"),
        one_of("status", LOT_STATUS_VALUES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id"), index=True)
    owner_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), index=True)
    supplier: Mapped[str] = mapped_column(String(200))
    supplier_lot: Mapped[str] = mapped_column(String(80), index=True)
    received_on: Mapped[date]
    quantity_received: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    expires_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default=LotStatus.QUARANTINE.value)
    delivery_note: Mapped[str] = mapped_column(String(80), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    material: Mapped[Material] = relationship()
    owner_partner: Mapped[Partner | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_partner_owned(self) -> bool:
        """Consigned stock belongs to the partner, not the cooperative."""
        return self.owner_partner_id is not None
