"""Returned-item fixtures: a garments partner (Moda) with an orderer and a viewer, another
garments partner (Tekstil) with its own item, and a garments batch of Moda's order listing
two returned items."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from PIL import Image

from tests.portal.conftest import make_partner_user, sign_in_as  # noqa: F401 (fixtures)

ITEMS = [
    {"rma": "MW-RMA-40001", "sku": "KURTKA-01", "size": "L", "colour": "granat",
     "reason": "defect", "received_on": "2026-12-01"},
    {"rma": "MW-RMA-40002", "sku": "SPODNIE-02", "size": "M", "colour": "szary",
     "reason": "size", "received_on": "2026-12-02"},
]


def defect_photo() -> bytes:
    """A JPEG as a tablet camera gives it."""
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (40, 60, 120)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def returns(db_session, manager, make_partner, make_product, make_order, make_batch,
            make_partner_user):  # noqa: F811
    from shopfloor.returns.services import items_of_batch, record_defect

    moda = make_partner(name="Moda Wtórna Sp. z o.o.", lines=["garments"])
    tekstil = make_partner(name="Tekstil S.A.", lines=["garments"])
    jacket = make_product(line="garments", code="ZW-KURTKA")
    order = make_order(partner=moda, product=jacket, quantity="2", reference="MW/2026/12")
    batch = make_batch(order_line=order.lines[0], quantity="2",
                       record={"items": [dict(row) for row in ITEMS]})
    other_order = make_order(partner=tekstil, product=jacket, quantity="1", reference="TX-1")
    other_batch = make_batch(order_line=other_order.lines[0], quantity="1",
                             record={"items": [dict(ITEMS[0], rma="TX-RMA-1")]})
    items = items_of_batch(batch.id)
    # The jacket came back with a broken zip (major, zone A); the trousers were the wrong size.
    record_defect(items[0], "M04", "A", manager)
    other_item = items_of_batch(other_batch.id)[0]
    record_defect(other_item, "M01", "B", manager)
    return SimpleNamespace(
        moda=moda, tekstil=tekstil, order=order, batch=batch, other_batch=other_batch,
        items=items, other_item=other_item,
        orderer=make_partner_user(moda, "ola@moda.example", role="partner_orderer",
                                  language="pl"),
        viewer=make_partner_user(moda, "piotr@moda.example", language="pl"),
        tekstil_user=make_partner_user(tekstil, "anna@tekstil.example",
                                       role="partner_orderer", language="pl"))
