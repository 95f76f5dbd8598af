"""Demo co-packing goods on pallets: kits leave on SSCC-labelled pallets, as the shipping
rules require, and a finished kit batch waits on its pallets to ship.

The SSCCs use the configured GS1 company prefix; an instance without one (a plain
``shopfloor demo-data``) gets GS1's own example prefix 0614141 while the demo loads. That
prefix appears in the GS1 General Specifications' examples and belongs to no real goods:
fine for a demo, never for a real installation (set your own gs1.company_prefix).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from shopfloor.extensions import db
from shopfloor.labels.pallets import build_pallet, pallet_room
from shopfloor.orders.models import Order, OrderLine
from shopfloor.production.models import Batch, BatchAllocation
from shopfloor.production.status import BatchStatus
from shopfloor.shipping.services import PALLET_ONLY_LINES, ShipmentLineData

DEMO_COMPANY_PREFIX = "0614141"  # GS1's example company prefix: fictitious
KITS_PER_PALLET = Decimal(120)


@contextmanager
def demo_gs1_prefix() -> Iterator[None]:
    """While the demo loads: the configured company prefix, or GS1's example one if none."""
    settings = current_app.config["SHOPFLOOR"]
    if settings["gs1.company_prefix"]:
        yield
        return
    current_app.config["SHOPFLOOR"] = replace(settings, values={
        **settings.values, "gs1.company_prefix": DEMO_COMPANY_PREFIX})
    try:
        yield
    finally:
        current_app.config["SHOPFLOOR"] = settings


def _stack(batch: Batch, quantity: Decimal, user) -> list[int]:
    """Build pallets of at most KITS_PER_PALLET for ``quantity`` of a batch; their ids."""
    ids = []
    while quantity > 0:
        take = min(quantity, KITS_PER_PALLET)
        ids.append(build_pallet(batch, take, user).id)
        quantity -= take
    return ids


def palletise(lines: list[ShipmentLineData], user) -> tuple[list[ShipmentLineData], list[int]]:
    """Put a delivery's co-packing lines on pallets: (the lines still loose, pallet ids)."""
    loose, pallet_ids = [], []
    for line in lines:
        batch = db.session.get(Batch, line.batch_id)
        if batch.line in PALLET_ONLY_LINES:
            pallet_ids += _stack(batch, line.quantity, user)
        else:
            loose.append(line)
    return loose, pallet_ids


def stack_ready_kits(user) -> int:
    """Pallets for the finished kits of orders ready to ship (they wait on the shipping
    form); returns how many were built."""
    batches = db.session.scalars(
        select(Batch).join(BatchAllocation, BatchAllocation.batch_id == Batch.id)
        .join(OrderLine, OrderLine.id == BatchAllocation.order_line_id)
        .join(Order, Order.id == OrderLine.order_id)
        .where(Batch.line.in_(PALLET_ONLY_LINES), Batch.status == BatchStatus.DONE,
               Order.status == "ready").order_by(Batch.id)).unique().all()
    built = 0
    for batch in batches:
        owed = sum((a.quantity for a in batch.allocations), Decimal(0))
        built += len(_stack(batch, min(owed, pallet_room(batch)), user))
    return built
