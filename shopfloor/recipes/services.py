"""State changes of soap recipes: ingredients, drafts, locking, registration, new versions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from shopfloor.audit.services import apply_edits, check_version, commit, conflict_safe, write_audit
from shopfloor.catalog.models import Material, Product
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.recipes import figures, rules
from shopfloor.recipes.models import (
    FRAGRANCE_KINDS,
    INGREDIENT_KINDS,
    RECIPE_FORMS,
    CosmeticIngredient,
    Recipe,
    RecipeItem,
    RecipeVersion,
    VersionStatus,
)
from shopfloor.recipes.queries import versions_using

MASS_UNITS = ("g", "kg")
PART_LINE = re.compile(r"^(?P<inci>.+?)\s*[;=\t:]\s*(?P<percent>[0-9]+(?:[.,][0-9]+)?)\s*%?$")
TOTAL_SLACK = Decimal("0.01")  # shares typed to two places may miss 100 by rounding


def parse_parts(text: str, field: str) -> list[dict]:
    """``Glycerin; 30`` per line into ``[{"inci": "Glycerin", "percent": "30"}]``."""
    found: list[dict] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = PART_LINE.match(line)
        if match is None:
            raise DomainError(_l("Line %(n)s: write the INCI name, a semicolon and the share "
                                 "in %%, for example: Glycerin; 30", n=number), field=field)
        percent = Decimal(match["percent"].replace(",", "."))
        if percent <= 0 or percent > 100:
            raise DomainError(_l("Line %(n)s: the share must be more than 0 and at most 100.",
                                 n=number), field=field)
        found.append({"inci": match["inci"].strip(), "percent": f"{percent.normalize():f}"})
    return found


def parts_text(rows) -> str:
    """The stored parts as the form shows them, one per line."""
    return "\n".join(f"{row['inci']}; {row['percent']}" for row in rows or [])


@dataclass
class IngredientData:
    """A cosmetic ingredient as submitted."""

    material_id: int | None
    kind: str
    composition: str
    allergens: str = ""
    ifra_cat9_max_percent: Decimal | None = None
    ifra_certificate: str = ""
    supplier_max_percent: Decimal | None = None


def _check_cap(value: Decimal | None, field: str) -> None:
    if value is not None and (value <= 0 or value > 100):
        raise DomainError(_l("A maximum is a share of the product: more than 0, at most 100."),
                          field=field)


def save_ingredient(data: IngredientData, user, ingredient: CosmeticIngredient | None = None,
                    expected_version: int | str | None = None) -> CosmeticIngredient:
    """Record what the cosmetics rules need of a material: its INCI composition and, for a
    fragrance or essential oil, the IFRA category 9 limit, the supplier's maximum and the
    allergens it contains."""
    if ingredient is not None:
        check_version(ingredient, expected_version)
    material = db.session.get(Material, data.material_id) if data.material_id else None
    if material is None:
        raise DomainError(_l("Choose a material from the list."), field="material_id")
    if material.unit not in MASS_UNITS:
        raise DomainError(_l("Soap ingredients are weighed: give the material the unit g or "
                             "kg."), field="material_id")
    clash = db.session.scalar(select(CosmeticIngredient.id).where(
        CosmeticIngredient.material_id == material.id))
    if clash is not None and (ingredient is None or clash != ingredient.id):
        raise DomainError(_l("This material already has its cosmetic data."),
                          field="material_id")
    if data.kind not in INGREDIENT_KINDS:
        raise DomainError(_l("Choose what the ingredient is."), field="kind")
    composition = parse_parts(data.composition, "composition")
    if not composition:
        raise DomainError(_l("Give at least one INCI name with its share."), field="composition")
    total = rules.composition_total(figures.parts(composition))
    if abs(total - 100) > TOTAL_SLACK:
        raise DomainError(_l("The shares add up to %(total)s %%; they must make 100 %%.",
                             total=f"{total.normalize():f}"), field="composition")
    fragrance = data.kind in FRAGRANCE_KINDS
    allergens = parse_parts(data.allergens, "allergens") if fragrance else []
    if not fragrance and (data.allergens or "").strip():
        raise DomainError(_l("Only fragrances and essential oils list allergens."),
                          field="allergens")
    _check_cap(data.ifra_cat9_max_percent, "ifra_cat9_max_percent")
    _check_cap(data.supplier_max_percent, "supplier_max_percent")
    if fragrance and data.ifra_cat9_max_percent is None:
        raise DomainError(_l("Enter the category 9 limit from the fragrance's IFRA "
                             "certificate."), field="ifra_cat9_max_percent")
    if ingredient is not None and (composition != ingredient.composition
                                   or allergens != ingredient.allergens
                                   or material.id != ingredient.material_id):
        locked = [v.label for v in versions_using(ingredient.id) if v.locked]
        if locked:
            raise DomainError(_l("Locked versions use it (%(list)s): a changed composition is "
                                 "a new formula. Add the new material and make a new recipe "
                                 "version.", list=", ".join(locked)), field="composition")
    values = {"material_id": material.id, "kind": data.kind, "composition": composition,
              "allergens": allergens,
              "ifra_cat9_max_percent": data.ifra_cat9_max_percent if fragrance else None,
              "ifra_certificate": data.ifra_certificate.strip() if fragrance else "",
              "supplier_max_percent": data.supplier_max_percent if fragrance else None}
    if ingredient is None:
        ingredient = CosmeticIngredient(**values)
        db.session.add(ingredient)
        write_audit(ingredient, "created", user)
    else:
        apply_edits(ingredient, values, user)
    commit([ingredient])
    return ingredient


@dataclass
class VersionData:
    """What a draft version says besides its items."""

    nominal_quantity: Decimal | None
    fill_mass_g: Decimal | None
    mould: str = ""
    durability: str = ""
    fragrance_max_percent: Decimal | None = None
    notes: str = ""


@dataclass
class ItemData:
    """One ingredient row of a draft as submitted."""

    ingredient_id: int | None
    percent: Decimal | None


def _version_values(data: VersionData) -> dict:
    if data.nominal_quantity is None or data.nominal_quantity <= 0:
        raise DomainError(_l("Enter the nominal content (more than 0)."),
                          field="nominal_quantity")
    if data.fill_mass_g is None or data.fill_mass_g <= 0:
        raise DomainError(_l("Enter the mass each unit is filled to (more than 0)."),
                          field="fill_mass_g")
    _check_cap(data.fragrance_max_percent, "fragrance_max_percent")
    return {"nominal_quantity": data.nominal_quantity, "fill_mass_g": data.fill_mass_g,
            "mould": data.mould.strip(), "durability": data.durability.strip(),
            "fragrance_max_percent": data.fragrance_max_percent, "notes": data.notes.strip()}


def create_recipe(code: str, name: str, form: str, product_id: int | None,
                  first: VersionData, user) -> Recipe:
    """Add a recipe with an empty draft version 1."""
    code = (code or "").strip().upper()
    if not code:
        raise DomainError(_l("Enter a code."), field="code")
    if db.session.scalar(select(Recipe.id).where(Recipe.code == code)) is not None:
        raise DomainError(_l("This code is already used."), field="code")
    if not (name or "").strip():
        raise DomainError(_l("Enter a name."), field="name")
    if form not in RECIPE_FORMS:
        raise DomainError(_l("Choose solid or liquid soap."), field="form")
    product = db.session.get(Product, product_id) if product_id else None
    if product_id and (product is None or product.line != "soap"):
        raise DomainError(_l("Choose a soap product from the list."), field="product_id")
    recipe = Recipe(code=code, name=name.strip(), form=form,
                    product_id=product.id if product else None)
    recipe.versions.append(RecipeVersion(number=1, **_version_values(first)))
    db.session.add(recipe)
    write_audit(recipe, "created", user)
    commit([recipe])
    return recipe


def _items(rows: list[ItemData], version: RecipeVersion) -> list[RecipeItem]:
    items: list[RecipeItem] = []
    seen: set[int] = set()
    for position, row in enumerate(rows):
        if row.ingredient_id is None and row.percent is None:
            continue
        ingredient = db.session.get(CosmeticIngredient, row.ingredient_id) \
            if row.ingredient_id else None
        if ingredient is None:
            raise DomainError(_l("Row %(n)s: choose an ingredient.", n=position + 1),
                              field="items")
        if ingredient.id in seen:
            raise DomainError(_l("Row %(n)s: %(name)s is in the recipe twice.", n=position + 1,
                                 name=ingredient.material.name), field="items")
        seen.add(ingredient.id)
        if row.percent is None or row.percent <= 0 or row.percent > 100:
            raise DomainError(_l("Row %(n)s: enter the share in %% (more than 0, at most 100).",
                                 n=position + 1), field="items")
        breach = figures.cap_breach(ingredient, row.percent, version)
        if breach is not None:
            raise DomainError(_l("Row %(n)s: %(problem)s", n=position + 1,
                                 problem=breach.message), field="items")
        items.append(RecipeItem(ingredient_id=ingredient.id, percent=row.percent,
                                position=position))
    return items


def _refuse_unless_draft(version: RecipeVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise DomainError(_l("Version %(label)s is locked: make a new version to change the "
                             "formula.", label=version.label), field="items")


@conflict_safe
def save_draft(version: RecipeVersion, data: VersionData, rows: list[ItemData], user,
               expected_version: int | str | None = None) -> None:
    """Change a draft version and its ingredients. A fragrance above its lowest cap is
    refused here already; the shares need to make 100 % only to lock."""
    check_version(version, expected_version)
    _refuse_unless_draft(version)
    values = _version_values(data)
    before = [f"{i.ingredient.material.code}: {i.percent:f}" for i in version.items]
    with db.session.no_autoflush:
        for name, value in values.items():
            setattr(version, name, value)  # the caps below compare with the new maximum
        try:
            items = _items(rows, version)
        except DomainError:
            db.session.rollback()  # nothing of a refused draft is kept
            raise
    version.items.clear()
    db.session.flush()  # the old rows go first: (version, ingredient) is unique
    version.items.extend(items)
    db.session.flush()
    after = [f"{i.ingredient.material.code}: {i.percent:f}" for i in version.items]
    changes = {name: (None, value) for name, value in values.items()}
    if before != after:
        changes["items"] = (before, after)
    write_audit(version, "edited", user, changes=changes)
    commit([version])


def lock_problems(version: RecipeVersion) -> list[str]:
    """What stops a draft from being locked (empty: it may be locked)."""
    problems: list[str] = []
    if not version.items:
        problems.append(str(_l("Add the ingredients.")))
    total = figures.percent_total(version)
    if version.items and abs(total - 100) > TOTAL_SLACK:
        problems.append(str(_l("The shares add up to %(total)s %%; they must make 100 %%.",
                               total=f"{total.normalize():f}")))
    if not any(item.ingredient.kind == "base" for item in version.items):
        problems.append(str(_l("A melt-and-pour recipe needs a soap base.")))
    problems += [breach.message for breach in figures.version_breaches(version)]
    if not version.durability:
        problems.append(str(_l("Enter the best-before period or the PAO.")))
    if version.content_unit == "g" and version.fill_mass_g < version.nominal_quantity:
        problems.append(str(_l("Bars must be filled to at least their nominal mass.")))
    return problems


@conflict_safe
def lock_version(version: RecipeVersion, user,
                 expected_version: int | str | None = None) -> None:
    """Freeze a draft's formula; from now on it only gets its registration."""
    check_version(version, expected_version)
    _refuse_unless_draft(version)
    problems = lock_problems(version)
    if problems:
        raise DomainError(" ".join(problems), field="lock")
    version.status = VersionStatus.LOCKED.value
    version.locked_at = utcnow()
    write_audit(version, "locked", user, from_status=VersionStatus.DRAFT.value,
                to_status=VersionStatus.LOCKED.value)
    commit([version])


