"""Read-only questions about the catalogue."""

from __future__ import annotations

from sqlalchemy import select

from shopfloor.catalog.models import Material, Product
from shopfloor.extensions import db


def products_query(search: str = "", line: str = ""):
    """Products by line and code, optionally narrowed."""
    query = select(Product).order_by(Product.active.desc(), Product.line, Product.code)
    if search.strip():
        term = f"%{search.strip()}%"
        query = query.where(Product.code.ilike(term) | Product.name.ilike(term))
    if line:
        query = query.where(Product.line == line)
    return query


def materials_query(search: str = ""):
    """Materials by code, optionally narrowed."""
    query = select(Material).order_by(Material.active.desc(), Material.code)
    if search.strip():
        term = f"%{search.strip()}%"
        query = query.where(Material.code.ilike(term) | Material.name.ilike(term))
    return query


def active_products() -> list[Product]:
    """Products to choose from on order and batch forms."""
    return list(db.session.scalars(select(Product).where(Product.active.is_(True))
                                   .order_by(Product.line, Product.code)))


def active_materials() -> list[Material]:
    """Materials to choose from when receiving lots."""
    return list(db.session.scalars(select(Material).where(Material.active.is_(True))
                                   .order_by(Material.code)))
