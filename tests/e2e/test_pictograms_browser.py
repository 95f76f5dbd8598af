"""Pictograms in a real browser: they draw, the editor previews the one chosen, the About
page that credits them passes axe-core."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_the_about_page_passes_axe_without_signing_in(page):
    page.goto("/sign-in")
    page.locator('footer a[href="/about"]').click()
    page.wait_for_url("**/about")
    assert "OpenMoji (openmoji.org)" in page.locator("main").inner_text()
    assert axe_violations(page) == []


def test_the_editor_shows_the_chosen_pictogram_before_and_after_saving(page, make_user):
    from shopfloor.instructions.services import StepData, add_step, create_instruction

    author = make_user(username="ola", password="hasło opiekunki", role="supervisor")
    draft = create_instruction("Mydło lawendowe", author, line="soap").versions[0]
    step = add_step(draft, StepData("do", "Wlej bazę.", "Dzbanek"), author)
    page.goto(f"/sign-in?next=/instructions/versions/{draft.id}")
    page.get_by_label("Nazwa użytkownika").fill("ola")
    page.get_by_label("Hasło").fill("hasło opiekunki")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url(f"**/instructions/versions/{draft.id}")

    preview = page.locator(f"#pictogram-{step.id}-preview")
    assert preview.is_hidden()
    page.locator(f"#pictogram-{step.id}").select_option("pour")
    preview.wait_for(state="visible")
    page.wait_for_function(
        "id => document.getElementById(id).complete", arg=f"pictogram-{step.id}-preview")
    # A pictogram that failed to load (wrong type, blocked) has no natural size.
    assert preview.evaluate("img => img.naturalWidth") > 0
    box = preview.bounding_box()
    assert round(box["width"]) == 48 and round(box["height"]) == 48

    page.locator(f"#step-{step.id}").get_by_role("button", name="Zapisz krok").click()
    page.wait_for_url(f"**/instructions/versions/{draft.id}#step-{step.id}")
    assert "/pictograms/pour.svg?v=" in preview.get_attribute("src")
    assert preview.evaluate("img => img.naturalWidth") > 0
    assert axe_violations(page) == []

    page.locator(f"#pictogram-{step.id}").select_option("")
    assert preview.is_hidden()
