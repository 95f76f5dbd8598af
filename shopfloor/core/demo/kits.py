"""Demo co-packing: each kit's bill of materials in versions (the hotel's gift set changed
when the hotel added its greeting card, so it got a new GTIN), the partners' own material
received per order against their delivery notes, scrap, and the count that lets a finished
order close.

GTINs here use the GS1 Poland prefix 590 with made-up company numbers; their check digits
are real, so they scan.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from shopfloor.catalog.models import Product
from shopfloor.copack import boms, reconcile, stock
from shopfloor.copack.models import KitBom
from shopfloor.extensions import db
from shopfloor.labels.gs1 import complete_gtin

# (component, GTIN data without its check digit or "", per kit, partner's, counted exactly)
KITS: dict[str, tuple[tuple[str, tuple], ...]] = {
    "ZES-3MYD": (
        (complete_gtin("590123450101"), (
            ("Mydło lawendowe 100 g", "", "1", False, False),
            ("Mydło cytrynowe z miką 100 g", "", "1", False, False),
            ("Mydło z mlekiem kozim 100 g", "", "1", False, False),
            ("Pudełko prezentowe kraft 3-komorowe", "", "1", False, False),
            ("Wypełniacz papierowy, kg", "", "0.015", False, False))),
        (complete_gtin("590123450102"), (
            ("Mydło lawendowe 100 g", "", "1", False, False),
            ("Mydło cytrynowe z miką 100 g", "", "1", False, False),
            ("Mydło z mlekiem kozim 100 g", "", "1", False, False),
            ("Pudełko prezentowe kraft 3-komorowe", "", "1", False, False),
            ("Bilecik z życzeniami (od hotelu)", complete_gtin("590123450190"), "1", True,
             True),
            ("Wypełniacz papierowy, kg", "", "0.015", False, False))),
    ),
    "ZES-HERB6": (
        (complete_gtin("590765430601"), (
            ("Herbata czarna Assam – saszetka", complete_gtin("590765430011"), "3", True, False),
            ("Herbata zielona sencha – saszetka", complete_gtin("590765430028"), "3", True,
             False),
            ("Ulotka o herbatach", complete_gtin("590765430035"), "1", True, True),
            ("Pudełko degustacyjne 6-komorowe", "", "1", False, False))),
    ),
    "ZES-GRZANIEC": (
        (complete_gtin("590765430602"), (
            ("Przyprawa do grzańca – saszetka", complete_gtin("590765430042"), "2", True, False),
            ("Pudełko prezentowe kraft 3-komorowe", "", "1", False, False),
            ("Wypełniacz papierowy, kg", "", "0.01", False, False))),
    ),
}
# The partners' delivery-note series, numbered on from these.
NOTE_SERIES = {"ZES-3MYD": ("HSD/WZ/", 412), "ZES-HERB6": ("PS/WZ/", 3381),
               "ZES-GRZANIEC": ("PS/WZ/", 3415)}


def load_kits(user) -> int:
    """The kits' bill-of-materials versions (all but the newest retired); once only."""
    created = 0
    for code, versions in KITS.items():
        product = db.session.scalar(select(Product).where(Product.code == code))
        if product is None or boms.boms_of(product.id):
            continue
        for kit_gtin, items in versions:
            bom = boms.new_draft(product, user)
            boms.save_draft(bom, [boms.BomRow(*item) for item in items], kit_gtin, "", user)
            boms.activate(bom, user)
            created += 1
    return created


def bom_id(product_code: str) -> str:
    product = db.session.scalar(select(Product).where(Product.code == product_code))
    return str(boms.active_bom(product.id).id)


class Deliveries:
    """The partners' deliveries of their material for the demo orders."""

    def __init__(self) -> None:
        self.next = {code: number for code, (_series, number) in NOTE_SERIES.items()}

    def receive(self, order, product_code: str, kits: int, received_on: date, user) -> None:
        """What the partner sent for ``kits`` kits: a little over, as partners do; one
        note counted short, and a few bags damaged in transport."""
        bom: KitBom = boms.active_bom(order.lines[0].product_id)
        rows = []
        for item in boms.partner_components(bom):
            needed = item.quantity_per_kit * kits
            declared = needed if item.countable else (needed * Decimal("1.02")).to_integral_value()
            counted = declared - (4 if not item.countable and "sencha" in item.component else 0)
            damaged = 3 if "Assam" in item.component else 0
            rows.append(stock.ReceiptRow(item.gtin, f"L{self.next[product_code] % 97:02d}",
                                         str(declared), str(counted), str(damaged),
                                         "Rozerwane saszetki" if damaged else ""))
        series, number = NOTE_SERIES[product_code][0], self.next[product_code]
        self.next[product_code] += 1
        stock.record_receipt(order, stock.ReceiptData(f"{series}{number}", received_on, rows),
                             user)
        for item in boms.partner_components(bom):
            if "Assam" in item.component:  # the damaged bags, scrapped with the partner's consent
                stock.record_move(order, item.gtin, "scrapped", "3",
                                  "Uszkodzone w transporcie, zgoda partnera", user)


def count_at_the_end(order, user) -> None:
    """The count at the end of an order: found as booked, except two sachets short of the
    book (explained, within the tolerance)."""
    rec = reconcile.order_reconciliation(order)
    for component in rec.components:
        short = 2 if "Assam" in component.component else 0
        explanation = "Dwie saszetki znalezione rozdarte przy liczeniu" if short else ""
        reconcile.record_count(order, component.key, str(component.on_hand - short),
                               explanation, user)
