"""In Chromium: order -> batch -> lot consumed -> shipped -> delivery note downloaded,
with axe-core checking each office page on the way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(make_partner, make_product, make_lot, make_user, make_soap_version):
    from shopfloor.partners.services import ContactData

    make_user(username="kierownik", password="bardzo tajne hasło", role="manager",
              display_name="Anna Kierownik")
    partner = make_partner(name="Hotel Pod Lipą S.A.", lines=["soap"],
                           contacts=[ContactData("Ewa Recepcja", email="ewa@lipa.example")])
    product = make_product(code="MYD-100", line="soap")
    version = make_soap_version(product=product)
    fragrance, base = (item.ingredient.material for item in reversed(version.items))
    lot = make_lot(quantity="20", supplier_lot="FO-LAW-2611", material=fragrance)
    base_lot = make_lot(quantity="20", supplier_lot="GB-0412", material=base)
    return partner, product, lot, base_lot


def sign_in(page):
    page.goto("/sign-in")
    page.get_by_label("Nazwa użytkownika").fill("kierownik")
    page.get_by_label("Hasło").fill("bardzo tajne hasło")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/")


def no_violations(page):
    assert axe_violations(page) == [], page.url


def click_button(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def test_order_to_delivery_note_in_the_browser(page, catalogue, output_dir):
    from shopfloor.timeutil import local_today

    partner, product, lot, base_lot = catalogue
    sign_in(page)
    no_violations(page)

    page.get_by_role("navigation").get_by_role("link", name="Zamówienia").click()
    no_violations(page)
    page.get_by_role("link", name="Nowe zamówienie").click()
    page.get_by_label("Partner", exact=True).select_option(label=partner.name)
    page.get_by_label("Numer zamówienia partnera").fill("HPL/2026/118")
    page.get_by_label("Produkt 1").select_option(value=str(product.id))
    page.get_by_label("Ilość 1").fill("40")
    due = (local_today() + timedelta(days=10)).isoformat()
    page.get_by_label("Termin 1").fill(due)
    no_violations(page)
    click_button(page, "Zapisz")
    assert "zapisano jako szkic" in page.get_by_role("status").inner_text()
    no_violations(page)
    click_button(page, "Potwierdź")
    assert "Potwierdzone" in page.locator("h1").inner_text()

    page.get_by_role("link", name="Zaplanuj partię").click()
    assert page.get_by_label("Ilość do wykonania").input_value() == "40"
    no_violations(page)
    click_button(page, "Zaplanuj")
    assert "Zaplanowana" in page.locator("h1").inner_text()
    no_violations(page)

    # The record: the recipe version, then the base and fragrance weighed from their lots.
    page.get_by_label("Wersja receptury").select_option(index=1)
    today = local_today().isoformat()
    for row, (stage, temperature, at) in enumerate((("melt", "58,5", "09:00"),
                                                    ("pour", "61", "09:40")), start=1):
        page.get_by_label(f"Etap {row}").select_option(value=stage)
        page.get_by_label(f"Temperatura {row}").fill(temperature)
        page.get_by_label(f"Czas {row}").fill(f"{today}T{at}")
    click_button(page, "Zapisz")
    assert "Zapis partii zapisany" in page.get_by_role("status").inner_text()
    # 40 bars filled to 102 g: 3 998.4 g of base and 81.6 g of fragrance planned.
    for code, kilograms in ((lot.code.lower(), "0,082"), (base_lot.code, "3,998")):
        page.get_by_label("Kod partii materiału").fill(code)
        page.get_by_label("Zużyta ilość").fill(kilograms)
        click_button(page, "Zapisz partię")
    assert "FO-LAW-2611" in page.locator("main").inner_text()
    no_violations(page)
    for action in ("Zwolnij", "Rozpocznij"):
        click_button(page, action)
    page.get_by_label("Liczba dobrych sztuk").fill("40")
    click_button(page, "Zapisz wynik")
    record = page.locator("form[action$='/record']")
    record.get_by_label("Zapakowano").fill(f"{today}T12:00")
    for row in range(1, 3):
        record.get_by_label(f"Masa {row}").fill("102,4")
    record.get_by_label("Powód zmiany").fill("karta ważenia")
    record.get_by_role("button", name="Zapisz", exact=True).click()
    assert "Zaliczone" in page.locator("#check-weighing-verdict").inner_text()
    no_violations(page)
    click_button(page, "Przekaż do kontroli jakości")
    click_button(page, "Zatwierdź kontrolę jakości")
    assert "Zakończona" in page.locator("h1").inner_text()
    no_violations(page)

    page.locator("dl.facts a[href^='/orders/']").first.click()
    assert "Gotowe do wysyłki" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Wyślij", exact=True).click()
    no_violations(page)
    page.get_by_role("textbox", name="Ilość z partii").fill("40")
    page.get_by_label("Przewoźnik").fill("DPD")
    click_button(page, "Zapisz wysyłkę i wystaw WZ")
    assert f"WZ/{local_today().year}/0001" in page.locator("h1").inner_text()
    no_violations(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(output_dir / "shipment-1280x800.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Pobierz dokument WZ (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"WZ-{local_today().year}-0001.pdf"
    path = output_dir / download.suggested_filename
    download.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Hotel Pod Lipą S.A." in text and "FO-LAW-2611" in text
    assert "40" in text

    # The trace page finds the partner from the supplier's lot number.
    page.get_by_role("navigation").get_by_role("link", name="Identyfikowalność").click()
    page.get_by_label("Kod partii materiału, numer partii dostawcy").fill("FO-LAW-2611")
    click_button(page, "Prześledź")
    assert "Ewa Recepcja" in page.locator("main").inner_text()
    no_violations(page)
    page.screenshot(path=str(output_dir / "trace-1280x800.png"), full_page=True)
    page.set_viewport_size({"width": 800, "height": 1280})
    page.goto("/")
    no_violations(page)
    page.screenshot(path=str(output_dir / "dashboard-800x1280.png"), full_page=True)
