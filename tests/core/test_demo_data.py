"""The demo data: every order status, all four lines, overdue orders, lots in every state,
one traceable chain, and a second load that changes nothing."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shopfloor.audit.models import AuditEntry
from shopfloor.catalog.models import Material, Product
from shopfloor.codes import format_code
from shopfloor.core.demo import DemoRefused, load_demo_data
from shopfloor.lines import LINE_CODES
from shopfloor.materials.models import MaterialLot
from shopfloor.orders.models import Order, OrderLine
from shopfloor.orders.queries import overdue_order_filter
from shopfloor.orders.status import OrderStatus
from shopfloor.partners.models import Partner
from shopfloor.partners.nip import is_valid_nip
from shopfloor.production.models import Batch, Consumption
from shopfloor.shipping.models import Shipment
from shopfloor.timeutil import local_today
from shopfloor.traceability.services import lots_by_supplier_lot, trace_forward

COUNTED = (Partner, Product, Material, MaterialLot, Order, OrderLine, Batch, Consumption,
           Shipment, AuditEntry)


@pytest.fixture
def summary(db_session):
    return load_demo_data()


def _counts(db_session) -> dict[str, int]:
    return {model.__name__: db_session.scalar(select(func.count()).select_from(model))
            for model in COUNTED}


def test_every_order_status_appears_at_least_twice(summary, db_session):
    statuses = Counter(db_session.scalars(select(Order.status)))
    assert {status: statuses[status] for status in OrderStatus if statuses[status] < 2} == {}
    assert 25 <= sum(statuses.values()) <= 40


def test_all_four_lines_have_orders_and_batches(summary, db_session):
    order_lines = set(db_session.scalars(
        select(Product.line).join(OrderLine, OrderLine.product_id == Product.id)))
    assert order_lines == set(LINE_CODES)
    assert set(db_session.scalars(select(Batch.line))) == set(LINE_CODES)


def test_some_orders_are_overdue(summary, db_session):
    overdue = db_session.scalars(select(Order).where(overdue_order_filter(local_today()))).all()
    assert overdue
    assert all(order.status not in ("shipped", "closed", "cancelled") for order in overdue)


def test_the_fragrance_lot_traces_to_two_shipments_of_two_partners(summary, db_session):
    [lot] = lots_by_supplier_lot("FO-LAW-2611")
    assert lot.supplier == "Aromaty Polskie Sp. z o.o."
    assert lot.material.unit == "kg"
    trace = trace_forward([lot])
    assert len(trace.batches) >= 2
    assert all(row.batch.line == "soap" and row.consumed > 0 for row in trace.batches)
    assert len(trace.shipments) == 2
    assert len({row.shipment.partner_id for row in trace.shipments}) == 2
    assert len(trace.partners) == 2
    assert all(row.contacts for row in trace.partners)
    assert format_code(lot.code) in summary


def test_partners_lots_and_shipments_look_like_real_use(summary, db_session):
    partners = db_session.scalars(select(Partner)).all()
    assert len(partners) == 5
    assert {line for p in partners for line in p.line_codes} == set(LINE_CODES)
    for partner in partners:
        assert is_valid_nip(partner.nip), partner.nip
        assert partner.city and partner.postal_code and partner.contacts

    lots = Counter(db_session.scalars(select(MaterialLot.status)))
    assert lots["quarantine"] >= 2 and lots["rejected"] == 1
    assert lots["approved"] > lots["quarantine"]
    # Material a partner lends us is its consigned stock, received per co-packing order:
    # one note counted short, and the closed order's material balances.
    from shopfloor.copack.models import ReceiptLine
    from shopfloor.copack.reconcile import order_reconciliation

    lines = db_session.scalars(select(ReceiptLine)).all()
    assert lines and any(line.counted < line.declared for line in lines)
    closed = db_session.scalar(select(Order).where(Order.partner_reference == "PS/ZAM/1187"))
    assert closed.status == "closed" and order_reconciliation(closed).balanced

    shipments = db_session.scalars(
        select(Shipment).order_by(Shipment.year, Shipment.sequence)).all()
    assert [s.shipped_on for s in shipments] == sorted(s.shipped_on for s in shipments)
    for line in db_session.scalars(select(OrderLine)):
        assert Decimal(0) <= line.quantity_shipped <= line.quantity


def test_loading_again_changes_nothing(summary, db_session):
    before = _counts(db_session)
    again = load_demo_data()
    assert "nothing changed" in again
    assert _counts(db_session) == before


def test_a_product_that_is_not_demo_data_makes_the_database_not_a_demo(summary, db_session):
    from shopfloor.auth.models import User
    from shopfloor.catalog.services import ProductData, save_product

    manager = db_session.scalar(select(User).where(User.username == "manager"))
    save_product(ProductData(code="REAL-1", name="Prawdziwy produkt", line="soap", unit="pcs",
                             standard_minutes=Decimal(1)), manager)
    with pytest.raises(DemoRefused):
        load_demo_data()
