"""Shared fixtures: one database per test run (SQLite, or PostgreSQL when
SHOPFLOOR_TEST_DATABASE_URL is set), every test starting from empty tables, and
builders such as ``make_user(**overrides)``."""

from __future__ import annotations

import contextvars
import io
import os
import re
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask.testing import FlaskClient
from PIL import Image

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_SECRET = "test-secret-key-" + "x" * 32


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """Compile the Polish catalogue when the .po is newer than the .mo (an edited checkout);
    installing the package does the same through the build hook."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (REPO_ROOT / "shopfloor" / "translations").glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parts[-3])
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)


@pytest.fixture(scope="session")
def run_dir():
    """A scratch folder for this test run (instance folder, SQLite files)."""
    with tempfile.TemporaryDirectory(prefix="shopfloor-tests-") as path:
        yield Path(path)


@pytest.fixture(scope="session")
def database_url(run_dir) -> str:
    """The database this run uses: PostgreSQL if configured, else a SQLite file."""
    url = os.environ.get("SHOPFLOOR_TEST_DATABASE_URL")
    if url:
        from shopfloor.database import empty_postgres_database

        return empty_postgres_database(url)
    return f"sqlite:///{run_dir / 'test.db'}"


@pytest.fixture(scope="session")
def is_postgres(database_url) -> bool:
    """Whether this run uses PostgreSQL."""
    return database_url.startswith("postgresql")


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(run_dir):
    """Keep the developer's own SHOPFLOOR_* settings and instance folder out of the tests."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("SHOPFLOOR_")}
    for name in saved:
        if name not in {"SHOPFLOOR_TEST_DATABASE_URL", "SHOPFLOOR_REQUIRE_BROWSER",
                        "SHOPFLOOR_TEST_OUTPUT", "SHOPFLOOR_CHROMIUM"}:
            del os.environ[name]
    os.environ["SHOPFLOOR_INSTANCE_PATH"] = str(run_dir / "instance")
    yield
    os.environ.pop("SHOPFLOOR_INSTANCE_PATH", None)
    os.environ.update(saved)


def app_config(database_url: str, **overrides) -> dict:
    """Configuration for a test app on the run's database."""
    config = {"database_url": database_url, "secret_key": TEST_SECRET, "TESTING": True}
    config.update(overrides)
    return config


class IsolatedClient(FlaskClient):
    """Runs every request in an empty context, so it gets its own app context (and ``g``
    and database session) even though the test itself holds one open, as a browser would."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, _isolated_environment):
    """The application under test, its schema built by the migrations."""
    from shopfloor import create_app
    from shopfloor.database import migrate_to_head

    application = create_app(app_config(database_url))
    application.test_client_class = IsolatedClient
    with application.app_context():
        migrate_to_head()
    return application


@pytest.fixture(autouse=True)
def _app_context_and_clean_tables(request, app):
    """Each test runs in an app context and leaves every table empty behind it."""
    from shopfloor.extensions import db

    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def db_session(app):
    """The Flask-SQLAlchemy session of the current app context."""
    from shopfloor.extensions import db

    return db.session


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                     r'type="hidden" name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token in a rendered page."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


class FormClient:
    """A test client that sends forms the way a browser does: with the page's CSRF token."""

    def __init__(self, client):
        self.client = client

    def get(self, *args, **kwargs):
        return self.client.get(*args, **kwargs)

    def token(self, page: str = "/sign-in") -> str:
        return csrf_from(self.client.get(page).get_data(as_text=True))

    def submit(self, url: str, data: dict, page: str | None = None, **kwargs):
        """POST a form to ``url`` with the CSRF token taken from ``page`` (default: ``url``)."""
        data = {**data, "csrf_token": self.token(page or url)}
        return self.client.post(url, data=data, **kwargs)

    def sign_in(self, username: str, password: str, **kwargs):
        return self.submit("/sign-in", {"username": username, "password": password}, **kwargs)


@pytest.fixture
def client(app):
    """A browser-like client (CSRF tokens taken from the pages), signed out."""
    return FormClient(app.test_client())


