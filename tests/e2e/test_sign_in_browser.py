"""A person signs in with a real browser; the pages reached pass axe-core."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import TABLET_SIZES, axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(app):
    from shopfloor.core.demo import load_demo_data

    load_demo_data()


def test_demo_manager_signs_in_and_the_page_reached_has_no_axe_violation(
        page, demo_data, output_dir):
    page.goto("/")
    assert page.url.endswith("/sign-in?next=/")
    assert page.locator("h1").inner_text() == "Zaloguj się"
    assert axe_violations(page) == []

    page.get_by_label("Nazwa użytkownika").fill("manager")
    page.get_by_label("Hasło").fill("manager-demo")
    page.get_by_role("button", name="Zaloguj się").click()

    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() == "Dzień dobry, Marta Kowalczyk"
    nav = page.get_by_role("navigation", name="Menu główne")
    assert nav.get_by_role("link", name="Konta pracowników").is_visible()
    assert axe_violations(page) == []

    for name, (width, height) in TABLET_SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(output_dir / f"start-page-manager-{width}x{height}.png"),
                        full_page=True)
        assert axe_violations(page) == [], name


def test_a_wrong_password_is_announced_next_to_the_form(page, demo_data, output_dir):
    page.goto("/sign-in")
    page.get_by_label("Nazwa użytkownika").fill("manager")
    page.get_by_label("Hasło").fill("wrong password")
    page.get_by_role("button", name="Zaloguj się").click()
    alert = page.get_by_role("alert")
    assert alert.inner_text() == "Nieprawidłowa nazwa użytkownika lub hasło."
    assert page.get_by_label("Nazwa użytkownika").input_value() == "manager"
    assert axe_violations(page) == []
    for width, height in TABLET_SIZES.values():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(output_dir / f"sign-in-error-{width}x{height}.png"))


def test_staff_pages_pass_axe_and_a_manager_adds_a_supervisor(page, demo_data):
    page.goto("/sign-in")
    page.get_by_label("Nazwa użytkownika").fill("manager")
    page.get_by_label("Hasło").fill("manager-demo")
    page.get_by_role("button", name="Zaloguj się").click()
    page.get_by_role("navigation").get_by_role("link", name="Konta pracowników").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Nowe konto").click()
    page.get_by_label("Nazwa użytkownika").fill("ola")
    page.get_by_label("Imię i nazwisko").fill("Ola Zielińska")
    page.get_by_label("Rola").select_option("supervisor")
    page.get_by_label("Hasło").fill("short")
    page.get_by_role("button", name="Zapisz").click()
    assert "co najmniej 10 znaków" in page.locator("#password-error").inner_text()
    assert page.get_by_label("Imię i nazwisko").input_value() == "Ola Zielińska"
    assert axe_violations(page) == []
    page.get_by_label("Hasło").fill("a long enough password")
    page.get_by_role("button", name="Zapisz").click()
    assert page.get_by_role("cell", name="Ola Zielińska").is_visible()
    page.get_by_role("link", name="Moje konto: Marta Kowalczyk").click()
    assert page.locator("h1").inner_text() == "Moje konto"
    assert axe_violations(page) == []


def test_english_is_one_tap_away(page):
    page.goto("/sign-in")
    page.get_by_role("button", name="English").click()
    assert page.locator("h1").inner_text() == "Sign in"
    assert page.locator("html").get_attribute("lang") == "en"
    assert axe_violations(page) == []
