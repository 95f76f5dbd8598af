"""Batches, the order lines they serve, their rejects and the lots they consume."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.catalog.models import Product
from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db
from shopfloor.lines import LINE_CODES
from shopfloor.materials.models import MaterialLot
from shopfloor.orders.models import OrderLine
from shopfloor.production.status import BATCH_MACHINE, BatchStatus


class Batch(db.Model):
    """A production batch (work order) of one product on one line.

    The batch code is also the output lot number printed on labels.
    """

    __tablename__ = "batch"
    __table_args__ = (
        one_of("status", BATCH_MACHINE.statuses),
        one_of("line", LINE_CODES),
        CheckConstraint("planned_quantity > 0", name="planned_quantity"),
        CheckConstraint("good_quantity >= 0", name="good_quantity"),
        Index("ix_batch_line_status", "line", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    line: Mapped[str] = mapped_column(String(20))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    planned_quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    good_quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3), default=Decimal(0))
    status: Mapped[str] = mapped_column(String(20), default=BatchStatus.PLANNED.value)
    held_from: Mapped[str | None] = mapped_column(String(20))
    record: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    instruction_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("instruction_version.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    product: Mapped[Product] = relationship()
    allocations: Mapped[list[BatchAllocation]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="BatchAllocation.id")
    rejects: Mapped[list[BatchReject]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="BatchReject.id")
    consumptions: Mapped[list[Consumption]] = relationship(
        back_populates="batch", order_by="Consumption.id")
    deviations: Mapped[list[BatchDeviation]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="BatchDeviation.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def rejected_quantity(self) -> Decimal:
        """All rejects, whatever the reason."""
        return sum((r.quantity for r in self.rejects), Decimal(0))


class BatchAllocation(db.Model):
    """How much of a batch's output is meant for one order line."""

    __tablename__ = "batch_allocation"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_line.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))

    batch: Mapped[Batch] = relationship(back_populates="allocations")
    order_line: Mapped[OrderLine] = relationship()


class BatchReject(db.Model):
    """Rejected units of a batch and why."""

    __tablename__ = "batch_reject"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    batch: Mapped[Batch] = relationship(back_populates="rejects")


DEVIATION_SEVERITIES = ("warning", "qc")


class BatchDeviation(db.Model):
    """Something a line's rules found on a batch that did not block it: a warning kept
    with the batch record, or (severity ``qc``) a finding that sent the batch to QC."""

    __tablename__ = "batch_deviation"
    __table_args__ = (one_of("severity", DEVIATION_SEVERITIES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"), index=True)
    severity: Mapped[str] = mapped_column(String(10), default="warning")
    message: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    batch: Mapped[Batch] = relationship(back_populates="deviations")


class Consumption(db.Model):
    """A quantity of a material lot used by a batch: the link traceability follows."""

    __tablename__ = "consumption"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("material_lot.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    lot: Mapped[MaterialLot] = relationship()
    batch: Mapped[Batch] = relationship(back_populates="consumptions")
