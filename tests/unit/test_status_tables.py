"""Order and batch status tables, the derived order status and the overdue rule."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from shopfloor.orders.services import derived_status
from shopfloor.orders.status import ORDER_MACHINE, OrderStatus, is_line_overdue
from shopfloor.production.status import BATCH_MACHINE, BatchStatus
from shopfloor.statemachine import table

OS, B = OrderStatus, BatchStatus


@pytest.mark.parametrize(("start", "end"), [
    (OS.DRAFT, OS.CONFIRMED), (OS.CONFIRMED, OS.IN_PRODUCTION), (OS.IN_PRODUCTION, OS.READY),
    (OS.READY, OS.PARTLY_SHIPPED), (OS.PARTLY_SHIPPED, OS.SHIPPED), (OS.SHIPPED, OS.CLOSED),
    (OS.DRAFT, OS.CANCELLED), (OS.CONFIRMED, OS.CANCELLED), (OS.IN_PRODUCTION, OS.CANCELLED),
    (OS.IN_PRODUCTION, OS.SHIPPED),
])
def test_order_moves_the_table_allows(start, end):
    assert ORDER_MACHINE.can(start, end)


@pytest.mark.parametrize(("start", "end"), [
    (OS.DRAFT, OS.SHIPPED), (OS.SHIPPED, OS.CANCELLED), (OS.CLOSED, OS.DRAFT),
    (OS.CANCELLED, OS.CONFIRMED), (OS.READY, OS.CANCELLED),
])
def test_order_moves_the_table_refuses(start, end):
    assert not ORDER_MACHINE.can(start, end)


def test_batch_table_covers_the_whole_life():
    path = [B.PLANNED, B.RELEASED, B.IN_PROGRESS, B.AWAITING_QC, B.DONE]
    assert all(BATCH_MACHINE.can(a, b) for a, b in zip(path, path[1:], strict=False))
    assert BATCH_MACHINE.is_final(B.DONE) and BATCH_MACHINE.is_final(B.SCRAPPED)
    assert not BATCH_MACHINE.can(B.PLANNED, B.DONE)
    assert not BATCH_MACHINE.can(B.DONE, B.SCRAPPED)
    assert all(BATCH_MACHINE.can(s, B.ON_HOLD) for s in (B.PLANNED, B.IN_PROGRESS))


def test_a_table_naming_an_unknown_status_is_refused():
    with pytest.raises(ValueError, match="statuses without a row"):
        table("x", "a", {"a": ("b",)})


def line(ordered, shipped=0, line_id=1):
    return SimpleNamespace(id=line_id, quantity=Decimal(ordered), quantity_shipped=Decimal(shipped))


def test_derived_status_follows_production_and_shipping():
    order = SimpleNamespace(lines=[line(10, line_id=1), line(5, line_id=2)])
    assert derived_status(order, [], {}) == OS.CONFIRMED
    assert derived_status(order, [B.PLANNED], {}) == OS.CONFIRMED
    assert derived_status(order, [B.RELEASED], {}) == OS.IN_PRODUCTION
    assert derived_status(order, [B.DONE], {1: Decimal(10)}) == OS.IN_PRODUCTION
    assert derived_status(order, [B.DONE], {1: Decimal(10), 2: Decimal(5)}) == OS.READY
    order.lines[0].quantity_shipped = Decimal(4)
    assert derived_status(order, [B.DONE], {}) == OS.PARTLY_SHIPPED
    order.lines[0].quantity_shipped, order.lines[1].quantity_shipped = Decimal(10), Decimal(5)
    assert derived_status(order, [B.DONE], {}) == OS.SHIPPED


def test_overdue_rule():
    today = date(2026, 11, 27)
    past, future = date(2026, 11, 20), date(2026, 12, 1)
    assert is_line_overdue(past, 10, 0, OS.IN_PRODUCTION, today)
    assert not is_line_overdue(future, 10, 0, OS.IN_PRODUCTION, today)
    assert not is_line_overdue(past, 10, 10, OS.PARTLY_SHIPPED, today)
    assert not is_line_overdue(past, 10, 0, OS.CANCELLED, today)
    assert not is_line_overdue(today, 10, 0, OS.CONFIRMED, today)  # due today is not late yet
