"""A whole task on a station tablet in Chromium: the photo screen, sign-in with the badge,
my work now, materials, every kind of step, a help call answered on the live board, the end.

Every worker screen is checked with axe (target-size at 48 px), for the Help button in the
same box, for no typing field, and for a Done button at least half the screen wide;
screenshots of each screen are kept in test-output/ at both tablet sizes.
"""

from __future__ import annotations

import re

import pytest

from shopfloor.stations.views import STATION_COOKIE
from tests.conftest import floor_photo
from tests.e2e.conftest import TABLET_SIZES, WORKER_TARGET_PX, worker_axe_violations

pytestmark = pytest.mark.browser

TIMER_MINUTES = 0.05
TARGET_GAP_PX = 8  # three seconds: the countdown is real, the test stays short


@pytest.fixture
def task(floor, manager, make_lot, db_session):
    """The floor's instruction with a short timer step added, a worker photo, and a lot."""
    from shopfloor.instructions.services import (
        StepData,
        add_step,
        move_step,
        new_draft,
        publish_version,
        set_step_photo,
    )
    from shopfloor.workers.services import set_worker_photo

    draft = new_draft(floor.instruction, manager)
    timer = add_step(draft, StepData("timer", "Poczekaj. Mydło stygnie.", "Mydło w formie", "wait",
                                     settings={"minutes": TIMER_MINUTES}), manager)
    set_step_photo(timer, floor_photo(), manager)
    move_step(timer, 3, manager)
    publish_version(draft, manager)
    floor.batch.instruction_version_id = draft.id
    db_session.commit()
    set_worker_photo(floor.worker, floor_photo(), manager)
    floor.lot = make_lot()
    floor.kinds = [s.kind for s in draft.steps]
    return floor


def tablet_context(chromium, live_server, token: str, size: tuple[int, int]):
    context = chromium.new_context(base_url=live_server, locale="pl-PL",
                                   viewport={"width": size[0], "height": size[1]})
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": STATION_COOKIE, "value": token, "url": live_server}])
    # The tablet's speech, recorded instead of spoken: a headless browser has no voice,
    # and the test checks what would have been said.
    context.add_init_script("""Object.defineProperty(window, "speechSynthesis", {
        configurable: true, value: {spoken: [], cancel() {}, getVoices() { return []; },
                                    speak(u) { this.spoken.push([u.lang, u.text]); }}});""")
    return context


class ScreenChecks:
    """The checks every worker screen passes, and its screenshot."""

    def __init__(self, output_dir, size_name: str):
        self.output_dir = output_dir
        self.size_name = size_name
        self.help_box = None
        self.count = 0

    def __call__(self, tab, name: str) -> None:
        tab.wait_for_load_state("load")
        self.count += 1
        tab.screenshot(path=str(self.output_dir / f"worker-{self.size_name}-"
                                                   f"{self.count:02d}-{name}.png"),
                       full_page=True)
        assert worker_axe_violations(tab) == [], name
        box = tab.locator("[data-help]").bounding_box()
        assert box is not None, name
        if self.help_box is None:
            self.help_box = box
        assert box == self.help_box, f"Help moved on {name}"
        typing = tab.locator('input:not([type="hidden"]):not([type="file"]), textarea, '
                             '[contenteditable="true"]')
        assert typing.count() == 0, name
        width = tab.viewport_size["width"]
        done = tab.locator(".done-button")
        if done.count():
            assert done.bounding_box()["width"] >= width / 2, name
        boxes = []
        for target in tab.locator("main button:visible, main a:visible, header button").all():
            target_box = target.bounding_box()
            assert target_box["width"] >= WORKER_TARGET_PX - 0.5, (name, target.inner_text())
            assert target_box["height"] >= WORKER_TARGET_PX - 0.5, (name, target.inner_text())
            boxes.append((target.inner_text(), target_box))
        # accessibility.md B3: at least 8 px between two targets, so a tap meant for one
        # never lands on its neighbour.
        for i, (text_a, a) in enumerate(boxes):
            for text_b, b in boxes[i + 1:]:
                apart = max(b["x"] - (a["x"] + a["width"]), a["x"] - (b["x"] + b["width"]),
                            b["y"] - (a["y"] + a["height"]), a["y"] - (b["y"] + b["height"]))
                assert apart >= TARGET_GAP_PX - 0.5, (name, text_a, text_b, apart)


