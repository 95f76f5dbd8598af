"""Instructions, their versions (a published version is frozen) and their steps."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.catalog.models import Product
from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db


class StepKind(enum.StrEnum):
    """What the worker does on a step screen."""

    DO = "do"            # tap Done
    COUNT = "count"      # +1 / -1 toward a target, undo the last tap
    TIMER = "timer"      # wait N minutes with a countdown
    CHECK = "check"      # choose between a good and a bad photo
    MEASURE = "measure"  # weight or temperature on a big keypad, range from the line
    SCAN = "scan"        # scan a lot or item label to go on


class VersionStatus(enum.StrEnum):
    """A draft is edited; a published version is frozen; a retired one is kept for history."""

    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class Instruction(db.Model):
    """How to make a product or do a process, one step per screen."""

    __tablename__ = "instruction"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"), index=True)
    line: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    product: Mapped[Product | None] = relationship()
    versions: Mapped[list[InstructionVersion]] = relationship(
        back_populates="instruction", order_by="InstructionVersion.number",
        cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class InstructionVersion(db.Model):
    """One version of an instruction: materials and tools, then the steps."""

    __tablename__ = "instruction_version"
    __table_args__ = (
        UniqueConstraint("instruction_id", "number", name="uq_instruction_version_number"),
        one_of("status", VersionStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instruction_id: Mapped[int] = mapped_column(
        ForeignKey("instruction.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default=VersionStatus.DRAFT.value)
    materials: Mapped[list[str]] = mapped_column(JSON, default=list)
    tools: Mapped[list[str]] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    instruction: Mapped[Instruction] = relationship(back_populates="versions")
    steps: Mapped[list[InstructionStep]] = relationship(
        back_populates="instruction_version", order_by="InstructionStep.position",
        cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class InstructionStep(db.Model):
    """One screen: a photo, a short caption, optional audio, a pictogram, and its kind."""

    __tablename__ = "instruction_step"
    __table_args__ = (
        UniqueConstraint("instruction_version_id", "position", name="uq_instruction_step_position"),
        one_of("kind", StepKind),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instruction_version_id: Mapped[int] = mapped_column(
        ForeignKey("instruction_version.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10), default=StepKind.DO.value)
    caption: Mapped[str] = mapped_column(Text, default="")
    photo: Mapped[str | None] = mapped_column(String(80))
    photo_alt: Mapped[str] = mapped_column(String(200), default="")
    audio: Mapped[str | None] = mapped_column(String(80))
    # A short film of the step (optional; the photo stays the poster and the minimum).
    video: Mapped[str | None] = mapped_column(String(80))
    pictogram: Mapped[str] = mapped_column(String(40), default="")
    # Kind-specific settings: count target, timer minutes, check photos, measure field, scan kind.
    target_quantity: Mapped[Decimal | None] = mapped_column(Numeric(14, 3))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    instruction_version: Mapped[InstructionVersion] = relationship(back_populates="steps")
