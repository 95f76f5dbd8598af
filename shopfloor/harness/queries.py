"""Read-only questions about harnesses: which serials a lot went into, and a serial by its
label (the trace page asks both)."""

from __future__ import annotations

from sqlalchemy import or_, select

from shopfloor.catalog.models import Product
from shopfloor.extensions import db
from shopfloor.harness.models import CrimpSetup, HarnessType, HarnessUnit


def harness_types() -> list[HarnessType]:
    """Every harness type, by part number."""
    return list(db.session.scalars(select(HarnessType).order_by(HarnessType.part_number)))


def harness_products() -> list[Product]:
    """Active wire-harness products, to give a harness type to."""
    return list(db.session.scalars(select(Product).where(
        Product.line == "harness", Product.active.is_(True)).order_by(Product.code)))


def serials_built_with(lot_ids: list[int]) -> list[HarnessUnit]:
    """Harnesses built under a crimp set-up whose wire reel or terminals came from these lots."""
    if not lot_ids:
        return []
    return list(db.session.scalars(
        select(HarnessUnit).join(CrimpSetup, CrimpSetup.id == HarnessUnit.setup_id)
        .where(or_(CrimpSetup.wire_lot_id.in_(lot_ids), CrimpSetup.terminal_lot_id.in_(lot_ids)))
        .order_by(HarnessUnit.serial)))


def unit_by_serial(text: str) -> HarnessUnit | None:
    """A harness by its serial number as typed or scanned."""
    serial = (text or "").strip().upper()
    return db.session.scalar(select(HarnessUnit).where(HarnessUnit.serial == serial)) \
        if serial else None
