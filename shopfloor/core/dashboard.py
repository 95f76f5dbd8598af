"""What the start page shows: due this week, overdue, batches in progress per line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from shopfloor.extensions import db
from shopfloor.lines import LINE_CODES
from shopfloor.materials.models import LotStatus, MaterialLot
from shopfloor.orders.models import Order, OrderLine
from shopfloor.orders.queries import overdue_order_filter
from shopfloor.orders.status import FINISHED, OrderStatus
from shopfloor.production.models import Batch
from shopfloor.production.status import ACTIVE, BatchStatus


@dataclass
class Dashboard:
    """The figures and short lists on the start page."""

    overdue: list[Order]
    due_this_week: list[Order]
    active_by_line: dict[str, dict[str, int]]
    lots_in_quarantine: int
    orders_to_confirm: int


def build_dashboard(today: date, limit: int = 10) -> Dashboard:
    """Collect the start page's lists with a few small queries."""
    overdue = list(db.session.scalars(
        select(Order).where(overdue_order_filter(today))
        .order_by(Order.earliest_due).limit(limit)))
    week_end = today + timedelta(days=7)
    due_soon = list(db.session.scalars(
        select(Order).where(Order.status.not_in(list(FINISHED)),
                            Order.id.in_(select(OrderLine.order_id).where(
                                OrderLine.due_date >= today, OrderLine.due_date <= week_end,
                                OrderLine.quantity_shipped < OrderLine.quantity)))
        .order_by(Order.earliest_due).limit(limit)))
    counts = {code: {status: 0 for status in (*ACTIVE, BatchStatus.ON_HOLD)}
              for code in LINE_CODES}
    for line, status, number in db.session.execute(
            select(Batch.line, Batch.status, func.count())
            .where(Batch.status.in_([*ACTIVE, BatchStatus.ON_HOLD]))
            .group_by(Batch.line, Batch.status)):
        counts[line][status] = number
    quarantine = db.session.scalar(select(func.count()).select_from(MaterialLot).where(
        MaterialLot.status == LotStatus.QUARANTINE)) or 0
    drafts = db.session.scalar(select(func.count()).select_from(Order).where(
        Order.status == OrderStatus.DRAFT)) or 0
    return Dashboard(overdue, due_soon, counts, quarantine, drafts)
