"""People and capacity: availability within the working-time caps, night work only with the
doctor's consent, absences that do not overlap, the skills matrix and training records."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from shopfloor.workers.models import Absence, Worker, WorkerAvailability, WorkerSkill

WEEK_AGO = date.today() - timedelta(days=7)


@pytest.fixture
def make_worker(manager):
    """make_worker(rule="7/35", first_name="Ola")."""
    from shopfloor.workers.services import WorkerData, save_worker

    def build(rule: str = "8/40", first_name: str = "Ola"):
        return save_worker(WorkerData(first_name=first_name, working_time_rule=rule), manager)

    return build


def week(**days) -> dict:
    """The availability form: week(mon=("08:00", "15:00"), ...) with the other days empty."""
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    data = {}
    for number, name in enumerate(names):
        starts, ends = days.get(name, ("", ""))
        data[f"day{number}_starts"], data[f"day{number}_ends"] = starts, ends
    return data


def day_row(page: str, weekday: int) -> str:
    """The table row of one weekday in the availability section."""
    match = re.search(rf'<th scope="row" id="day-{weekday}">.*?</tr>', page, re.S)
    assert match, f"no row for day {weekday}"
    return match.group(0)


def manager_client(app, make_user):
    """A second browser, signed in as a manager reading English."""
    from tests.conftest import FormClient

    make_user(username="marta", role="manager", language="en")
    client = FormClient(app.test_client())
    assert client.sign_in("marta", "correct horse battery").status_code == 302
    return client


def saved_days(db_session, worker) -> dict:
    return {row.weekday: (row.starts_at, row.ends_at) for row in db_session.scalars(
        select(WorkerAvailability).where(WorkerAvailability.worker_id == worker.id))}


def post_availability(client, worker, **days):
    url = f"/workers/{worker.id}"
    return client.submit(f"{url}/availability", {**week(**days), "version": ""}, page=url)


def test_a_day_over_the_daily_cap_is_refused_with_the_message_next_to_that_day(
        signed_in, make_worker, db_session):
    worker = make_worker("7/35")
    client = signed_in("supervisor", language="en")
    response = post_availability(client, worker, mon=("08:00", "15:00"),
                                 tue=("08:00", "16:30"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ("7 h a day is the most for this worker; this is 8 h 30 min."
            in day_row(page, 1))
    assert "the most" not in day_row(page, 0)
    assert 'value="16:30"' in day_row(page, 1)  # what was typed is kept
    assert saved_days(db_session, worker) == {}  # nothing half-saved


def test_a_week_over_the_weekly_cap_is_refused_on_the_day_that_passes_it(
        signed_in, make_worker, db_session):
    worker = make_worker("8/40")
    client = signed_in("supervisor", language="en")
    seven_hours = ("08:00", "15:00")
    response = post_availability(client, worker, mon=seven_hours, tue=seven_hours,
                                 wed=seven_hours, thu=seven_hours, fri=seven_hours,
                                 sat=seven_hours)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ("40 h a week is the most for this worker; with this day the week has 42 h."
            in day_row(page, 5))
    assert saved_days(db_session, worker) == {}
    # Five such days fit: saved, with the breaks shown next to each day.
    response = post_availability(client, worker, mon=seven_hours, tue=seven_hours,
                                 wed=seven_hours, thu=seven_hours, fri=seven_hours)
    assert response.status_code == 302
    assert saved_days(db_session, worker)[4] == (time(8), time(15))
    page = client.get(f"/workers/{worker.id}").get_data(as_text=True)
    assert "30 min" in day_row(page, 0) and "—" in day_row(page, 6)
    assert "35 h" in page


def test_a_night_shift_needs_the_doctors_consent(signed_in, make_worker, db_session):
    worker = make_worker("8/40")
    client = signed_in("manager", language="en")
    response = post_availability(client, worker, fri=("15:00", "23:00"))
    assert response.status_code == 422
    assert "22:00–06:00 is night time" in day_row(response.get_data(as_text=True), 4)
    assert saved_days(db_session, worker) == {}

    url = f"/workers/{worker.id}"
    db_session.refresh(worker)
    response = client.submit(f"{url}/consent", {
        "night_overtime_consent_on": WEEK_AGO.isoformat(), "version": worker.version},
        page=url)
    assert response.status_code == 302
    response = post_availability(client, worker, fri=("15:00", "23:00"))
    assert response.status_code == 302
    assert saved_days(db_session, worker) == {4: (time(15), time(23))}

    # The consent cannot be withdrawn while the saved hours still need it.
    db_session.refresh(worker)
    response = client.submit(f"{url}/consent", {"night_overtime_consent_on": "",
                                                "version": worker.version}, page=url)
    assert response.status_code == 422
    assert "Change the availability first" in response.get_data(as_text=True)
    db_session.refresh(worker)
    assert worker.night_overtime_consent_on == WEEK_AGO


def test_a_consent_dated_in_the_future_is_refused(signed_in, make_worker):
    worker = make_worker()
    client = signed_in("manager", language="en")
    url = f"/workers/{worker.id}"
    response = client.submit(f"{url}/consent", {
        "night_overtime_consent_on": (date.today() + timedelta(days=3)).isoformat(),
        "version": worker.version}, page=url)
    assert response.status_code == 422
    assert "The consent date cannot be in the future." in response.get_data(as_text=True)


def test_a_supervisor_cannot_set_the_consent_and_does_not_see_the_rule(
        signed_in, make_worker, manager, db_session, app, make_user):
    from shopfloor.workers.capacity import set_consent

    worker = make_worker("7/35")
    set_consent(worker, WEEK_AGO, manager)
    client = signed_in("supervisor", language="en")
    url = f"/workers/{worker.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Availability" in page and "Absences" in page and "Skills" in page
    for secret in ("Night work and overtime", "consent", "7 h", "35 h", "7/35"):
        assert secret not in page, secret
    response = client.client.post(f"{url}/consent", data={
        "night_overtime_consent_on": "", "csrf_token": client.token(url)})
    assert response.status_code == 403
    db_session.refresh(worker)
    assert worker.night_overtime_consent_on == WEEK_AGO

    page = manager_client(app, make_user).get(url).get_data(as_text=True)
    assert "at most 7 h a day and 35 h a week" in page
    assert "Night work and overtime" in page and WEEK_AGO.isoformat() in page


def test_a_stale_availability_page_gets_a_conflict(signed_in, make_worker, manager,
                                                  db_session):
    from shopfloor.workers.capacity import set_availability

    worker = make_worker()
    seen_version = worker.version
    set_availability(worker, {0: (time(8), time(14))}, manager)
    assert worker.version == seen_version + 1  # the availability moves the worker's version
    client = signed_in("supervisor", language="en")
    url = f"/workers/{worker.id}"
    response = client.submit(f"{url}/availability", {**week(mon=("09:00", "15:00")),
                                                     "version": seen_version}, page=url)
    assert response.status_code == 409
    assert saved_days(db_session, worker) == {0: (time(8), time(14))}


def test_an_overlapping_absence_is_refused_naming_the_other_one(signed_in, make_worker,
                                                                db_session):
    worker = make_worker()
    client = signed_in("supervisor", language="en")
    url = f"/workers/{worker.id}"
    first = client.submit(f"{url}/absences", {"starts_on": "2026-12-01",
                                              "ends_on": "2026-12-05", "kind": "leave"},
                          page=url)
    assert first.status_code == 302
    response = client.submit(f"{url}/absences", {"starts_on": "2026-12-04",
                                                 "ends_on": "2026-12-10", "kind": "therapy"},
                             page=url)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "overlap the absence from Dec 1, 2026 to Dec 5, 2026 (Leave)" in page
    assert 'value="2026-12-10"' in page
    backwards = client.submit(f"{url}/absences", {"starts_on": "2026-12-20",
                                                  "ends_on": "2026-12-18", "kind": "leave"},
                              page=url)
    assert backwards.status_code == 422
    assert "The last day cannot be before the first day." in backwards.get_data(as_text=True)
    assert db_session.scalars(select(Absence)).all() == [
        db_session.scalar(select(Absence).where(Absence.kind == "leave"))]

    # The next week is free; removing the first absence frees its days too.
    assert client.submit(f"{url}/absences", {"starts_on": "2026-12-06",
                                             "ends_on": "2026-12-10", "kind": "therapy"},
                         page=url).status_code == 302
    leave = db_session.scalar(select(Absence).where(Absence.kind == "leave"))
    removed = client.submit(f"{url}/absences/{leave.id}/remove", {}, page=url)
    assert removed.status_code == 302
    assert [a.kind for a in db_session.scalars(select(Absence))] == ["therapy"]
    again = client.submit(f"{url}/absences/{leave.id}/remove", {}, page=url)
    assert again.status_code == 302  # already gone: said so, nothing breaks
    assert "already removed" in client.get(url).get_data(as_text=True)


def test_the_skills_matrix_shows_each_workers_level(signed_in, make_worker, db_session):
    ola = make_worker(first_name="Ola")
    make_worker(first_name="Piotr")  # no levels yet: a row of dashes
    client = signed_in("supervisor", language="en")
    url = f"/workers/{ola.id}"
    response = client.submit(f"{url}/skills", {
        "level_soap": "independent", "level_harness": "learning", "level_garments": "",
        "level_copack": "with_help", "version": ola.version}, page=url)
    assert response.status_code == 302
    db_session.refresh(ola)
    # The older "can work on" list follows: lines above learning.
    assert ola.skills == ["copack", "soap"]

    page = client.get("/workers/").get_data(as_text=True)
    assert 'href="/workers/skills"' in page
    page = client.get("/workers/skills").get_data(as_text=True)
    assert "<caption>" in page and '<th scope="col">' in page
    row = re.search(r'<tr>\s*<th scope="row"><a[^>]*>Ola</a></th>(.*?)</tr>', page, re.S)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells == ["Works on their own", "Learning", "—", "Works with help"]
    piotr_row = re.search(r'<th scope="row"><a[^>]*>Piotr</a></th>(.*?)</tr>', page, re.S)
    assert re.findall(r"<td[^>]*>(.*?)</td>", piotr_row.group(1)) == ["—"] * 4


def test_a_training_raises_the_level_but_never_lowers_it(signed_in, make_worker, manager,
                                                        db_session):
    from shopfloor.workers.capacity import set_skill

    worker = make_worker()
    set_skill(worker, "harness", "learning", manager)
    client = signed_in("supervisor", language="en")
    url = f"/workers/{worker.id}"
    training = {"line": "harness", "trained_on": WEEK_AGO.isoformat(),
                "trainer": "Jan Kowalski", "trainer_organisation": "Kable Sp. z o.o.",
                "level": "independent"}
    assert client.submit(f"{url}/trainings", training, page=url).status_code == 302
    level = db_session.scalar(select(WorkerSkill.level).where(WorkerSkill.process == "harness"))
    assert level == "independent"
    db_session.refresh(worker)
    assert worker.skills == ["harness"]
    assert client.submit(f"{url}/trainings", {**training, "level": "with_help"},
                         page=url).status_code == 302
    level = db_session.scalar(select(WorkerSkill.level).where(WorkerSkill.process == "harness"))
    assert level == "independent"
    page = client.get(url).get_data(as_text=True)
    records = page.split("Training records")[1].split("</table>")[0]
    assert records.count("Kable Sp. z o.o.") == 2  # both records listed
    future = client.submit(f"{url}/trainings", {
        **training, "trained_on": (date.today() + timedelta(days=2)).isoformat()}, page=url)
    assert future.status_code == 422
    assert "The training date cannot be in the future." in future.get_data(as_text=True)


def test_every_change_is_in_the_workers_history_but_the_consent_only_for_the_manager(
        signed_in, make_worker, manager, app, make_user):
    from shopfloor.workers.capacity import add_absence, set_availability, set_consent

    worker = make_worker()
    set_availability(worker, {0: (time(8), time(14))}, manager)
    add_absence(worker, date(2026, 12, 1), date(2026, 12, 2), "transport", manager)
    set_consent(worker, WEEK_AGO, manager)
    client = signed_in("supervisor", language="en")
    page = client.get(f"/workers/{worker.id}").get_data(as_text=True)
    history = page.split("<h2>History</h2>")[1]
    assert "Availability: Monday" in history and "08:00–14:00" in history
    assert "Absence: No transport" in history and "2026-12-01 – 2026-12-02" in history
    assert "consent" not in history
    manager_page = manager_client(app, make_user).get(
        f"/workers/{worker.id}").get_data(as_text=True)
    manager_history = manager_page.split("<h2>History</h2>")[1]
    assert "Doctor&#39;s consent date" in manager_history
    assert WEEK_AGO.isoformat() in manager_history


def test_services_refuse_half_entered_days_and_unknown_levels(make_worker, manager,
                                                              db_session):
    from shopfloor.errors import DomainError
    from shopfloor.workers.capacity import AvailabilityError, set_availability, set_skills

    worker = make_worker()
    with pytest.raises(AvailabilityError) as error:
        set_availability(worker, {2: (time(8), None), 3: (time(14), time(9))}, manager)
    with force_locale("en"):
        problems = {day: [str(m) for m in found] for day, found in error.value.problems.items()}
    assert problems == {2: ["Enter both the start and the end, or leave both empty."],
                        3: ["The end must be after the start."]}
    assert error.value.field == "day-2"
    with pytest.raises(DomainError):
        set_skills(worker, {"soap": "independent", "harness": "expert"}, manager)
    db_session.rollback()
    assert db_session.scalars(select(WorkerSkill)).all() == []
    assert db_session.get(Worker, worker.id).skills == []
