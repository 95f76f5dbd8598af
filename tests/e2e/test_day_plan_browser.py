"""The plan of the day in a real browser: the supervisor places a worker by tapping and
confirms, and the station's tablet then shows that worker on its photo screen."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from tests.e2e.conftest import axe_violations
from tests.e2e.test_worker_task_browser import tablet_context

pytestmark = pytest.mark.browser


@pytest.fixture
def day_setup(db_session, manager, make_product, make_order, make_batch):
    from shopfloor.production.services import move_batch
    from shopfloor.stations.services import enrol_station
    from shopfloor.timeutil import local_today
    from shopfloor.workers.capacity import set_availability, set_skills
    from shopfloor.workers.services import WorkerData, save_worker

    today = local_today()
    workers = {}
    for name, level in (("Ala", "independent"), ("Bartek", "learning")):
        worker = save_worker(WorkerData(first_name=name), manager)
        set_availability(worker, dict.fromkeys(range(7), (time(8), time(13))), manager,
                         today=today)
        set_skills(worker, {"soap": level}, manager)
        workers[name] = worker
    product = make_product(line="soap", standard_minutes="3")
    order = make_order(product=product, due=today + timedelta(days=3), quantity="100")
    batch = make_batch(order_line=order.lines[0], releasable=True)
    move_batch(batch, "released", manager)
    station, token = enrol_station("Stół 1", "soap", manager)
    return workers, batch, station, token


def test_the_supervisor_plans_by_tapping_and_the_tablet_follows(
        page, day_setup, make_user, chromium, live_server, output_dir):
    workers, batch, station, token = day_setup
    make_user(username="ola", password="hasło opiekunki", role="supervisor")
    page.goto("/sign-in?next=/planning/day")
    page.get_by_label("Nazwa użytkownika").fill("ola")
    page.get_by_label("Hasło").fill("hasło opiekunki")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/planning/day")
    assert axe_violations(page) == []

    # The planner suggests Ala (she works on her own); Bartek is learning and nobody here
    # can teach him, so he waits in the list of those not planned.
    page.get_by_role("button", name="Zaproponuj plan").click()
    card = page.locator(f"#station-{station.id}")
    assert "Ala" in card.inner_text() and "propozycja" in card.inner_text()
    assert "Bartek" in page.locator("#free-workers").inner_text()

    # Tap Bartek, then the station: he joins, with a warning that he needs a teacher.
    page.get_by_role("link", name="Przydziel: Bartek").click()
    page.get_by_role("button", name="Bartek – tutaj").click()
    assert "Bartek" in card.inner_text()
    assert "zaplanuj kogoś, kto może uczyć" in card.inner_text()
    assert axe_violations(page) == []
    page.screenshot(path=str(output_dir / "day-plan.png"), full_page=True)

    page.get_by_role("button", name="Zatwierdź i wyślij na stanowiska").click()
    page.get_by_text("Plan zatwierdzony. Stanowiska już go pokazują.").wait_for()

    context = tablet_context(chromium, live_server, token, (800, 1280))
    tab = context.new_page()
    tab.goto("/t/")
    assert tab.get_by_role("link", name="Ala").is_visible()
    assert tab.get_by_role("link", name="Bartek").is_visible()
    context.close()
