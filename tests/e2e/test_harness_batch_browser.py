"""A harness batch in Chromium: at the harness table the worker sees connector X1's face, each
cavity in its wire's colour and numbered as moulded, and a scanned wire label lights up its
cavity; in the office the harnesses get serial numbers, one fails the electrical test and is
reworked, packing refuses a harness without a pass, the tester's log is recorded, QC signs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import floor_photo
from tests.e2e.conftest import TABLET_SIZES, axe_violations, worker_axe_violations
from tests.e2e.test_worker_task_browser import tablet_context

pytestmark = pytest.mark.browser


@pytest.fixture
def harness_table(db_session, manager, make_product, make_batch, make_lot, make_user):
    from shopfloor.harness import services
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

    product = make_product(line="harness", code="WI-W214")
    services.save_harness_type(services.HarnessTypeData(
        product_id=product.id, part_number="EW-214-0031", drawing_number="EW-1",
        drawing_revision="A", ipc_class="2",
        connectors=[{"name": "X1", "part": "ZT-H4P", "layout": "1 2\n3 4"},
                    {"name": "X2", "part": "ZT-H4P", "layout": "1 2\n3 4"}],
        wires=[{"wire": f"W{n}", "from": "X1", "from_cavity": str(n), "to": "X2",
                "to_cavity": str(n), "colour": colour, "gauge_awg": "20", "length_mm": "800",
                "tolerance_mm": "10"}
               for n, colour in ((1, "BK"), (2, "BN"), (3, "BU"), (4, "GN/YE"))]), manager)
    instruction = create_instruction("Wiązka W-214", manager, product_id=product.id)
    version = instruction.versions[0]
    set_materials_and_tools(version, ["Przewody W1-W4", "Obudowa 4-pin"], ["Skaner"], manager)
    for kind, caption, settings in (
            ("do", "Wsuń przewody do złącza. Ma kliknąć.", {"figure": "X1"}),
            ("do", "Załóż rurkę na przewody.", {})):
        step = add_step(version, StepData(kind, caption, caption, "plug", settings=settings),
                        manager)
        set_step_photo(step, floor_photo(), manager)
    publish_version(version, manager)
    batch = make_batch(product=product, quantity="2", releasable=True)
    batch.instruction_version_id = version.id
    db_session.commit()
    move_batch(batch, "released", manager)
    services.record_setup(batch, services.SetupData(
        reason="run", tool_id="KT-0463", gauge_awg=20, height_min_mm=Decimal("1.45"),
        height_max_mm=Decimal("1.55"), height_mm=Decimal("1.50"),
        pulls_n=[Decimal(p) for p in ("64", "62.5", "66", "63", "65")],
        wire_lot_code=make_lot(unit="m", supplier_lot="KPK-05-24518").code), manager)
    move_batch(batch, "in_progress", manager)
    worker = save_worker(WorkerData(first_name="Bartek", sign_in_method="badge"), manager)
    station, token = enrol_station("Stół wiązek", "harness", manager)
    set_expected_workers(station, [worker.id], manager)
    assign_batch(station, batch, manager)
    make_user(username="kierownik", password="bardzo tajne hasło", role="manager",
              display_name="Anna Kierownik")
    return batch, worker, token


def test_a_harness_batch_from_the_connector_face_to_qc(chromium, live_server, harness_table,
                                                        output_dir):
    batch, worker, token = harness_table
    context = tablet_context(chromium, live_server, token, TABLET_SIZES["landscape"])
    tab = context.new_page()
    tab.goto(f"/t/sign-in/{worker.id}")
    tab.keyboard.type(worker.code)
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/t/work")
    tab.get_by_role("link", name="Zaczynam").click()
    tab.get_by_role("link", name="Mam wszystko").click()
    tab.wait_for_url("**/t/work/step/1")
    face = tab.locator("[data-connector-face='X1']")
    assert face.is_visible()
    assert face.locator(".cavity").count() == 4
    assert face.locator("[data-cavity='3'] title").text_content() == \
        "Komora 3: przewód W3, niebieski"
    assert worker_axe_violations(tab) == []
    # The hand-held scanner reads wire W3's label: cavity 3 lights up, and it says so.
    tab.keyboard.type("W3")
    tab.keyboard.press("Enter")
    tab.wait_for_function("() => document.querySelector('[data-cavity=\"3\"]')"
                          ".classList.contains('cavity-target')")
    ring = face.locator("[data-cavity='3'] .cavity-ring")
    assert ring.get_attribute("visibility") == "visible"
    assert face.locator(".cavity-target").count() == 1
    assert tab.locator("[data-figure-message]").inner_text() == "Komora 3: przewód W3, niebieski"
    tab.screenshot(path=str(output_dir / "harness-connector-1280x800.png"))
    tab.keyboard.type("W9")
    tab.keyboard.press("Enter")
    assert "nie pasuje" in tab.locator("[data-figure-message]").inner_text()
    assert face.locator(".cavity-target").count() == 0
    assert worker_axe_violations(tab) == []
    tab.get_by_role("button", name="Gotowe").click()
    tab.wait_for_url("**/t/work/step/2")
    tab.get_by_role("button", name="Gotowe").click()
    tab.wait_for_url("**/t/work/end")
    context.close()

    office = chromium.new_context(base_url=live_server, locale="pl-PL",
                                  viewport={"width": 1280, "height": 800})
    office.set_default_timeout(10_000)
    page = office.new_page()
    page.goto(f"/sign-in?next=/batches/{batch.id}")
    page.get_by_label("Nazwa użytkownika").fill("kierownik")
    page.get_by_label("Hasło").fill("bardzo tajne hasło")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url(f"**/batches/{batch.id}")
    panel = page.locator("#harness")
    panel.get_by_label("Ile wiązek").fill("2")
    panel.get_by_role("button", name="Nadaj numery seryjne").click()
    assert "EW-1-00002" in page.locator("#harness").inner_text()

    def test_once(serial, result, nets="", rework=""):
        panel = page.locator("#harness")
        panel.get_by_label("Numer seryjny", exact=True).fill(serial)
        panel.get_by_label("Wynik", exact=True).select_option(result)
        panel.get_by_label("Błędne obwody").fill(nets)
        panel.locator("#tester_id").fill("TST-CA-02")
        panel.locator("#program_version").fill("A.2")
        panel.get_by_label("Poprawka przed tym testem").fill(rework)
        panel.get_by_role("button", name="Zapisz test").click()

    test_once("EW-1-00001", "fail", "X1:3-X2:3 przerwa")
    test_once("EW-1-00001", "pass")
    assert "przed kolejnym testem opisz" in page.locator("#rework-error").inner_text()
    assert page.locator("#serial").input_value() == "EW-1-00001"  # what was typed stays
    test_once("EW-1-00001", "pass", rework="W3 wsunięty ponownie")
    panel = page.locator("#harness")
    panel.get_by_label("Numer seryjny do spakowania").fill("EW-1-00002")
    panel.get_by_role("button", name="Spakuj", exact=True).click()
    assert "nie ma zaliczonego testu" in page.locator("#pack_serial-error").inner_text()
    assert axe_violations(page) == []
    panel = page.locator("#harness")
    panel.get_by_label("Wyniki, jedna wiązka w wierszu").fill("EW-1-00002;PASS")
    panel.locator("#log_tester_id").fill("TST-CA-02")
    panel.locator("#log_program_version").fill("A.2")
    panel.get_by_role("button", name="Zapisz dziennik").click()
    assert "Zapisano wyniki testów: 1" in page.get_by_role("status").inner_text()
    text = page.locator("#harness").inner_text()
    assert "poprawiono: W3 wsunięty ponownie" in text and "KPK-05-24518" in text
    page.screenshot(path=str(output_dir / "harness-batch-1280x800.png"), full_page=True)
    page.get_by_label("Liczba dobrych sztuk").fill("2")
    page.get_by_role("button", name="Zapisz wynik").click()
    page.get_by_role("button", name="Przekaż do kontroli jakości", exact=True).click()
    page.get_by_role("button", name="Zatwierdź kontrolę jakości", exact=True).click()
    assert "Zakończona" in page.locator("h1").inner_text()
    page.goto("/harness-types/")
    page.get_by_role("link", name="EW-214-0031").click()
    assert page.locator("[data-connector-face='X2']").is_visible()
    assert axe_violations(page) == []
    office.close()
