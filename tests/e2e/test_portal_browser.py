"""In Chromium: a partner's person signs in, reads the order list on a phone (390x844) and a
desktop (1280x800), opens an order, makes a status link, and a colleague opens it without an
account; axe-core checks each page."""

from __future__ import annotations

import pytest

from shopfloor.codes import format_code
from tests.e2e.conftest import axe_violations
from tests.portal.conftest import PASSWORD, make_partner_user, two_partners  # noqa: F401
from tests.shipping.test_shipments import finished_batch, ship  # noqa: F401

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def alfa_orders(two_partners, finished_batch, manager):  # noqa: F811
    """Partner A's order half made and partly shipped, the forecast computed."""
    from shopfloor.database import utcnow
    from shopfloor.planning.services import recompute_forecasts

    _order, batch = finished_batch(order=two_partners.alfa_order, good="100", quantity="100")
    ship(two_partners.alfa_order, batch, "60", manager)
    recompute_forecasts(utcnow())
    return two_partners


def sign_in(tab, user):
    tab.goto("/sign-in")
    tab.get_by_label("Nazwa użytkownika").fill(user.username)
    tab.get_by_label("Hasło").fill(PASSWORD)
    tab.get_by_role("button", name="Zaloguj się").click()
    tab.wait_for_load_state("load")
    tab.goto("/portal/")


def no_sideways_scrolling(tab):
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= tab.viewport_size["width"], (tab.url, width)


def test_partner_reads_orders_on_a_phone_and_a_desktop(chromium, live_server, alfa_orders,
                                                       output_dir):
    data = alfa_orders
    code = format_code(data.alfa_order.code)
    context = chromium.new_context(base_url=live_server, locale="pl-PL", viewport=PHONE)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    sign_in(tab, data.alfa_user)
    assert tab.locator("h1").inner_text() == "Your orders"
    card = tab.locator("table.portal-orders tbody tr").first
    assert code in card.inner_text() and "ALFA/77" in card.inner_text()
    # On a phone each order is a card: the column names stand beside the values.
    assert card.evaluate("row => getComputedStyle(row).display") == "block"
    no_sideways_scrolling(tab)
    assert axe_violations(tab) == []
    tab.screenshot(path=str(output_dir / "portal-orders-390x844.png"), full_page=True)

    tab.set_viewport_size(DESKTOP)
    assert card.evaluate("row => getComputedStyle(row).display") == "table-row"
    assert axe_violations(tab) == []
    tab.screenshot(path=str(output_dir / "portal-orders-1280x800.png"), full_page=True)

    tab.get_by_role("link", name=code).click()
    tab.wait_for_load_state("load")
    assert code in tab.locator("h1").inner_text()
    assert tab.get_by_role("progressbar", name="Made for line 1").get_attribute("value") == "50"
    assert "WZ/" in tab.locator("main").inner_text()
    assert axe_violations(tab) == []
    tab.screenshot(path=str(output_dir / "portal-order-1280x800.png"), full_page=True)
    tab.set_viewport_size(PHONE)
    no_sideways_scrolling(tab)
    tab.screenshot(path=str(output_dir / "portal-order-390x844.png"), full_page=True)

    tab.get_by_role("button", name="Make a status link").click()
    tab.wait_for_load_state("load")
    link = tab.get_by_label("Status link").input_value()
    assert "Valid until" in tab.locator("#share").inner_text()
    assert axe_violations(tab) == []
    context.close()

    # A colleague without an account, on a phone.
    colleague = chromium.new_context(base_url=live_server, locale="pl-PL", viewport=PHONE)
    colleague.set_default_timeout(10_000)
    other = colleague.new_page()
    other.goto("/status/" + link.split("/status/", 1)[1])
    assert code in other.locator("h1").inner_text()
    assert data.alfa.name in other.locator("main").inner_text()
    no_sideways_scrolling(other)
    assert axe_violations(other) == []
    other.screenshot(path=str(output_dir / "portal-status-link-390x844.png"), full_page=True)
    colleague.close()
