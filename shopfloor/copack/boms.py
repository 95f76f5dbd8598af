"""Kit bills of materials in versions: a draft is written row by row, activating it freezes
it (the version it replaces is retired, batches that used it keep it), and a changed
assortment must not keep the old kit's GTIN (GS1: a predefined assortment that changes gets
a new GTIN)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from shopfloor.audit.services import apply_edits, check_version, commit, conflict_safe, write_audit
from shopfloor.catalog.models import Product
from shopfloor.copack.models import BomStatus, KitBom, KitBomItem, component_key
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.labels.gs1 import is_valid_gtin
from shopfloor.units import as_decimal

LINE = "copack"
MAX_DECIMALS = 3


class BomRowsInvalid(DomainError):
    """Rows of a draft that cannot be saved: ``problems`` maps a row index to its message."""

    def __init__(self, problems: dict[int, str]):
        super().__init__(_l("Correct the marked rows."), field="items")
        self.problems = problems


@dataclass
class BomRow:
    """One row of a draft as typed."""

    component: str = ""
    gtin: str = ""
    quantity_per_kit: str = ""
    partner_supplied: bool = True
    countable: bool = False

    @property
    def blank(self) -> bool:
        return not (self.component.strip() or self.gtin.strip() or
                    self.quantity_per_kit.strip())


def check_gtin(text: str, field: str = "gtin") -> str:
    """A GTIN as typed or scanned (8, 12, 13 or 14 digits, spaces dropped) with its check
    digit verified, stored as 14 digits; empty stays empty."""
    digits = "".join((text or "").split())
    if not digits:
        return ""
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14) or not is_valid_gtin(digits):
        raise DomainError(_l("%(gtin)s is not a valid GTIN: check the number (its last digit "
                             "is a check digit).", gtin=digits), field=field)
    return digits.zfill(14)


def _row_problem(row: BomRow) -> tuple[str | None, KitBomItem | None]:
    name = " ".join(row.component.split())
    if not name:
        return str(_l("Name the component.")), None
    if len(name) > 80:
        return str(_l("At most 80 characters.")), None
    try:
        gtin = check_gtin(row.gtin)
    except DomainError as exc:
        return str(exc.message), None
    quantity = as_decimal(row.quantity_per_kit)
    if quantity is None or quantity <= 0:
        return str(_l("Give how many go into one kit (more than 0).")), None
    if -quantity.as_tuple().exponent > MAX_DECIMALS:
        return str(_l("At most 3 decimal places.")), None
    if quantity >= Decimal(10) ** 8:
        return str(_l("That is too many for one kit.")), None
    return None, KitBomItem(component=name, gtin=gtin, quantity_per_kit=quantity,
                            partner_supplied=row.partner_supplied, countable=row.countable)


def kit_products() -> list[Product]:
    """The co-packing products (kits), by code."""
    return list(db.session.scalars(select(Product).where(Product.line == LINE)
                                   .order_by(Product.code)))


def boms_of(product_id: int) -> list[KitBom]:
    """A product's bill-of-materials versions, newest first."""
    return list(db.session.scalars(select(KitBom).where(KitBom.product_id == product_id)
                                   .order_by(KitBom.number.desc())))


def active_bom(product_id: int) -> KitBom | None:
    return db.session.scalar(select(KitBom).where(KitBom.product_id == product_id,
                                                  KitBom.status == BomStatus.ACTIVE))


def new_draft(product: Product, user) -> KitBom:
    """A new draft version, a copy of the newest version (or empty for the first)."""
    if product.line != LINE:
        raise DomainError(_l("Bills of materials are kept for co-packing products."),
                          field="product")
    if db.session.scalar(select(KitBom.id).where(KitBom.product_id == product.id,
                                                 KitBom.status == BomStatus.DRAFT)):
        raise DomainError(_l("This kit already has a draft: finish or change that one."),
                          field="product")
    newest = boms_of(product.id)
    number = (db.session.scalar(select(func.max(KitBom.number))
                                .where(KitBom.product_id == product.id)) or 0) + 1
    bom = KitBom(product_id=product.id, number=number, created_by=getattr(user, "id", None),
                 kit_gtin=newest[0].kit_gtin if newest else "",
                 items=[KitBomItem(position=i.position, component=i.component, gtin=i.gtin,
                                   quantity_per_kit=i.quantity_per_kit,
                                   partner_supplied=i.partner_supplied, countable=i.countable)
                        for i in (newest[0].items if newest else [])])
    db.session.add(bom)
    write_audit(bom, "created", user, to_status=bom.status)
    commit([bom])
    return bom


