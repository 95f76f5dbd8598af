"""Demo data for trying Shopfloor out: staff accounts, partner firms, the catalogue, lots,
orders in every status with their batches and shipments, one traceable chain, and the shop
floor (picture instructions, workers, stations).

Loading is idempotent and refuses a database that holds anything that is not demo data.
All firm and person names are fictional. Everything is written through the services, so
codes, statuses and the audit trail are what real use would leave.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from shopfloor.auth.models import Role, User
from shopfloor.auth.services import create_user
from shopfloor.catalog.models import Material, Product
from shopfloor.codes import format_code
from shopfloor.core.demo.catalog import (
    CHAIN_SUPPLIER_LOT,
    MATERIAL_CODES,
    PRODUCT_CODES,
    ensure_catalog,
    receive_lots,
)
from shopfloor.core.demo.floor import (
    INSTRUCTION_TITLES,
    STATION_NAMES,
    WORKER_NAMES,
    load_floor,
)
from shopfloor.core.demo.orders import load_orders
from shopfloor.core.demo.partners import DEMO_PARTNERS, PARTNER_NAMES, ensure_partners, partner_ids
from shopfloor.core.models import InstallationFact
from shopfloor.database import utcnow
from shopfloor.extensions import db
from shopfloor.instructions.models import Instruction
from shopfloor.materials.models import MaterialLot
from shopfloor.orders.models import Order
from shopfloor.partners.models import Partner
from shopfloor.stations.models import Station
from shopfloor.timeutil import local_today
from shopfloor.workers.models import Worker

__all__ = ["DEMO_PARTNERS", "DEMO_USERS", "DemoRefused", "DemoUser", "load_demo_data"]

DEMO_FACT = "demo_data"


@dataclass(frozen=True)
class DemoUser:
    """A demo staff account with its published password."""

    username: str
    password: str
    role: str
    display_name: str


DEMO_USERS = (
    DemoUser("manager", "manager-demo", Role.MANAGER.value, "Marta Kowalczyk"),
    DemoUser("supervisor", "supervisor-demo", Role.SUPERVISOR.value, "Tomasz Wiśniewski"),
)


class DemoRefused(Exception):
    """The database holds data that is not demo data; demo data would mix with it."""


def _names(column) -> set[str]:
    return set(db.session.scalars(select(column)))


def _is_demo_database() -> bool:
    """True when the database is empty or holds only what load_demo_data wrote.

    Accounts, partners, products, materials, workers, stations and instructions are
    compared with the demo's own; orders, lots and batches can only hang off those, so they
    need no check of their own.
    """
    from shopfloor.core.demo.return_repairs import REPAIR_TITLE

    marked = db.session.get(InstallationFact, DEMO_FACT) is not None
    found = {"users": _names(User.username), "partners": _names(Partner.name),
             "products": _names(Product.code), "materials": _names(Material.code),
             "workers": _names(Worker.first_name), "stations": _names(Station.name),
             "instructions": _names(Instruction.title)}
    if not marked:
        return not any(found.values())
    demo = {"users": {u.username for u in DEMO_USERS}, "partners": PARTNER_NAMES,
            "products": PRODUCT_CODES, "materials": MATERIAL_CODES, "workers": WORKER_NAMES,
            "stations": STATION_NAMES,
            "instructions": INSTRUCTION_TITLES | {REPAIR_TITLE}}
    return all(found[kind] <= demo[kind] for kind in found)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _chain_lot() -> MaterialLot | None:
    return db.session.scalar(select(MaterialLot).where(
        MaterialLot.supplier_lot == CHAIN_SUPPLIER_LOT).order_by(MaterialLot.id).limit(1))


def load_demo_data() -> str:
    """Create whatever demo data is missing; return a one-line summary."""
    if not _is_demo_database():
        raise DemoRefused("This database holds data that is not demo data; "
                          "demo data is loaded only into an empty or demo database.")
    # The marker goes in first, so a run stopped half-way still counts as a demo database.
    if db.session.get(InstallationFact, DEMO_FACT) is None:
        db.session.add(InstallationFact(name=DEMO_FACT, value=utcnow().isoformat()))
        db.session.commit()
    created = 0
    existing_users = _names(User.username)
    for demo in DEMO_USERS:
        if demo.username not in existing_users:
            create_user(demo.username, demo.password, demo.role, demo.display_name)
            created += 1
    manager = db.session.scalar(select(User).where(User.username == "manager"))
    created += ensure_partners(manager)
    ids = partner_ids()
    created += ensure_catalog(manager, ids)
    from shopfloor.core.demo.recipes import load_recipes

    created += load_recipes(manager, local_today())
    from shopfloor.core.demo.harness import load_harness_types

    created += load_harness_types(manager)
    from shopfloor.core.demo.kits import load_kits

    created += load_kits(manager)
    # Lots, orders, batches and shipments come as one story: written only into a
    # database that has none of them yet.
    if not _count(Order) and not _count(MaterialLot):
        today = local_today()
        lots = receive_lots(manager, ids, today)
        created += len(lots) + load_orders(manager, ids, today, lots)
    # Supervisors author instructions and set up stations; batches exist by now.
    supervisor = db.session.scalar(select(User).where(User.username == "supervisor"))
    created += load_floor(supervisor)
    from shopfloor.core.demo.returns import load_returns

    created += load_returns(supervisor)
    db.session.commit()
    summary = (f"Demo data loaded: {created} records created." if created
               else "Demo data already present; nothing changed.")
    lot = _chain_lot()
    if lot is not None:
        summary += (f" Traceable chain: fragrance lot {format_code(lot.code)} "
                    f"(supplier lot {lot.supplier_lot}) -> 2 shipments to 2 partners.")
    return summary
