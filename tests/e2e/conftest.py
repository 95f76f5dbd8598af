"""Browser tests: Playwright driving the system Chromium against a live waitress server.

Where /usr/bin/chromium is missing these tests are skipped with a line saying how to install
it, unless SHOPFLOOR_REQUIRE_BROWSER=1, which turns the missing browser into a failure.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

CHROMIUM = os.environ.get("SHOPFLOOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
INSTALL_HINT = "apt-get install -y chromium"
# The axe-core tags the project checks against (see shared accessibility.md, check B1).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
TABLET_SIZES = {"landscape": (1280, 800), "portrait": (800, 1280)}


def browser_missing() -> bool:
    return not Path(CHROMIUM).exists()


def pytest_collection_modifyitems(config, items):
    if not browser_missing():
        return
    if os.environ.get("SHOPFLOOR_REQUIRE_BROWSER") == "1":
        return  # the browser fixture fails each test with the reason
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found; install it with: {INSTALL_HINT}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if browser_missing():
        terminalreporter.write_line(
            f"Browser tests skipped: {CHROMIUM} not found. Install it with: {INSTALL_HINT}",
            yellow=True, bold=True)


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Where screenshots are kept (SHOPFLOOR_TEST_OUTPUT, default test-output/)."""
    path = Path(os.environ.get("SHOPFLOOR_TEST_OUTPUT", REPO_ROOT / "test-output"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def live_server(app):
    """The test app served by waitress on a free port of 127.0.0.1."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4,
                           clear_untrusted_proxy_headers=True)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="session")
def chromium():
    """A headless system Chromium, driven by Playwright."""
    if browser_missing():
        pytest.fail(f"{CHROMIUM} not found and SHOPFLOOR_REQUIRE_BROWSER=1; "
                    f"install it with: {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(chromium, live_server):
    """A fresh Polish-speaking tablet-sized browser tab on the live server."""
    context = chromium.new_context(base_url=live_server, locale="pl-PL",
                                   viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def axe_violations(tab) -> list[dict]:
    """axe-core's violations on the current page for the WCAG 2.x A/AA tags."""
    from axe_playwright_python.sync_playwright import Axe

    # A click starts a navigation without waiting for it: check the page once it has loaded
    # with its stylesheet, not a half-painted one.
    tab.wait_for_load_state("load")
    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                      "resultTypes": ["violations"]})
    return [
        {"id": v["id"], "help": v["help"],
         "targets": [n["target"] for n in v["nodes"]]}
        for v in results.response["violations"]
    ]


# Worker screens: axe's target-size rule (off by default) switched on and raised from 24 px
# to 48 px, the project's minimum for workers (accessibility.md, check B2).
WORKER_TARGET_PX = 48


def worker_axe_violations(tab) -> list[dict]:
    """axe-core's violations on a worker screen, with target-size enabled at 48 px."""
    from axe_playwright_python.sync_playwright import Axe

    tab.wait_for_load_state("load")
    tab.evaluate(Axe().axe_script)
    tab.evaluate("""(px) => axe.configure({checks: [
        {id: "target-size", options: {minSize: px}},
        {id: "target-offset", options: {minOffset: px}}]})""", WORKER_TARGET_PX)
    results = tab.evaluate("""(tags) => axe.run(document, {
        runOnly: {type: "tag", values: tags},
        rules: {"target-size": {enabled: true}},
        resultTypes: ["violations"]})""", AXE_TAGS)
    return [
        {"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]]}
        for v in results["violations"]
    ]
