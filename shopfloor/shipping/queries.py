"""Read-only questions about shipments."""

from __future__ import annotations

from sqlalchemy import select

from shopfloor.extensions import db
from shopfloor.shipping.models import Shipment


def shipments_of_order(order_id: int) -> list[Shipment]:
    """An order's shipments, oldest first."""
    return list(db.session.scalars(select(Shipment).where(Shipment.order_id == order_id)
                                   .order_by(Shipment.shipped_on, Shipment.id)))


def shipments_query(search: str = ""):
    """All shipments, newest first, optionally by WZ number."""
    query = select(Shipment).order_by(Shipment.shipped_on.desc(), Shipment.id.desc())
    if search.strip():
        query = query.where(Shipment.number.ilike(f"%{search.strip()}%"))
    return query


def shippable_rows(order) -> list[tuple]:
    """(order line, batch, what may ship loose, by pallets only) for every finished batch
    serving the order that has units neither shipped nor on an open pallet."""
    from decimal import Decimal

    from shopfloor.production.models import Batch, BatchAllocation
    from shopfloor.production.status import BatchStatus
    from shopfloor.shipping.services import PALLET_ONLY_LINES, loose_quantity

    rows = []
    for line in order.lines:
        batches = db.session.scalars(
            select(Batch).join(BatchAllocation, BatchAllocation.batch_id == Batch.id)
            .where(BatchAllocation.order_line_id == line.id, Batch.status == BatchStatus.DONE)
            .order_by(Batch.id))
        for batch in batches:
            available = loose_quantity(batch)
            if available > Decimal(0):
                rows.append((line, batch, available, batch.line in PALLET_ONLY_LINES))
    return rows


def open_pallets_of_order(order) -> list:
    """The pallets built for the order's batches that can still ship (with a quantity,
    neither shipped nor voided), oldest first."""
    from shopfloor.labels.models import Pallet
    from shopfloor.orders.models import OrderLine
    from shopfloor.production.models import Batch, BatchAllocation
    from shopfloor.production.status import BatchStatus

    return list(db.session.scalars(
        select(Pallet).join(Batch, Batch.id == Pallet.batch_id)
        .where(Batch.status == BatchStatus.DONE, Pallet.quantity.is_not(None),
               Pallet.shipment_id.is_(None), Pallet.voided_at.is_(None),
               Batch.id.in_(select(BatchAllocation.batch_id)
                            .join(OrderLine, OrderLine.id == BatchAllocation.order_line_id)
                            .where(OrderLine.order_id == order.id)))
        .order_by(Pallet.batch_id, Pallet.id)))


def pallets_of(shipments) -> dict[int, list]:
    """The pallets that left on each of these shipments (shipment id -> pallets, oldest
    first). A shipment from before pallets were assigned to shipments lists the labels
    printed then for its batches (no quantity recorded), as it always did."""
    from shopfloor.labels.models import Pallet
    from shopfloor.shipping.models import ShipmentLine

    ids = [s.id for s in shipments]
    found: dict[int, list] = {i: [] for i in ids}
    if not ids:
        return found
    for pallet in db.session.scalars(select(Pallet).where(Pallet.shipment_id.in_(ids))
                                     .order_by(Pallet.id)):
        found[pallet.shipment_id].append(pallet)
    legacy = [i for i in ids if not found[i]]
    if legacy:
        rows = db.session.execute(
            select(ShipmentLine.shipment_id, Pallet)
            .join(Pallet, Pallet.batch_id == ShipmentLine.batch_id)
            .where(ShipmentLine.shipment_id.in_(legacy), Pallet.quantity.is_(None),
                   Pallet.shipment_id.is_(None))
            .order_by(Pallet.id))
        for shipment_id, pallet in rows:
            if pallet not in found[shipment_id]:
                found[shipment_id].append(pallet)
    return found
