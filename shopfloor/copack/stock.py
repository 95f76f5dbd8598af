"""The partner's consigned material held for an order: goods-in against the partner's
delivery note (declared and counted, damage with photos), scrap and returns, and the kit
build that uses components in the same transaction as the kits it adds.

Every change is a ``StockMove``; what is on hand is their sum, worked out by the database.
The stock is the partner's: it never enters the cooperative's own material lots.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from shopfloor.audit.services import write_audit
from shopfloor.copack.boms import BomRowsInvalid, find_component, usable_boms
from shopfloor.copack.models import (
    KitBom,
    MaterialReceipt,
    MoveKind,
    ReceiptLine,
    ReceiptPhoto,
    StockMove,
)
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.orders.models import Order
from shopfloor.units import as_decimal, format_quantity
from shopfloor.uploads import photo_path, save_photo

PHOTO_AREA = "receipts"
MAX_PHOTOS = 6
LINE = "copack"
# Moves that take material out of stock (received adds to it).
OUT_KINDS = (MoveKind.CONSUMED.value, MoveKind.SCRAPPED.value, MoveKind.RETURNED.value)
MSG_RUN_OUT = _l("%(component)s has run out. Call the supervisor.")
MSG_SHORT = _l("Not enough %(component)s for %(kits)s kits: %(left)s left, %(needed)s needed. "
               "Call the supervisor.")


def copack_boms_of_order(order: Order) -> list[KitBom]:
    """The bill-of-materials versions of the co-packing products on an order."""
    boms: list[KitBom] = []
    for line in order.lines:
        if line.product.line == LINE:
            boms += usable_boms(line.product_id)
    return boms


def on_hand(order_id: int, key: str | None = None) -> dict[str, Decimal]:
    """What the book says is on hand of each component of an order (key -> quantity)."""
    signed = case((StockMove.kind == MoveKind.RECEIVED.value, StockMove.quantity),
                  else_=-StockMove.quantity)
    query = (select(StockMove.key, func.coalesce(func.sum(signed), 0))
             .where(StockMove.order_id == order_id).group_by(StockMove.key))
    if key is not None:
        query = query.where(StockMove.key == key)
    return {k: Decimal(str(v)) for k, v in db.session.execute(query)}


@dataclass
class ReceiptRow:
    """A delivery-note line as typed or scanned."""

    component: str = ""   # a component's name or a scanned GTIN
    lot: str = ""
    declared: str = ""
    counted: str = ""
    damaged: str = ""
    damage_note: str = ""

    @property
    def blank(self) -> bool:
        return not any(v.strip() for v in (self.component, self.lot, self.declared,
                                            self.counted, self.damaged, self.damage_note))


@dataclass
class ReceiptData:
    delivery_note: str
    received_on: date | None
    rows: list[ReceiptRow]
    note: str = ""
    photos: list[bytes] = field(default_factory=list)


def _quantity(text: str, required: bool = True) -> Decimal | None:
    number = as_decimal(text)
    if number is None:
        return None if not required and not (text or "").strip() else Decimal(-1)
    return number


def _receipt_line(boms: list[KitBom], row: ReceiptRow) -> tuple[str | None, ReceiptLine | None]:
    item = find_component(boms, row.component)
    if item is None:
        return str(_l("This is not a component the partner supplies for this order's kits "
                      "(scan its GTIN or choose it).")), None
    declared, counted = _quantity(row.declared), _quantity(row.counted)
    damaged = _quantity(row.damaged, required=False) or Decimal(0)
    for number in (declared, counted, damaged):
        if number < 0:
            return str(_l("Give the declared and counted quantities (0 or more).")), None
        if -number.as_tuple().exponent > 3:
            return str(_l("At most 3 decimal places.")), None
    if damaged > counted:
        return str(_l("More damaged than counted.")), None
    if damaged and not row.damage_note.strip():
        return str(_l("Say what the damage is.")), None
    return None, ReceiptLine(component=item.component, gtin=item.gtin,
                             lot=row.lot.strip()[:40], declared=declared, counted=counted,
                             damaged=damaged, damage_note=row.damage_note.strip())


def record_receipt(order: Order, data: ReceiptData, user) -> MaterialReceipt:
    """Take the partner's delivery into its consigned stock for ``order``: every line and
    photo, or nothing. A damaged quantity stays the partner's (on hand, to be scrapped or
    returned with the partner's agreement)."""
    boms = copack_boms_of_order(order)
    if not boms:
        raise DomainError(_l("This order has no co-packing kit with a bill of materials: "
                             "there is nothing to receive material for."), field="order")
    if order.status in ("draft", "shipped", "closed", "cancelled"):
        raise DomainError(_l("Material is received for confirmed orders in progress."),
                          field="order")
    note_no = " ".join(data.delivery_note.split())
    if not note_no:
        raise DomainError(_l("Give the partner's delivery note number."), field="delivery_note")
    if len(note_no) > 40:
        raise DomainError(_l("At most 40 characters."), field="delivery_note")
    if data.received_on is None:
        raise DomainError(_l("Give the date it arrived."), field="received_on")
    problems: dict[int, str] = {}
    lines: list[ReceiptLine] = []
    for index, row in enumerate(data.rows):
        if row.blank:
            continue
        problem, line = _receipt_line(boms, row)
        if problem:
            problems[index] = problem
        else:
            lines.append(line)
    if problems:
        raise BomRowsInvalid(problems)
    if not lines:
        raise DomainError(_l("List at least one component from the delivery note."),
                          field="items")
    if len(data.photos) > MAX_PHOTOS:
        raise DomainError(_l("At most %(n)s photos.", n=MAX_PHOTOS), field="photos")
    receipt = MaterialReceipt(order_id=order.id, partner_id=order.partner_id,
                              delivery_note=note_no, received_on=data.received_on,
                              note=data.note.strip(), created_by=getattr(user, "id", None),
                              lines=lines)
    db.session.add(receipt)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_l("Delivery note %(no)s of this partner is already received.",
                             no=note_no), field="delivery_note") from None
    saved: list[str] = []
    try:  # each photo checked and re-encoded; a bad one refuses the whole delivery
        for photo in data.photos:
            saved.append(save_photo(photo, PHOTO_AREA))
    except DomainError as exc:
        db.session.rollback()
        for path in filter(None, (photo_path(PHOTO_AREA, name) for name in saved)):
            path.unlink(missing_ok=True)  # no file is left behind without its receipt
        raise DomainError(exc.message, field="photos") from None
    receipt.photos = [ReceiptPhoto(name=name) for name in saved]
    for line in lines:
        db.session.add(StockMove(order_id=order.id, partner_id=order.partner_id, key=line.key,
                                 component=line.component, gtin=line.gtin,
                                 kind=MoveKind.RECEIVED.value, quantity=line.counted,
                                 receipt_line_id=line.id, note=note_no,
                                 user_id=getattr(user, "id", None)))
    write_audit(order, "edited", user, changes={"material_received": (None, note_no)})
    db.session.commit()
    return receipt


