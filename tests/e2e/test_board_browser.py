"""The live board redraws itself: a help call made on a tablet appears without a reload."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_a_new_help_call_appears_by_itself(page, floor, make_user):
    from shopfloor.floor.services import call_help

    make_user(username="ola", password="hasło opiekunki", role="supervisor")
    page.goto("/sign-in?next=/board")
    page.get_by_label("Nazwa użytkownika").fill("ola")
    page.get_by_label("Hasło").fill("hasło opiekunki")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/board")
    assert page.locator("#no-calls").is_visible()
    page.evaluate("window.__marker = 1")  # survives only if the page is not reloaded
    call_help(floor.session, floor.batch, floor.steps["do"], str(uuid.uuid4()))
    page.locator("li.help-call", has_text="Kasia").wait_for(timeout=12_000)
    assert page.evaluate("window.__marker") == 1
    assert page.get_by_role("button", name="Idę").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Idę").click()
    page.wait_for_url("**/board")
    assert "W drodze" in page.locator("#help-calls").inner_text()
