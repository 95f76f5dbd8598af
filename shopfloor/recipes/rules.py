"""Cosmetic rules of a melt-and-pour soap, as pure functions (shared/domain.md section 1).

Fragrance load against its caps, the INCI list derived from a recipe with the fragrance
allergens named above the threshold, the tolerable negative error of a nominal quantity
(Directive 76/211/EEC, Annex I) and the check-weighing verdict, planned weights and yield.
Percentages are of the product's total mass; masses are grams.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
# Annex III allergens are named on the label above 0.01 % in a rinse-off product
# (0.001 % in a leave-on one): 100 and 10 parts per million.
RINSE_OFF_ALLERGEN_PPM = 100


@dataclass(frozen=True)
class Part:
    """One INCI substance of an ingredient and its share of that ingredient (%)."""

    inci: str
    percent: Decimal


@dataclass(frozen=True)
class RecipeLine:
    """One ingredient in a recipe: its share of the product (%), its own composition and,
    for a fragrance or essential oil, its caps and allergens."""

    name: str
    percent: Decimal
    composition: Sequence[Part]
    is_fragrance: bool = False
    caps: Sequence[tuple[str, Decimal | None]] = ()  # (what the cap is, max % of product)
    allergens: Sequence[Part] = ()


@dataclass(frozen=True)
class InciEntry:
    """One name on the ingredient list and its share of the product (%)."""

    inci: str
    percent: Decimal
    allergen: bool = False


def lowest_cap(caps: Iterable[tuple[str, Decimal | None]]) -> tuple[str, Decimal] | None:
    """The binding cap of a fragrance: the lowest of those given, with its name."""
    given = [(name, Decimal(value)) for name, value in caps if value is not None]
    return min(given, key=lambda cap: cap[1]) if given else None


def fragrance_load(fragrance_mass: Decimal, total_mass: Decimal) -> Decimal:
    """A fragrance's share of the product: m_FO / m_total, in %."""
    if total_mass <= 0:
        return Decimal(0)
    return Decimal(fragrance_mass) * HUNDRED / Decimal(total_mass)


def over_cap(load: Decimal, caps: Iterable[tuple[str, Decimal | None]]
             ) -> tuple[str, Decimal] | None:
    """The cap a fragrance load breaks (above the lowest of its caps), or None."""
    cap = lowest_cap(caps)
    if cap is not None and Decimal(load) > cap[1]:
        return cap
    return None


def allergen_share(fragrance_percent: Decimal, allergen_percent: Decimal) -> Decimal:
    """An allergen's share of the product (%): its share of the fragrance × the fragrance's."""
    return Decimal(fragrance_percent) * Decimal(allergen_percent) / HUNDRED


def named_allergen(share: Decimal, threshold_ppm: int = RINSE_OFF_ALLERGEN_PPM) -> bool:
    """Whether an allergen at ``share`` % must be named: strictly above the threshold."""
    return Decimal(share) * Decimal(10_000) > threshold_ppm


def inci_list(lines: Iterable[RecipeLine],
              threshold_ppm: int = RINSE_OFF_ALLERGEN_PPM) -> list[InciEntry]:
    """The ingredient list in descending order of weight, derived from the recipe.

    Each ingredient adds its composition (a base is itself glycerin, water, soap...), the
    same INCI name from two ingredients adds up, and every fragrance allergen whose share of
    the product is above the threshold is named as well. Ties keep alphabetical order.
    """
    shares: dict[str, Decimal] = {}
    allergens: set[str] = set()
    for line in lines:
        for part in line.composition:
            name = part.inci.strip()
            shares[name] = shares.get(name, Decimal(0)) + line.percent * part.percent / HUNDRED
        for allergen in line.allergens:
            share = allergen_share(line.percent, allergen.percent)
            name = allergen.inci.strip()
            if named_allergen(share, threshold_ppm):
                allergens.add(name)
                shares[name] = shares.get(name, Decimal(0)) + share
    entries = [InciEntry(name, share, name in allergens) for name, share in shares.items()]
    return sorted(entries, key=lambda e: (-e.percent, e.inci.lower()))


def inci_text(entries: Iterable[InciEntry]) -> str:
    """The list as printed: INCI names separated by commas."""
    return ", ".join(e.inci for e in entries)


