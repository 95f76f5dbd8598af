"""Tracing goods forward (lot to partners) and backward (shipment or batch to lots).

Each trace is a handful of set-based queries over indexed foreign keys, so it stays fast
when there are hundreds of thousands of consumption rows (see scripts/bench_trace.py).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from shopfloor.extensions import db
from shopfloor.materials.models import MaterialLot
from shopfloor.partners.models import Partner, PartnerContact
from shopfloor.production.models import Batch, Consumption
from shopfloor.shipping.models import Shipment, ShipmentLine
from shopfloor.units import plain_quantity


@dataclass
class ShipmentRow:
    """A shipment reached by a trace, and how much of the traced batches it carried."""

    shipment: Shipment
    quantity: Decimal
    batch_codes: list[str]


@dataclass
class BatchRow:
    """A batch reached by a trace: what it used of the lot, made, and shipped."""

    batch: Batch
    consumed: Decimal = Decimal(0)
    shipped: Decimal = Decimal(0)

    @property
    def unshipped(self) -> Decimal:
        """Good output not shipped yet: stock to hold in a recall."""
        return max(Decimal(0), self.batch.good_quantity - self.shipped)


@dataclass
class PartnerRow:
    """A partner who received traced goods, with the people to call."""

    partner: Partner
    contacts: list[PartnerContact]
    shipments: list[str] = field(default_factory=list)


@dataclass
class ForwardTrace:
    """Where a lot went."""

    lots: list[MaterialLot]
    batches: list[BatchRow]
    shipments: list[ShipmentRow]
    partners: list[PartnerRow]


def _shipped_per_batch(batch_ids: list[int]) -> dict[int, Decimal]:
    if not batch_ids:
        return {}
    rows = db.session.execute(
        select(ShipmentLine.batch_id, func.sum(ShipmentLine.quantity))
        .where(ShipmentLine.batch_id.in_(batch_ids)).group_by(ShipmentLine.batch_id))
    return {batch_id: Decimal(str(total)) for batch_id, total in rows}


def _shipments_of(batch_ids: list[int]) -> list[ShipmentRow]:
    if not batch_ids:
        return []
    rows = db.session.execute(
        select(Shipment, ShipmentLine.quantity, Batch.code)
        .join(ShipmentLine, ShipmentLine.shipment_id == Shipment.id)
        .join(Batch, Batch.id == ShipmentLine.batch_id)
        .where(ShipmentLine.batch_id.in_(batch_ids))
        .order_by(Shipment.shipped_on, Shipment.id))
    by_id: dict[int, ShipmentRow] = {}
    for shipment, quantity, code in rows:
        row = by_id.setdefault(shipment.id, ShipmentRow(shipment, Decimal(0), []))
        row.quantity += quantity
        if code not in row.batch_codes:
            row.batch_codes.append(code)
    return list(by_id.values())


def _partners_of(shipments: list[ShipmentRow]) -> list[PartnerRow]:
    partner_ids = sorted({row.shipment.partner_id for row in shipments})
    if not partner_ids:
        return []
    partners = {p.id: p for p in db.session.scalars(
        select(Partner).where(Partner.id.in_(partner_ids)))}
    contacts: dict[int, list[PartnerContact]] = {pid: [] for pid in partner_ids}
    for contact in db.session.scalars(select(PartnerContact).where(
            PartnerContact.partner_id.in_(partner_ids)).order_by(PartnerContact.id)):
        contacts[contact.partner_id].append(contact)
    result = {pid: PartnerRow(partners[pid], contacts[pid]) for pid in partner_ids}
    for row in shipments:
        result[row.shipment.partner_id].shipments.append(row.shipment.number)
    return sorted(result.values(), key=lambda r: r.partner.name)


def trace_forward(lots: list[MaterialLot]) -> ForwardTrace:
    """Every batch that used these lots, every shipment of those batches, every partner."""
    lot_ids = [lot.id for lot in lots]
    rows = db.session.execute(
        select(Batch, func.sum(Consumption.quantity))
        .join(Consumption, Consumption.batch_id == Batch.id)
        .where(Consumption.lot_id.in_(lot_ids))
        .group_by(Batch.id).order_by(Batch.id)) if lot_ids else []
    batches = [BatchRow(batch, Decimal(str(total))) for batch, total in rows]
    batch_ids = [row.batch.id for row in batches]
    shipped = _shipped_per_batch(batch_ids)
    for row in batches:
        row.shipped = shipped.get(row.batch.id, Decimal(0))
    shipments = _shipments_of(batch_ids)
    return ForwardTrace(lots, batches, shipments, _partners_of(shipments))


@dataclass
class LotRow:
    """A lot reached by a backward trace and how much of it the traced batches used."""

    lot: MaterialLot
    quantity: Decimal
    batch_codes: list[str]


def lots_of_batches(batch_ids: list[int]) -> list[LotRow]:
    """Every lot the batches consumed (the backward trace)."""
    if not batch_ids:
        return []
    rows = db.session.execute(
        select(MaterialLot, Consumption.quantity, Batch.code)
        .join(Consumption, Consumption.lot_id == MaterialLot.id)
        .join(Batch, Batch.id == Consumption.batch_id)
        .where(Consumption.batch_id.in_(batch_ids))
        .order_by(MaterialLot.id))
    by_id: dict[int, LotRow] = {}
    for lot, quantity, code in rows:
        row = by_id.setdefault(lot.id, LotRow(lot, Decimal(0), []))
        row.quantity += quantity
        if code not in row.batch_codes:
            row.batch_codes.append(code)
    return list(by_id.values())


def trace_backward_shipment(shipment: Shipment) -> list[LotRow]:
    """Every lot in the goods of one shipment."""
    return lots_of_batches(sorted({line.batch_id for line in shipment.lines}))


def lots_by_supplier_lot(supplier_lot: str) -> list[MaterialLot]:
    """All our lots received under one supplier lot number (a supplier recall names it)."""
    return list(db.session.scalars(select(MaterialLot).where(
        MaterialLot.supplier_lot == supplier_lot.strip()).order_by(MaterialLot.id)))


class _SafeWriter:
    """A csv writer that defuses cells a spreadsheet would run as a formula (=, +, -, @)."""

    def __init__(self, out):
        self._writer = csv.writer(out)

    def writerow(self, row):
        self._writer.writerow([f"'{cell}" if isinstance(cell, str) and cell.strip()
                               and cell.lstrip()[0] in "=+-@\t\r" and not _is_number(cell)
                               else cell for cell in row])


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def recall_csv(trace: ForwardTrace) -> str:
    """The recall report as CSV: batches affected, shipments to stop, stock to quarantine."""
    out = io.StringIO()
    writer = _SafeWriter(out)
    writer.writerow(["section", "code", "product_or_partner", "status_or_date", "quantity",
                     "contact"])
    for lot in trace.lots:
        writer.writerow(["lot", lot.code, lot.material.name, lot.status,
                         plain_quantity(lot.quantity_received),
                         f"{lot.supplier} {lot.supplier_lot}".strip()])
    for row in trace.batches:
        writer.writerow(["batch", row.batch.code, row.batch.product.name, row.batch.status,
                         plain_quantity(row.consumed), ""])
    for row in trace.shipments:
        contacts = "; ".join(f"{c.name} {c.email} {c.phone}".strip() for c in
                             next((p.contacts for p in trace.partners
                                   if p.partner.id == row.shipment.partner_id), []))
        writer.writerow(["shipment", row.shipment.number, row.shipment.partner.name,
                         row.shipment.shipped_on.isoformat(), plain_quantity(row.quantity),
                         contacts])
    for row in trace.batches:
        if row.unshipped > 0:
            writer.writerow(["quarantine_stock", row.batch.code, row.batch.product.name,
                             row.batch.status, plain_quantity(row.unshipped), ""])
    return out.getvalue()
