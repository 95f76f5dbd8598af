"""Read-only questions about batches."""

from __future__ import annotations

from sqlalchemy import select

from shopfloor.codes import normalize_code
from shopfloor.extensions import db
from shopfloor.orders.models import OrderLine
from shopfloor.production.models import Batch, BatchAllocation


def batches_query(line: str = "", status: str = "", search: str = ""):
    """Batches, newest first, by line and status, or one by its code."""
    query = select(Batch).order_by(Batch.id.desc())
    if line:
        query = query.where(Batch.line == line)
    if status:
        query = query.where(Batch.status == status)
    if search.strip():
        query = query.where(Batch.code == normalize_code(search))
    return query


def batches_of_order(order_id: int) -> list[Batch]:
    """Every batch serving a line of the order."""
    serving = (select(BatchAllocation.batch_id)
               .join(OrderLine, OrderLine.id == BatchAllocation.order_line_id)
               .where(OrderLine.order_id == order_id))
    return list(db.session.scalars(select(Batch).where(Batch.id.in_(serving))
                                   .order_by(Batch.id)))
