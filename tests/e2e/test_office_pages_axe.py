"""Every office page, filled with the demo data, passes axe-core at tablet size."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.e2e.conftest import axe_violations, worker_axe_violations

pytestmark = pytest.mark.browser


def test_every_office_page_has_no_axe_violation(page, app, output_dir):
    from shopfloor.core.demo import load_demo_data
    from shopfloor.extensions import db
    from shopfloor.materials.models import MaterialLot
    from shopfloor.orders.models import Order
    from shopfloor.partners.models import Partner
    from shopfloor.production.models import Batch
    from shopfloor.shipping.models import Shipment

    load_demo_data()
    from shopfloor.auth.models import User
    from shopfloor.instructions.services import StepData, add_step, create_instruction

    author = db.session.scalar(select(User).where(User.username == "supervisor"))
    instruction = create_instruction("Mydło lawendowe", author)
    draft = instruction.versions[0]
    add_step(draft, StepData("count", "Policz kostki.", "Kostki", "count", target_quantity=12),
             author)
    from shopfloor.stations.services import enrol_station

    station, _token = enrol_station("Stół mydlarski 1", "soap", author)
    batches = {b.line: b for b in db.session.scalars(select(Batch).order_by(Batch.id))}
    order = db.session.scalars(select(Order).order_by(Order.id)).first()
    shipment = db.session.scalars(select(Shipment)).first()
    lot = db.session.scalars(select(MaterialLot).where(
        MaterialLot.supplier_lot == "FO-LAW-2611")).first()
    partner = db.session.scalars(select(Partner)).first()
    urls = ["/", "/scan", "/orders/", f"/orders/{order.id}", f"/orders/{order.id}/edit",
            "/orders/new", "/batches/", "/batches/new", "/lots/", f"/lots/{lot.id}",
            "/lots/receive", "/shipments/", f"/shipments/{shipment.id}",
            f"/trace/?q={lot.supplier_lot}", f"/trace/?q={shipment.number}", "/partners/",
            f"/partners/{partner.id}", f"/partners/{partner.id}/edit", "/products/",
            "/products/new", "/materials/", "/workers/", "/workers/new", "/staff",
            "/account", f"/labels/preview?kind=batch&codes={batches['soap'].code}",
            "/instructions/", "/instructions/new", f"/instructions/versions/{draft.id}",
            "/stations/", "/stations/enrol", f"/stations/{station.id}", "/board"]
    urls += [f"/batches/{b.id}" for b in batches.values()]
    from shopfloor.instructions.models import InstructionVersion
    from shopfloor.stations.models import Station
    from shopfloor.workers.models import Worker

    demo_version = db.session.scalars(select(InstructionVersion).where(
        InstructionVersion.status == "published")).first()
    urls += [f"/workers/{w.id}" for w in db.session.scalars(select(Worker)).all()[:1]]
    # The worker page's capacity sections and the skills matrix, with a row in every table.
    from datetime import date, time

    from shopfloor.workers.capacity import TrainingData, add_absence, add_training, set_availability

    first_worker = db.session.scalars(select(Worker)).first()
    set_availability(first_worker, {0: (time(8), time(15)), 1: (time(8), time(12))}, author)
    add_absence(first_worker, date(2026, 12, 1), date(2026, 12, 4), "leave", author)
    add_training(first_worker, TrainingData("harness", date(2026, 11, 2), "Jan Kowalski",
                                            "independent", "Kable Sp. z o.o."), author,
                 today=date(2026, 11, 27))
    urls += ["/workers/skills"]
    urls += [f"/stations/{s.id}" for s in db.session.scalars(select(Station)).all()[:1]]
    urls += [f"/instructions/versions/{demo_version.id}", "/about"]
    urls += ["/planning", "/planning?risk=late", "/planning/capacity", "/planning/what-if"]
    # Co-packing: the kits, a version in use, a draft being written, an order's material.
    from shopfloor.catalog.models import Product
    from shopfloor.copack.boms import active_bom, new_draft
    from shopfloor.copack.reconcile import order_reconciliation

    kit = db.session.scalar(select(Product).where(Product.code == "ZES-HERB6"))
    draft_bom = new_draft(kit, author)
    kit_order = next(o for o in db.session.scalars(select(Order).order_by(Order.id))
                     if order_reconciliation(o) is not None and o.status == "partly_shipped")
    urls += ["/copack/kits", f"/copack/boms/{active_bom(kit.id).id}",
             f"/copack/boms/{draft_bom.id}", f"/copack/orders/{kit_order.id}",
             f"/orders/{kit_order.id}"]

    page.goto("/sign-in")
    page.get_by_label("Nazwa użytkownika").fill("manager")
    page.get_by_label("Hasło").fill("manager-demo")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/")
    failures = {}
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        violations = axe_violations(page)
        if violations:
            failures[url] = violations
    assert failures == {}
    # The what-if with a result: the answer, its risk badge and its timeline.
    page.goto("/planning/what-if")
    page.locator("#product_id").select_option(index=1)
    page.locator("#quantity").fill("50")
    page.locator("#due_date").fill("2026-12-18")
    page.locator("form.panel button[type=submit]").click()
    page.locator(".what-if-result").wait_for()
    assert axe_violations(page) == []
    # The author's preview is a worker screen: the stricter worker check applies.
    for number in range(1, len(demo_version.steps) + 1):
        page.goto(f"/instructions/versions/{demo_version.id}/preview/{number}")
        assert worker_axe_violations(page) == [], number
    page.goto(f"/batches/{batches['garments'].id}")
    page.screenshot(path=str(output_dir / "batch-garments-1280x800.png"), full_page=True)


def test_the_supervisor_screens_pass_axe_on_an_upright_tablet_too(chromium, live_server, app,
                                                                 output_dir):
    """Supervisors author, enrol stations and watch the board on a tablet held either way:
    their screens at 800x1280 as well (the office pages above run at 1280x800)."""
    from shopfloor.core.demo import load_demo_data
    from shopfloor.extensions import db
    from shopfloor.instructions.models import InstructionVersion
    from shopfloor.stations.models import Station
    from shopfloor.workers.models import Worker

    load_demo_data()
    version = db.session.scalars(select(InstructionVersion).where(
        InstructionVersion.status == "published")).first()
    station = db.session.scalars(select(Station)).first()
    worker = db.session.scalars(select(Worker)).first()
    urls = ["/board", "/stations/", "/stations/enrol", f"/stations/{station.id}",
            "/instructions/", "/instructions/new", f"/instructions/versions/{version.id}",
            "/workers/", f"/workers/{worker.id}", "/scan"]
    context = chromium.new_context(base_url=live_server, locale="pl-PL",
                                   viewport={"width": 800, "height": 1280})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("Nazwa użytkownika").fill("supervisor")
    page.get_by_label("Hasło").fill("supervisor-demo")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/")
    failures = {}
    for url in urls:
        assert page.goto(url).status == 200, url
        violations = axe_violations(page)
        if violations:
            failures[url] = violations
    for number in range(1, len(version.steps) + 1):
        page.goto(f"/instructions/versions/{version.id}/preview/{number}")
        violations = worker_axe_violations(page)
        if violations:
            failures[f"preview {number}"] = violations
    page.goto("/board")
    page.screenshot(path=str(output_dir / "board-800x1280.png"), full_page=True)
    context.close()
    assert failures == {}
