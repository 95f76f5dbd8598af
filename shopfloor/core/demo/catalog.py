"""Demo catalogue: materials, products and what a unit of each product uses; demo lots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from shopfloor.catalog.models import Material, Product
from shopfloor.catalog.services import ProductData, save_material, save_product
from shopfloor.extensions import db
from shopfloor.materials.models import MaterialLot
from shopfloor.materials.services import LotReceipt, receive_lot, set_lot_status

# code, name, unit
MATERIALS = (
    ("BAZA-GLI", "Baza mydlana glicerynowa transparentna", "kg"),
    ("BAZA-KOZ", "Baza mydlana z mlekiem kozim", "kg"),
    ("OLEJ-LAW", "Olejek zapachowy lawendowy", "kg"),
    ("OLEJ-CYT", "Olejek zapachowy cytrynowy", "kg"),
    ("MIKA-FIO", "Mika kosmetyczna fioletowa", "g"),
    ("MIKA-ZLO", "Mika kosmetyczna złota", "g"),
    ("FOLIA-TK15", "Folia termokurczliwa 15 cm", "m"),
    ("PRZEW-05", "Przewód LgY 0,5 mm² czarny", "m"),
    ("PRZEW-075", "Przewód LgY 0,75 mm² czerwony", "m"),
    ("KON-63F", "Konektor płaski 6,3 mm żeński", "pcs"),
    ("OBUD-4P", "Obudowa złącza 4-pin", "pcs"),
    ("RURKA-TK6", "Rurka termokurczliwa 6 mm", "m"),
    ("NICI-120", "Nici poliestrowe 120 szare", "m"),
    ("ZAMEK-20", "Zamek błyskawiczny rozdzielczy 20 cm", "pcs"),
    ("WOREK-3040", "Worek foliowy z klapą 30×40 cm", "pcs"),
    ("PUD-KRAFT3", "Pudełko prezentowe kraft 3-komorowe", "pcs"),
    ("PUD-DEG6", "Pudełko degustacyjne 6-komorowe", "pcs"),
    ("WYPELN-PAP", "Wypełniacz papierowy", "kg"),
)


@dataclass(frozen=True)
class DemoProduct:
    """A demo product and what one unit of it uses (material code, quantity per unit)."""

    code: str
    name: str
    line: str
    unit: str
    minutes: str
    partner: str | None  # demo partner key when made for one partner only
    uses: tuple[tuple[str, str], ...]
    description: str = ""


PRODUCTS = (
    DemoProduct("MYD-LAW-100", "Mydło lawendowe 100 g", "soap", "pcs", "1.5", None,
                (("BAZA-GLI", "0.098"), ("OLEJ-LAW", "0.002"), ("MIKA-FIO", "0.05"),
                 ("FOLIA-TK15", "0.12")), "Receptura R-LAW-100, mika fioletowa."),
    DemoProduct("MYD-CYT-100", "Mydło cytrynowe z miką 100 g", "soap", "pcs", "1.5", None,
                (("BAZA-GLI", "0.098"), ("OLEJ-CYT", "0.002"), ("MIKA-ZLO", "0.05"),
                 ("FOLIA-TK15", "0.12"))),
    DemoProduct("MYD-KOZ-100", "Mydło z mlekiem kozim 100 g", "soap", "pcs", "1.4", None,
                (("BAZA-KOZ", "0.1"), ("FOLIA-TK15", "0.12")), "Bezzapachowe."),
    DemoProduct("MYD-LAW-30H", "Mydełko hotelowe lawendowe 30 g", "soap", "pcs", "0.6",
                "hotel", (("BAZA-GLI", "0.0295"), ("OLEJ-LAW", "0.0006"),
                          ("FOLIA-TK15", "0.06")), "Z wytłoczonym logo hotelu."),
    DemoProduct("WI-W214", "Wiązka W-214 do pralki", "harness", "pcs", "12", "elektro",
                (("PRZEW-05", "3.2"), ("KON-63F", "8"), ("OBUD-4P", "2"),
                 ("RURKA-TK6", "0.15"))),
    DemoProduct("WI-W305", "Wiązka W-305 zasilająca do zmywarki", "harness", "pcs", "9",
                "elektro", (("PRZEW-075", "2.1"), ("KON-63F", "6"), ("OBUD-4P", "1"))),
    DemoProduct("WI-K12", "Wiązka K-12 oświetlenia lady chłodniczej", "harness", "pcs", "15",
                "elektro", (("PRZEW-05", "4.5"), ("KON-63F", "4"), ("RURKA-TK6", "0.3"))),
    DemoProduct("ZW-KURTKA", "Zwrot – kurtka robocza", "garments", "pcs", "8", "moda",
                (("NICI-120", "1.5"), ("WOREK-3040", "1"))),
    DemoProduct("ZW-SPODNIE", "Zwrot – spodnie robocze", "garments", "pcs", "6", "moda",
                (("NICI-120", "1"), ("WOREK-3040", "1"))),
    DemoProduct("NAP-ZAMEK", "Naprawa – wymiana zamka w kurtce", "garments", "pcs", "25", "moda",
                (("ZAMEK-20", "1"), ("NICI-120", "2.5"), ("WOREK-3040", "1"))),
    DemoProduct("ZES-3MYD", "Zestaw prezentowy 3×mydło", "copack", "set", "2.5", "hotel",
                (("PUD-KRAFT3", "1"), ("WYPELN-PAP", "0.015"))),
    DemoProduct("ZES-HERB6", "Zestaw degustacyjny herbat 6 szt.", "copack", "set", "1.8",
                "paczkomat", (("PUD-DEG6", "1"),)),
    DemoProduct("ZES-GRZANIEC", "Zestaw do grzańca z przyprawami", "copack", "set", "1.6",
                "paczkomat", (("PUD-KRAFT3", "1"),
                              ("WYPELN-PAP", "0.01"))),
)
PRODUCTS_BY_CODE = {p.code: p for p in PRODUCTS}
MATERIAL_CODES = frozenset(code for code, _, _ in MATERIALS)
PRODUCT_CODES = frozenset(PRODUCTS_BY_CODE)

CHAIN_SUPPLIER_LOT = "FO-LAW-2611"


@dataclass(frozen=True)
class DemoLot:
    """A delivery of a material; days are counted from today (received is negative)."""

    material: str
    supplier: str
    supplier_lot: str
    received: int
    quantity: str
    expires: int | None
    status: str = "approved"  # approved | quarantine | rejected
    owner: str | None = None  # demo partner key for material the partner lends us
    delivery_note: str = ""
    notes: str = ""  # also the reason of a rejection


AROMATY = "Aromaty Polskie Sp. z o.o."
CHEMIA = "Chemia Kosmetyczna Wola Sp. z o.o."
KOLOR = "Kolor-Mika s.c. J. i A. Malinowscy"
KABLE = "Kable i Przewody Kielce Sp. z o.o."
ZLACZA = "Złącza-Tech Sp. z o.o."
PASMANTERIA = "Pasmanteria Hurt Radom s.c."
PAKMAR = "Pakmar Opakowania Sp. z o.o."
KARTONEX = "Kartonex Łódź Sp. z o.o."
PACZKOMAT = "Paczkomat Smaków Sp. z o.o."

LOTS = (
    DemoLot("BAZA-GLI", CHEMIA, "GB-0412", -60, "250", 300, delivery_note="WZ 4127/CK"),
    DemoLot("BAZA-GLI", CHEMIA, "GB-0587", -2, "200", 360, "quarantine",
            delivery_note="WZ 4410/CK", notes="Czeka na świadectwo jakości od dostawcy."),
    DemoLot("BAZA-KOZ", CHEMIA, "GM-0101", -55, "120", 250, delivery_note="WZ 4098/CK"),
    DemoLot("OLEJ-LAW", AROMATY, CHAIN_SUPPLIER_LOT, -45, "5", 365, delivery_note="AP/WZ/2611",
            notes="Karta charakterystyki i certyfikat IFRA w segregatorze dostaw."),
    DemoLot("OLEJ-LAW", AROMATY, "FO-LAW-2702", -1, "5", 400, "quarantine",
            delivery_note="AP/WZ/2702", notes="Brak certyfikatu IFRA – zamówiony u dostawcy."),
    DemoLot("OLEJ-CYT", AROMATY, "FO-CYT-2598", -45, "5", 300, delivery_note="AP/WZ/2598"),
    DemoLot("MIKA-FIO", KOLOR, "MK-VIO-0871", -70, "500", 700, delivery_note="FV 118/KM"),
    DemoLot("MIKA-ZLO", KOLOR, "MK-GLD-0914", -30, "500", 700, "rejected",
            delivery_note="FV 131/KM",
            notes="Odcień niezgodny ze wzorcem, brak świadectwa dopuszczenia do kosmetyków."),
    DemoLot("MIKA-ZLO", KOLOR, "MK-GLD-0920", -20, "500", 700, delivery_note="FV 137/KM"),
    DemoLot("FOLIA-TK15", PAKMAR, "FT-150-3321", -60, "2500", None, delivery_note="PK 2231"),
    DemoLot("PRZEW-05", KABLE, "KPK-05-24518", -50, "5000", None, delivery_note="WZ/KPK/8812"),
    DemoLot("PRZEW-05", KABLE, "KPK-05-24790", -1, "5000", None, "quarantine",
            delivery_note="WZ/KPK/9025", notes="Czeka na pomiar rezystancji próbki."),
    DemoLot("PRZEW-075", KABLE, "KPK-075-24602", -50, "3000", None,
            delivery_note="WZ/KPK/8813"),
    DemoLot("KON-63F", ZLACZA, "ZT-63F-11873", -40, "20000", None, delivery_note="ZT/WZ/551"),
    DemoLot("OBUD-4P", ZLACZA, "ZT-H4P-5521", -40, "5000", None, delivery_note="ZT/WZ/551"),
    DemoLot("RURKA-TK6", ZLACZA, "ZT-RT6-0907", -40, "500", None, delivery_note="ZT/WZ/552"),
    DemoLot("NICI-120", PASMANTERIA, "PH-N120-778", -80, "10000", None,
            delivery_note="PH 77/10"),
    DemoLot("ZAMEK-20", PASMANTERIA, "PH-Z20-112", -25, "300", None, delivery_note="PH 91/11"),
    DemoLot("WOREK-3040", PAKMAR, "PK-W3040-5510", -30, "2000", None, delivery_note="PK 2290"),
    DemoLot("PUD-KRAFT3", KARTONEX, "KX-PK3-2210", -45, "1500", None, delivery_note="KX 1733"),
    DemoLot("PUD-KRAFT3", KARTONEX, "KX-PK3-2291", 0, "600", None, "quarantine",
            delivery_note="KX 1802", notes="Kontrola wymiarów wkładki przed dopuszczeniem."),
    DemoLot("PUD-DEG6", KARTONEX, "KX-DG6-0977", -45, "1200", None, delivery_note="KX 1734"),
    DemoLot("WYPELN-PAP", KARTONEX, "KX-WP-0456", -45, "50", None, delivery_note="KX 1734"),
)


def ensure_catalog(user, partner_ids: dict[str, int]) -> int:
    """Create the demo materials and products that are missing (found by code)."""
    created = 0
    materials = set(db.session.scalars(select(Material.code)))
    for code, name, unit in MATERIALS:
        if code not in materials:
            save_material(code, name, unit, user)
            created += 1
    products = set(db.session.scalars(select(Product.code)))
    for demo in PRODUCTS:
        if demo.code not in products:
            save_product(ProductData(
                code=demo.code, name=demo.name, line=demo.line, unit=demo.unit,
                standard_minutes=Decimal(demo.minutes),
                partner_id=partner_ids[demo.partner] if demo.partner else None,
                description=demo.description), user)
            created += 1
    return created


def receive_lots(user, partner_ids: dict[str, int], today: date) -> list[MaterialLot]:
    """Receive every demo lot and decide its status, as goods-in and QC would."""
    material_ids = dict(db.session.execute(select(Material.code, Material.id)).all())
    lots = []
    for demo in LOTS:
        received = today + timedelta(days=demo.received)
        lot = receive_lot(LotReceipt(
            material_id=material_ids[demo.material], supplier=demo.supplier,
            supplier_lot=demo.supplier_lot, received_on=received,
            quantity=Decimal(demo.quantity),
            owner_partner_id=partner_ids[demo.owner] if demo.owner else None,
            expires_on=today + timedelta(days=demo.expires) if demo.expires else None,
            delivery_note=demo.delivery_note,
            notes="" if demo.status == "rejected" else demo.notes), user)
        if demo.status != "quarantine":
            set_lot_status(lot, demo.status, user,
                           reason=demo.notes if demo.status == "rejected" else "")
        lots.append(lot)
    return lots
