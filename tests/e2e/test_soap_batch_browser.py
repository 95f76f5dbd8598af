"""A soap batch in Chromium, from the station tablet to the unit label: the worker follows
the melt-and-pour steps (weights and temperatures on the keypad, a timer while it sets, a
check for bubbles, counting the wrapped bars); the melt and pour temperatures land in the
batch record; the office weighs in the recipe's lots, check-weighs, signs off QC and prints
unit labels whose ingredient list comes from the recipe version."""

from __future__ import annotations

import pytest

from tests.conftest import floor_photo
from tests.e2e.conftest import TABLET_SIZES, axe_violations, worker_axe_violations
from tests.e2e.test_worker_task_browser import tablet_context

pytestmark = pytest.mark.browser

STEPS = (  # kind, caption, settings, what the worker enters
    ("scan", "Zeskanuj etykietę bazy mydlanej.", {"scan": "lot"}, None),
    ("measure", "Połóż bazę na wadze. Ma być 1000 gramów.",
     {"measure": "weight", "min": 980, "max": 1020}, "1000"),
    ("do", "Włóż bazę do garnka. Włącz płytę.", {}, None),
    ("measure", "Zmierz, jak ciepła jest baza. Wpisz liczbę.",
     {"measure": "temperature", "stage": "melt", "min": 49, "max": 63}, "58"),
    ("measure", "Odmierz olejek na wadze. Ma być 20 gramów.",
     {"measure": "weight", "min": 19, "max": 21}, "20"),
    ("measure", "Zmierz jeszcze raz. Wpisz liczbę.",
     {"measure": "temperature", "stage": "pour", "min": 60, "max": 63}, "61"),
    ("timer", "Poczekaj, aż mydło stwardnieje.", {"minutes": 0.05}, None),
    ("check", "Wyjmij mydła z formy. Czy nie mają bąbelków?", {}, None),
    ("count", "Zapakuj mydełko w folię. Dotknij plus.", {}, 3),
)


@pytest.fixture
def soap_task(floor, manager, make_lot, db_session):
    """Kasia's station batch follows a melt-and-pour instruction; the recipe's base and
    fragrance lots are on the shelf."""
    from shopfloor.instructions.services import (
        StepData,
        add_step,
        new_draft,
        publish_version,
        remove_step,
        set_step_photo,
    )
    from shopfloor.recipes.batches import soap_batch

    draft = new_draft(floor.instruction, manager)
    for step in list(draft.steps):
        remove_step(step, manager)
    for kind, caption, settings, _ in STEPS:
        step = add_step(draft, StepData(kind, caption, caption, "look", settings=settings,
                                        target_quantity=3 if kind == "count" else None),
                        manager)
        set_step_photo(step, floor_photo(), manager)
        if kind == "check":
            set_step_photo(step, floor_photo(), manager, which="good_photo")
            set_step_photo(step, floor_photo(), manager, which="bad_photo")
    publish_version(draft, manager)
    floor.batch.instruction_version_id = draft.id
    db_session.commit()
    rows = {row.ingredient.kind: row for row in soap_batch(floor.batch).rows}
    floor.base_lot = make_lot(quantity="50", supplier_lot="GB-0412",
                              material=rows["base"].ingredient.material)
    floor.oil_lot = make_lot(quantity="5", supplier_lot="FO-LAW-2611",
                             material=rows["fragrance"].ingredient.material)
    return floor


