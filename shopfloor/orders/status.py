"""Order statuses, their transition table and the overdue rule."""

from __future__ import annotations

import enum
from datetime import date

from flask_babel import lazy_gettext as _l

from shopfloor.statemachine import table


class OrderStatus(enum.StrEnum):
    """Where an order stands."""

    DRAFT = "draft"
    CONFIRMED = "confirmed"
    IN_PRODUCTION = "in_production"
    READY = "ready"
    PARTLY_SHIPPED = "partly_shipped"
    SHIPPED = "shipped"
    CLOSED = "closed"
    CANCELLED = "cancelled"


S = OrderStatus
ORDER_MACHINE = table("order", S.DRAFT, {
    S.DRAFT: (S.CONFIRMED, S.CANCELLED),
    S.CONFIRMED: (S.IN_PRODUCTION, S.READY, S.DRAFT, S.CANCELLED),
    S.IN_PRODUCTION: (S.READY, S.PARTLY_SHIPPED, S.SHIPPED, S.CANCELLED),
    S.READY: (S.IN_PRODUCTION, S.PARTLY_SHIPPED, S.SHIPPED),
    S.PARTLY_SHIPPED: (S.SHIPPED, S.IN_PRODUCTION, S.READY),
    S.SHIPPED: (S.CLOSED,),
    S.CLOSED: (),
    S.CANCELLED: (),
})

# Moves a person makes on the order page; the others follow from batches and shipments.
MANUAL_MOVES = frozenset({(S.DRAFT, S.CONFIRMED), (S.CONFIRMED, S.DRAFT),
                          (S.SHIPPED, S.CLOSED)} | {(s, S.CANCELLED) for s in
                                                     (S.DRAFT, S.CONFIRMED, S.IN_PRODUCTION)})
EDITABLE = frozenset({S.DRAFT, S.CONFIRMED})
# An order in one of these owes the partner nothing more.
FINISHED = frozenset({S.SHIPPED, S.CLOSED, S.CANCELLED})

ORDER_STATUS_NAMES = {
    S.DRAFT: _l("Draft"),
    S.CONFIRMED: _l("Confirmed"),
    S.IN_PRODUCTION: _l("In production"),
    S.READY: _l("Ready to ship"),
    S.PARTLY_SHIPPED: _l("Partly shipped"),
    S.SHIPPED: _l("Shipped"),
    S.CLOSED: _l("Closed"),
    S.CANCELLED: _l("Cancelled"),
}


def is_line_overdue(due_date: date, ordered, shipped, order_status: str, today: date) -> bool:
    """The overdue rule, defined once: past its due date and not all shipped, in a live order.

    The SQL form of the same rule is ``orders.queries.overdue_line_filter``.
    """
    return order_status not in FINISHED and due_date < today and shipped < ordered

# What the buttons say for the moves a person makes.
ORDER_ACTION_NAMES = {
    S.CONFIRMED: _l("Confirm"),
    S.DRAFT: _l("Back to draft"),
    S.CANCELLED: _l("Cancel the order"),
    S.CLOSED: _l("Close"),
}