def composition_total(parts: Iterable[Part]) -> Decimal:
    """The sum of an ingredient's composition shares (must be 100 %)."""
    return sum((Decimal(p.percent) for p in parts), Decimal(0))


# ----------------------------------------------------------------- net quantity (℮)

# Directive 76/211/EEC Annex I 2.4: tolerable negative error by nominal quantity (g or ml):
# (upper bound of the band, value, whether the value is a percentage of the nominal).
TNE_BANDS: tuple[tuple[Decimal, Decimal, bool], ...] = (
    (Decimal(50), Decimal(9), True),
    (Decimal(100), Decimal("4.5"), False),
    (Decimal(200), Decimal("4.5"), True),
    (Decimal(300), Decimal(9), False),
    (Decimal(500), Decimal(3), True),
    (Decimal(1000), Decimal(15), False),
    (Decimal(10000), Decimal("1.5"), True),
)
TENTH = Decimal("0.1")


class OutsideTneTable(ValueError):
    """The nominal quantity is below 5 or above 10 000 (g or ml): no tolerable error set."""


def tolerable_negative_error(nominal: Decimal) -> Decimal:
    """The TNE for a nominal quantity; percentages are rounded up to the next 0.1 g or ml,
    as the directive says."""
    nominal = Decimal(nominal)
    if nominal < 5 or nominal > 10000:
        raise OutsideTneTable(nominal)
    for upper, value, is_percent in TNE_BANDS:
        if nominal <= upper:
            if is_percent:
                return (nominal * value / HUNDRED).quantize(TENTH, rounding=ROUND_CEILING)
            return value
    raise OutsideTneTable(nominal)  # pragma: no cover - the last band ends at 10 000


@dataclass
class CheckWeighing:
    """The verdict on a sample of units: the mean at least the nominal, and no unit below
    the nominal minus twice the tolerable negative error."""

    nominal: Decimal
    masses: list[Decimal]
    tne: Decimal
    mean: Decimal
    lowest: Decimal
    t1: Decimal  # nominal - TNE
    t2: Decimal  # nominal - 2 x TNE
    below_t1: int
    below_t2: list[Decimal] = field(default_factory=list)

    @property
    def mean_ok(self) -> bool:
        """The sample's mean is not below the nominal."""
        return self.mean >= self.nominal

    @property
    def passed(self) -> bool:
        """Both rules hold."""
        return self.mean_ok and not self.below_t2


def check_weighing(nominal: Decimal, masses: Sequence[Decimal]) -> CheckWeighing:
    """Judge a check-weighing sample against a nominal quantity (ValueError if empty)."""
    if not masses:
        raise ValueError("no units weighed")
    nominal = Decimal(nominal)
    values = [Decimal(m) for m in masses]
    tne = tolerable_negative_error(nominal)
    t1, t2 = nominal - tne, nominal - 2 * tne
    mean = sum(values, Decimal(0)) / len(values)
    return CheckWeighing(nominal=nominal, masses=values, tne=tne, mean=mean,
                         lowest=min(values), t1=t1, t2=t2,
                         below_t1=sum(1 for m in values if m < t1),
                         below_t2=[m for m in values if m < t2])


# ----------------------------------------------------------------- batch figures


def planned_masses(percents: dict[str, Decimal], total_mass: Decimal) -> dict[str, Decimal]:
    """Each ingredient's planned mass for a batch of ``total_mass`` grams, to 0.1 g."""
    return {key: (Decimal(total_mass) * Decimal(p) / HUNDRED).quantize(
        TENTH, rounding=ROUND_HALF_UP) for key, p in percents.items()}


def off_plan(planned: Decimal, actual: Decimal, tolerance_percent: Decimal) -> bool:
    """Whether an actual weight is off its plan by more than the tolerated share."""
    planned, actual = Decimal(planned), Decimal(actual)
    if planned <= 0:
        return actual > 0
    return abs(actual - planned) * HUNDRED > planned * Decimal(tolerance_percent)


def yield_percent(good_units: Decimal, nominal: Decimal, input_mass: Decimal) -> Decimal | None:
    """Yield: good units × nominal ÷ input mass, in % (None without an input mass)."""
    if input_mass <= 0:
        return None
    return Decimal(good_units) * Decimal(nominal) * HUNDRED / Decimal(input_mass)
