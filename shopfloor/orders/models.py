"""Orders and their lines."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.catalog.models import Product
from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db
from shopfloor.orders.status import ORDER_MACHINE, OrderStatus
from shopfloor.partners.models import Partner


class OrderSource(enum.StrEnum):
    """Who put the order in."""

    OFFICE = "office"
    PORTAL = "portal"
    API = "api"


class Order(db.Model):
    """A partner's order: one or more lines, each with a product, quantity and due date."""

    __tablename__ = "sales_order"
    __table_args__ = (
        one_of("status", ORDER_MACHINE.statuses),
        one_of("source", OrderSource),
        Index("ix_sales_order_status_partner", "status", "partner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    partner_reference: Mapped[str] = mapped_column(String(80), default="", index=True)
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.DRAFT.value)
    notes: Mapped[str] = mapped_column(Text, default="")
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    earliest_due: Mapped[date | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # Moves on every change of the order row (status, lines' edits bump its version): the
    # API's updated_since filter.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow,
                                                 index=True)
    version: Mapped[int] = mapped_column(default=1)
    # Where the order came from: typed in the office, or requested by the partner in the
    # portal or through the API (a draft for the manager to confirm), and by whom.
    source: Mapped[str] = mapped_column(String(10), default=OrderSource.OFFICE.value)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    partner: Mapped[Partner] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.line_no")

    __mapper_args__ = {"version_id_col": version}


class OrderLine(db.Model):
    """One product on an order, with its quantity and due date."""

    __tablename__ = "order_line"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no", name="uq_order_line_order_id_line_no"),
        CheckConstraint("quantity > 0", name="quantity"),
        Index("ix_order_line_due_date", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"),
                                          index=True)
    line_no: Mapped[int]
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    due_date: Mapped[date]
    # Kept up to date by the shipping service, so lists and the overdue filter need no join.
    quantity_shipped: Mapped[Decimal] = mapped_column(Numeric(14, 3), default=Decimal(0))
    notes: Mapped[str] = mapped_column(Text, default="")

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
