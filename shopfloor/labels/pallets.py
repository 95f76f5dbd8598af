"""Pallets of finished batches: build one (a quantity under a new SSCC), void one that has
not shipped (its SSCC is never issued again), and their GS1 logistic labels, which a
reprint draws again with the same SSCC."""

from __future__ import annotations

from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from shopfloor.audit.services import write_audit
from shopfloor.codes import format_code
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.labels import kinds
from shopfloor.labels.models import Pallet
from shopfloor.labels.services import allocate_sscc, group_sscc
from shopfloor.production.models import Batch
from shopfloor.production.status import BatchStatus
from shopfloor.shipping.services import loose_quantity
from shopfloor.units import format_quantity, unit_name

COUNTED_UNITS = frozenset({"pcs", "set"})  # units that only come whole


def pallets_of_batch(batch_id: int) -> list[Pallet]:
    """Every pallet of a batch, voided ones too, oldest first."""
    return list(db.session.scalars(select(Pallet).where(Pallet.batch_id == batch_id)
                                   .order_by(Pallet.id)))


def pallet_room(batch: Batch) -> Decimal:
    """How much of a batch may still go on a new pallet: its good units neither shipped
    nor on a pallet already."""
    return max(loose_quantity(batch), Decimal(0))


def build_pallet(batch: Batch, quantity: Decimal | None, user) -> Pallet:
    """Put ``quantity`` of a finished batch on a new pallet under a new SSCC.

    Refuses an unfinished batch, a quantity that is not more than zero, a part of a piece
    or set, and more than the batch made minus what is shipped or on its pallets already.
    """
    if batch.status != BatchStatus.DONE:
        raise DomainError(_l("Only a finished batch (past QC) goes on pallets."),
                          field="quantity")
    if quantity is None:
        raise DomainError(_l("Enter how many units go on the pallet."), field="quantity")
    if quantity <= 0:
        raise DomainError(_l("The quantity must be more than zero."), field="quantity")
    unit = batch.product.unit
    if unit in COUNTED_UNITS and quantity != quantity.to_integral_value():
        raise DomainError(_l("Enter whole %(unit)s.", unit=unit_name(unit)), field="quantity")
    try:
        # The SSCC counter is taken first: it serialises pallet building (as the WZ
        # counter serialises shipments), so the room below is what nobody else is using.
        sscc = allocate_sscc(user)
        batch = db.session.scalars(select(Batch).where(Batch.id == batch.id).with_for_update()
                                   .execution_options(populate_existing=True)).one()
        room = pallet_room(batch)
        if quantity > room:
            raise DomainError(_l("Only %(room)s %(unit)s of batch %(code)s are not shipped or "
                                 "on a pallet yet.", room=format_quantity(room),
                                 unit=unit_name(unit), code=format_code(batch.code)),
                              field="quantity")
    except DomainError:
        db.session.rollback()  # the serial was never printed: it goes back to the counter
        raise
    pallet = Pallet(sscc=sscc, batch_id=batch.id, quantity=quantity,
                    contents=batch.product.name[:120], created_by=getattr(user, "id", None))
    db.session.add(pallet)
    write_audit(batch, "edited", user, changes={"pallet": (None, f"{sscc} × {quantity:f}")})
    db.session.commit()
    return pallet


def void_pallet(pallet: Pallet, user, reason: str = "") -> Pallet:
    """Unpack a pallet that has not shipped: its units are free again, its SSCC stays
    with the voided row and is never issued again."""
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise DomainError(_l("Keep the reason under 200 characters."), field="reason")
    # Only if still open at this moment: a shipment taking the pallet meanwhile wins.
    voided = db.session.execute(
        update(Pallet).where(Pallet.id == pallet.id, Pallet.shipment_id.is_(None),
                             Pallet.voided_at.is_(None))
        .values(voided_at=utcnow(), voided_by=getattr(user, "id", None), void_reason=reason)
        .execution_options(synchronize_session=False))
    if voided.rowcount != 1:
        db.session.rollback()
        db.session.refresh(pallet)
        if pallet.shipment_id is not None:
            raise DomainError(_l("Pallet %(sscc)s has shipped on %(number)s: it cannot be "
                                 "voided.", sscc=pallet.sscc, number=pallet.shipment.number),
                              field="reason")
        raise DomainError(_l("Pallet %(sscc)s is voided already.", sscc=pallet.sscc),
                          field="reason")
    db.session.refresh(pallet)
    write_audit(pallet.batch, "edited", user, reason=reason or None,
                changes={"pallet": (pallet.sscc, None)})
    db.session.commit()
    return pallet


def pallet_label(pallet: Pallet) -> kinds.PalletLabel:
    """The logistic label of a pallet as built: its own SSCC, batch and count (a reprint
    draws the same label again, it never takes a new SSCC)."""
    settings = current_app.config["SHOPFLOOR"]
    batch = pallet.batch
    allocations = batch.allocations
    receiver = allocations[0].order_line.order.partner if allocations else None
    sender = ", ".join(p for p in (settings["cooperative.name"],
                                   settings["cooperative.address"]) if p)
    quantity = pallet.quantity if pallet.quantity is not None else batch.good_quantity
    return kinds.PalletLabel(
        sscc=group_sscc(pallet.sscc, settings["gs1.company_prefix"]), sender=sender,
        receiver=(f"{receiver.name}, {receiver.delivery_address}".rstrip(", ")
                  if receiver else ""),
        contents=pallet.contents or batch.product.name,
        count=f"{format_quantity(quantity or 0)} {unit_name(batch.product.unit)}",
        batch=format_code(batch.code))


def labels_of_batches(batches: list[Batch]) -> list[kinds.PalletLabel]:
    """The labels of these batches' pallets that are not voided (reprints, same SSCCs)."""
    labels = []
    for batch in batches:
        pallets = [p for p in pallets_of_batch(batch.id) if p.voided_at is None]
        if not pallets:
            raise DomainError(_l("Batch %(code)s has no pallets yet: build them on the "
                                 "batch's page.", code=format_code(batch.code)), field="codes")
        labels.extend(pallet_label(p) for p in pallets)
    return labels