@pytest.fixture
def make_user(db_session):
    """Builder for staff accounts: make_user(username="anna", role="supervisor", ...)."""
    from shopfloor.auth.services import create_user

    def build(username: str = "anna", password: str = "correct horse battery",
              role: str = "manager", display_name: str = "", language: str | None = None,
              active: bool = True):
        user = create_user(username, password, role, display_name or username.title(), language)
        if not active:
            user.active = False
            db_session.commit()
        return user

    return build


@pytest.fixture
def signed_in(client, make_user):
    """Sign in a new account of the given role and return the client."""

    def as_role(role: str = "manager", username: str | None = None, **user_overrides):
        username = username or f"{role}1"
        make_user(username=username, role=role, **user_overrides)
        response = client.sign_in(username, "correct horse battery")
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return as_role


# ---------------------------------------------------------------- business builders
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402

TODAY = date(2026, 11, 27)
VALID_NIPS = ("5260001246", "7740001454", "5213017228", "1132191233", "9542583988")


@pytest.fixture
def manager(make_user):
    """A manager account to act as in service calls."""
    return make_user(username="boss", role="manager", display_name="Marta Manager")


@pytest.fixture
def make_partner(db_session, manager):
    """make_partner(name=..., lines=["soap"], contacts=[ContactData(...)], nip=...)."""
    from shopfloor.partners.services import ContactData, PartnerData, save_partner

    counter = iter(range(1, 1000))

    def build(name: str | None = None, lines=("soap", "harness", "garments", "copack"),
              contacts=None, nip: str = "", **overrides):
        n = next(counter)
        data = PartnerData(name=name or f"Partner {n} Sp. z o.o.", nip=nip, lines=list(lines),
                           contacts=contacts if contacts is not None else [
                               ContactData(name=f"Contact {n}", email=f"c{n}@example.com")],
                           **overrides)
        return save_partner(data, manager)

    return build


@pytest.fixture
def make_product(db_session, manager):
    """make_product(line="soap", code=..., unit="pcs", partner_id=None)."""
    from shopfloor.catalog.services import ProductData, save_product

    counter = iter(range(1, 1000))

    def build(line: str = "soap", code: str | None = None, unit: str = "pcs",
              standard_minutes: str = "2.5", **overrides):
        n = next(counter)
        return save_product(ProductData(code=code or f"P-{line}-{n}", name=f"{line} product {n}",
                                        line=line, unit=unit,
                                        standard_minutes=Decimal(standard_minutes), **overrides),
                            manager)

    return build


@pytest.fixture
def make_lot(db_session, manager):
    """make_lot(quantity="10", status="approved", material_code=..., supplier_lot=...)."""
    from shopfloor.catalog.services import save_material
    from shopfloor.materials.services import LotReceipt, receive_lot, set_lot_status

    counter = iter(range(1, 1000))

    def build(quantity: str = "10", status: str = "approved", unit: str = "kg",
              supplier_lot: str | None = None, material=None, **overrides):
        n = next(counter)
        material = material or save_material(f"M{n}", f"Material {n}", unit, manager)
        lot = receive_lot(LotReceipt(material_id=material.id, supplier="Supplier S.A.",
                                     supplier_lot=supplier_lot or f"SUP-{n}",
                                     received_on=TODAY - timedelta(days=3),
                                     quantity=Decimal(quantity), **overrides), manager)
        if status != "quarantine":
            set_lot_status(lot, status, manager, reason="test")
        return lot

    return build


@pytest.fixture
def make_order(db_session, manager, make_partner, make_product):
    """make_order(partner=..., product=..., quantity="100", status="confirmed")."""
    from shopfloor.orders.services import LineData, change_order_status, create_order

    def build(partner=None, product=None, quantity: str = "100", status: str = "confirmed",
              due: date | None = None, lines=None, reference: str = "PO-1"):
        partner = partner or make_partner()
        product = product or make_product()
        due = due or TODAY + timedelta(days=14)
        lines = lines or [LineData(product.id, Decimal(quantity), due)]
        order = create_order(partner.id, reference, lines, manager, today=TODAY)
        if status != "draft":
            change_order_status(order, "confirmed", manager)
        return order

    return build


