"""Receiving material lots and deciding whether they may be used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from shopfloor.audit.services import apply_transition, commit, conflict_safe, write_audit
from shopfloor.catalog.models import Material
from shopfloor.codes import KIND_LOT
from shopfloor.database import new_unique_code
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.materials.models import LotStatus, MaterialLot
from shopfloor.partners.models import Partner
from shopfloor.statemachine import table

LOT_MACHINE = table("lot", LotStatus.QUARANTINE, {
    LotStatus.QUARANTINE: (LotStatus.APPROVED, LotStatus.REJECTED),
    LotStatus.APPROVED: (LotStatus.QUARANTINE, LotStatus.REJECTED),
    LotStatus.REJECTED: (LotStatus.QUARANTINE,),
})
LOT_ACTION_NAMES = {
    LotStatus.QUARANTINE: _l("Back to quarantine"),
    LotStatus.APPROVED: _l("Approve"),
    LotStatus.REJECTED: _l("Reject"),
}
LOT_STATUS_NAMES = {
    LotStatus.QUARANTINE: _l("Quarantine"),
    LotStatus.APPROVED: _l("Approved"),
    LotStatus.REJECTED: _l("Rejected"),
}


@dataclass
class LotReceipt:
    """A delivery of one material as written on the goods-in form."""

    material_id: int
    supplier: str
    supplier_lot: str
    received_on: date
    quantity: Decimal
    owner_partner_id: int | None = None
    expires_on: date | None = None
    delivery_note: str = ""
    notes: str = ""


def receive_lot(receipt: LotReceipt, user) -> MaterialLot:
    """Record a received lot; it starts in quarantine until someone approves it."""
    material = db.session.get(Material, receipt.material_id)
    if material is None or not material.active:
        raise DomainError(_l("Choose a material from the list."), field="material_id")
    if receipt.owner_partner_id is not None and db.session.get(
            Partner, receipt.owner_partner_id) is None:
        raise DomainError(_l("Choose a partner from the list."), field="owner_partner_id")
    if not receipt.supplier.strip():
        raise DomainError(_l("Enter the supplier."), field="supplier")
    if not receipt.supplier_lot.strip():
        raise DomainError(_l("Enter the supplier's lot number from the package."),
                          field="supplier_lot")
    if receipt.quantity is None or receipt.quantity <= 0:
        raise DomainError(_l("The quantity must be more than zero."), field="quantity")
    if receipt.expires_on is not None and receipt.expires_on < receipt.received_on:
        raise DomainError(_l("The expiry date is before the date received."),
                          field="expires_on")
    lot = MaterialLot(
        code=new_unique_code(MaterialLot, KIND_LOT), material_id=material.id,
        owner_partner_id=receipt.owner_partner_id, supplier=receipt.supplier.strip(),
        supplier_lot=receipt.supplier_lot.strip(), received_on=receipt.received_on,
        quantity_received=receipt.quantity, expires_on=receipt.expires_on,
        delivery_note=receipt.delivery_note.strip(), notes=receipt.notes.strip())
    db.session.add(lot)
    write_audit(lot, "created", user, to_status=lot.status)
    commit([lot])
    return lot


@conflict_safe
def set_lot_status(lot: MaterialLot, status: str, user, reason: str = "",
                   expected_version: int | str | None = None) -> None:
    """Approve, reject or quarantine a lot; rejecting or re-quarantining needs a reason."""
    if status != LotStatus.APPROVED and not reason.strip():
        raise DomainError(_l("Say why."), field="reason")
    apply_transition(lot, LOT_MACHINE, status, user, status_names=LOT_STATUS_NAMES,
                     reason=reason, expected_version=expected_version)
    commit([lot])


def consumed_quantity(lot_id: int) -> Decimal:
    """How much of a lot batches have used."""
    from shopfloor.production.models import Consumption

    used = db.session.scalar(select(func.coalesce(func.sum(Consumption.quantity), 0))
                             .where(Consumption.lot_id == lot_id))
    return Decimal(str(used))


def remaining_quantity(lot: MaterialLot) -> Decimal:
    """What is left of a lot."""
    return lot.quantity_received - consumed_quantity(lot.id)
