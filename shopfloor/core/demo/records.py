"""What the demo writes into each line's batch record, before release and in production."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from itertools import count

# product code -> recipe (shopfloor.core.demo.recipes), mould
SOAP_RECIPES = {
    "MYD-LAW-100": ("R-LAW-100", "Forma silikonowa 12 × 100 g"),
    "MYD-CYT-100": ("R-CYT-100", "Forma silikonowa 12 × 100 g"),
    "MYD-KOZ-100": ("R-KOZ-100", "Forma silikonowa 12 × 100 g (owal)"),
    "MYD-LAW-30H": ("R-LAW-30H", "Forma z logo hotelu 24 × 30 g"),
}
# product code -> nominal mass (g) and what each bar is filled to (g), for check weighing
SOAP_MASSES = {"MYD-LAW-100": (100, 102), "MYD-CYT-100": (100, 102),
               "MYD-KOZ-100": (100, 102), "MYD-LAW-30H": (30, 31)}
# product code -> drawing number, revision, IPC/WHMA-A-620 class
HARNESS_DRAWINGS = {
    "WI-W214": ("EW-W214", "C", "2"),
    "WI-W305": ("EW-W305", "B", "2"),
    "WI-K12": ("EW-K12", "D", "3"),
}
# product code -> partner's SKU stem, sizes, colours
GARMENTS = {
    "ZW-KURTKA": ("KRT-ROB", ("M", "L", "XL", "XXL"), ("granatowa", "szara", "czarna")),
    "ZW-SPODNIE": ("SPD-ROB", ("48", "50", "52", "54", "56"), ("granatowe", "khaki")),
    "NAP-ZAMEK": ("KRT-ZIM", ("L", "XL"), ("czarna", "grafitowa")),
}
RETURN_REASONS = ("size", "size", "defect", "changed_mind", "damaged", "size",
                  "not_as_described", "other")
PRODUCTION_REASON = "Zapis z przebiegu produkcji"


class Numbering:
    """Running numbers for serials and RMA numbers, so none repeats within the demo."""

    def __init__(self) -> None:
        self._counters: dict[str, count] = defaultdict(lambda: count(1))

    def next(self, prefix: str) -> int:
        return next(self._counters[prefix])


def release_record(line: str, product_code: str, quantity: int, received_on: date,
                   numbering: Numbering) -> dict:
    """The record a batch needs before release (the line's release gate)."""
    if line == "soap":
        from shopfloor.core.demo.recipes import registered_version_id

        recipe, mould = SOAP_RECIPES[product_code]
        return {"recipe_version_id": str(registered_version_id(recipe)), "mould": mould}
    if line == "harness":
        drawing, revision, ipc_class = HARNESS_DRAWINGS[product_code]
        return {"drawing_number": drawing, "drawing_revision": revision, "ipc_class": ipc_class}
    if line == "garments":
        sku, sizes, colours = GARMENTS[product_code]
        return {"items": [{
            "rma": f"MW-RMA-{40000 + numbering.next('rma')}", "sku": f"{sku}-{i % 3 + 1:02d}",
            "size": sizes[i % len(sizes)], "colour": colours[i % len(colours)],
            "reason": RETURN_REASONS[i % len(RETURN_REASONS)],
            "received_on": (received_on - timedelta(days=i % 6)).isoformat(),
        } for i in range(quantity)]}
    from shopfloor.core.demo.kits import bom_id

    return {"bom_id": bom_id(product_code)}


def production_record(line: str, product_code: str, good: int | None, made_on: date,
                      numbering: Numbering, overrides: dict) -> dict:
    """What production adds to the record once the batch runs (``good`` once counted)."""
    if line == "soap":
        n = numbering.next("soap")
        day = made_on.isoformat()
        added = {"temperatures": [
            {"stage": "melt", "temperature_c": str(overrides.get("melt", 56 + n % 5)),
             "at": f"{day}T08:{20 + n % 15:02d}"},
            {"stage": "pour", "temperature_c": str(60 + n % 3), "at": f"{day}T08:55"}]}
        if good is not None:
            _nominal, fill = SOAP_MASSES[product_code]
            added["wrapped_at"] = f"{day}T11:{10 + n % 40:02d}"
            # Ten bars from the moulds: around the fill mass, a little either side.
            added["check_weights"] = [{"mass": str(fill + (i % 5 - 2) * 0.3)} for i in range(10)]
        return added
    return dict(overrides)