def test_a_worker_does_a_whole_task_and_a_supervisor_answers_help(
        chromium, live_server, task, make_user, output_dir):
    from shopfloor.codes import format_code

    checks = ScreenChecks(output_dir, "portrait")
    context = tablet_context(chromium, live_server, task.token, TABLET_SIZES["portrait"])
    tab = context.new_page()

    tab.goto("/t/")
    checks(tab, "home")
    tab.get_by_role("link", name="Kasia").click()
    tab.wait_for_url(f"**/t/sign-in/{task.worker.id}")
    checks(tab, "badge")
    # The hand-held scanner types the badge code and presses Enter.
    tab.keyboard.type(task.worker.code)
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/t/work")
    checks(tab, "my-work")
    tab.get_by_role("link", name="Zaczynam").click()
    tab.wait_for_url("**/t/work/start")
    checks(tab, "materials")
    tab.get_by_role("link", name="Mam wszystko").click()

    total = len(task.kinds)
    for number, kind in enumerate(task.kinds, start=1):
        tab.wait_for_url(f"**/t/work/step/{number}")
        assert tab.locator(".position-text").inner_text() == f"Krok {number} z {total}"
        assert tab.locator(".dot-done").count() == number - 1
        checks(tab, f"step-{number}-{kind}")
        if kind == "do":
            # Without a recorded clip the caption is read by Polish speech synthesis.
            tab.evaluate("() => { window.speechSynthesis.spoken = []; }")
            tab.get_by_role("button", name="Posłuchaj").click()
            assert tab.evaluate("() => window.speechSynthesis.spoken") == [
                ["pl-PL", "Weź formę. Postaw ją na stole."]]
            ask_for_help_and_get_an_answer(chromium, live_server, tab, make_user)
            checks(tab, "help-answered")
            tab.get_by_role("button", name="Gotowe").click()
        elif kind == "count":
            plus = tab.get_by_role("button", name="Plus 1")
            for _ in range(3):
                plus.click()
            tab.get_by_role("button", name="Minus 1").click()  # one down by mistake: 2
            tab.wait_for_function(
                "() => document.querySelectorAll('.block.filled').length === 2")

            def take_back(shown: str) -> None:
                # Wait for the server's answer, not only the figure drawn at the tap.
                with tab.expect_response(lambda r: r.url.endswith("/t/events")
                                         and '"undo"' in (r.request.post_data or "")):
                    tab.get_by_role("button", name="Cofnij").click()
                tab.wait_for_function(
                    f"() => document.querySelector('[data-count]').textContent === '{shown}'")

            take_back("3")  # the last tap was the -1: taking it back counts up
            take_back("2")  # then the +1 before it
            assert tab.locator(".block.filled").count() == 2
            tab.get_by_role("button", name="Gotowe").click()
        elif kind == "timer":
            done = tab.get_by_role("button", name="Gotowe")
            assert done.is_disabled()
            tab.get_by_role("button", name="Włącz zegar").click()
            tab.wait_for_function("() => !document.querySelector('.done-button').disabled",
                                  timeout=15_000)
            assert "Czas minął" in tab.locator("[data-timer-message]").inner_text()
            done.click()
        elif kind == "measure":
            done = tab.get_by_role("button", name="Gotowe")
            assert done.is_disabled()
            for key in ("1", "2", "0"):
                tab.locator(f'[data-key="{key}"]').click()
            done.click()
            tab.wait_for_url(f"**/t/work/step/{number}")
            assert "120 to za dużo" in tab.locator("[role=alert]").inner_text()
            # The refusal is read aloud as well.
            tab.wait_for_function("() => window.speechSynthesis.spoken.length > 0")
            assert tab.evaluate("() => window.speechSynthesis.spoken")[0] == [
                "pl-PL", "120 to za dużo. Zawołaj opiekuna."]
            checks(tab, "measure-out-of-range")
            for key in ("9", "9"):
                tab.locator(f'[data-key="{key}"]').click()
            tab.get_by_role("button", name="Gotowe").click()
        elif kind == "scan":
            tab.keyboard.type(format_code(task.lot.code))
            tab.keyboard.press("Enter")
        elif kind == "check":
            tab.get_by_role("button", name="Dobrze").click()

    tab.wait_for_url("**/t/work/end")
    assert tab.get_by_role("heading", name="Brawo!").is_visible()
    checks(tab, "end")
    tab.get_by_role("button", name="Koniec pracy").click()
    tab.wait_for_url("**/t/")
    context.close()
    assert checks.count >= 12

    # The same screens at the landscape size, checked and kept too.
    landscape = ScreenChecks(output_dir, "landscape")
    context = tablet_context(chromium, live_server, task.token, TABLET_SIZES["landscape"])
    tab = context.new_page()
    tab.goto("/t/")
    landscape(tab, "home")
    tab.goto(f"/t/sign-in/{task.worker.id}")
    landscape(tab, "badge")
    tab.keyboard.type(task.worker.code)
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/t/work")
    landscape(tab, "my-work")
    tab.goto("/t/work/start")
    landscape(tab, "materials")
    for number, kind in enumerate(task.kinds, start=1):
        tab.goto(f"/t/work/step/{number}")
        landscape(tab, f"step-{number}-{kind}")
    tab.goto("/t/work/end")
    landscape(tab, "end")
    context.close()


