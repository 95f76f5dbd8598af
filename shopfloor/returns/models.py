"""Returned garments as records of their own: one row per item a garments batch handles,
with its defect photos, the disposition, and the "repair or write off?" question a partner
answers in the portal or through the API.

The items are listed in the garments batch record (intake); ``returns.services`` keeps a
row per item code in step with it. Shown to the partner whose order the batch serves.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db
from shopfloor.production.models import Batch


class ItemStatus(enum.StrEnum):
    """Where a returned item stands."""

    SET_ASIDE = "set_aside"                  # came without a return number (RMA): kept apart
    RECEIVED = "received"                    # listed at intake, not yet judged
    AWAITING_DECISION = "awaiting_decision"  # the partner is asked: repair or write off?
    DECIDED = "decided"                      # a disposition is set (by the partner or us)


class Disposition(enum.StrEnum):
    """What becomes of a returned item (shared/domain.md section 3). Writing off means
    recycling or donating: destroying returned apparel is banned for large firms (ESPR)."""

    RESTOCK = "restock"
    REPAIR = "repair"
    SECOND_QUALITY = "second_quality"
    RETURN_TO_MANUFACTURER = "return_to_manufacturer"
    RETURN_TO_PARTNER = "return_to_partner"  # a parcel set aside goes back unopened
    WRITE_OFF = "write_off"  # the partner's answer: recycle or donate, we choose which
    RECYCLE = "recycle"
    DONATE = "donate"
    DESTROY = "destroy"  # only where the EU ban does not apply or an exemption is recorded


class RepairStage(enum.StrEnum):
    """Where an item for repair stands (``ReturnedItem.repair_stage``)."""

    TO_REPAIR = "to_repair"
    TO_REINSPECT = "to_reinspect"
    PASSED = "passed"


# What a partner may answer when asked.
DECISION_ANSWERS = (Disposition.REPAIR.value, Disposition.WRITE_OFF.value)


class ReturnedItem(db.Model):
    """One returned garment, known by our item code (printed on its tag)."""

    __tablename__ = "returned_item"
    __table_args__ = (
        one_of("status", ItemStatus),
        Index("ix_returned_item_partner_status", "partner_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_code: Mapped[str] = mapped_column(String(8), unique=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"), index=True)
    # The partner and order of the batch's order line: what scopes the portal and the API.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_order.id"), index=True)
    # The partner's return number: empty for a parcel that came without one (set aside).
    rma: Mapped[str] = mapped_column(String(40))
    sku: Mapped[str] = mapped_column(String(40))
    # The garment's EAN/GTIN (check digit checked at intake); the SKU or it, or both.
    ean: Mapped[str] = mapped_column(String(14), default="")
    # The partner's (consumer's) order number, and the parcel's tracking number.
    order_no: Mapped[str] = mapped_column(String(40), default="")
    tracking_no: Mapped[str] = mapped_column(String(40), default="")
    size: Mapped[str] = mapped_column(String(20), default="")
    colour: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date | None] = mapped_column(Date)
    # When the consumer complained to the partner: the 14-day clock runs from it if known.
    complaint_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=ItemStatus.RECEIVED.value)
    defect_note: Mapped[str] = mapped_column(Text, default="")
    # From the catalogue (returns.defects) and where on the garment: zone A or B.
    defect_code: Mapped[str | None] = mapped_column(String(10))
    defect_zone: Mapped[str | None] = mapped_column(String(1))
    disposition: Mapped[str | None] = mapped_column(String(30))
    destroy_exemption: Mapped[str] = mapped_column(Text, default="")
    # When the disposition was first decided (by us or the partner): the turnaround's end.
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A repair: who finished it on the tablet, when, and the instruction version followed
    # (empty again when a failed re-inspection sends the item back to repair).
    repaired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    repaired_by: Mapped[int | None] = mapped_column(ForeignKey("worker.id", ondelete="SET NULL"))
    repair_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("instruction_version.id", ondelete="SET NULL"))
    # After a repair: the re-inspection that lets the item back into stock.
    reinspected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reinspection_passed: Mapped[bool | None] = mapped_column()
    reinspection_note: Mapped[str] = mapped_column(Text, default="")
    # The question put to the partner, and the answer.
    question: Mapped[str] = mapped_column(Text, default="")
    asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    asked_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    answer_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    batch: Mapped[Batch] = relationship()
    photos: Mapped[list[ReturnedItemPhoto]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ReturnedItemPhoto.id")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<ReturnedItem {self.item_code} {self.status}>"

    @property
    def repair_stage(self) -> str | None:
        """Where a repair stands: ``to_repair`` (a sewer's task), ``to_reinspect``,
        ``passed``; None when the item is not for repair."""
        if self.disposition != Disposition.REPAIR:
            return None
        if self.repaired_at is None:
            return RepairStage.TO_REPAIR
        if self.reinspection_passed is None:
            return RepairStage.TO_REINSPECT
        return RepairStage.PASSED


class ReturnedItemPhoto(db.Model):
    """A photo of a returned item's defect (checked, re-encoded, stored outside static/)."""

    __tablename__ = "returned_item_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("returned_item.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    caption: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    item: Mapped[ReturnedItem] = relationship(back_populates="photos")


class RepairInstruction(db.Model):
    """Which picture instruction a sewer follows to repair a defect of the catalogue
    (``returns.defects.DEFECTS``): its published version is shown on the tablet."""

    __tablename__ = "repair_instruction"

    id: Mapped[int] = mapped_column(primary_key=True)
    defect_code: Mapped[str] = mapped_column(String(10), unique=True)
    instruction_id: Mapped[int] = mapped_column(
        ForeignKey("instruction.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
