"""Demo soap recipes: the cosmetic data of the soap materials and one recipe per soap
product, locked and registered (the lavender bar also has an older version and a draft).

Compositions and allergen shares are plausible figures for a demo, not any supplier's
declaration; the IFRA limits are of the kind the certificates give (domain.md §1).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from shopfloor.catalog.models import Material, Product
from shopfloor.extensions import db
from shopfloor.recipes.models import CosmeticIngredient, Recipe, VersionStatus
from shopfloor.recipes.services import (
    IngredientData,
    ItemData,
    VersionData,
    create_recipe,
    lock_version,
    new_version,
    register_version,
    save_draft,
    save_ingredient,
)

# material code -> kind, composition, allergens, IFRA cat. 9 limit, certificate, supplier max
INGREDIENTS = {
    "BAZA-GLI": ("base", "Glycerin; 25\nAqua; 20\nSodium Stearate; 18\nPropylene Glycol; 14\n"
                 "Sorbitol; 10\nSodium Laurate; 6\nSodium Myristate; 4\nSodium Chloride; 2\n"
                 "Pentasodium Pentetate; 1", "", None, "", None),
    "BAZA-KOZ": ("base", "Glycerin; 22\nAqua; 20\nSodium Stearate; 18\nSorbitol; 12\n"
                 "Propylene Glycol; 12\nSodium Laurate; 8\nGoat Milk; 5\nSodium Myristate; 2\n"
                 "Titanium Dioxide; 1", "", None, "", None),
    "OLEJ-LAW": ("fragrance", "Parfum; 100",
                 "Linalool; 30\nLimonene; 2\nGeraniol; 1\nCoumarin; 0.4",
                 "3.2", "IFRA 51st, AP-LAW-2025-03", "3"),
    "OLEJ-CYT": ("fragrance", "Parfum; 100",
                 "Limonene; 60\nCitral; 3\nLinalool; 1\nGeraniol; 0.3",
                 "2.5", "IFRA 51st, AP-CYT-2025-01", "3"),
    "MIKA-FIO": ("colourant", "Mica; 70\nCI 77491; 20\nCI 77007; 10", "", None, "", None),
    "MIKA-ZLO": ("colourant", "Mica; 60\nCI 77891; 30\nCI 77491; 10", "", None, "", None),
}
COOPERATIVE_RP = "Spółdzielnia Socjalna „Razem”, ul. Przykładowa 1, 26-600 Radom, Polska"
HOTEL_RP = "Hotel Pod Starym Dębem S.A., ul. Dębowa 3, 25-001 Kielce, Polska"
# recipe code -> product, name, nominal g, fill g, mould, durability, items, RP, CPNP
RECIPES = {
    "R-LAW-100": ("MYD-LAW-100", "Mydło lawendowe 100 g", "100", "102",
                  "Forma silikonowa 12 × 100 g", "24 miesiące",
                  (("BAZA-GLI", "97.9"), ("OLEJ-LAW", "2"), ("MIKA-FIO", "0.1")),
                  COOPERATIVE_RP, "3461207"),
    "R-CYT-100": ("MYD-CYT-100", "Mydło cytrynowe z miką 100 g", "100", "102",
                  "Forma silikonowa 12 × 100 g", "24 miesiące",
                  (("BAZA-GLI", "97.9"), ("OLEJ-CYT", "2"), ("MIKA-ZLO", "0.1")),
                  COOPERATIVE_RP, "3461219"),
    "R-KOZ-100": ("MYD-KOZ-100", "Mydło z mlekiem kozim 100 g", "100", "102",
                  "Forma silikonowa 12 × 100 g (owal)", "18 miesięcy",
                  (("BAZA-KOZ", "100"),), COOPERATIVE_RP, "3461224"),
    "R-LAW-30H": ("MYD-LAW-30H", "Mydełko hotelowe lawendowe 30 g", "30", "31",
                  "Forma z logo hotelu 24 × 30 g", "12M",
                  (("BAZA-GLI", "98.2"), ("OLEJ-LAW", "1.8")), HOTEL_RP, "3461230"),
}
# The lavender bar's first version had more fragrance; version 2 is the one in use.
LAVENDER_V1 = (("BAZA-GLI", "97.4"), ("OLEJ-LAW", "2.5"), ("MIKA-FIO", "0.1"))


def _ingredients(user) -> tuple[dict[str, CosmeticIngredient], int]:
    materials = {m.code: m for m in db.session.scalars(select(Material))}
    existing = {i.material.code: i for i in db.session.scalars(select(CosmeticIngredient))}
    created = 0
    for code, (kind, composition, allergens, ifra, certificate, supplier) in INGREDIENTS.items():
        if code in existing or code not in materials:
            continue
        created += 1
        existing[code] = save_ingredient(IngredientData(
            material_id=materials[code].id, kind=kind, composition=composition,
            allergens=allergens, ifra_cat9_max_percent=Decimal(ifra) if ifra else None,
            ifra_certificate=certificate,
            supplier_max_percent=Decimal(supplier) if supplier else None), user)
    return existing, created


def _formula(version, data: VersionData, items, ingredients, user) -> None:
    save_draft(version, data, [ItemData(ingredients[code].id, Decimal(share))
                               for code, share in items], user)


def _lock_and_register(version, rp: str, cpnp: str, report_on: date, user) -> None:
    lock_version(version, user)
    register_version(version, f"CPSR/{version.recipe.code}/v{version.number}", report_on,
                     cpnp, rp, user, today=report_on)


def load_recipes(user, today: date) -> int:
    """Create the demo ingredients and recipes that are missing; return how many rows."""
    ingredients, created = _ingredients(user)
    products = {p.code: p for p in db.session.scalars(select(Product))}
    known = set(db.session.scalars(select(Recipe.code)))
    for code, (product, name, nominal, fill, mould, durability, items, rp, cpnp) \
            in RECIPES.items():
        if code in known or product not in products:
            continue
        data = VersionData(nominal_quantity=Decimal(nominal), fill_mass_g=Decimal(fill),
                           mould=mould, durability=durability)
        recipe = create_recipe(code, name, "solid", products[product].id, data, user)
        first = recipe.versions[0]
        if code == "R-LAW-100":
            _formula(first, data, LAVENDER_V1, ingredients, user)
            _lock_and_register(first, rp, str(int(cpnp) - 1), today - timedelta(days=400), user)
            first = new_version(recipe, user)
        _formula(first, data, items, ingredients, user)
        _lock_and_register(first, rp, cpnp, today - timedelta(days=120), user)
        if code == "R-LAW-100":  # a draft with more mica, waiting for its safety report
            draft = new_version(recipe, user)
            _formula(draft, data, (("BAZA-GLI", "97.8"), ("OLEJ-LAW", "2"),
                                   ("MIKA-FIO", "0.2")), ingredients, user)
        created += len(recipe.versions) + 1
    return created


def registered_version_id(recipe_code: str) -> int:
    """The newest registered version of a demo recipe."""
    recipe = db.session.scalar(select(Recipe).where(Recipe.code == recipe_code))
    versions = [v for v in recipe.versions if v.status == VersionStatus.LOCKED and v.registered]
    return versions[-1].id
