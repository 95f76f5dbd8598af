"""Read-only questions about material lots."""

from __future__ import annotations

from sqlalchemy import or_, select

from shopfloor.catalog.models import Material
from shopfloor.codes import normalize_code
from shopfloor.extensions import db
from shopfloor.materials.models import MaterialLot
from shopfloor.production.models import Batch, Consumption


def lots_query(search: str = "", status: str = ""):
    """Lots, newest first, narrowed by status and by our code, supplier lot or material."""
    query = (select(MaterialLot).join(Material, Material.id == MaterialLot.material_id)
             .order_by(MaterialLot.received_on.desc(), MaterialLot.id.desc()))
    if status:
        query = query.where(MaterialLot.status == status)
    if search.strip():
        term = f"%{search.strip()}%"
        query = query.where(or_(MaterialLot.code == normalize_code(search),
                                MaterialLot.supplier_lot.ilike(term), Material.name.ilike(term),
                                Material.code.ilike(term)))
    return query


def lot_consumptions(lot_id: int) -> list[tuple[Consumption, Batch]]:
    """Which batches used a lot, and how much."""
    return list(db.session.execute(
        select(Consumption, Batch).join(Batch, Batch.id == Consumption.batch_id)
        .where(Consumption.lot_id == lot_id).order_by(Consumption.id)))
