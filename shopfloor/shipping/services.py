"""Shipping finished batches to partners, with gap-free delivery-note numbers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from shopfloor.audit.services import commit, conflict_safe, write_audit
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.labels.models import Pallet
from shopfloor.lines import all_lines
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


# Goods of these lines leave only on SSCC-labelled pallets (the plug-ins say which:
# co-packing for logistics partners, domain.md section 4).
PALLET_ONLY_LINES = frozenset(line.code for line in all_lines() if line.ships_on_pallets)
PALLETS_REQUIRED = _l("Co-packing goods leave on pallets with SSCC labels: build and label "
                      "the pallets first.")


def shipped_from_batch(batch_id: int) -> Decimal:
    """How much of a batch has been shipped so far."""
    total = db.session.scalar(select(func.coalesce(func.sum(ShipmentLine.quantity), 0))
                              .where(ShipmentLine.batch_id == batch_id))
    return Decimal(str(total))


def open_pallet_quantity(batch_id: int) -> Decimal:
    """How much of a batch sits on pallets built and neither shipped nor voided."""
    total = db.session.scalar(select(func.coalesce(func.sum(Pallet.quantity), 0)).where(
        Pallet.batch_id == batch_id, Pallet.shipment_id.is_(None), Pallet.voided_at.is_(None)))
    return Decimal(str(total))


def loose_quantity(batch: Batch) -> Decimal:
    """What of a batch's good output is neither shipped nor on an open pallet: what may
    still ship by quantity, or go on a new pallet."""
    return (batch.good_quantity or Decimal(0)) - shipped_from_batch(batch.id) \
        - open_pallet_quantity(batch.id)


def _order_line_of(order: Order, batch: Batch) -> OrderLine | None:
    """The line of ``order`` a batch was made for (its allocation), for a pallet's units."""
    for allocation in batch.allocations:
        if allocation.order_line.order_id == order.id:
            return allocation.order_line
    return None


def _pallet_lines(order: Order, pallet_ids: list[int]) -> tuple[list[Pallet], list]:
    """The chosen pallets and the shipment lines they make (their quantities per batch and
    order line); refuses a pallet of another order, voided, already shipped or unknown."""
    pallets = list(db.session.scalars(select(Pallet).where(Pallet.id.in_(pallet_ids))
                                      .order_by(Pallet.id)))
    if len(pallets) != len(set(pallet_ids)):
        raise DomainError(_l("One of the chosen pallets does not exist."), field="pallets")
    per_pair: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for pallet in pallets:
        if pallet.voided_at is not None:
            raise DomainError(_l("Pallet %(sscc)s was voided: it cannot ship.",
                                 sscc=pallet.sscc), field="pallets")
        if pallet.shipment_id is not None:
            raise DomainError(_l("Pallet %(sscc)s has already shipped on %(number)s.",
                                 sscc=pallet.sscc, number=pallet.shipment.number),
                              field="pallets")
        order_line = _order_line_of(order, pallet.batch)
        if order_line is None or pallet.quantity is None:
            raise DomainError(_l("Pallet %(sscc)s is not for this order.", sscc=pallet.sscc),
                              field="pallets")
        per_pair[(order_line.id, pallet.batch_id)] += pallet.quantity
    return pallets, [ShipmentLineData(line_id, batch_id, quantity)
                     for (line_id, batch_id), quantity in per_pair.items()]


def _claim_pallets(pallets: list[Pallet], shipment: Shipment) -> None:
    """Put the pallets on the shipment, each only if still open: a pallet shipped or
    voided meanwhile by someone else refuses the whole shipment."""
    if not pallets:
        return
    claimed = db.session.execute(
        update(Pallet).where(Pallet.id.in_([p.id for p in pallets]),
                             Pallet.shipment_id.is_(None), Pallet.voided_at.is_(None))
        .values(shipment_id=shipment.id).execution_options(synchronize_session=False))
    if claimed.rowcount != len(pallets):
        raise DomainError(_l("A chosen pallet has just shipped or been voided; reload and "
                             "choose again."), field="pallets")
    for pallet in pallets:
        db.session.refresh(pallet, ["shipment_id"])