def ask_for_help_and_get_an_answer(chromium, live_server, tab, make_user):
    """Tap Help on the tablet; a supervisor answers "I am coming" on the live board."""
    tab.locator("[data-help]").click()
    state = tab.locator("#help-state")
    state.get_by_text("Opiekun już wie").wait_for()

    make_user(username="ola", password="hasło opiekunki", role="supervisor")
    board_context = chromium.new_context(base_url=live_server, locale="pl-PL",
                                         viewport={"width": 1280, "height": 800})
    board = board_context.new_page()
    board.goto("/sign-in?next=/board")
    board.get_by_label("Nazwa użytkownika").fill("ola")
    board.get_by_label("Hasło").fill("hasło opiekunki")
    board.get_by_role("button", name="Zaloguj się").click()
    board.wait_for_url("**/board")
    call = board.locator("li.help-call", has_text="Kasia")
    assert re.search(r"Stół 1", call.inner_text())
    board.get_by_role("button", name="Idę").click()
    board.wait_for_url("**/board")
    board_context.close()

    state.get_by_text("Opiekun idzie").wait_for(timeout=15_000)


def test_the_target_size_check_finds_a_small_button(page):
    """The 48 px axe check is really on: a 30 px button on a worker page is reported."""
    page.set_content('<!doctype html><html lang="pl"><head><title>t</title></head><body>'
                     '<main><button style="width:30px;height:30px">+</button>'
                     '<button style="width:30px;height:30px">-</button></main></body></html>')
    assert "target-size" in {v["id"] for v in worker_axe_violations(page)}


def test_a_gentle_reminder_comes_after_the_idle_time_and_a_tap_clears_it(
        chromium, live_server, floor):
    context = tablet_context(chromium, live_server, floor.token, TABLET_SIZES["portrait"])
    tab = context.new_page()
    tab.clock.install()
    tab.goto(f"/t/sign-in/{floor.worker.id}")
    tab.keyboard.type(floor.worker.code)
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/t/work")
    tab.goto("/t/work/step/1")
    reminder = tab.locator(".reminder")
    tab.clock.fast_forward("02:30")
    assert reminder.is_hidden()  # the default reminder comes after 3 minutes
    tab.clock.fast_forward("00:40")
    reminder.wait_for()
    assert reminder.inner_text() == "Zrób ten krok. Albo dotknij Pomoc."
    assert reminder.get_attribute("role") == "status"
    tab.get_by_role("button", name="Posłuchaj").click()
    assert reminder.is_hidden()
    context.close()


