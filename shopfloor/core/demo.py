"""Demo data for trying Shopfloor out: staff accounts and partner firms for every line.

Loading is idempotent and refuses a database that holds anything that is not demo data.
All firm names are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from shopfloor.auth.models import Role, User
from shopfloor.auth.services import create_user
from shopfloor.core.models import InstallationFact
from shopfloor.database import utcnow
from shopfloor.extensions import db
from shopfloor.partners.models import Partner, PartnerLine

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

DEMO_PARTNERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Mydlarnia Lawendowy Zakątek Sp. z o.o.", ("soap",)),
    ("Hotel Pod Starym Dębem S.A.", ("soap", "copack")),
    ("Elektro-Wiązka Radom Sp. z o.o.", ("harness",)),
    ("Moda Wtórna Sp. z o.o.", ("garments",)),
    ("Paczkomat Smaków Sp. z o.o.", ("copack",)),
)


class DemoRefused(Exception):
    """The database holds data that is not demo data; demo data would mix with it."""


def _is_demo_database() -> bool:
    """True when the database is empty or holds only what load_demo_data wrote."""
    marked = db.session.get(InstallationFact, DEMO_FACT) is not None
    demo_names = {u.username for u in DEMO_USERS}
    usernames = set(db.session.scalars(select(User.username)))
    partner_names = set(db.session.scalars(select(Partner.name)))
    if not marked:
        return not usernames and not partner_names
    return usernames <= demo_names and partner_names <= {name for name, _ in DEMO_PARTNERS}


def load_demo_data() -> str:
    """Create the demo accounts and partners that are missing; return a one-line summary."""
    if not _is_demo_database():
        raise DemoRefused("This database holds data that is not demo data; "
                          "demo data is loaded only into an empty or demo database.")
    # The marker goes in first, so a run stopped half-way still counts as a demo database.
    if db.session.get(InstallationFact, DEMO_FACT) is None:
        db.session.add(InstallationFact(name=DEMO_FACT, value=utcnow().isoformat()))
    created = 0
    existing_users = set(db.session.scalars(select(User.username)))
    for demo in DEMO_USERS:
        if demo.username not in existing_users:
            create_user(demo.username, demo.password, demo.role, demo.display_name)
            created += 1
    existing_partners = set(db.session.scalars(select(Partner.name)))
    for name, lines in DEMO_PARTNERS:
        if name not in existing_partners:
            db.session.add(Partner(name=name, lines=[PartnerLine(line=code) for code in lines]))
            created += 1
    db.session.commit()
    if created:
        return f"Demo data loaded: {created} records created."
    return "Demo data already present; nothing changed."
