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
# product code -> kit SKU, BOM version, BOM rows, receipts from the partner
KITS = {
    "ZES-3MYD": ("HSD-ZES-3M", "2", (
        ("Mydło lawendowe 100 g", "1"), ("Mydło cytrynowe z miką 100 g", "1"),
        ("Mydło z mlekiem kozim 100 g", "1"), ("Pudełko prezentowe kraft 3-komorowe", "1"),
        ("Bilecik z życzeniami (od hotelu)", "1"), ("Wypełniacz papierowy, kg", "0.015")), (
        ("HSD/WZ/0412", "", "1000", "1000", "Bilecik z życzeniami (od hotelu)"),)),
    "ZES-HERB6": ("PS-DEG-HERB6", "1", (
        ("Herbata czarna Assam – saszetka", "3"), ("Herbata zielona sencha – saszetka", "3"),
        ("Pudełko degustacyjne 6-komorowe", "1")), (
        ("PS/WZ/3381", "PS-HA-0921", "6000", "6000", "Herbata czarna Assam – saszetka"),
        ("PS/WZ/3382", "PS-HS-0922", "6000", "5980", "Herbata zielona sencha – saszetka"))),
    "ZES-GRZANIEC": ("PS-GRZ-SET", "3", (
        ("Przyprawa do grzańca – saszetka", "2"), ("Pudełko prezentowe kraft 3-komorowe", "1"),
        ("Wypełniacz papierowy, kg", "0.01")), (
        ("PS/WZ/3415", "PS-GRZ-1010", "2000", "2000", "Przyprawa do grzańca – saszetka"),)),
}
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
    kit_sku, bom_version, bom, receipts = KITS[product_code]
    return {"kit_sku": kit_sku, "bom_version": bom_version,
            "bom": [{"component": c, "gtin": "", "quantity_per_kit": q} for c, q in bom],
            "receipts": [{"delivery_note": n, "component": component, "gtin": "", "lot": lot,
                          "declared": d, "counted": c}
                         for n, lot, d, c, component in receipts]}


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
