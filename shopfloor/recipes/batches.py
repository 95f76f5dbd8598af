"""A soap batch against its recipe version: planned and actual weights, fragrance load on
what was really weighed, the check-weighing verdict and the yield (read-only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app

from shopfloor.extensions import db
from shopfloor.materials.models import MaterialLot
from shopfloor.recipes import figures, rules
from shopfloor.recipes.models import CosmeticIngredient, RecipeItem, RecipeVersion

GRAMS_PER = {"g": Decimal(1), "kg": Decimal(1000)}


def weight_tolerance_percent() -> Decimal:
    """How far (%) an actual weight may be off its plan before it is a warning."""
    return Decimal(current_app.config["SHOPFLOOR"]["soap.weight_tolerance_percent"])


def grams(quantity: Decimal, unit: str) -> Decimal:
    """A weighed quantity in grams (soap ingredients are in g or kg)."""
    return Decimal(quantity) * GRAMS_PER.get(unit, Decimal(1))


def version_of(batch) -> RecipeVersion | None:
    """The recipe version a soap batch's record names, or None."""
    raw = str((batch.record or {}).get("recipe_version_id") or "").strip()
    return db.session.get(RecipeVersion, int(raw)) if raw.isdigit() else None


def planned_total_g(batch, version: RecipeVersion) -> Decimal:
    """The batch's planned input mass: units planned × the mass each is filled to."""
    return Decimal(batch.planned_quantity) * Decimal(version.fill_mass_g)


@dataclass
class IngredientRow:
    """One recipe item on a batch: what was planned, what was weighed, from which lots."""

    item: RecipeItem
    planned_g: Decimal
    actual_g: Decimal = Decimal(0)
    lots: list[MaterialLot] = field(default_factory=list)
    load: Decimal | None = None  # a fragrance's share of what was weighed
    breach: figures.CapBreach | None = None

    @property
    def ingredient(self) -> CosmeticIngredient:
        """The ingredient of this row."""
        return self.item.ingredient

    @property
    def weighed(self) -> bool:
        """Something of it was recorded."""
        return bool(self.lots)

    @property
    def off_plan(self) -> bool:
        """Weighed and off its plan by more than the tolerated share."""
        return self.weighed and rules.off_plan(self.planned_g, self.actual_g,
                                               weight_tolerance_percent())


@dataclass
class SoapBatch:
    """Everything the soap panel and the gates need of one batch."""

    version: RecipeVersion
    rows: list[IngredientRow]
    planned_total_g: Decimal
    actual_total_g: Decimal
    weighing: rules.CheckWeighing | None
    yield_percent: Decimal | None

    @property
    def breaches(self) -> list[figures.CapBreach]:
        """Fragrances above their lowest cap, on the actual weights."""
        return [row.breach for row in self.rows if row.breach is not None]


def soap_batch(batch) -> SoapBatch | None:
    """The batch against its recipe version (None while no version is chosen)."""
    version = version_of(batch)
    if version is None:
        return None
    planned_total = planned_total_g(batch, version)
    planned = rules.planned_masses({item.id: item.percent for item in version.items},
                                   planned_total)
    rows = {item.ingredient.material_id: IngredientRow(item, planned[item.id])
            for item in version.items}
    actual_total = Decimal(0)
    for consumption in batch.consumptions:
        mass = grams(consumption.quantity, consumption.lot.material.unit)
        actual_total += mass
        row = rows.get(consumption.lot.material_id)
        if row is not None:
            row.actual_g += mass
            if consumption.lot not in row.lots:
                row.lots.append(consumption.lot)
    for row in rows.values():
        if row.ingredient.is_fragrance and row.weighed:
            row.load = rules.fragrance_load(row.actual_g, max(actual_total, planned_total)
                                            if batch_weighing_open(batch) else actual_total)
            row.breach = figures.cap_breach(row.ingredient, row.load, version)
    masses = [Decimal(str(r["mass"])) for r in (batch.record or {}).get("check_weights") or []]
    weighing = None
    if masses:
        try:
            weighing = rules.check_weighing(version.nominal_quantity, masses)
        except rules.OutsideTneTable:
            weighing = None
    return SoapBatch(version=version, rows=list(rows.values()), planned_total_g=planned_total,
                     actual_total_g=actual_total, weighing=weighing,
                     yield_percent=rules.yield_percent(batch.good_quantity,
                                                       version.nominal_quantity, actual_total))


def batch_weighing_open(batch) -> bool:
    """Still weighing in: a fragrance weighed first is judged against the planned total."""
    from shopfloor.production.services import CONSUMING_STATUSES

    return batch.status in CONSUMING_STATUSES


def load_after(batch, version: RecipeVersion, lot: MaterialLot,
               quantity: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(this material's grams, all grams, planned grams) once ``quantity`` of ``lot`` is
    added to what the batch already weighed."""
    added = grams(quantity, lot.material.unit)
    same = sum((grams(c.quantity, c.lot.material.unit) for c in batch.consumptions
                if c.lot.material_id == lot.material_id), Decimal(0))
    total = sum((grams(c.quantity, c.lot.material.unit) for c in batch.consumptions),
                Decimal(0))
    return same + added, total + added, planned_total_g(batch, version)
