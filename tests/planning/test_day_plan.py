"""The daily plan: the suggestion, the supervisor's taps, the working-time guard, confirming
(which feeds the stations' tablets) and the morning job.

The day used: Monday 30 November 2026. Shifts 08:00-13:00 (300 min, minus the 15 min extra
break = 285 productive minutes) on every weekday unless a test says otherwise.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from shopfloor.errors import DomainError
from shopfloor.planning.models import PlanAssignment

MON = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)  # 06:00 in Warsaw
SHORT = (time(8), time(13))


@pytest.fixture
def make_worker(manager):
    from shopfloor.workers.capacity import set_availability, set_skills
    from shopfloor.workers.services import WorkerData, save_worker

    def build(name, days=range(7), shift=SHORT, rule="8/40", **levels):
        worker = save_worker(WorkerData(first_name=name, working_time_rule=rule), manager)
        set_availability(worker, dict.fromkeys(days, shift), manager, today=MON)
        if levels:
            set_skills(worker, levels, manager)
        return worker

    return build


@pytest.fixture
def released(make_batch, make_product, make_order, manager):
    """released(due, line="soap"): a released batch of 100 for an order line due then."""
    from shopfloor.production.services import move_batch

    def build(due, line="soap", minutes="3"):
        product = make_product(line=line, standard_minutes=minutes)
        order = make_order(product=product, due=due, quantity="100")
        batch = make_batch(order_line=order.lines[0], releasable=True)
        move_batch(batch, "released", manager)
        return batch

    return build


@pytest.fixture
def station(manager):
    from shopfloor.stations.services import enrol_station

    def build(name, line="soap"):
        return enrol_station(name, line, manager)[0]

    return build


def plan(db_session, day=MON):
    db_session.expire_all()
    return {(a.worker_id, a.station_id, a.batch_id): a for a in db_session.scalars(
        select(PlanAssignment).where(PlanAssignment.day == day))}


def test_suggestion_serves_the_earliest_due_batch_with_qualified_workers(
        db_session, make_worker, released, station, manager):
    from shopfloor.planning.day_plan import suggest
    from shopfloor.workers.capacity import add_absence

    ala = make_worker("Ala", soap="independent")
    ola = make_worker("Ola", soap="with_help")
    make_worker("Ela", soap="learning")  # nobody here can teach: not placed
    away = make_worker("Iza", soap="independent")
    add_absence(away, MON, MON, "leave", manager)
    later = released(MON + timedelta(days=9))
    sooner = released(MON + timedelta(days=3))
    table = station("Stół 1")

    result = suggest(MON, manager, NOW)

    rows = plan(db_session)
    assert set(rows) == {(ala.id, table.id, sooner.id), (ola.id, table.id, sooner.id)}
    assert all(not row.confirmed for row in rows.values())
    assert rows[(ala.id, table.id, sooner.id)].minutes == 285
    assert result.unplanned == [(later.id, "no_station")]


def test_a_second_suggestion_keeps_what_the_supervisor_placed(
        db_session, make_worker, released, station, manager):
    from shopfloor.planning.day_plan import place_worker, suggest

    ala = make_worker("Ala", soap="independent")
    bea = make_worker("Bea", soap="independent")
    first = released(MON + timedelta(days=3))
    second = released(MON + timedelta(days=5))
    one, two = station("Stół 1"), station("Stół 2")
    place_worker(MON, ala.id, two.id, manager, batch_id=second.id)

    suggest(MON, manager, NOW)
    suggest(MON, manager, NOW)

    rows = plan(db_session)
    assert set(rows) == {(ala.id, two.id, second.id), (bea.id, one.id, first.id)}
    assert rows[(ala.id, two.id, second.id)].confirmed
    assert not rows[(bea.id, one.id, first.id)].confirmed


def test_placing_moves_the_worker_and_refuses_work_they_have_not_learned(
        db_session, make_worker, released, station, manager):
    from shopfloor.planning.day_plan import place_worker

    ala = make_worker("Ala", soap="independent")
    soap_batch = released(MON + timedelta(days=3))
    harness_batch = released(MON + timedelta(days=3), line="harness")
    one, two = station("Stół 1"), station("Stół 2")
    wires = station("Wiązki", line="harness")
    place_worker(MON, ala.id, one.id, manager, batch_id=soap_batch.id)
    place_worker(MON, ala.id, two.id, manager, batch_id=soap_batch.id)
    assert set(plan(db_session)) == {(ala.id, two.id, soap_batch.id)}

    with pytest.raises(DomainError, match="Ala jeszcze nie zna tej pracy"):
        place_worker(MON, ala.id, wires.id, manager, batch_id=harness_batch.id)
    with pytest.raises(DomainError, match="Ta partia jest dla innej linii"):
        place_worker(MON, ala.id, one.id, manager, batch_id=harness_batch.id)
    assert set(plan(db_session)) == {(ala.id, two.id, soap_batch.id)}


def test_the_guard_refuses_an_absent_worker_and_one_without_hours_that_day(
        db_session, make_worker, released, station, manager):
    from shopfloor.planning.day_plan import place_worker
    from shopfloor.workers.capacity import add_absence

    batch = released(MON + timedelta(days=3))
    table = station("Stół 1")
    ala = make_worker("Ala", soap="independent")
    add_absence(ala, MON, MON + timedelta(days=1), "therapy", manager)
    bea = make_worker("Bea", days=[1, 2, 3], soap="independent")

    with pytest.raises(DomainError, match=r"Ala: nieobecność tego dnia \(Terapia\)"):
        place_worker(MON, ala.id, table.id, manager, batch_id=batch.id)
    with pytest.raises(DomainError, match="Bea nie ma godzin pracy w ten dzień tygodnia"):
        place_worker(MON, bea.id, table.id, manager, batch_id=batch.id)
    assert plan(db_session) == {}


def test_the_guard_refuses_a_day_over_the_daily_cap_of_the_workers_rule(
        db_session, make_worker, released, station, manager):
    """Hours set under 8/40; the rule later becomes 7/35 (a new certificate): 8 h is now
    over the daily cap, and the plan says so instead of placing her."""
    from shopfloor.planning.day_plan import place_worker

    batch = released(MON + timedelta(days=3))
    table = station("Stół 1")
    ala = make_worker("Ala", days=range(5), shift=(time(7), time(15)), soap="independent")
    ala.working_time_rule = "7/35"
    db_session.commit()

    with pytest.raises(DomainError, match="najwyżej 7 h dziennie; tu jest 8 h"):
        place_worker(MON, ala.id, table.id, manager, batch_id=batch.id)


def test_the_guard_refuses_the_week_over_its_cap_and_night_work_without_consent(
        db_session, make_worker, released, station, manager):
    """Six 8-hour days and a night shift were allowed while the doctor's consent was in force;
    with it gone, Saturday goes past 40 h and the night shift is refused."""
    from shopfloor.planning.day_plan import place_worker
    from shopfloor.workers.capacity import set_availability, set_consent
    from shopfloor.workers.services import WorkerData, save_worker

    batch = released(MON + timedelta(days=10))
    table = station("Stół 1")
    ala = save_worker(WorkerData(first_name="Ala"), manager)
    set_consent(ala, MON - timedelta(days=30), manager, today=MON)
    days = dict.fromkeys(range(6), (time(7), time(15)))
    set_availability(ala, days, manager, today=MON)
    from shopfloor.workers.capacity import set_skills
    set_skills(ala, {"soap": "independent"}, manager)
    ala.night_overtime_consent_on = None
    db_session.commit()
    saturday = MON + timedelta(days=5)

    place_worker(MON, ala.id, table.id, manager, batch_id=batch.id)  # Monday is fine
    with pytest.raises(DomainError, match="najwyżej 40 h w tygodniu; z tym dniem tydzień ma 48 h"):
        place_worker(saturday, ala.id, table.id, manager, batch_id=batch.id)

    ola = save_worker(WorkerData(first_name="Ola"), manager)
    set_consent(ola, MON - timedelta(days=30), manager, today=MON)
    set_availability(ola, {0: (time(21), time(23))}, manager, today=MON)
    set_skills(ola, {"soap": "independent"}, manager)
    ola.night_overtime_consent_on = None
    db_session.commit()
    with pytest.raises(DomainError, match="to pora nocna"):
        place_worker(MON, ola.id, table.id, manager, batch_id=batch.id)


def test_confirming_today_gives_the_stations_their_batch_and_workers(
        db_session, make_worker, released, station, manager):
    from shopfloor.planning.day_plan import confirm, place_worker
    from shopfloor.stations.services import expected_workers, set_expected_workers

    ala = make_worker("Ala", soap="independent")
    bea = make_worker("Bea", soap="independent")
    batch = released(MON + timedelta(days=3))
    one, two = station("Stół 1"), station("Stół 2")
    set_expected_workers(two, [ala.id, bea.id], manager)  # yesterday's arrangement
    place_worker(MON, ala.id, one.id, manager, batch_id=batch.id)

    assert confirm(MON, manager, today=MON) == []

    db_session.expire_all()
    assert one.current_batch_id == batch.id
    assert [w.first_name for w in expected_workers(one)] == ["Ala"]
    assert [w.first_name for w in expected_workers(two)] == ["Bea"]
    assert all(row.confirmed for row in plan(db_session).values())


def test_confirming_an_empty_day_says_what_to_do(db_session, manager):
    from shopfloor.planning.day_plan import confirm

    with pytest.raises(DomainError, match="Plan na ten dzień jest pusty"):
        confirm(MON, manager, today=MON)


def test_the_job_suggests_once_and_tells_the_supervisors_then_applies_a_confirmed_plan(
        app, db_session, make_worker, released, station, manager, make_user):
    from flask_babel import force_locale

    from shopfloor.notifications.models import Notification
    from shopfloor.planning.day_plan import confirm, daily_plan
    from shopfloor.stations.services import expected_workers

    supervisor = make_user(username="sonia", role="supervisor")
    ala = make_worker("Ala", soap="independent")
    batch = released(MON + timedelta(days=3))
    table = station("Stół 1")

    with app.test_request_context(), force_locale("en"):
        assert daily_plan(NOW).startswith("Suggested today's plan")
        assert daily_plan(NOW) == "Today's plan is being edited; left as it is."
    notes = list(db_session.scalars(select(Notification).where(
        Notification.user_id == supervisor.id)))
    assert len(notes) == 1 and notes[0].kind == "day_plan"
    assert set(plan(db_session)) == {(ala.id, table.id, batch.id)}
    assert expected_workers(table) == []  # a suggestion waits for the supervisor

    confirm(MON, supervisor, today=MON + timedelta(days=1))  # confirmed the day before
    with app.test_request_context():
        daily_plan(NOW)
    db_session.expire_all()
    assert [w.first_name for w in expected_workers(table)] == ["Ala"]
    assert table.current_batch_id == batch.id


# ---------------------------------------------------------------- the screen

@pytest.fixture
def today_setup(make_worker, released, station):
    from shopfloor.timeutil import local_today

    today = local_today()
    ala = make_worker("Ala", soap="independent")
    batch = released(today + timedelta(days=3))
    table = station("Stół 1")
    return today, ala, batch, table


def test_the_supervisor_places_a_worker_by_tapping_and_confirms(
        db_session, signed_in, today_setup):
    from shopfloor.stations.services import expected_workers

    today, ala, batch, table = today_setup
    client = signed_in("supervisor")
    page = client.get("/planning/day").get_data(as_text=True)
    assert "Stół 1" in page and "Ala" in page and "Na ten dzień nic jeszcze nie zaplanowano" in page

    picked = client.get(f"/planning/day?pick={ala.id}").get_data(as_text=True)
    assert "Ala – tutaj" in picked
    response = client.submit(f"/planning/day/{today.isoformat()}/place",
                             {"worker": ala.id, "station": table.id, "batch": batch.id},
                             page=f"/planning/day?pick={ala.id}")
    assert response.status_code == 302
    response = client.submit(f"/planning/day/{today.isoformat()}/confirm", {},
                             page="/planning/day")
    assert response.status_code == 302
    page = client.get("/planning/day").get_data(as_text=True)
    assert "Stanowiska już go pokazują" in page
    assert [w.first_name for w in expected_workers(table)] == ["Ala"]


def test_a_refused_placement_is_shown_at_the_station_tapped(
        db_session, signed_in, today_setup, manager):
    from shopfloor.workers.capacity import add_absence

    today, ala, batch, table = today_setup
    add_absence(ala, today, today, "leave", manager)
    client = signed_in("supervisor")
    response = client.submit(f"/planning/day/{today.isoformat()}/place",
                             {"worker": ala.id, "station": table.id, "batch": batch.id},
                             page="/planning/day")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    section = page[page.index(f'id="station-{table.id}"'):]
    assert "Ala: nieobecność tego dnia (Urlop)" in section[:section.index("</section>")]
    assert plan(db_session, today) == {}


def test_a_past_day_cannot_be_changed(db_session, signed_in, today_setup):
    today, ala, batch, table = today_setup
    client = signed_in("supervisor")
    yesterday = (today - timedelta(days=1)).isoformat()
    response = client.submit(f"/planning/day/{yesterday}/place",
                             {"worker": ala.id, "station": table.id, "batch": batch.id},
                             page="/planning/day")
    assert response.status_code == 302
    assert "Zmienić można tylko plan na dziś" in client.get("/planning/day").get_data(as_text=True)
    assert plan(db_session, today - timedelta(days=1)) == {}


def test_the_plan_needs_a_staff_account(client):
    response = client.get("/planning/day")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


# ---------------------------------------------------------------- the forecast goes stale

def test_a_change_to_what_the_forecast_reads_marks_it_stale(
        db_session, make_worker, released, manager):
    from shopfloor.planning.services import forecast_is_stale, refresh_if_stale
    from shopfloor.workers.capacity import add_absence

    ala = make_worker("Ala", soap="independent")
    released(MON + timedelta(days=3))
    assert forecast_is_stale()
    assert refresh_if_stale(NOW) is True
    assert forecast_is_stale() is False
    assert refresh_if_stale(NOW) is False

    add_absence(ala, MON, MON, "leave", manager)

    assert forecast_is_stale()
    assert refresh_if_stale(NOW) is True
    assert forecast_is_stale() is False


def test_a_rolled_back_change_does_not_mark_it_stale(db_session, make_worker, released):
    from shopfloor.planning.services import forecast_is_stale, refresh_if_stale

    ala = make_worker("Ala", soap="independent")
    refresh_if_stale(NOW)
    ala.first_name = "Alicja"
    db_session.flush()
    db_session.rollback()
    db_session.commit()

    assert forecast_is_stale() is False


def test_the_order_page_shows_the_expected_date_recomputed_after_a_change(
        db_session, signed_in, make_worker, make_order, make_product, manager):
    """Ala makes 95 pieces a day (285 min at 3 min a piece): 100 pieces take two working
    days. Away today and the next two days, she finishes on the fifth day (today + 4)."""
    from babel.dates import format_date

    from shopfloor.planning.services import refresh_if_stale
    from shopfloor.timeutil import local_today
    from shopfloor.workers.capacity import add_absence

    today = local_today()
    ala = make_worker("Ala", soap="independent")
    product = make_product(line="soap", standard_minutes="3")
    order = make_order(product=product, due=today + timedelta(days=20), quantity="100")
    client = signed_in("supervisor")

    def expected():
        page = client.get(f"/orders/{order.id}").get_data(as_text=True)
        start = page.index('class="order-forecast"')
        return page[start:page.index("</p>", start)]

    refresh_if_stale(datetime.now(UTC))
    before = expected()
    assert "W terminie" in before
    add_absence(ala, today, today + timedelta(days=2), "leave", manager)
    after = expected()
    assert format_date(today + timedelta(days=4), "medium", locale="pl") in after
    assert format_date(today + timedelta(days=4), "medium", locale="pl") not in before