@pytest.fixture
def make_soap_version(db_session, manager):
    """make_soap_version(items=(("base", "98"), ("fragrance", "2")), product=None,
    ifra="3", registered=True): a locked recipe version (registered: with safety report
    and CPNP notification) of a 100 g bar filled to 102 g. Its ingredients are the
    materials "COS-BASE" (clear base, kg) and "COS-FO" (lavender fragrance oil, kg, IFRA
    limit ``ifra`` %, 5 % linalool)."""
    from sqlalchemy import select

    from shopfloor.catalog.models import Material
    from shopfloor.catalog.services import save_material
    from shopfloor.extensions import db
    from shopfloor.recipes import services
    from shopfloor.recipes.models import CosmeticIngredient

    counter = iter(range(1, 1000))

    def ingredient(code: str, kind: str, ifra: str | None):
        found = db.session.scalar(select(CosmeticIngredient).join(Material)
                                  .where(Material.code == code))
        if found is not None:
            return found
        material = save_material(code, {"COS-BASE": "Clear soap base",
                                        "COS-FO": "Lavender fragrance oil"}[code], "kg",
                                 manager)
        return services.save_ingredient(services.IngredientData(
            material_id=material.id, kind=kind,
            composition="Glycerin; 30\nAqua; 25\nSodium Stearate; 45" if kind == "base"
            else "Parfum; 100", allergens="Linalool; 5" if kind == "fragrance" else "",
            ifra_cat9_max_percent=Decimal(ifra) if ifra else None), manager)

    def build(items=(("base", "98"), ("fragrance", "2")), product=None, ifra: str = "3",
              registered: bool = True):
        chosen = {"base": ingredient("COS-BASE", "base", None),
                  "fragrance": ingredient("COS-FO", "fragrance", ifra)}
        data = services.VersionData(nominal_quantity=Decimal(100), fill_mass_g=Decimal(102),
                                    mould="M-12", durability="24 miesiące")
        recipe = services.create_recipe(f"R-{next(counter)}", "Lavender bar", "solid",
                                        product.id if product else None, data, manager)
        version = recipe.versions[0]
        services.save_draft(version, data, [services.ItemData(chosen[k].id, Decimal(p))
                                            for k, p in items], manager)
        services.lock_version(version, manager)
        if registered:
            services.register_version(version, "CPSR/2026/14", TODAY - timedelta(days=30),
                                      "3461207", "Spółdzielnia Razem, ul. Przykładowa 1, Radom",
                                      manager, TODAY)
        return version

    return build


@pytest.fixture
def complete_soap_record(manager, make_lot):
    """complete_soap_record(batch): what QC needs of a soap batch in progress: every recipe
    ingredient weighed as planned from an approved lot, melt and pour temperatures, the
    wrapping time and ten bars check-weighed at 102 g (a 100 g bar passes)."""
    from shopfloor.production.services import consume_lot, update_batch_record
    from shopfloor.recipes.batches import GRAMS_PER, soap_batch

    def build(batch):
        for row in soap_batch(batch).rows:
            if not row.weighed:
                material = row.ingredient.material
                needed = (row.planned_g / GRAMS_PER[material.unit]).quantize(Decimal("0.001"))
                consume_lot(batch, make_lot(quantity=str(needed * 2), material=material),
                            needed, manager, TODAY)
        day = TODAY.isoformat()
        record = {**(batch.record or {}),
                  "temperatures": [{"stage": "melt", "temperature_c": "58", "at": f"{day}T09:00"},
                                   {"stage": "pour", "temperature_c": "61", "at": f"{day}T09:30"}],
                  "wrapped_at": f"{day}T12:00", "check_weights": [{"mass": "102"}] * 10}
        update_batch_record(batch, record, manager, reason="Production record")
        return batch

    return build


@pytest.fixture
def make_kit_bom(db_session, manager):
    """make_kit_bom(product, items=(("Box", "", "1", False, False),)): an active bill of
    materials version of a co-packing product; each item is (component, GTIN, quantity per
    kit, partner-supplied, counted exactly)."""
    from shopfloor.copack import boms

    def build(product, items=(("Box", "", "1", False, False),), kit_gtin: str = ""):
        bom = boms.new_draft(product, manager)
        boms.save_draft(bom, [boms.BomRow(c, g, q, p, n) for c, g, q, p, n in items],
                        kit_gtin, "", manager)
        boms.activate(bom, manager)
        return bom

    return build


