"""Orders: creation checks, editing, manual moves, progress and the overdue filter."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from shopfloor.audit.services import history
from shopfloor.errors import ConflictError, DomainError
from shopfloor.orders.models import Order
from shopfloor.orders.queries import OrderFilters, order_list_query, overdue_order_filter
from shopfloor.orders.services import (
    LineData,
    OrderLinesInvalid,
    change_order_status,
    create_order,
    update_order,
)
from tests.conftest import TODAY


def test_a_new_order_starts_as_a_draft_with_a_checked_code(make_partner, make_product, manager):
    partner, product = make_partner(), make_product()
    order = create_order(partner.id, "PO-77", [LineData(product.id, Decimal(50),
                                                        TODAY + timedelta(days=7))],
                         manager, today=TODAY)
    assert order.status == "draft" and order.code.startswith("Z") and len(order.code) == 8
    assert order.earliest_due == TODAY + timedelta(days=7)
    assert [e.action for e in history(order)] == ["created"]


@pytest.mark.parametrize(("quantity", "due_offset", "field"), [
    (Decimal(0), 7, "quantity"), (Decimal(-5), 7, "quantity"), (Decimal(5), -1, "due_date"),
])
def test_bad_lines_are_refused_naming_the_row_and_field(make_partner, make_product, manager,
                                                         db_session, quantity, due_offset, field):
    partner, product = make_partner(), make_product()
    with pytest.raises(OrderLinesInvalid) as error:
        create_order(partner.id, "PO", [
            LineData(product.id, Decimal(1), TODAY + timedelta(days=3)),
            LineData(product.id, quantity, TODAY + timedelta(days=due_offset))],
            manager, today=TODAY)
    assert list(error.value.problems) == [(1, field)]
    assert db_session.scalars(select(Order)).all() == []


def test_unknown_product_and_products_of_other_partners_are_refused(
        make_partner, make_product, manager):
    partner, other = make_partner(), make_partner()
    theirs = make_product(partner_id=other.id)
    with pytest.raises(OrderLinesInvalid) as error:
        create_order(partner.id, "", [LineData(99999, Decimal(1), TODAY),
                                      LineData(theirs.id, Decimal(1), TODAY)],
                     manager, today=TODAY)
    assert error.value.problems == {(0, "product_id"): "Wybierz produkt z listy.",
                                    (1, "product_id"): "Ten produkt jest robiony dla innego "
                                                       "partnera."}


def test_a_product_of_a_line_the_partner_does_not_use_is_refused(
        make_partner, make_product, manager):
    partner = make_partner(lines=["soap"])
    harness = make_product(line="harness")
    with pytest.raises(OrderLinesInvalid):
        create_order(partner.id, "", [LineData(harness.id, Decimal(1), TODAY)], manager,
                     today=TODAY)


def test_confirm_then_cancel_needs_a_reason_and_is_audited(make_order, manager):
    order = make_order(status="draft")
    change_order_status(order, "confirmed", manager)
    with pytest.raises(DomainError) as error:
        change_order_status(order, "cancelled", manager)
    assert error.value.field == "reason"
    change_order_status(order, "cancelled", manager, reason="Partner withdrew the order")
    moves = [(e.from_status, e.to_status, e.reason) for e in history(order) if e.action == "status"]
    assert moves[0] == ("confirmed", "cancelled", "Partner withdrew the order")
    assert moves[1] == ("draft", "confirmed", None)


def test_statuses_that_follow_from_production_cannot_be_set_by_hand(make_order, manager):
    order = make_order()
    with pytest.raises(DomainError, match="wynika z produkcji"):
        change_order_status(order, "ready", manager)


def test_editing_keeps_old_and_new_values_and_refuses_a_stale_version(
        make_order, make_product, manager):
    order = make_order(quantity="100")
    stale = order.version
    update_order(order, order.partner_id, "PO-1-rev2", [
        LineData(order.lines[0].product_id, Decimal(120), order.lines[0].due_date)],
        manager, today=TODAY, expected_version=stale)
    edits = [e for e in history(order) if e.action == "edited"]
    changes = {k: v for e in edits for k, v in e.changes.items()}
    assert changes["partner_reference"] == ["PO-1", "PO-1-rev2"]
    assert "×100@" in changes["lines"][0][0] and "×120@" in changes["lines"][1][0]
    with pytest.raises(ConflictError, match="Marta Manager"):
        update_order(order, order.partner_id, "PO-1-rev3", [
            LineData(order.lines[0].product_id, Decimal(130), order.lines[0].due_date)],
            manager, today=TODAY, expected_version=stale)


def test_an_unchanged_past_due_date_does_not_block_an_edit(make_order, manager, db_session):
    order = make_order(due=TODAY + timedelta(days=1))
    later = TODAY + timedelta(days=5)
    update_order(order, order.partner_id, "PO-x", [
        LineData(order.lines[0].product_id, Decimal(100), order.lines[0].due_date)],
        manager, today=later)
    with pytest.raises(OrderLinesInvalid):
        update_order(order, order.partner_id, "PO-x", [
            LineData(order.lines[0].product_id, Decimal(100), later - timedelta(days=1))],
            manager, today=later)


def test_overdue_filter_finds_live_orders_past_due(make_order, manager, db_session):
    late = make_order(due=TODAY + timedelta(days=1))
    on_time = make_order(due=TODAY + timedelta(days=30))
    cancelled = make_order(due=TODAY + timedelta(days=1))
    change_order_status(cancelled, "cancelled", manager, reason="no longer needed")
    later = TODAY + timedelta(days=2)
    overdue = set(db_session.scalars(select(Order.id).where(overdue_order_filter(later))))
    assert overdue == {late.id}
    listed = db_session.scalars(order_list_query(OrderFilters(overdue=True), later)).all()
    assert [o.id for o in listed] == [late.id]
    assert on_time.id not in overdue


def test_order_list_filters_and_search(make_order, make_partner, db_session):
    acme = make_partner(name="Acme")
    first = make_order(partner=acme, reference="ACME-PO-1")
    make_order(reference="OTHER-9")
    by_partner = db_session.scalars(order_list_query(OrderFilters(partner_id=acme.id), TODAY))
    assert [o.id for o in by_partner] == [first.id]
    by_ref = db_session.scalars(order_list_query(OrderFilters(search="acme-po"), TODAY))
    assert [o.id for o in by_ref] == [first.id]
    by_code = db_session.scalars(order_list_query(
        OrderFilters(search=first.code.lower()), TODAY))
    assert [o.id for o in by_code] == [first.id]
