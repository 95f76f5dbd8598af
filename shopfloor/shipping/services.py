"""Shipping finished batches to partners, with gap-free delivery-note numbers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from shopfloor.audit.services import commit, conflict_safe, write_audit
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.orders.models import Order, OrderLine
from shopfloor.orders.services import refresh_order_status
from shopfloor.orders.status import OrderStatus
from shopfloor.portal.events import publish_shipment_created
from shopfloor.production.models import Batch
from shopfloor.production.status import BatchStatus
from shopfloor.shipping.models import DocumentCounter, Shipment, ShipmentLine
from shopfloor.units import format_quantity

SHIPPABLE_ORDER_STATUSES = frozenset({OrderStatus.IN_PRODUCTION, OrderStatus.READY,
                                      OrderStatus.PARTLY_SHIPPED})
WZ_SERIES = "WZ"


def format_wz(year: int, sequence: int) -> str:
    """A delivery-note number: WZ/2026/0007."""
    return f"{WZ_SERIES}/{year}/{sequence:04d}"


def next_document_number(series: str, year: int) -> int:
    """Take the next number of a series for a year, inside the caller's transaction.

    The counter row is updated (and so locked) in the same transaction as the document,
    so a rolled-back document gives its number back: the series has no gaps.
    """
    counter = db.session.get(DocumentCounter, (series, year), with_for_update=True)
    if counter is None:
        try:
            with db.session.begin_nested():  # the first document of a series and year
                db.session.add(DocumentCounter(series=series, year=year, last_number=0))
        except IntegrityError:
            pass  # someone else created it at the same moment: use theirs
        counter = db.session.get(DocumentCounter, (series, year), with_for_update=True,
                                 populate_existing=True)
    counter.last_number += 1
    db.session.flush()
    return counter.last_number


@dataclass
class ShipmentLineData:
    """A quantity of one batch shipped against one order line."""

    order_line_id: int
    batch_id: int
    quantity: Decimal | None


def shipped_from_batch(batch_id: int) -> Decimal:
    """How much of a batch has been shipped so far."""
    total = db.session.scalar(select(func.coalesce(func.sum(ShipmentLine.quantity), 0))
                              .where(ShipmentLine.batch_id == batch_id))
    return Decimal(str(total))


@conflict_safe
def create_shipment(order: Order, shipped_on: date | None, lines: list[ShipmentLineData],
                    user, carrier: str = "", tracking: str = "", notes: str = "") -> Shipment:
    """Ship finished batches against an order's lines, as one delivery note.

    Refuses shipping more than a batch made or more than a line still owes; nothing is
    saved unless every line is right.
    """
    if order.status not in SHIPPABLE_ORDER_STATUSES:
        raise DomainError(_l("Only orders in production or ready to ship can be shipped."),
                          field="order")
    if shipped_on is None:
        raise DomainError(_l("Enter the shipping date."), field="shipped_on")
    lines = [line for line in lines if line.quantity]
    if not lines:
        raise DomainError(_l("Enter a quantity for at least one batch."), field="lines")
    per_batch: dict[int, Decimal] = defaultdict(Decimal)
    per_line: dict[int, Decimal] = defaultdict(Decimal)
    for data in lines:
        order_line = db.session.get(OrderLine, data.order_line_id)
        batch = db.session.get(Batch, data.batch_id)
        if order_line is None or order_line.order_id != order.id:
            raise DomainError(_l("That line is not on this order."), field="lines")
        if batch is None or batch.product_id != order_line.product_id:
            raise DomainError(_l("Batch and order line are of different products."),
                              field="lines")
        if batch.status != BatchStatus.DONE:
            raise DomainError(_l("Batch %(code)s is not finished: only batches past QC ship.",
                                 code=batch.code), field="lines")
        if data.quantity <= 0:
            raise DomainError(_l("The quantity must be more than zero."), field="lines")
        per_batch[batch.id] += data.quantity
        per_line[order_line.id] += data.quantity
    # Take the delivery-note number first: it locks the counter (a row lock on PostgreSQL,
    # the write lock on SQLite), so two shipments at once are checked one after the other,
    # each against what the other shipped. A refused shipment rolls back and gives the
    # number back. Then lock the batches and lines themselves too.
    sequence = next_document_number(WZ_SERIES, shipped_on.year)
    db.session.scalars(select(Batch).where(Batch.id.in_(list(per_batch)))
                       .with_for_update().execution_options(populate_existing=True)).all()
    db.session.scalars(select(OrderLine).where(OrderLine.id.in_(list(per_line)))
                       .with_for_update().execution_options(populate_existing=True)).all()
    for batch_id, quantity in per_batch.items():
        batch = db.session.get(Batch, batch_id)
        available = batch.good_quantity - shipped_from_batch(batch_id)
        if quantity > available:
            raise DomainError(_l("Batch %(code)s has only %(left)s good units left to ship.",
                                 code=batch.code, left=format_quantity(available)),
                              field="lines")
    for line_id, quantity in per_line.items():
        order_line = db.session.get(OrderLine, line_id)
        owed = order_line.quantity - order_line.quantity_shipped
        if quantity > owed:
            raise DomainError(_l("Line %(no)s still needs %(owed)s; %(qty)s is more than "
                                 "ordered.", no=order_line.line_no,
                                 owed=format_quantity(owed), qty=format_quantity(quantity)),
                              field="lines")

    shipment = Shipment(number=format_wz(shipped_on.year, sequence), year=shipped_on.year,
                        sequence=sequence, order_id=order.id, partner_id=order.partner_id,
                        shipped_on=shipped_on, carrier=carrier.strip(),
                        tracking=tracking.strip(), notes=notes.strip(),
                        user_id=user.id if user else None,
                        lines=[ShipmentLine(order_line_id=d.order_line_id, batch_id=d.batch_id,
                                            quantity=d.quantity) for d in lines])
    db.session.add(shipment)
    for line_id, quantity in per_line.items():
        order_line = db.session.get(OrderLine, line_id)
        # Added in SQL, so two shipments at once cannot overwrite each other's count.
        order_line.quantity_shipped = OrderLine.quantity_shipped + quantity
    db.session.flush()
    for order_line in order.lines:
        db.session.refresh(order_line, ["quantity_shipped"])
    write_audit(order, "edited", user, changes={"shipped": (None, shipment.number)})
    publish_shipment_created(shipment)  # committed with the shipment, or not at all
    refresh_order_status(order, user)
    commit([order])
    return shipment
