"""Shipping: quantities checked, numbers gap-free per year, rollback on any bad line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shopfloor.errors import DomainError
from shopfloor.production.services import RejectData, move_batch, record_output
from shopfloor.shipping.models import Shipment
from shopfloor.shipping.services import ShipmentLineData, create_shipment
from tests.conftest import TODAY


@pytest.fixture
def finished_batch(make_order, make_batch, make_lot, manager, complete_soap_record):
    from shopfloor.production.services import consume_lot

    def build(order=None, good="100", quantity="100"):
        order = order or make_order(quantity=quantity)
        batch = make_batch(order_line=order.lines[0], quantity=quantity, releasable=True)
        consume_lot(batch, make_lot(), Decimal(1), manager, TODAY)
        move_batch(batch, "released", manager)
        move_batch(batch, "in_progress", manager)
        record_output(batch, Decimal(good), [RejectData("crack", Decimal(1))], manager)
        complete_soap_record(batch)
        move_batch(batch, "awaiting_qc", manager)
        move_batch(batch, "done", manager)
        return order, batch

    return build


def ship(order, batch, quantity, manager, day=TODAY):
    return create_shipment(order, day, [ShipmentLineData(order.lines[0].id, batch.id,
                                                         Decimal(quantity))], manager,
                           carrier="DPD")


def test_partial_then_full_shipment_moves_the_order(finished_batch, manager):
    order, batch = finished_batch()
    assert order.status == "ready"
    first = ship(order, batch, "40", manager)
    assert first.number == "WZ/2026/0001"
    assert order.status == "partly_shipped"
    assert order.lines[0].quantity_shipped == Decimal(40)
    second = ship(order, batch, "60", manager)
    assert second.number == "WZ/2026/0002"
    assert order.status == "shipped"


def test_shipping_more_than_was_made_is_refused_and_nothing_is_saved(
        finished_batch, manager, db_session):
    order, batch = finished_batch(good="50", quantity="100")
    with pytest.raises(DomainError, match="tylko 50"):
        ship(order, batch, "60", manager)
    assert db_session.scalar(select(func.count()).select_from(Shipment)) == 0
    assert order.lines[0].quantity_shipped == 0


def test_shipping_more_than_ordered_is_refused(finished_batch, manager):
    order, batch = finished_batch(good="120", quantity="100")
    with pytest.raises(DomainError, match="więcej niż zamówiono"):
        ship(order, batch, "110", manager)


def test_a_failed_shipment_does_not_use_up_a_number(finished_batch, make_batch, manager):
    order, batch = finished_batch()
    unfinished = make_batch(order_line=order.lines[0], quantity="10", releasable=True)
    with pytest.raises(DomainError):
        create_shipment(order, TODAY, [
            ShipmentLineData(order.lines[0].id, batch.id, Decimal(5)),
            ShipmentLineData(order.lines[0].id, unfinished.id, Decimal(5))], manager)
    assert ship(order, batch, "5", manager).number == "WZ/2026/0001"


def test_numbers_start_again_each_year(finished_batch, manager):
    order, batch = finished_batch()
    assert ship(order, batch, "10", manager, day=date(2026, 12, 31)).number == "WZ/2026/0001"
    assert ship(order, batch, "10", manager, day=date(2027, 1, 2)).number == "WZ/2027/0001"
    assert ship(order, batch, "10", manager, day=date(2026, 12, 31)).number == "WZ/2026/0002"


def test_two_shipments_of_the_last_units_at_once_cannot_both_pass(app, finished_batch,
                                                                   manager):
    import threading

    from shopfloor.errors import DomainError
    from shopfloor.extensions import db
    from shopfloor.orders.models import Order
    from shopfloor.production.models import Batch

    order, batch = finished_batch(good="100", quantity="100")
    order_id, batch_id, line_id = order.id, batch.id, order.lines[0].id
    start = threading.Barrier(2, timeout=20)
    results = []

    def ship_sixty():
        with app.app_context():
            try:
                mine = db.session.get(Order, order_id)
                db.session.get(Batch, batch_id)
                start.wait()
                create_shipment(mine, TODAY, [ShipmentLineData(line_id, batch_id,
                                                                Decimal(60))], manager)
                results.append("shipped")
            except DomainError as exc:
                results.append(str(exc.message))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=ship_sixty) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results)[-1] == "shipped"
    assert results.count("shipped") == 1, results
    assert any("tylko 40" in r for r in results)
    db.session.expire_all()
    assert db.session.get(Order, order_id).lines[0].quantity_shipped == Decimal(60)
