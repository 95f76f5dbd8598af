"""Read-only questions about partners."""

from __future__ import annotations

from sqlalchemy import select

from shopfloor.extensions import db
from shopfloor.partners.models import Partner


def partners_query(search: str = "", include_inactive: bool = True):
    """Partners by name, optionally narrowed by a search term."""
    query = select(Partner).order_by(Partner.active.desc(), Partner.name)
    if search.strip():
        term = f"%{search.strip()}%"
        query = query.where(Partner.name.ilike(term) | Partner.nip.ilike(term)
                            | Partner.city.ilike(term))
    if not include_inactive:
        query = query.where(Partner.active.is_(True))
    return query


def active_partners() -> list[Partner]:
    """Partners to choose from on forms."""
    return list(db.session.scalars(partners_query(include_inactive=False)))
