"""Fixtures for pallet tests: a GS1 company prefix (GS1's own example, 0614141) and a
finished batch of any line; import them into a test module to use them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shopfloor.shipping.services import create_shipment
from tests.conftest import TODAY

EXAMPLE_PREFIX = "0614141"  # GS1 General Specifications' example company prefix


@pytest.fixture
def gs1(app, monkeypatch):
    """The app with company prefix 0614141 and extension digit 1 (for this test only)."""
    from dataclasses import replace

    def configure(prefix: str = EXAMPLE_PREFIX, extension: int = 1):
        settings = app.config["SHOPFLOOR"]
        monkeypatch.setitem(app.config, "SHOPFLOOR", replace(settings, values={
            **settings.values, "gs1.company_prefix": prefix, "gs1.extension_digit": extension}))

    configure()
    return configure


@pytest.fixture
def done_batch(make_order, make_product, make_batch, db_session):
    """done_batch(line="copack", good="100", quantity="100", order=None, unit="set"): an
    order and a finished batch for it. The status is set directly: pallet rules only ask
    that the batch is done, and each line's road there has tests of its own."""
    from shopfloor.production.status import BatchStatus

    def build(line: str = "copack", good: str = "100", quantity: str = "100", order=None,
              unit: str = "set"):
        if order is None:
            order = make_order(product=make_product(line=line, unit=unit), quantity=quantity)
        batch = make_batch(order_line=order.lines[0], quantity=quantity)
        batch.good_quantity = Decimal(good)
        batch.status = BatchStatus.DONE.value
        order.status = "ready"
        db_session.commit()
        return order, batch

    return build


def ship_pallets(order, pallets, user, day=TODAY):
    """Ship these pallets (and nothing loose) on one delivery note."""
    return create_shipment(order, day, [], user, carrier="DPD",
                           pallet_ids=[p.id for p in pallets])
