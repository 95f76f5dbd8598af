"""Co-packing (shared/domain.md section 4): kit bills of materials in versions, the partner's
own material received against an order (consigned stock, never the cooperative's), every
movement of it, and the count that closes the order's reconciliation.

A component is known by its GTIN where it has one, else by its name (``component_key``):
receipts, bills of materials, movements and counts meet on that key.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.catalog.models import Product
from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db


def component_key(gtin: str | None, name: str | None) -> str:
    """How a component is matched between receipts, bills of materials and counts."""
    gtin = (gtin or "").strip()
    return gtin if gtin else " ".join((name or "").split()).casefold()


class BomStatus(enum.StrEnum):
    """A draft may change; an active version is used by batches and never changes; a retired
    one was replaced by a newer version and stays for the batches that used it."""

    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


class KitBom(db.Model):
    """One version of a kit's bill of materials, for a co-packing product."""

    __tablename__ = "kit_bom"
    __table_args__ = (UniqueConstraint("product_id", "number", name="uq_kit_bom_product_number"),
                      one_of("status", BomStatus))

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default=BomStatus.DRAFT.value)
    # The kit's own GTIN (a changed assortment gets a new one, GS1); empty when the partner
    # gives none.
    kit_gtin: Mapped[str] = mapped_column(String(14), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    product: Mapped[Product] = relationship()
    items: Mapped[list[KitBomItem]] = relationship(
        back_populates="bom", cascade="all, delete-orphan", order_by="KitBomItem.position")

    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return f"v{self.number}"

    def __repr__(self) -> str:
        return f"<KitBom {self.product_id} v{self.number} {self.status}>"


class KitBomItem(db.Model):
    """A component of a kit: how many go into one kit, and whose it is."""

    __tablename__ = "kit_bom_item"
    __table_args__ = (CheckConstraint("quantity_per_kit > 0", name="quantity_per_kit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bom_id: Mapped[int] = mapped_column(ForeignKey("kit_bom.id", ondelete="CASCADE"),
                                        index=True)
    position: Mapped[int] = mapped_column(default=0)
    component: Mapped[str] = mapped_column(String(80))
    gtin: Mapped[str] = mapped_column(String(14), default="")
    quantity_per_kit: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    # Delivered by the partner (consigned: received, used and reconciled) or the
    # cooperative's own material (not reconciled with the partner).
    partner_supplied: Mapped[bool] = mapped_column(default=True)
    # A printed countable (label, insert, carton): accounted for exactly, no tolerance.
    countable: Mapped[bool] = mapped_column(default=False)

    bom: Mapped[KitBom] = relationship(back_populates="items")

    @property
    def key(self) -> str:
        return component_key(self.gtin, self.component)


class MaterialReceipt(db.Model):
    """A delivery of the partner's material for an order, under the partner's delivery
    note number."""

    __tablename__ = "material_receipt"
    __table_args__ = (UniqueConstraint("partner_id", "delivery_note",
                                       name="uq_material_receipt_partner_note"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    delivery_note: Mapped[str] = mapped_column(String(40))
    received_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    lines: Mapped[list[ReceiptLine]] = relationship(
        back_populates="receipt", cascade="all, delete-orphan", order_by="ReceiptLine.id")
    photos: Mapped[list[ReceiptPhoto]] = relationship(
        back_populates="receipt", cascade="all, delete-orphan", order_by="ReceiptPhoto.id")


class ReceiptLine(db.Model):
    """One component on a delivery note: what the note declares and what we counted."""

    __tablename__ = "receipt_line"
    __table_args__ = (CheckConstraint("counted >= 0 AND declared >= 0 AND damaged >= 0 "
                                      "AND damaged <= counted", name="quantities"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("material_receipt.id",
                                                       ondelete="CASCADE"), index=True)
    component: Mapped[str] = mapped_column(String(80))
    gtin: Mapped[str] = mapped_column(String(14), default="")
    lot: Mapped[str] = mapped_column(String(40), default="")
    declared: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    counted: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    damaged: Mapped[Decimal] = mapped_column(Numeric(14, 3), default=Decimal(0))
    damage_note: Mapped[str] = mapped_column(Text, default="")

    receipt: Mapped[MaterialReceipt] = relationship(back_populates="lines")

    @property
    def key(self) -> str:
        return component_key(self.gtin, self.component)


class ReceiptPhoto(db.Model):
    """A photo of damage found at goods-in (checked, re-encoded, outside static/)."""

    __tablename__ = "receipt_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("material_receipt.id",
                                                       ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    receipt: Mapped[MaterialReceipt] = relationship(back_populates="photos")


class MoveKind(enum.StrEnum):
    """What happened to some of the partner's material."""

    RECEIVED = "received"    # counted at goods-in
    CONSUMED = "consumed"    # built into kits (negative when a kit count is taken back)
    SCRAPPED = "scrapped"    # damaged or spoilt, with the reason
    RETURNED = "returned"    # sent back to the partner


class StockMove(db.Model):
    """One movement of the partner's consigned material held for an order."""

    __tablename__ = "stock_move"
    __table_args__ = (one_of("kind", MoveKind),
                      Index("ix_stock_move_order_key", "order_id", "key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"))
    key: Mapped[str] = mapped_column(String(80))
    component: Mapped[str] = mapped_column(String(80))
    gtin: Mapped[str] = mapped_column(String(14), default="")
    kind: Mapped[str] = mapped_column(String(10))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id", ondelete="SET NULL"),
                                                 index=True)
    receipt_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("receipt_line.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id",
                                                           ondelete="SET NULL"))


class StockCount(db.Model):
    """What was physically found of a component when the order is reconciled, and the
    explanation of any difference from the book."""

    __tablename__ = "stock_count"
    __table_args__ = (UniqueConstraint("order_id", "key", name="uq_stock_count_order_key"),
                      CheckConstraint("counted >= 0", name="counted"))

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    counted: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    explanation: Mapped[str] = mapped_column(Text, default="")
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id",
                                                           ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