@pytest.mark.parametrize("size_name", sorted(TABLET_SIZES))
def test_the_other_worker_screens_pass_axe_too(chromium, live_server, floor, manager,
                                               output_dir, size_name):
    """The picture grid, the refusal after a wrong pick, "no work now", the tablet's error
    page and the "ask your supervisor" page of a browser that is no station, at both sizes,
    with Help in the same box as on the station's first screen."""
    from shopfloor.stations.services import assign_batch, set_expected_workers
    from shopfloor.workers.services import WorkerData, save_worker, set_worker_photo

    ola = save_worker(WorkerData(first_name="Ola", sign_in_method="picture"), manager)
    for worker in (ola, *(save_worker(WorkerData(first_name=n), manager)
                          for n in ("Bartek", "Ewa", "Jan"))):
        set_worker_photo(worker, floor_photo(), manager)
    set_expected_workers(floor.station, [floor.worker.id, ola.id], manager)
    assign_batch(floor.station, None, manager)

    checks = ScreenChecks(output_dir, f"{size_name}-more")
    context = tablet_context(chromium, live_server, floor.token, TABLET_SIZES[size_name])
    tab = context.new_page()
    tab.goto("/t/")
    checks(tab, "home")  # where Help is on every other screen
    tab.goto(f"/t/sign-in/{ola.id}")
    checks(tab, "picture-grid")
    wrong = tab.locator("button.picture-choice").all()
    own = f"/t/media/workers/{ola.photo}"
    next(b for b in wrong if b.locator("img").get_attribute("src") != own).click()
    tab.wait_for_url(f"**/t/sign-in/{ola.id}")
    assert "To nie jest twoje zdjęcie" in tab.locator("[role=alert]").inner_text()
    checks(tab, "picture-wrong")
    tab.locator(f'button.picture-choice img[src="{own}"]').click()
    tab.wait_for_url("**/t/work")
    assert "Teraz nie ma pracy" in tab.locator("main").inner_text()
    checks(tab, "no-work")
    assert tab.goto("/t/media/workers/missing.jpg").status == 404
    checks(tab, "error")  # with the Help box in its place: a signed-in worker can call
    assert tab.get_by_role("link", name="Dalej").is_visible()
    context.close()

    width, height = TABLET_SIZES[size_name]
    stranger = chromium.new_context(base_url=live_server, locale="pl-PL",
                                    viewport={"width": width, "height": height})
    tab = stranger.new_page()
    tab.goto("/t/")
    assert "Zapytaj opiekuna" in tab.locator("main").inner_text()
    assert worker_axe_violations(tab) == []
    stranger.close()


def test_read_aloud_by_itself_asks_for_a_tap_where_the_browser_refuses_sound(
        chromium, live_server, floor, manager):
    """A worker whose coach set "read aloud by itself": the step's caption is spoken on
    arrival, and since a browser may refuse sound on a page not yet touched, the speaker
    button pulses until the worker taps it."""
    from shopfloor.workers.services import SupportData, set_support

    set_support(floor.worker, SupportData(audio_autoplay=True), manager)
    context = tablet_context(chromium, live_server, floor.token, TABLET_SIZES["portrait"])
    tab = context.new_page()
    tab.goto(f"/t/sign-in/{floor.worker.id}")
    tab.keyboard.type(floor.worker.code)
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/t/work")
    tab.goto("/t/work/step/1")
    tab.wait_for_function("() => window.speechSynthesis.spoken.length > 0")
    assert tab.evaluate("() => window.speechSynthesis.spoken") == [
        ["pl-PL", "Weź formę. Postaw ją na stole."]]
    speaker = tab.get_by_role("button", name="Posłuchaj")
    assert "speaker-wants-tap" in speaker.get_attribute("class")
    speaker.click()
    assert "speaker-wants-tap" not in speaker.get_attribute("class")
    assert len(tab.evaluate("() => window.speechSynthesis.spoken")) == 2
    context.close()
