"""State changes of the catalogue: products and materials."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shopfloor.audit.services import apply_edits, check_version, commit, write_audit
from shopfloor.catalog.models import Material, Product
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.lines import LINE_CODES
from shopfloor.partners.models import Partner
from shopfloor.units import UNIT_CODES


@dataclass
class ProductData:
    """A product as submitted."""

    code: str
    name: str
    line: str
    unit: str
    standard_minutes: Decimal
    partner_id: int | None = None
    description: str = ""
    active: bool = True


def _unique_code(model, code: str, record_id: int | None) -> str:
    code = code.strip().upper()
    if not code:
        raise DomainError(_l("Enter a code."), field="code")
    clash = db.session.scalar(select(model.id).where(model.code == code))
    if clash is not None and clash != record_id:
        raise DomainError(_l("This code is already used."), field="code")
    return code


def save_product(data: ProductData, user, product: Product | None = None,
                 expected_version: int | str | None = None) -> Product:
    """Create or update a product."""
    if product is not None:
        check_version(product, expected_version)
    code = _unique_code(Product, data.code, product.id if product else None)
    if not data.name.strip():
        raise DomainError(_l("Enter a name."), field="name")
    if data.line not in LINE_CODES:
        raise DomainError(_l("Choose a production line."), field="line")
    if data.unit not in UNIT_CODES:
        raise DomainError(_l("Choose a unit."), field="unit")
    if data.standard_minutes is None or data.standard_minutes < 0:
        raise DomainError(_l("Enter the standard minutes per unit (0 or more)."),
                          field="standard_minutes")
    if data.partner_id is not None and db.session.get(Partner, data.partner_id) is None:
        raise DomainError(_l("Choose a partner from the list."), field="partner_id")
    values = {"code": code, "name": data.name.strip(), "line": data.line, "unit": data.unit,
              "standard_minutes": data.standard_minutes, "partner_id": data.partner_id,
              "description": data.description.strip(), "active": data.active}
    if product is None:
        product = Product(**values)
        db.session.add(product)
        write_audit(product, "created", user)
    else:
        apply_edits(product, values, user)
    commit([product])
    return product


def save_material(code: str, name: str, unit: str, user, gtin: str = "", active: bool = True,
                  material: Material | None = None,
                  expected_version: int | str | None = None) -> Material:
    """Create or update a material."""
    if material is not None:
        check_version(material, expected_version)
    code = _unique_code(Material, code, material.id if material else None)
    if not name.strip():
        raise DomainError(_l("Enter a name."), field="name")
    if unit not in UNIT_CODES:
        raise DomainError(_l("Choose a unit."), field="unit")
    gtin = gtin.strip()
    if gtin and (not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14)):
        raise DomainError(_l("A GTIN has 8, 12, 13 or 14 digits."), field="gtin")
    values = {"code": code, "name": name.strip(), "unit": unit, "gtin": gtin or None,
              "active": active}
    if material is None:
        material = Material(**values)
        db.session.add(material)
        write_audit(material, "created", user)
    else:
        apply_edits(material, values, user)
    commit([material])
    return material
