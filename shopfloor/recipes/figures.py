"""What a recipe version adds up to: fragrance loads against their caps and the INCI list.

The bridge from the stored recipe to the pure rules in ``recipes.rules``; no changes here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l

from shopfloor.recipes import rules
from shopfloor.recipes.models import CosmeticIngredient, RecipeVersion

CAP_NAMES = {"ifra": _l("IFRA category 9 limit"), "supplier": _l("supplier's maximum"),
             "safety_report": _l("safety report's maximum")}


def allergen_threshold_ppm() -> int:
    """Above how many parts per million a fragrance allergen is named (configured)."""
    return current_app.config["SHOPFLOOR"]["soap.allergen_threshold_ppm"]


def parts(rows) -> list[rules.Part]:
    """Stored ``[{"inci", "percent"}]`` rows as rule parts."""
    return [rules.Part(str(row["inci"]), Decimal(str(row["percent"]))) for row in rows or []]


def caps_of(ingredient: CosmeticIngredient,
            version: RecipeVersion | None = None) -> list[tuple[str, Decimal | None]]:
    """The caps of a fragrance: its IFRA certificate, its supplier, the safety report."""
    caps = [("ifra", ingredient.ifra_cat9_max_percent),
            ("supplier", ingredient.supplier_max_percent)]
    if version is not None:
        caps.append(("safety_report", version.fragrance_max_percent))
    return caps


def recipe_line(ingredient: CosmeticIngredient, percent: Decimal,
                version: RecipeVersion | None = None) -> rules.RecipeLine:
    """One recipe item as the rules see it."""
    return rules.RecipeLine(
        name=ingredient.material.name, percent=Decimal(percent),
        composition=parts(ingredient.composition), is_fragrance=ingredient.is_fragrance,
        caps=caps_of(ingredient, version) if ingredient.is_fragrance else (),
        allergens=parts(ingredient.allergens) if ingredient.is_fragrance else ())


@dataclass(frozen=True)
class CapBreach:
    """A fragrance above the lowest of its caps."""

    ingredient: CosmeticIngredient
    load: Decimal
    cap_name: str
    cap: Decimal

    @property
    def message(self) -> str:
        """What a person reads."""
        return str(_l("%(name)s at %(load)s %% is above its %(cap_name)s of %(cap)s %%.",
                      name=self.ingredient.material.name, load=_percent(self.load),
                      cap_name=CAP_NAMES[self.cap_name], cap=_percent(self.cap)))


def _percent(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.001')).normalize():f}"


def cap_breach(ingredient: CosmeticIngredient, load: Decimal,
               version: RecipeVersion | None) -> CapBreach | None:
    """The breach when ``load`` % of this fragrance is above its lowest cap, else None."""
    if not ingredient.is_fragrance:
        return None
    broken = rules.over_cap(load, caps_of(ingredient, version))
    return CapBreach(ingredient, Decimal(load), *broken) if broken else None


def lowest_cap(ingredient: CosmeticIngredient,
               version: RecipeVersion | None) -> tuple[str, Decimal] | None:
    """The binding cap of a fragrance (name, %), or None."""
    return rules.lowest_cap(caps_of(ingredient, version)) if ingredient.is_fragrance else None


def version_lines(version: RecipeVersion) -> list[rules.RecipeLine]:
    """Every item of a version as the rules see it."""
    return [recipe_line(item.ingredient, item.percent, version) for item in version.items]


def version_inci(version: RecipeVersion) -> list[rules.InciEntry]:
    """The version's ingredient list, descending by weight, allergens named."""
    return rules.inci_list(version_lines(version), allergen_threshold_ppm())


def version_breaches(version: RecipeVersion) -> list[CapBreach]:
    """Fragrances of the version above their lowest cap."""
    found = (cap_breach(item.ingredient, item.percent, version) for item in version.items)
    return [breach for breach in found if breach is not None]


def percent_total(version: RecipeVersion) -> Decimal:
    """The sum of the version's shares (a locked version has exactly 100 %)."""
    return sum((Decimal(item.percent) for item in version.items), Decimal(0))
