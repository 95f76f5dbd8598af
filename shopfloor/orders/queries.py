"""Read-only questions about orders: lists with filters, progress, the overdue filter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, exists, func, or_, select

from shopfloor.extensions import db
from shopfloor.orders.models import Order, OrderLine
from shopfloor.orders.status import FINISHED
from shopfloor.partners.models import Partner


def overdue_line_filter(today: date):
    """SQL form of ``status.is_line_overdue``: lines past due, not all shipped, order live."""
    return and_(OrderLine.due_date < today, OrderLine.quantity_shipped < OrderLine.quantity,
                Order.status.not_in(list(FINISHED)))


def overdue_order_filter(today: date):
    """Orders with at least one overdue line (for lists, the dashboard and the scheduler)."""
    return exists(select(OrderLine.id).where(OrderLine.order_id == Order.id,
                                             overdue_line_filter(today)))


@dataclass
class OrderFilters:
    """What the order list is narrowed by."""

    partner_id: int | None = None
    status: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    search: str = ""
    overdue: bool = False


def order_list_query(filters: OrderFilters, today: date):
    """The order list's query (newest due first within the filters)."""
    query = select(Order).join(Partner, Partner.id == Order.partner_id)
    if filters.partner_id:
        query = query.where(Order.partner_id == filters.partner_id)
    if filters.status:
        query = query.where(Order.status == filters.status)
    if filters.due_from:
        query = query.where(Order.earliest_due >= filters.due_from)
    if filters.due_to:
        query = query.where(Order.earliest_due <= filters.due_to)
    if filters.search.strip():
        term = filters.search.strip()
        code = "".join(ch for ch in term.upper() if ch not in " -")
        query = query.where(or_(Order.code == code,
                                Order.partner_reference.ilike(f"%{term}%")))
    if filters.overdue:
        query = query.where(overdue_order_filter(today))
    return query.order_by(Order.earliest_due.asc().nulls_last(), Order.id.desc())


def page_of(query, page: int, per_page: int = 25):
    """One page of a query's rows and the total count."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = max(1, page)
    rows = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return rows, total


@dataclass
class LineProgress:
    """How far an order line has come: planned, made, shipped, and the batches behind it."""

    ordered: Decimal
    planned: Decimal = Decimal(0)
    made: Decimal = Decimal(0)
    shipped: Decimal = Decimal(0)
    batch_statuses: list[str] = field(default_factory=list)

    @property
    def percent_made(self) -> int:
        """Made as a whole percentage of ordered, at most 100."""
        if self.ordered <= 0:
            return 0
        return min(100, int(self.made * 100 / self.ordered))


def line_progress(order: Order) -> dict[int, LineProgress]:
    """Progress of each line of an order, computed from its batches and shipments.

    A finished batch's good output fills its allocations in the order they were made,
    each up to its allocated quantity; what is left over goes to stock.
    """
    return lines_progress(order.lines)


# Order lines per query in lines_progress, well under every driver's parameter limit.
_PROGRESS_CHUNK = 2000


def lines_progress(lines: Sequence[OrderLine]) -> dict[int, LineProgress]:
    """``line_progress`` for any order lines at once (the forecast reads every open line):
    a few queries in all rather than a few per order."""
    progress: dict[int, LineProgress] = {}
    for first in range(0, len(lines), _PROGRESS_CHUNK):
        progress.update(_progress_of(lines[first:first + _PROGRESS_CHUNK]))
    return progress


def _progress_of(lines: Sequence[OrderLine]) -> dict[int, LineProgress]:
    from shopfloor.production.models import Batch, BatchAllocation
    from shopfloor.production.status import BatchStatus

    progress = {line.id: LineProgress(ordered=line.quantity, shipped=line.quantity_shipped)
                for line in lines}
    if not progress:
        return progress
    # Every allocation of a batch that serves one of these lines is read, so the batch's
    # output fills its allocations in order even when other lines share it.
    serving = select(BatchAllocation.batch_id).where(
        BatchAllocation.order_line_id.in_(list(progress)))
    rows = db.session.execute(
        select(BatchAllocation.batch_id, BatchAllocation.order_line_id, BatchAllocation.quantity,
               Batch.status, Batch.good_quantity)
        .join(Batch, Batch.id == BatchAllocation.batch_id)
        .where(BatchAllocation.batch_id.in_(serving))
        .order_by(BatchAllocation.batch_id, BatchAllocation.id))
    left_of_batch: dict[int, Decimal] = {}
    for batch_id, line_id, allocated, status, good in rows:
        if status == BatchStatus.SCRAPPED:
            continue
        left = left_of_batch.setdefault(batch_id, good if status == BatchStatus.DONE
                                        else Decimal(0))
        share = min(left, allocated)
        left_of_batch[batch_id] = left - share
        entry = progress.get(line_id)
        if entry is None:
            continue  # the same batch also serves another order
        entry.batch_statuses.append(status)
        entry.planned += allocated
        entry.made += share
    return progress


def overdue_ids(order_ids: list[int], today: date) -> set[int]:
    """Which of these orders are overdue (one query for a whole page of the list)."""
    if not order_ids:
        return set()
    return set(db.session.scalars(select(Order.id).where(
        Order.id.in_(order_ids), overdue_order_filter(today))))
