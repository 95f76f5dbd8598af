"""The step recorder in Chromium: record from a (fake) microphone, hear it back, save it with
the step; a blocked microphone gives a visible message and the file input still works."""

from __future__ import annotations

import io
import wave
from array import array
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, axe_violations

pytestmark = pytest.mark.browser

# Chromium's built-in test microphone (a beeping tone); the second flag grants it without
# a permission prompt.
FAKE_MICROPHONE = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture
def draft_step(make_user):
    from shopfloor.instructions.services import StepData, add_step, create_instruction

    author = make_user(username="opiekun", password="hasło opiekuna 1", role="supervisor",
                       language="en")
    instruction = create_instruction("Mydło lawendowe", author)
    return add_step(instruction.versions[0], StepData("do", "Weź formę.", "Forma", "take"), author)


def open_editor(browser, live_server, draft_step, **context_options):
    context = browser.new_context(base_url=live_server, locale="pl-PL",
                                  viewport={"width": 1280, "height": 800},
                                  **context_options)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.goto("/sign-in")
    tab.get_by_label("Nazwa użytkownika").fill("opiekun")
    tab.get_by_label("Hasło").fill("hasło opiekuna 1")
    tab.get_by_role("button", name="Zaloguj się").click()
    tab.wait_for_url("**/")
    tab.goto(f"/instructions/versions/{draft_step.instruction_version_id}")
    return tab, tab.locator(f"#step-{draft_step.id}")


def test_a_supervisor_records_a_clip_and_saves_it_with_the_step(
        chromium, live_server, draft_step, db_session, app, output_dir):
    browser = chromium.browser_type.launch(executable_path=CHROMIUM, headless=True,
                                           args=CHROMIUM_ARGS + FAKE_MICROPHONE)
    try:
        tab, card = open_editor(browser, live_server, draft_step, permissions=["microphone"])
        record = card.get_by_role("button", name="Record")
        assert record.bounding_box()["height"] >= 48
        record.click()
        card.get_by_text("Recording. Speak now, then tap Stop.").wait_for()
        tab.wait_for_timeout(1500)
        card.get_by_role("button", name="Stop").click()
        card.get_by_text("Recorded. Save the step to keep the clip.").wait_for()
        assert card.locator(".recorder-preview").is_visible()
        assert card.locator('input[name="audio"]').evaluate("input => input.files.length") == 1
        assert axe_violations(tab) == []
        card.screenshot(path=str(output_dir / "recorder-recorded.png"))
        card.get_by_role("button", name="Save step").click()
        tab.wait_for_load_state("load")
        card.locator("audio[src*='/instructions/audio/']").wait_for()
    finally:
        browser.close()

    from shopfloor.instructions.models import InstructionStep

    db_session.expire_all()
    name = db_session.get(InstructionStep, draft_step.id).audio
    path = Path(app.instance_path) / "uploads" / "instructions" / name
    with wave.open(io.BytesIO(path.read_bytes())) as clip:
        assert (clip.getnchannels(), clip.getframerate()) == (1, 16_000)
        assert 1.0 < clip.getnframes() / 16_000 < 5.0
        samples = array("h", clip.readframes(clip.getnframes()))
    assert max(samples) > 1000  # the fake microphone's beep was recorded, not silence


def test_a_blocked_microphone_says_so_and_the_file_input_still_works(
        chromium, live_server, draft_step):
    browser = chromium.browser_type.launch(executable_path=CHROMIUM, headless=True,
                                           args=CHROMIUM_ARGS + FAKE_MICROPHONE[:1])
    try:
        tab, card = open_editor(browser, live_server, draft_step)
        tab.context.clear_permissions()
        card.get_by_role("button", name="Record").click()
        card.get_by_text("The microphone is blocked.", exact=False).wait_for()
        assert card.get_by_role("button", name="Record").is_enabled()
        assert card.get_by_label("Choose a WAV file").is_enabled()
    finally:
        browser.close()