def test_a_soap_batch_from_the_tablet_to_its_unit_labels(
        chromium, live_server, soap_task, make_user, output_dir, db_session):
    from shopfloor.codes import format_code

    context = tablet_context(chromium, live_server, soap_task.token, TABLET_SIZES["portrait"])
    tab = context.new_page()
    tab.goto(f"/t/sign-in/{soap_task.worker.id}")
    tab.keyboard.type(soap_task.worker.code)
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/t/work")
    tab.get_by_role("link", name="Zaczynam").click()
    tab.get_by_role("link", name="Mam wszystko").click()
    for number, (kind, _caption, _settings, entry) in enumerate(STEPS, start=1):
        tab.wait_for_url(f"**/t/work/step/{number}")
        assert worker_axe_violations(tab) == [], number
        if kind == "scan":
            tab.keyboard.type(format_code(soap_task.base_lot.code))
            tab.keyboard.press("Enter")
        elif kind == "measure":
            for key in entry:
                tab.locator(f'[data-key="{key}"]').click()
            tab.get_by_role("button", name="Gotowe").click()
        elif kind == "timer":
            tab.get_by_role("button", name="Włącz zegar").click()
            tab.wait_for_function("() => !document.querySelector('.done-button').disabled",
                                  timeout=15_000)
            tab.get_by_role("button", name="Gotowe").click()
        elif kind == "check":
            tab.get_by_role("button", name="Dobrze").click()
        elif kind == "count":
            for _ in range(entry):
                with tab.expect_response(lambda r: r.url.endswith("/t/events")):
                    tab.get_by_role("button", name="Plus 1").click()
            tab.get_by_role("button", name="Gotowe").click()
        else:
            tab.get_by_role("button", name="Gotowe").click()
        if number == 4:
            tab.screenshot(path=str(output_dir / "soap-tablet-melt-800x1280.png"))
    tab.wait_for_url("**/t/work/end")
    context.close()

    db_session.expire_all()
    readings = [(r["stage"], r["temperature_c"]) for r in soap_task.batch.record["temperatures"]]
    assert readings == [("melt", "58"), ("pour", "61")]  # from the tablet, not typed again
    assert soap_task.batch.good_quantity == 3

    # The office: the readings are in the record; the recipe's lots are weighed in.
    make_user(username="kierownik", password="bardzo tajne hasło", role="manager",
              display_name="Anna Kierownik")
    office = chromium.new_context(base_url=live_server, locale="pl-PL",
                                  viewport={"width": 1280, "height": 800})
    office.set_default_timeout(10_000)
    page = office.new_page()
    page.goto(f"/sign-in?next=/batches/{soap_task.batch.id}")
    page.get_by_label("Nazwa użytkownika").fill("kierownik")
    page.get_by_label("Hasło").fill("bardzo tajne hasło")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url(f"**/batches/{soap_task.batch.id}")
    record = page.locator("form[action$='/record']")
    assert record.get_by_label("Temperatura 1").input_value() == "58"
    assert record.get_by_label("Temperatura 2").input_value() == "61"
    # 100 bars planned, filled to 102 g: 9 996 g of base and 204 g of fragrance.
    for lot, kilograms in ((soap_task.base_lot, "9,996"), (soap_task.oil_lot, "0,204")):
        page.get_by_label("Kod partii materiału").fill(format_code(lot.code))
        page.get_by_label("Zużyta ilość").fill(kilograms)
        page.get_by_role("button", name="Zapisz partię").click()
    panel = page.locator("#soap-recipe").inner_text()
    assert "GB-0412" in panel and "FO-LAW-2611" in panel
    record = page.locator("form[action$='/record']")
    record.get_by_label("Zapakowano").fill("2026-12-06T12:00")
    for row in (1, 2):
        record.get_by_label(f"Masa {row}").fill("101,8")
    record.get_by_label("Powód zmiany").fill("karta ważenia")
    record.get_by_role("button", name="Zapisz", exact=True).click()
    assert "Zaliczone" in page.locator("#check-weighing-verdict").inner_text()
    assert axe_violations(page) == []
    page.screenshot(path=str(output_dir / "soap-batch-1280x800.png"), full_page=True)
    page.get_by_role("button", name="Przekaż do kontroli jakości", exact=True).click()
    page.get_by_role("button", name="Zatwierdź kontrolę jakości", exact=True).click()
    assert "Zakończona" in page.locator("h1").inner_text()

    page.get_by_role("link", name="Etykiety").click()
    text = page.locator("main").inner_text()
    assert "Sodium Stearate, Glycerin, Aqua, Parfum, Linalool" in text
    assert axe_violations(page) == []
    office.close()
