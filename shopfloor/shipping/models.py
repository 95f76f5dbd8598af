"""Shipments, the batches they carry, and gap-free document numbers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.database import UTCDateTime, utcnow
from shopfloor.extensions import db
from shopfloor.labels.models import Pallet
from shopfloor.orders.models import Order, OrderLine
from shopfloor.partners.models import Partner
from shopfloor.production.models import Batch


class DocumentCounter(db.Model):
    """The last number issued for a document series in a year (e.g. WZ 2026)."""

    __tablename__ = "document_counter"

    series: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class Shipment(db.Model):
    """Goods sent to a partner for one order, with its delivery note number WZ/YYYY/NNNN."""

    __tablename__ = "shipment"
    __table_args__ = (UniqueConstraint("year", "sequence", name="uq_shipment_year_sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int]
    sequence: Mapped[int]
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    shipped_on: Mapped[date]
    carrier: Mapped[str] = mapped_column(String(120), default="")
    tracking: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    order: Mapped[Order] = relationship()
    partner: Mapped[Partner] = relationship()
    lines: Mapped[list[ShipmentLine]] = relationship(
        back_populates="shipment", cascade="all, delete-orphan", order_by="ShipmentLine.id")
    # The pallets (SSCCs) that left on this shipment; set by create_shipment.
    pallets: Mapped[list[Pallet]] = relationship("Pallet", viewonly=True, order_by="Pallet.id")


class ShipmentLine(db.Model):
    """A quantity of one batch shipped against one order line."""

    __tablename__ = "shipment_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id", ondelete="CASCADE"),
                                             index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_line.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))

    shipment: Mapped[Shipment] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine] = relationship()
    batch: Mapped[Batch] = relationship()