@pytest.fixture
def make_batch(db_session, manager, make_product, make_soap_version, make_kit_bom):
    """make_batch(product=..., quantity="100", order_line=..., record={...},
    releasable=False); ``releasable`` adds what the line's release gate asks for (a soap
    batch gets a registered recipe version, a harness batch its drawing and class, a
    co-packing batch a bill of materials)."""
    from shopfloor.production.services import AllocationData, plan_batch, update_batch_record

    def build(product=None, quantity: str = "100", order_line=None, record=None,
              releasable: bool = False):
        product = product or (order_line.product if order_line else make_product())
        allocations = ([AllocationData(order_line.id, min(Decimal(quantity),
                                                          order_line.quantity))]
                       if order_line else [])
        batch = plan_batch(product.id, Decimal(quantity), allocations, manager)
        record = dict(record or {})
        if releasable and product.line == "soap" and "recipe_version_id" not in record:
            record["recipe_version_id"] = str(make_soap_version().id)
        if releasable and product.line == "harness":
            record = {"drawing_number": "EW-1", "drawing_revision": "A", "ipc_class": "2",
                      **record}
        if releasable and product.line == "copack" and "bom_id" not in record:
            from shopfloor.copack.boms import active_bom

            bom = active_bom(product.id) or make_kit_bom(product)
            record = {"bom_id": str(bom.id), **record}
        if record:
            update_batch_record(batch, record, manager)
        return batch

    return build


# ------------------------------------------------------------------ the floor

FLOOR_SIGNED_IN_AT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def floor_photo() -> bytes:
    """A small JPEG for step and worker photos."""
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (90, 140, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def floor(db_session, manager, make_product, make_batch):
    """Kasia signed in on a soap station, working on a batch in progress that follows a
    published instruction with one step of each kind."""
    from shopfloor.instructions.services import (
        StepData,
        add_step,
        create_instruction,
        publish_version,
        set_materials_and_tools,
        set_step_photo,
    )
    from shopfloor.production.services import move_batch
    from shopfloor.stations.services import assign_batch, enrol_station, set_expected_workers
    from shopfloor.stations.signin import finish_sign_in, start_sign_in
    from shopfloor.workers.services import WorkerData, save_worker

    worker = save_worker(WorkerData(first_name="Kasia", sign_in_method="badge"), manager)
    station, token = enrol_station("Stół 1", "soap", manager)
    set_expected_workers(station, [worker.id], manager)
    start_sign_in(station, worker.id, now=FLOOR_SIGNED_IN_AT)
    session = finish_sign_in(station, worker.id, worker.code,
                             now=FLOOR_SIGNED_IN_AT)

    product = make_product(line="soap")
    instruction = create_instruction("Mydło lawendowe", manager, product_id=product.id)
    version = instruction.versions[0]
    set_materials_and_tools(version, ["Baza glicerynowa"], ["Forma", "Waga"], manager)
    steps = {
        "do": add_step(version, StepData("do", "Weź formę. Postaw ją na stole.",
                                         "Forma na stole", "take"), manager),
        "count": add_step(version, StepData("count", "Wyjmij kostki. Policz je.",
                                            "Kostki mydła", "count", target_quantity=Decimal(12)),
                          manager),
        "measure": add_step(version, StepData("measure", "Zważ bazę.", "Baza na wadze", "measure",
                                              settings={"measure": "weight", "min": 90,
                                                        "max": "110"}), manager),
        "scan": add_step(version, StepData("scan", "Zeskanuj etykietę olejku.",
                                           "Butelka olejku", "label", settings={"scan": "lot"}),
                         manager),
        "check": add_step(version, StepData("check", "Sprawdź kostkę.", "Kostka mydła", "look"),
                          manager),
    }
    for step in steps.values():
        set_step_photo(step, floor_photo(), manager)
    set_step_photo(steps["check"], floor_photo(), manager, which="good_photo")
    set_step_photo(steps["check"], floor_photo(), manager, which="bad_photo")
    publish_version(version, manager)

    batch = make_batch(product=product, releasable=True)
    batch.instruction_version_id = version.id
    db_session.commit()
    move_batch(batch, "released", manager)
    move_batch(batch, "in_progress", manager)
    assign_batch(station, batch, manager)
    return SimpleNamespace(worker=worker, station=station, token=token, session=session,
                           batch=batch,
                           instruction=instruction, version=version, steps=steps)