@conflict_safe
def create_shipment(order: Order, shipped_on: date | None, lines: list[ShipmentLineData],
                    user, carrier: str = "", tracking: str = "", notes: str = "",
                    pallet_ids: list[int] | tuple = ()) -> Shipment:
    """Ship finished batches against an order's lines, as one delivery note.

    ``lines`` ship by quantity; ``pallet_ids`` ship whole pallets (their quantities become
    the lines). Co-packing goods ship only on pallets. Refuses shipping more than a batch
    made or more than a line still owes, and a pallet twice; nothing is saved (and no
    number used) unless every line is right.
    """
    try:
        return _create_shipment(order, shipped_on, lines, user, carrier, tracking, notes,
                                list(pallet_ids))
    except DomainError:
        db.session.rollback()  # gives back the delivery-note number and any pallet claimed
        raise


def _create_shipment(order, shipped_on, lines, user, carrier, tracking, notes,
                     pallet_ids) -> Shipment:
    if order.status not in SHIPPABLE_ORDER_STATUSES:
        raise DomainError(_l("Only orders in production or ready to ship can be shipped."),
                          field="order")
    if shipped_on is None:
        raise DomainError(_l("Enter the shipping date."), field="shipped_on")
    loose = [line for line in lines if line.quantity]
    pallets, pallet_lines = _pallet_lines(order, pallet_ids) if pallet_ids else ([], [])
    if not loose and not pallet_lines:
        if all(line.product.line in PALLET_ONLY_LINES for line in order.lines):
            raise DomainError(_l("Choose the pallets to ship."), field="pallets")
        raise DomainError(_l("Enter a quantity for at least one batch."), field="lines")
    loose_per_batch: dict[int, Decimal] = defaultdict(Decimal)
    per_batch: dict[int, Decimal] = defaultdict(Decimal)
    per_line: dict[int, Decimal] = defaultdict(Decimal)
    for data in loose + pallet_lines:
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
    for data in loose:
        if db.session.get(Batch, data.batch_id).line in PALLET_ONLY_LINES:
            raise DomainError(PALLETS_REQUIRED, field="pallets")
        loose_per_batch[data.batch_id] += data.quantity
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
        shipped = shipped_from_batch(batch_id)
        available = batch.good_quantity - shipped
        if quantity > available:
            raise DomainError(_l("Batch %(code)s has only %(left)s good units left to ship.",
                                 code=batch.code, left=format_quantity(available)),
                              field="lines")
        on_pallets = open_pallet_quantity(batch_id)
        if loose_per_batch.get(batch_id, 0) > available - on_pallets:
            # Units on a built pallet leave with their pallet, not loose.
            raise DomainError(_l("Batch %(code)s has %(left)s good units left outside its "
                                 "pallets; ship the rest with its pallets.", code=batch.code,
                                 left=format_quantity(available - on_pallets)),
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
                                            quantity=d.quantity) for d in loose + pallet_lines])
    db.session.add(shipment)
    db.session.flush()
    _claim_pallets(pallets, shipment)
    for line_id, quantity in per_line.items():
        order_line = db.session.get(OrderLine, line_id)
        # Added in SQL, so two shipments at once cannot overwrite each other's count.
        order_line.quantity_shipped = OrderLine.quantity_shipped + quantity
    db.session.flush()
    for order_line in order.lines:
        db.session.refresh(order_line, ["quantity_shipped"])
    changes = {"shipped": (None, shipment.number)}
    if pallets:
        changes["pallets"] = (None, ", ".join(p.sscc for p in pallets))
    write_audit(order, "edited", user, changes=changes)
    publish_shipment_created(shipment)  # committed with the shipment, or not at all
    refresh_order_status(order, user)
    commit([order])
    return shipment
