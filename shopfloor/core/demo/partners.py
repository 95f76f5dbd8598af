"""Demo partner firms (fictional): one or two per line, with NIP, address and contacts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from shopfloor.extensions import db
from shopfloor.partners.models import Partner
from shopfloor.partners.nip import WEIGHTS
from shopfloor.partners.services import ContactData, PartnerData, save_partner


def nip_with_check_digit(first_nine: str) -> str:
    """A fictional but valid NIP: the nine digits given plus their check digit."""
    check = sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True)) % 11
    if check == 10:
        raise ValueError(f"{first_nine} has no valid check digit; pick other digits")
    return first_nine + str(check)


@dataclass(frozen=True)
class DemoPartner:
    """A demo partner firm; ``key`` is how the other demo tables refer to it."""

    key: str
    name: str
    lines: tuple[str, ...]
    nip_digits: str  # the first nine digits; the check digit is computed
    street: str
    postal_code: str
    city: str
    email: str
    phone: str
    contacts: tuple[ContactData, ...]
    carrier: str  # how its goods usually leave the cooperative


DEMO_PARTNERS = (
    DemoPartner(
        "mydlarnia", "Mydlarnia Lawendowy Zakątek Sp. z o.o.", ("soap",), "676203814",
        "ul. Lawendowa 14", "30-418", "Kraków", "biuro@lawendowyzakatek.example",
        "+48 12 345 18 40",
        (ContactData("Agnieszka Wróblewska", "Kierowniczka zakupów",
                     "a.wroblewska@lawendowyzakatek.example", "+48 601 220 314",
                     status_digest=True),
         ContactData("Paweł Sikora", "Kontrola jakości", "jakosc@lawendowyzakatek.example",
                     "+48 601 220 377")),
        "InPost Kurier"),
    DemoPartner(
        "hotel", "Hotel Pod Starym Dębem S.A.", ("soap", "copack"), "948215637",
        "ul. Dębowa 2", "26-600", "Radom", "recepcja@podstarymdebem.example",
        "+48 48 362 70 00",
        (ContactData("Joanna Kaczmarek", "Zaopatrzenie", "zaopatrzenie@podstarymdebem.example",
                     "+48 48 362 70 15",
                     status_digest=True),
         ContactData("Michał Zieliński", "Dyrektor hotelu", "dyrektor@podstarymdebem.example",
                     "+48 602 114 900")),
        "Odbiór własny klienta"),
    DemoPartner(
        "elektro", "Elektro-Wiązka Radom Sp. z o.o.", ("harness",), "796281043",
        "ul. Przemysłowa 31", "26-613", "Radom", "zamowienia@elektrowiazka.example",
        "+48 48 384 22 10",
        (ContactData("Krzysztof Mazur", "Planista produkcji", "k.mazur@elektrowiazka.example",
                     "+48 603 415 227",
                     status_digest=True),
         ContactData("Ewa Lewandowska", "Inżynier jakości", "e.lewandowska@elektrowiazka.example",
                     "+48 603 415 260")),
        "Raben Logistics"),
    DemoPartner(
        "moda", "Moda Wtórna Sp. z o.o.", ("garments",), "521374902",
        "ul. Krawiecka 8 lok. 3", "02-495", "Warszawa", "zwroty@modawtorna.example",
        "+48 22 610 45 45",
        (ContactData("Katarzyna Dąbrowska", "Obsługa zwrotów", "zwroty@modawtorna.example",
                     "+48 22 610 45 46",
                     status_digest=True),),
        "DPD Polska"),
    DemoPartner(
        "paczkomat", "Paczkomat Smaków Sp. z o.o.", ("copack",), "773240518",
        "ul. Kupiecka 17", "90-301", "Łódź", "logistyka@paczkomatsmakow.example",
        "+48 42 630 11 90",
        (ContactData("Tomasz Pawlak", "Logistyka", "t.pawlak@paczkomatsmakow.example",
                     "+48 604 330 118",
                     status_digest=True),
         ContactData("Monika Górska", "Marketing", "m.gorska@paczkomatsmakow.example")),
        "DPD Polska"),
)
PARTNER_NAMES = frozenset(p.name for p in DEMO_PARTNERS)
PARTNERS_BY_KEY = {p.key: p for p in DEMO_PARTNERS}


def ensure_partners(user) -> int:
    """Create the demo partners that are missing (found by name); return how many."""
    existing = set(db.session.scalars(select(Partner.name)))
    created = 0
    for demo in DEMO_PARTNERS:
        if demo.name in existing:
            continue
        save_partner(PartnerData(
            name=demo.name, nip=nip_with_check_digit(demo.nip_digits), street=demo.street,
            postal_code=demo.postal_code, city=demo.city, email=demo.email, phone=demo.phone,
            lines=list(demo.lines), contacts=list(demo.contacts)), user)
        created += 1
    return created


def partner_ids() -> dict[str, int]:
    """Demo partner key -> id."""
    ids = dict(db.session.execute(select(Partner.name, Partner.id)).all())
    return {p.key: ids[p.name] for p in DEMO_PARTNERS}
