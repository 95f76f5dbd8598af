"""Demo returned items: on Moda Wtórna's first garments batch, one item with a drawn photo of
its torn seam, put to the partner ("repair or write off?"), and one sent back to stock; on
the batch in progress, a parcel scanned in at intake, a parcel set aside (no RMA), a jacket
in repair following the seam-repair picture instruction, and one awaiting re-inspection."""

from __future__ import annotations

from sqlalchemy import func, select

from shopfloor.core.demo.partners import PARTNERS_BY_KEY
from shopfloor.core.demo.pictures import draw_scene
from shopfloor.extensions import db
from shopfloor.partners.models import Partner
from shopfloor.returns.models import ItemStatus, ReturnedItem, ReturnedItemPhoto
from shopfloor.returns.services import (
    add_photo,
    ask_partner,
    record_defect,
    set_defect_note,
    set_disposition,
)

# What inspection found on the next items, for the partner's Pareto of defects.
FOUND = (("M02", "A"), ("M04", "A"), ("M02", "B"), ("N01", "B"), ("M03", "A"), ("M02", "A"),
         ("M04", "B"), ("N02", "B"), ("M02", "A"), ("M05", "A"))


def load_returns(user) -> int:
    """Give the demo's returned items a story, once; returns how many items it touched."""
    from shopfloor.core.demo.return_repairs import load_intake_and_repairs

    return _load_decisions(user) + load_intake_and_repairs(user)


def _load_decisions(user) -> int:
    if db.session.scalar(select(func.count(ReturnedItemPhoto.id))):
        return 0
    moda = db.session.scalar(select(Partner.id).where(
        Partner.name == PARTNERS_BY_KEY["moda"].name))
    items = list(db.session.scalars(select(ReturnedItem).where(
        ReturnedItem.partner_id == moda, ReturnedItem.status == ItemStatus.RECEIVED.value)
        .order_by(ReturnedItem.id).limit(2 + len(FOUND))))
    if len(items) < 2:
        return 0
    torn, fine = items[:2]
    add_photo(torn, draw_scene("garment-seam-bad"), user, caption="Rozdarty szew na rękawie")
    set_defect_note(torn, "Szew na lewym rękawie rozdarty na 6 cm.", user)
    record_defect(torn, "M02", "A", user)
    for item, (code, zone) in zip(items[2:], FOUND, strict=False):
        record_defect(item, code, zone, user)
    ask_partner(torn, "Szew rozdarty na 6 cm. Naprawa kosztuje 18 zł. Naprawić czy spisać?",
                user)
    add_photo(fine, draw_scene("garment-check"), user, caption="Kurtka bez wad")
    set_disposition(fine, "restock", user)
    return len(items)