def _snapshot(bom: KitBom) -> list[str]:
    return [f"{i.component} [{i.gtin}] x {i.quantity_per_kit.normalize():f}"
            f"{' (own)' if not i.partner_supplied else ''}{' (countable)' if i.countable else ''}"
            for i in bom.items]


@conflict_safe
def save_draft(bom: KitBom, rows: list[BomRow], kit_gtin: str, note: str, user,
               expected_version: int | str | None = None) -> None:
    """Replace a draft's rows and kit GTIN; every row is checked, nothing saved on error."""
    check_version(bom, expected_version)
    if bom.status != BomStatus.DRAFT:
        raise DomainError(_l("An active bill of materials never changes: make a new version."),
                          field="items")
    gtin = check_gtin(kit_gtin, field="kit_gtin")
    problems: dict[int, str] = {}
    items: list[KitBomItem] = []
    keys: set[str] = set()
    for index, row in enumerate(rows):
        if row.blank:
            continue
        problem, item = _row_problem(row)
        if item is not None and item.key in keys:
            problem = str(_l("This component is listed twice."))
        if problem:
            problems[index] = problem
            continue
        keys.add(item.key)
        item.position = len(items)
        items.append(item)
    if problems:
        raise BomRowsInvalid(problems)
    before = _snapshot(bom)
    apply_edits(bom, {"kit_gtin": gtin, "note": note.strip()}, user)
    bom.items = items
    after = _snapshot(bom)
    if before != after:
        write_audit(bom, "edited", user, changes={"items": (before, after)})
    commit([bom])


def _same_assortment(a: KitBom, b: KitBom) -> bool:
    return sorted((i.key, i.quantity_per_kit.normalize()) for i in a.items) == \
        sorted((i.key, i.quantity_per_kit.normalize()) for i in b.items)


@conflict_safe
def activate(bom: KitBom, user, expected_version: int | str | None = None) -> None:
    """Freeze a draft for production; the active version it replaces is retired."""
    check_version(bom, expected_version)
    if bom.status != BomStatus.DRAFT:
        raise DomainError(_l("Only a draft is activated."), field="status")
    if not bom.items:
        raise DomainError(_l("List the kit's components first."), field="items")
    previous = active_bom(bom.product_id)
    if previous is not None and bom.kit_gtin and bom.kit_gtin == previous.kit_gtin \
            and not _same_assortment(bom, previous):
        raise DomainError(_l("The kit's contents changed, so it needs a new GTIN (GS1 rule "
                             "for a changed assortment): ask the partner for it."),
                          field="kit_gtin")
    if previous is not None:
        previous.status = BomStatus.RETIRED.value
        write_audit(previous, "status", user, from_status=BomStatus.ACTIVE,
                    to_status=BomStatus.RETIRED)
    bom.status = BomStatus.ACTIVE.value
    bom.activated_at = utcnow()
    write_audit(bom, "status", user, from_status=BomStatus.DRAFT, to_status=BomStatus.ACTIVE)
    commit([bom] + ([previous] if previous is not None else []))


def usable_boms(product_id: int | None) -> list[KitBom]:
    """The versions a batch may be made to: active or retired (a batch planned before the
    change keeps its version), newest first."""
    if product_id is None:
        return []
    return [b for b in boms_of(product_id) if b.status != BomStatus.DRAFT]


def partner_components(bom: KitBom) -> list[KitBomItem]:
    return [item for item in bom.items if item.partner_supplied]


def find_component(boms: list[KitBom], text: str) -> KitBomItem | None:
    """The partner-supplied component of these versions named or scanned (a GTIN)."""
    wanted = text.strip()
    try:
        wanted_gtin = check_gtin(wanted) if wanted.replace(" ", "").isdigit() else ""
    except DomainError:
        wanted_gtin = ""
    key = component_key(wanted_gtin, wanted)
    for bom in boms:
        for item in partner_components(bom):
            if item.key == key or (wanted_gtin and item.gtin == wanted_gtin):
                return item
    return None
