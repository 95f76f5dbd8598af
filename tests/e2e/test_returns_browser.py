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


# ------------------------------------------------------------------ intake to restock

from tests.e2e.test_worker_task_browser import tablet_context  # noqa: E402
from tests.returns.test_repairs import sewing  # noqa: E402,F401 (fixture)

GOOD_EAN = "5901234123457"


def scan_into(tab, text: str) -> None:
    """A hand-held scanner: types into the focused field, then presses Enter."""
    tab.keyboard.type(text)
    tab.keyboard.press("Enter")


def test_a_parcel_is_scanned_in_repaired_on_the_tablet_and_restocked(
        chromium, live_server, sewing, make_user, tmp_path, output_dir, db_session):  # noqa: F811
    from sqlalchemy import select

    from shopfloor.returns.models import ReturnedItem
    from tests.e2e.conftest import worker_axe_violations
    from tests.returns.conftest import defect_photo

    moda, _jacket, _version, worker, token = sewing
    photo = tmp_path / "kurtka.jpg"
    photo.write_bytes(defect_photo())
    make_user(username="ola", password="hasło opiekunki", role="supervisor")
    office = chromium.new_context(base_url=live_server, locale="pl-PL",
                                  viewport={"width": 800, "height": 1280})
    office.set_default_timeout(10_000)
    tab = office.new_page()
    tab.goto(f"/sign-in?next=/returns/intake?batch={moda.batch.id}")
    tab.get_by_label("Nazwa użytkownika").fill("ola")
    tab.get_by_label("Hasło").fill("hasło opiekunki")
    tab.get_by_role("button", name="Zaloguj się").click()
    tab.wait_for_url("**/returns/intake*")
    assert axe_violations(tab) == []
    # The RMA field has the focus; each scan's Enter moves on instead of sending the form.
    assert tab.evaluate("document.activeElement.id") == "rma"
    scan_into(tab, "MW-RMA-40777")
    assert tab.evaluate("document.activeElement.id") == "order_no"
    scan_into(tab, "SKLEP-1234")
    scan_into(tab, "KURTKA-01")
    scan_into(tab, "5901234123450")  # a misread EAN: refused on saving
    assert "/returns/intake" in tab.url and tab.evaluate("document.activeElement.id") == "size"
    tab.locator("#reason").select_option("defect")
    tab.locator("#photos").set_input_files(str(photo))
    tab.locator("form.intake button[type=submit]").click()
    tab.wait_for_load_state("load")
    assert tab.locator("#ean-error").is_visible()
    assert tab.locator("#sku").input_value() == "KURTKA-01"  # nothing typed is lost
    assert axe_violations(tab) == []
    tab.locator("#ean").fill("")
    tab.locator("#ean").focus()
    scan_into(tab, GOOD_EAN)
    tab.locator("#photos").set_input_files(str(photo))
    tab.locator("form.intake button[type=submit]").click()
    tab.wait_for_url(f"**/returns/intake?batch={moda.batch.id}&saved=*")
    saved = tab.locator(".intake-saved")
    assert "MW-RMA-40777" in saved.inner_text()
    item = db_session.scalar(select(ReturnedItem).where(ReturnedItem.rma == "MW-RMA-40777"))
    assert len(item.photos) == 1 and item.ean == GOOD_EAN
    assert saved.locator(f'a[href="/returns/{item.id}/tag.pdf"]').count() == 1
    assert tab.locator("#rma").input_value() == ""  # ready for the next parcel
    assert tab.locator("#batch_id").input_value() == str(moda.batch.id)
    tab.screenshot(path=str(output_dir / "returns-intake-800x1280.png"), full_page=True)

    tab.goto(f"/returns/{item.id}")
    tab.locator("#defect_code").select_option("M04")
    tab.locator("#zone-a").check()
    tab.locator("form[action$='/defect'] button").click()
    tab.wait_for_url(f"**/returns/{item.id}")
    tab.locator("#disposition").select_option("repair")
    tab.locator("form[action$='/disposition'] button").click()
    tab.wait_for_url(f"**/returns/{item.id}")

    sewer = tablet_context(chromium, live_server, token, (800, 1280))
    pad = sewer.new_page()
    pad.goto("/t/")
    pad.get_by_role("link", name=worker.first_name).click()
    pad.wait_for_url(f"**/t/sign-in/{worker.id}")
    scan_into(pad, worker.code)
    pad.wait_for_url("**/t/work")
    pad.locator('a[href="/t/repair/"]').click()
    pad.wait_for_url("**/t/repair/")
    assert worker_axe_violations(pad) == []
    scan_into(pad, item.item_code)  # the scanner reads the item's tag
    pad.wait_for_url(f"**/t/repair/{item.id}")
    assert worker_axe_violations(pad) == []
    pad.locator("a.done-button").click()
    pad.wait_for_url(f"**/t/repair/{item.id}/step/1")
    assert worker_axe_violations(pad) == []
    pad.screenshot(path=str(output_dir / "repair-step-800x1280.png"), full_page=True)
    pad.locator("button.done-button").click()
    pad.wait_for_url(f"**/t/repair/{item.id}/step/2")
    assert worker_axe_violations(pad) == []
    pad.locator("button.check-good").click()
    pad.wait_for_url(f"**/t/repair/{item.id}/done")
    assert worker_axe_violations(pad) == []
    sewer.close()

    tab.goto(f"/returns/{item.id}")
    tab.locator("button[value='pass']").click()
    tab.wait_for_url(f"**/returns/{item.id}#decision")
    assert axe_violations(tab) == []
    tab.locator("form.inline-form #disposition").select_option("restock")
    tab.locator("form.inline-form button").click()
    tab.wait_for_url(f"**/returns/{item.id}")
    office.close()
    db_session.expire_all()
    assert (item.disposition, item.reinspection_passed, item.repaired_by) == (
        "restock", True, worker.id)
