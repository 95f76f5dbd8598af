"""In Chromium: the office photographs a returned jacket's defect and asks the partner; the
partner's person answers on a phone; axe-core checks every page of it."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe_violations
from tests.e2e.test_portal_browser import DESKTOP, PHONE, no_sideways_scrolling, sign_in
from tests.portal.conftest import make_partner_user  # noqa: F401 (fixture)
from tests.returns.conftest import returns  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def photo_shown(image) -> bool:
    """Whether the (lazily loaded) photo arrives and decodes once it is on screen."""
    image.scroll_into_view_if_needed()
    image.page.wait_for_function("i => i.complete && i.naturalWidth > 0",
                                 arg=image.element_handle())
    return image.evaluate("i => i.naturalWidth") > 0


def test_the_office_asks_and_the_partner_answers_on_a_phone(
        chromium, live_server, returns, make_user, tmp_path, output_dir, db_session):  # noqa: F811
    from tests.returns.conftest import defect_photo

    item = returns.items[0]
    photo = tmp_path / "zamek.jpg"
    photo.write_bytes(defect_photo())
    make_user(username="ola", password="hasło opiekunki", role="supervisor")
    office = chromium.new_context(base_url=live_server, locale="pl-PL", viewport=DESKTOP)
    office.set_default_timeout(10_000)
    tab = office.new_page()
    tab.goto(f"/sign-in?next=/batches/{returns.batch.id}")
    tab.get_by_label("Nazwa użytkownika").fill("ola")
    tab.get_by_label("Hasło").fill("hasło opiekunki")
    tab.get_by_role("button", name="Zaloguj się").click()
    tab.wait_for_url(f"**/batches/{returns.batch.id}")
    tab.locator("#returned-items").get_by_role("link").first.click()
    tab.wait_for_url(f"**/returns/{item.id}")
    assert axe_violations(tab) == []
    tab.get_by_label("Zdjęcie", exact=True).set_input_files(str(photo))
    tab.get_by_label("Co pokazuje zdjęcie").fill("Rozdarty zamek")
    tab.get_by_role("button", name="Dodaj zdjęcie").click()
    tab.wait_for_url(f"**/returns/{item.id}#photos")
    assert "Rozdarty zamek" in tab.locator("#photos").inner_text()
    assert photo_shown(tab.locator("ul.photo-grid img").first)
    tab.get_by_label("Pytanie, z kosztem naprawy").fill("Zamek rozdarty. Naprawa 25 zł?")
    tab.get_by_role("button", name="Zapytaj partnera").click()
    tab.wait_for_url(f"**/returns/{item.id}")
    assert "Czeka na partnera" in tab.locator("h1").inner_text()
    assert axe_violations(tab) == []
    tab.screenshot(path=str(output_dir / "returns-office-1280x800.png"), full_page=True)
    office.close()

    partner = chromium.new_context(base_url=live_server, locale="pl-PL", viewport=PHONE)
    partner.set_default_timeout(10_000)
    tab = partner.new_page()
    sign_in(tab, returns.orderer)
    tab.get_by_role("link", name="Zwroty").click()
    tab.wait_for_url("**/portal/returns/")
    assert "Czeka na Twoją decyzję" in tab.locator("tbody tr").first.inner_text()
    no_sideways_scrolling(tab)
    assert axe_violations(tab) == []
    tab.locator("tbody tr").first.get_by_role("link").click()
    tab.wait_for_url(f"**/portal/returns/{item.id}")
    assert photo_shown(tab.locator("ul.photo-grid img").first)
    no_sideways_scrolling(tab)
    assert axe_violations(tab) == []
    tab.screenshot(path=str(output_dir / "returns-portal-390x844.png"), full_page=True)
    tab.get_by_label("Uwagi dla nas (nieobowiązkowe)").fill("Proszę naprawić.")
    tab.get_by_role("button", name="Naprawa").click()
    tab.wait_for_url(f"**/portal/returns/{item.id}")
    assert "Dziękujemy" in tab.locator("main").inner_text()
    assert axe_violations(tab) == []
    partner.close()
    db_session.expire_all()
    assert (item.status, item.disposition) == ("decided", "repair")
