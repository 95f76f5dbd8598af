"""Harness types (drawing, class, connectors and wire list), crimp set-ups, serial-numbered
harnesses and their electrical tests (shared/domain.md section 2)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.catalog.models import Product
from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db
from shopfloor.materials.models import MaterialLot

IPC_CLASSES = ("1", "2", "3")
SETUP_REASONS = ("run", "reel", "tool")
UNIT_STATUSES = ("built", "passed", "failed", "packed")


class HarnessType(db.Model):
    """What a harness product is made to: the partner's part number and drawing revision,
    its IPC/WHMA-A-620 class, its connectors' cavity maps and its wire list.

    ``connectors``: ``[{"name": "X1", "part": "Molex 39-01-2040", "layout": [[1, 2], [3, 4]]}]``
    (the face seen from the wire side, numbered as moulded, None where there is no cavity);
    ``wires``: ``[{"wire": "W1", "from": "X1", "from_cavity": 1, "to": "X2", "to_cavity": 3,
    "colour": "RD", "gauge_awg": 20, "length_mm": "350", "tolerance_mm": "10"}]``.
    """

    __tablename__ = "harness_type"
    __table_args__ = (CheckConstraint("ipc_class IS NULL OR ipc_class IN ('1', '2', '3')",
                                      name="ipc_class"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), unique=True)
    part_number: Mapped[str] = mapped_column(String(60))
    drawing_number: Mapped[str] = mapped_column(String(60))
    drawing_revision: Mapped[str] = mapped_column(String(20))
    ipc_class: Mapped[str | None] = mapped_column(String(1))
    connectors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    wires: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(default=1)

    product: Mapped[Product] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def connector(self, name: str) -> dict | None:
        """One connector by name."""
        return next((c for c in self.connectors if c["name"] == name), None)


class CrimpSetup(db.Model):
    """A crimp set-up check at the start of a run, a new reel or a tool change: crimp height
    against the terminal's spec and at least five pull tests against the gauge's minimum."""

    __tablename__ = "crimp_setup"
    __table_args__ = (one_of("reason", SETUP_REASONS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(10))
    tool_id: Mapped[str] = mapped_column(String(60))
    wire_lot_id: Mapped[int | None] = mapped_column(ForeignKey("material_lot.id"))
    terminal_lot_id: Mapped[int | None] = mapped_column(ForeignKey("material_lot.id"))
    gauge_awg: Mapped[int]
    height_min_mm: Mapped[Decimal] = mapped_column(Numeric(6, 3))
    height_max_mm: Mapped[Decimal] = mapped_column(Numeric(6, 3))
    height_mm: Mapped[Decimal] = mapped_column(Numeric(6, 3))
    pulls_n: Mapped[list[str]] = mapped_column(JSON, default=list)
    passed: Mapped[bool]
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    wire_lot: Mapped[MaterialLot | None] = relationship(foreign_keys=[wire_lot_id])
    terminal_lot: Mapped[MaterialLot | None] = relationship(foreign_keys=[terminal_lot_id])


class HarnessUnit(db.Model):
    """One serial-numbered harness, with the crimp set-up (and so the wire and terminal
    lots) it was built under."""

    __tablename__ = "harness_unit"
    __table_args__ = (one_of("status", UNIT_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"), index=True)
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    setup_id: Mapped[int | None] = mapped_column(ForeignKey("crimp_setup.id"))
    status: Mapped[str] = mapped_column(String(10), default="built")
    built_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    packed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    setup: Mapped[CrimpSetup | None] = relationship()
    tests: Mapped[list[ElectricalTest]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", order_by="ElectricalTest.id")


class ElectricalTest(db.Model):
    """One run of the 100 % electrical test on one harness; a failed test may be followed by
    a rework (what was done) and a new test, so the loop stays on record."""

    __tablename__ = "electrical_test"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("harness_unit.id", ondelete="CASCADE"),
                                         index=True)
    passed: Mapped[bool]
    failing_nets: Mapped[str] = mapped_column(Text, default="")
    tester_id: Mapped[str] = mapped_column(String(60))
    program_version: Mapped[str] = mapped_column(String(40))
    rework: Mapped[str] = mapped_column(Text, default="")  # done after this failed test
    tested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    unit: Mapped[HarnessUnit] = relationship(back_populates="tests")
