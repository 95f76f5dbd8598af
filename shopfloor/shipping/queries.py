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
