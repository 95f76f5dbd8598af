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
    """(order line, batch, still available) for every finished batch serving the order."""
    from decimal import Decimal

    from shopfloor.production.models import Batch, BatchAllocation
    from shopfloor.production.status import BatchStatus
    from shopfloor.shipping.services import shipped_from_batch

    rows = []
    for line in order.lines:
        batches = db.session.scalars(
            select(Batch).join(BatchAllocation, BatchAllocation.batch_id == Batch.id)
            .where(BatchAllocation.order_line_id == line.id, Batch.status == BatchStatus.DONE)
            .order_by(Batch.id))
        for batch in batches:
            available = batch.good_quantity - shipped_from_batch(batch.id)
            if available > Decimal(0):
                rows.append((line, batch, available))
    return rows


def pallets_of(shipments) -> dict[int, list]:
    """The pallets (SSCC labels printed) of the batches on each of these shipments
    (shipment id -> pallets, oldest first), in one query."""
    from shopfloor.labels.models import Pallet
    from shopfloor.shipping.models import ShipmentLine

    ids = [s.id for s in shipments]
    found: dict[int, list] = {i: [] for i in ids}
    if not ids:
        return found
    rows = db.session.execute(
        select(ShipmentLine.shipment_id, Pallet)
        .join(Pallet, Pallet.batch_id == ShipmentLine.batch_id)
        .where(ShipmentLine.shipment_id.in_(ids)).distinct()
        .order_by(Pallet.id))
    for shipment_id, pallet in rows:
        if pallet not in found[shipment_id]:
            found[shipment_id].append(pallet)
    return found