def record_move(order: Order, text: str, kind: str, quantity_text: str, note: str,
                user) -> StockMove:
    """Scrap some of the partner's material (with the reason) or send it back (with the
    document it went on); never more than the book has on hand."""
    if kind not in (MoveKind.SCRAPPED, MoveKind.RETURNED):
        raise DomainError(_l("Choose scrapped or returned."), field="kind")
    item = find_component(copack_boms_of_order(order), text)
    if item is None:
        raise DomainError(_l("Choose a component of this order."), field="component")
    quantity = as_decimal(quantity_text)
    if quantity is None or quantity <= 0 or -quantity.as_tuple().exponent > 3:
        raise DomainError(_l("Give a quantity above 0 (at most 3 decimal places)."),
                          field="quantity")
    if not note.strip():
        raise DomainError(_l("Say why it was scrapped.") if kind == MoveKind.SCRAPPED else
                          _l("Give the document it went back on."), field="note")
    _lock_order(order)
    left = on_hand(order.id, item.key).get(item.key, Decimal(0))
    if quantity > left:
        raise DomainError(_l("Only %(left)s of %(component)s is on hand.",
                             left=format_quantity(left), component=item.component),
                          field="quantity")
    move = StockMove(order_id=order.id, partner_id=order.partner_id, key=item.key,
                     component=item.component, gtin=item.gtin, kind=kind, quantity=quantity,
                     note=note.strip(), user_id=getattr(user, "id", None))
    db.session.add(move)
    write_audit(order, "edited", user, changes={f"material_{kind}": (
        None, f"{item.component}: {format_quantity(quantity)}")})
    db.session.commit()
    return move


def _lock_order(order: Order) -> None:
    """Take the order's row lock, so two changes to its stock are checked one after the
    other (PostgreSQL; SQLite has one writer at a time anyway)."""
    db.session.execute(select(Order.id).where(Order.id == order.id).with_for_update())


def _order_of(batch) -> Order | None:
    for allocation in batch.allocations:
        return allocation.order_line.order
    return None


def consume_for_kits(batch, kits: Decimal, user=None) -> None:
    """Use the partner's components for ``kits`` kits built on a co-packing batch (negative:
    kits taken back give them back), in the caller's transaction, so the kits and the
    components they used are saved together or not at all. Refused when the stock is short:
    a kit is not built from material that is not there."""
    if not kits:
        return
    bom_id = (batch.record or {}).get("bom_id")
    bom = db.session.get(KitBom, int(bom_id)) if bom_id else None
    if bom is None:
        raise DomainError(_l("Choose the kit's bill of materials in the batch record first."),
                          field="bom_id")
    items = [item for item in bom.items if item.partner_supplied]
    if not items:
        return
    order = _order_of(batch)
    if order is None:
        raise DomainError(_l("This batch serves no partner's order, so there is no partner's "
                             "material to build kits from."), field="batch")
    _lock_order(order)
    stock = on_hand(order.id) if kits > 0 else {}
    for item in items:  # all checked before any is used
        needed = item.quantity_per_kit * kits
        if kits > 0 and stock.get(item.key, Decimal(0)) < needed:
            if user is None:  # a tap on the tablet: short words for the worker
                raise DomainError(MSG_RUN_OUT % {"component": item.component}, field="value")
            raise DomainError(MSG_SHORT % {
                "component": item.component, "kits": format_quantity(kits),
                "left": format_quantity(stock.get(item.key, Decimal(0))),
                "needed": format_quantity(needed)}, field="value")
    for item in items:
        needed = item.quantity_per_kit * kits
        db.session.add(StockMove(order_id=order.id, partner_id=order.partner_id, key=item.key,
                                 component=item.component, gtin=item.gtin,
                                 kind=MoveKind.CONSUMED.value, quantity=needed,
                                 batch_id=batch.id, user_id=getattr(user, "id", None)))


def moves_of_order(order_id: int) -> list[StockMove]:
    """Every movement of an order's consigned material, oldest first."""
    return list(db.session.scalars(select(StockMove).where(StockMove.order_id == order_id)
                                   .order_by(StockMove.id)))


def receipts_of_order(order_id: int) -> list[MaterialReceipt]:
    return list(db.session.scalars(select(MaterialReceipt)
                                   .where(MaterialReceipt.order_id == order_id)
                                   .order_by(MaterialReceipt.received_on, MaterialReceipt.id)))

