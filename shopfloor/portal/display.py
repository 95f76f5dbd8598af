"""How the portal shows orders to a partner: status and stage names in the partner's words,
and an order's overall progress. Pure functions: nothing here reads the database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from shopfloor.orders.status import ORDER_STATUS_NAMES, OrderStatus, is_line_overdue
from shopfloor.production.status import BatchStatus

# An order as the partner sees it: a draft is their request, not yet accepted.
PARTNER_ORDER_STATUS_NAMES = {
    **ORDER_STATUS_NAMES,
    OrderStatus.DRAFT: _l("Being reviewed"),
}

# Where a batch making their goods stands, without the workshop's jargon (QC, released).
# Scrapped batches make nothing for the order and are not shown to partners.
BATCH_STAGE_NAMES = {
    BatchStatus.PLANNED: _l("Planned"),
    BatchStatus.RELEASED: _l("Being prepared"),
    BatchStatus.IN_PROGRESS: _l("In production"),
    BatchStatus.AWAITING_QC: _l("Quality check"),
    BatchStatus.DONE: _l("Done"),
    BatchStatus.ON_HOLD: _l("On hold"),
}


def shown_batches(batches: Sequence) -> list:
    """The batches a partner sees: all but the scrapped ones."""
    return [b for b in batches if b.status in BATCH_STAGE_NAMES]


def status_filter(value: str | None) -> str | None:
    """The status the list is narrowed to, or None for an empty or unknown value."""
    return value if value in PARTNER_ORDER_STATUS_NAMES else None


@dataclass(frozen=True)
class OrderProgress:
    """How much of an order is made: in its unit when all lines share one, else only as a
    percentage (pieces and kilograms do not add up)."""

    made: Decimal
    ordered: Decimal
    unit: str | None
    percent: int


def overall_progress(lines: Sequence, progress: Mapping) -> OrderProgress:
    """An order's progress from its lines (each with ``quantity``, ``product.unit``) and
    their ``LineProgress``; a line made beyond its quantity counts as complete, no more."""
    if not lines:
        return OrderProgress(Decimal(0), Decimal(0), None, 0)
    made = {line.id: min(progress[line.id].made, line.quantity) for line in lines}
    ordered = sum((line.quantity for line in lines), Decimal(0))
    units = {line.product.unit for line in lines}
    if len(units) == 1:
        total = sum(made.values(), Decimal(0))
        return OrderProgress(total, ordered, units.pop(), int(total * 100 / ordered))
    percent = sum(int(made[line.id] * 100 / line.quantity) for line in lines) // len(lines)
    return OrderProgress(sum(made.values(), Decimal(0)), ordered, None, percent)


def overdue_line_ids(order, today: date) -> set[int]:
    """The order's lines past their due date and not all shipped (the shared overdue rule)."""
    return {line.id for line in order.lines if is_line_overdue(
        line.due_date, line.quantity, line.quantity_shipped, order.status, today)}
