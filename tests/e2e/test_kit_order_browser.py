"""A co-packing order in Chromium, from the partner's delivery to a shipped pallet: the
office receives the partner's tea (a mistyped GTIN is marked on its row), the worker counts
kits on the tablet with the count step and by scanning the kit's barcode, QC signs, a
pallet gets its SSCC, the shipment lists it, the count closes the order, and the partner
sees its material reconciled."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import floor_photo
from tests.e2e.conftest import TABLET_SIZES, axe_violations, worker_axe_violations
from tests.e2e.test_worker_task_browser import tablet_context
from tests.portal.conftest import make_partner_user  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

TEA = "05901234123457"
KIT = "4006381333931"  # the kit's own GTIN (EAN-13 on its box)


@pytest.fixture
def kit_table(app, db_session, manager, make_partner, make_product, make_order, make_kit_bom,
              make_batch, make_user, make_partner_user, monkeypatch):  # noqa: F811
    from dataclasses import replace

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
    from shopfloor.workers.services import WorkerData, save_worker

    settings = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(settings, values={
        **settings.values, "gs1.company_prefix": "0614141", "gs1.extension_digit": 1}))
    firm = make_partner(name="Paczkomat Smaków", lines=["copack"])
    product = make_product(line="copack", code="ZES-HERB6", unit="set")
    make_kit_bom(product, (("Herbata Assam", TEA, "3", True, False),
                           ("Pudełko 6-komorowe", "", "1", False, False)), kit_gtin=KIT)
    order = make_order(partner=firm, product=product, quantity="6", reference="PS-77")
    instruction = create_instruction("Zestaw herbat", manager, product_id=product.id)
    version = instruction.versions[0]
    set_materials_and_tools(version, ["Herbata Assam", "Pudełka"], ["Skaner"], manager)
    for step_data in (StepData("count", "Włóż saszetki do pudełka. Policz zestawy.",
                               "Zestaw w pudełku", "count", target_quantity=Decimal(4)),
                      StepData("scan", "Zeskanuj kod na pudełku.", "Kod na pudełku",
                               "scan", settings={"scan": "kit"})):
        step = add_step(version, step_data, manager)
        set_step_photo(step, floor_photo(), manager)
    publish_version(version, manager)
    batch = make_batch(order_line=order.lines[0], quantity="6", releasable=True)
    batch.instruction_version_id = version.id
    db_session.commit()
    move_batch(batch, "released", manager)
    move_batch(batch, "in_progress", manager)
    worker = save_worker(WorkerData(first_name="Witek", sign_in_method="badge"), manager)
    station, token = enrol_station("Stół pakowania", "copack", manager)
    set_expected_workers(station, [worker.id], manager)
    assign_batch(station, batch, manager)
    make_user(username="kierownik", password="bardzo tajne hasło", role="manager",
              display_name="Anna Kierownik")
    person = make_partner_user(firm, "tomasz@paczkomat.example", role="partner_orderer",
                               language="pl")
    return order, batch, worker, token, person


def test_a_kit_order_from_the_partners_delivery_to_a_shipped_pallet(
        chromium, live_server, kit_table, output_dir):
    from tests.portal.conftest import PASSWORD

    order, batch, worker, token, person = kit_table
    office = chromium.new_context(base_url=live_server, locale="pl-PL",
                                  viewport={"width": 1280, "height": 800})
    office.set_default_timeout(10_000)
    page = office.new_page()
    page.goto(f"/sign-in?next=/copack/orders/{order.id}")
    page.get_by_label("Nazwa użytkownika").fill("kierownik")
    page.get_by_label("Hasło").fill("bardzo tajne hasło")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url(f"**/copack/orders/{order.id}")

    def receive(gtin: str, counted: str):
        page.get_by_label("Numer dokumentu dostawy partnera").fill("PS/WZ/3381")
        page.locator("[name=line-0-component]").fill(gtin)
        page.locator("[name=line-0-lot]").fill("PS-HA-0921")
        page.locator("[name=line-0-declared]").fill("18")
        page.locator("[name=line-0-counted]").fill(counted)
        page.get_by_role("button", name="Przyjmij na stan partnera").click()

    receive("5901234123458", "18")  # a wrong check digit
    assert "nie jest składnik" in page.locator("#line-0-error").inner_text()
    assert page.locator("[name=line-0-component]").input_value() == "5901234123458"
    assert axe_violations(page) == []
    receive("5901234123457", "18")  # as scanned: 13 digits
    assert "przyjęty na stan partnera" in page.get_by_role("status").inner_text()
    assert "Herbata Assam" in page.locator("#reconciliation").inner_text()

    tab = tablet_context(chromium, live_server, token, TABLET_SIZES["landscape"]).new_page()
    tab.goto(f"/t/sign-in/{worker.id}")
    tab.keyboard.type(worker.code)
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/t/work")
    tab.get_by_role("link", name="Zaczynam").click()
    tab.get_by_role("link", name="Mam wszystko").click()
    tab.wait_for_url("**/t/work/step/1")
    for shown in ("1", "2", "3", "4"):
        tab.get_by_role("button", name="Plus 1").click()
        tab.wait_for_function(
            f"() => document.querySelector('[data-count]').textContent === '{shown}'")
    tab.get_by_role("button", name="Gotowe").click()
    tab.wait_for_url("**/t/work/step/2")
    for shown in ("1", "2"):  # the hand-held scanner reads the kit's box: one kit each
        tab.keyboard.type(KIT)
        tab.keyboard.press("Enter")
        tab.get_by_text(f"Dobrze. Policzone: {shown}.").wait_for()
    assert worker_axe_violations(tab) == []
    tab.keyboard.type("5901234123457")  # a tea bag is not a kit
    tab.keyboard.press("Enter")
    tab.get_by_text("To nie ta etykieta").wait_for()
    tab.screenshot(path=str(output_dir / "kit-scan-1280x800.png"))
    tab.get_by_role("button", name="Gotowe").click()
    tab.wait_for_url("**/t/work/end")

    page.goto(f"/batches/{batch.id}")
    assert page.locator("#kit-bom").get_by_text("0", exact=True).count() >= 1  # tea used up
    page.get_by_role("button", name="Przekaż do kontroli jakości", exact=True).click()
    page.get_by_role("button", name="Zatwierdź kontrolę jakości", exact=True).click()
    assert "Zakończona" in page.locator("h1").inner_text()
    page.get_by_label("Sztuk na palecie").fill("6")
    page.get_by_role("button", name="Utwórz paletę (nowy SSCC)").click()
    sscc = page.locator("#pallets .sscc").first.inner_text().strip()
    assert len(sscc.replace(" ", "")) == 18
    assert axe_violations(page) == []

    page.goto(f"/shipments/new/{order.id}")
    page.get_by_role("button", name="Zapisz wysyłkę i wystaw WZ").click()
    assert page.locator("#pallets-error").inner_text() == "Wybierz palety do wydania."
    page.get_by_label(sscc).check()
    page.get_by_role("button", name="Zapisz wysyłkę i wystaw WZ").click()
    page.wait_for_url("**/shipments/*")
    assert sscc in page.locator("main").inner_text()

    page.goto(f"/copack/orders/{order.id}")
    page.get_by_label("Policzono: Herbata Assam").fill("0")
    page.get_by_role("button", name="Zapisz spis").click()
    assert "Zgadza się" in page.locator("#reconciliation").inner_text()
    page.screenshot(path=str(output_dir / "kit-material-1280x800.png"), full_page=True)
    page.goto(f"/orders/{order.id}")
    page.get_by_role("button", name="Zamknij", exact=True).click()
    assert "Zamknięte" in page.locator("h1").inner_text()
    office.close()

    partner = chromium.new_context(base_url=live_server, locale="pl-PL",
                                   viewport={"width": 1280, "height": 800})
    partner.set_default_timeout(10_000)
    portal = partner.new_page()
    portal.goto(f"/sign-in?next=/portal/orders/{order.id}")
    portal.get_by_label("Nazwa użytkownika").fill(person.username)
    portal.get_by_label("Hasło").fill(PASSWORD)
    portal.get_by_role("button", name="Zaloguj się").click()
    portal.wait_for_url(f"**/portal/orders/{order.id}")
    text = portal.locator("#reconciliation").inner_text()
    assert "Zgadza się" in text and "Herbata Assam" in text
    assert sscc in portal.locator("main").inner_text()
    assert axe_violations(portal) == []
    partner.close()