@conflict_safe
def register_version(version: RecipeVersion, safety_report_ref: str,
                     safety_report_date: date | None, cpnp_number: str,
                     responsible_person: str, user, today: date,
                     expected_version: int | str | None = None) -> None:
    """Record the safety report (CPSR), the CPNP notification and the responsible person of
    a locked version: with all of them, batches may use it."""
    check_version(version, expected_version)
    if not version.locked:
        raise DomainError(_l("Lock the formula first: the safety report assesses a locked "
                             "formula."), field="safety_report_ref")
    if safety_report_date is not None and safety_report_date > today:
        raise DomainError(_l("The safety report cannot be dated in the future."),
                          field="safety_report_date")
    cpnp_number = (cpnp_number or "").strip()
    if cpnp_number and not cpnp_number.isdigit():
        raise DomainError(_l("The CPNP reference is a number, as the portal gave it."),
                          field="cpnp_number")
    apply_edits(version, {"safety_report_ref": (safety_report_ref or "").strip(),
                          "safety_report_date": safety_report_date,
                          "cpnp_number": cpnp_number,
                          "responsible_person": (responsible_person or "").strip()}, user)
    commit([version])


@conflict_safe
def new_version(recipe: Recipe, user) -> RecipeVersion:
    """A new draft copied from the newest version (refused while a draft exists)."""
    if any(v.status == VersionStatus.DRAFT for v in recipe.versions):
        raise DomainError(_l("Recipe %(code)s already has a draft: change that one.",
                             code=recipe.code), field="version")
    latest = recipe.versions[-1]
    number = (db.session.scalar(select(func.max(RecipeVersion.number))
                                .where(RecipeVersion.recipe_id == recipe.id)) or 0) + 1
    draft = RecipeVersion(
        recipe_id=recipe.id, number=number, nominal_quantity=latest.nominal_quantity,
        fill_mass_g=latest.fill_mass_g, mould=latest.mould, durability=latest.durability,
        fragrance_max_percent=latest.fragrance_max_percent,
        items=[RecipeItem(ingredient_id=i.ingredient_id, percent=i.percent,
                          position=i.position) for i in latest.items])
    db.session.add(draft)
    write_audit(draft, "created", user)
    commit([draft])
    return draft
