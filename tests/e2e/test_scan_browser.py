"""The scan screen in Chromium: a wedge scanner's burst + Enter, one tap to move a batch,
and many scans in a row each marked accepted or refused; axe-core finds nothing."""

from __future__ import annotations

import pytest

from shopfloor.codes import format_code
from tests.e2e.conftest import TABLET_SIZES, axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def supervisor_page(page, make_user):
    make_user(username="opiekun", password="hasło opiekuna 1", role="supervisor",
              display_name="Piotr Opiekun")
    page.goto("/sign-in?next=/scan")
    page.get_by_label("Nazwa użytkownika").fill("opiekun")
    page.get_by_label("Hasło").fill("hasło opiekuna 1")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/scan")
    return page


def test_scan_then_one_tap_releases_the_batch(supervisor_page, make_batch, output_dir):
    page = supervisor_page
    batch = make_batch(releasable=True)
    field = page.get_by_label("Zeskanuj etykietę")
    assert field.evaluate("el => el === document.activeElement")
    assert axe_violations(page) == []
    # A keyboard-wedge scanner: a fast burst of characters ending in Enter.
    page.keyboard.type(batch.code.lower(), delay=5)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Zwolnij").wait_for()
    assert format_code(batch.code) in page.locator(".scan-result h2").inner_text()
    assert axe_violations(page) == []
    for width, height in TABLET_SIZES.values():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(output_dir / f"scan-result-{width}x{height}.png"))
    page.get_by_role("button", name="Zwolnij").click()
    page.wait_for_url("**/scan")
    assert "Zwolniona" in page.get_by_role("status").first.inner_text()
    assert page.get_by_label("Zeskanuj etykietę").evaluate("el => el === document.activeElement")


def test_many_in_a_row_marks_each_scan(supervisor_page, make_batch):
    page = supervisor_page
    batches = [make_batch(releasable=True) for _ in range(2)]
    page.get_by_label("Wiele po kolei").check()
    page.get_by_label("Zeskanuj etykietę").focus()
    for raw in (batches[0].code, "B2345678", batches[1].code):
        page.keyboard.type(raw, delay=5)
        page.keyboard.press("Enter")
    lines = page.locator("#scan-log li")
    # Each scan takes its line at once, in scan order; answers fill the lines in.
    lines.nth(2).wait_for()
    page.locator("#scan-log li.scan-pending").first.wait_for(state="detached")
    texts = lines.all_inner_texts()
    assert texts[0].startswith("✔") and batches[1].code in texts[0]
    assert texts[1].startswith("✖")
    assert texts[2].startswith("✔") and batches[0].code in texts[2]
    assert axe_violations(page) == []
