"""A whole task without a network (shared/accessibility.md, check B11): the tablet loads
"my work now" once, then the server goes away; every screen still shows, the taps wait on
the tablet, and when the server is back they reach it exactly once, in order.

The server is really stopped (connections refused), not emulated: Playwright's offline
switch does not reach a service worker's own requests.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
from sqlalchemy import func, select

from tests.e2e.conftest import TABLET_SIZES
from tests.e2e.test_worker_task_browser import tablet_context

pytestmark = pytest.mark.browser


class StoppableServer:
    """The test app on a fixed port of 127.0.0.1 that can be stopped and started again."""

    def __init__(self, app):
        self.app = app
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = None

    def start(self) -> None:
        from waitress.server import create_server

        self.server = create_server(self.app, host="127.0.0.1", port=self.port, threads=4)
        threading.Thread(target=self.server.run, daemon=True).start()

    def stop(self) -> None:
        self.server.close()
        self.server = None
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # until the port refuses connections
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.05)


@pytest.fixture
def server(app):
    running = StoppableServer(app)
    running.start()
    yield running
    if running.server is not None:
        running.server.close()


def events(db_session, kind: str | None = None) -> int:
    from shopfloor.floor.models import StepEvent

    db_session.expire_all()
    query = select(func.count(StepEvent.id))
    if kind:
        query = query.where(StepEvent.kind == kind)
    return db_session.scalar(query)


def wait_for(what, condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.25)


def test_a_whole_task_runs_without_a_network_and_its_taps_arrive_once(
        chromium, server, floor, make_lot, db_session, output_dir):
    from shopfloor.codes import format_code

    lot = make_lot()
    context = tablet_context(chromium, server.url, floor.token, TABLET_SIZES["portrait"])
    tab = context.new_page()
    tab.goto(f"/t/sign-in/{floor.worker.id}")
    tab.keyboard.type(floor.worker.code)
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/t/work")
    # The service worker keeps my work, the materials, the five steps and the end.
    tab.wait_for_function("() => document.body.dataset.offlineReady === '8'", timeout=20_000)
    before = events(db_session)

    server.stop()
    assert tab.goto("/t/work").ok  # a kept copy: the server is gone
    tab.get_by_role("link", name="Zaczynam").click()
    tab.wait_for_url("**/t/work/start")
    tab.get_by_role("link", name="Mam wszystko").click()
    kinds = [s.kind for s in floor.version.steps]
    for number, kind in enumerate(kinds, start=1):
        tab.wait_for_url(f"**/t/work/step/{number}")
        assert tab.locator(".position-text").inner_text() == f"Krok {number} z {len(kinds)}"
        assert tab.locator("img.step-photo").evaluate("img => img.naturalWidth") > 0, kind
        if kind == "count":
            for _ in range(3):
                tab.get_by_role("button", name="Plus 1").click()
            tab.wait_for_function(
                "() => document.querySelectorAll('.block.filled').length === 3")
            tab.get_by_role("button", name="Cofnij").click()
            tab.wait_for_function("() => document.querySelector('[data-count]')"
                                  ".textContent === '2'")
            tab.get_by_role("button", name="Gotowe").click()
        elif kind == "measure":
            for key in ("9", "5"):
                tab.locator(f'[data-key="{key}"]').click()
            tab.get_by_role("button", name="Gotowe").click()
        elif kind == "scan":
            tab.keyboard.type(format_code(lot.code))
            tab.keyboard.press("Enter")
        elif kind == "check":
            tab.get_by_role("button", name="Dobrze").click()
        else:
            tab.get_by_role("button", name="Gotowe").click()
    tab.wait_for_url("**/t/work/end")
    assert tab.get_by_role("heading", name="Brawo!").is_visible()
    tab.screenshot(path=str(output_dir / "worker-offline-end.png"), full_page=True)
    # Help cannot wait for later: the tablet says so at once.
    tab.locator("[data-help]").click()
    tab.get_by_text("Zadzwoń dzwonkiem").wait_for()
    assert events(db_session) == before  # nothing reached the server

    server.start()
    tab.reload()  # any screen from the server again sends what waited
    # Done on each of the five steps, 3 counts and 1 take-back, the measure, the scan and
    # the check: each once, however often the tablet tried.
    wait_for("the waiting taps", lambda: events(db_session) - before == 5 + 4 + 3)
    time.sleep(1)  # and nothing more comes
    assert events(db_session) - before == 12
    assert (events(db_session, "done"), events(db_session, "count"),
            events(db_session, "undo")) == (5, 3, 1)
    db_session.refresh(floor.batch)
    assert floor.batch.good_quantity == 2
    assert "shopfloor-pages-v1" in tab.evaluate("() => caches.keys()")
    tab.get_by_role("button", name="Koniec pracy").click()
    tab.wait_for_url("**/t/")
    # Signed out: the tablet no longer keeps this worker's screens for the next person.
    wait_for("the kept screens to go", lambda: "shopfloor-pages-v1" not in tab.evaluate(
        "() => caches.keys()"), seconds=10)
    context.close()
