"""The forecast against the database: what it reads (open lines, availability, absences,
skills, work already done, measured pace), what it stores, the what-if and the alerts.

The week used: NOW is Monday 30 November 2026, 07:00 in Warsaw, before anyone starts.
Ala (soap, independent) works Monday to Friday 08:00-15:00: 420 min, minus 15 min extra
break and 15 min Labour Code break (the day is >= 6 h) = 390 productive minutes a day.
Soap products take 3 standard minutes a piece, so 130 pcs = 390 min = one of Ala's days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shopfloor.errors import DomainError
from shopfloor.planning.forecast import RISK_ORDER
from shopfloor.planning.models import LineForecast, Risk

NOW = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # 07:00 in Warsaw
MON = date(2026, 11, 30)
TUE, WED, THU, FRI = (MON + timedelta(days=n) for n in range(1, 5))
NEXT_MON = MON + timedelta(days=7)
SHIFT = (time(8), time(15))


@pytest.fixture
def make_worker(manager):
    """make_worker("Ala", soap="independent", days=5, shift=SHIFT): a worker with skills and
    the same shift on the first ``days`` weekdays."""
    from shopfloor.workers.capacity import set_availability, set_skills
    from shopfloor.workers.services import WorkerData, save_worker

    def build(name: str, days: int = 5, shift=SHIFT, rule: str = "8/40", **levels):
        worker = save_worker(WorkerData(first_name=name, working_time_rule=rule), manager)
        set_availability(worker, dict.fromkeys(range(days), shift), manager, today=MON)
        if levels:
            set_skills(worker, levels, manager)
        return worker

    return build


@pytest.fixture
def soap(make_product):
    """A soap product of 3 standard minutes a piece."""
    return make_product(line="soap", standard_minutes="3")


@pytest.fixture
def order_for(make_order, make_partner, soap):
    """order_for(due, quantity, product=soap): a confirmed order of one line."""
    partner = make_partner()

    def build(due: date, quantity: int, product=None, reference: str = "PO"):
        return make_order(partner=partner, product=product or soap, quantity=str(quantity),
                          due=due, reference=reference)

    return build


def stored(db_session) -> dict[int, LineForecast]:
    db_session.expire_all()
    return {row.order_line_id: row for row in db_session.scalars(select(LineForecast))}


def test_risk_values_match_the_model():
    assert set(RISK_ORDER) == {r.value for r in Risk}


def test_recompute_stores_one_forecast_per_open_line(db_session, make_worker, order_for,
                                                      make_product):
    from shopfloor.planning.services import recompute_forecasts

    make_worker("Ala", soap="independent")
    make_worker("Celina", soap="learning")  # a learner adds no capacity
    # Order 1, due Wednesday: 260 pcs = 780 min = Monday + Tuesday -> Tuesday; only
    # Wednesday is left before the due date (fewer than 2 working days) -> at risk.
    first = order_for(WED, 260)
    # Order 2, due Thursday: 390 pcs = 1,170 min = Wed, Thu, Fri -> Friday: late by a day,
    # only because order 1 (due earlier) takes Monday and Tuesday.
    second = order_for(THU, 390)
    # Order 3, due 18 December: 130 pcs = one day -> next Monday, on track.
    third = order_for(date(2026, 12, 18), 130)
    # Order 4: garments, and nobody is qualified -> no projected day, late.
    fourth = order_for(date(2026, 12, 10), 10, product=make_product(line="garments"))

    summary = recompute_forecasts(NOW)

    rows = stored(db_session)
    assert len(rows) == 4
    line = {o: o.lines[0].id for o in (first, second, third, fourth)}
    assert (rows[line[first]].projected_on, rows[line[first]].slack_days,
            rows[line[first]].risk) == (TUE, 1, "at_risk")
    assert rows[line[first]].remaining_minutes == Decimal("780.00")
    assert (rows[line[second]].projected_on, rows[line[second]].slack_days,
            rows[line[second]].risk) == (FRI, -1, "late")
    assert (rows[line[third]].projected_on, rows[line[third]].risk) == (NEXT_MON, "on_track")
    assert (rows[line[fourth]].projected_on, rows[line[fourth]].slack_days,
            rows[line[fourth]].risk) == (None, None, "late")
    assert summary == "Pozycje zamówień: 4 — w terminie: 1, zagrożone: 1, spóźnią się: 2."


def test_absence_and_a_worker_with_help_change_the_projection(db_session, make_worker,
                                                             order_for):
    from shopfloor.planning.services import recompute_forecasts
    from shopfloor.workers.capacity import add_absence

    ala = make_worker("Ala", soap="independent")
    add_absence(ala, TUE, TUE, "therapy", None)
    # 260 pcs = 780 min: Monday 390, Tuesday nothing (therapy), Wednesday 390 -> Wednesday.
    order = order_for(FRI, 260)
    recompute_forecasts(NOW)
    assert stored(db_session)[order.lines[0].id].projected_on == WED

    # Basia works with help 08:00-12:00: 240 min - 15 min extra break = 225 min (under 6 h:
    # no second break), each worth half a standard minute = 112.5 a day. Monday: 390 + 112.5
    # = 502.5; Tuesday: Basia's 112.5 (615 in all); Wednesday: the last 165 -> Wednesday.
    make_worker("Basia", shift=(time(8), time(12)), soap="with_help")
    recompute_forecasts(NOW)
    assert stored(db_session)[order.lines[0].id].projected_on == WED
    # 170 pcs = 510 min: 502.5 on Monday, 7.5 on Tuesday from Basia -> Tuesday.
    smaller = order_for(FRI, 170)
    order.status = "cancelled"
    db_session.commit()
    recompute_forecasts(NOW)
    rows = stored(db_session)
    assert rows[smaller.lines[0].id].projected_on == TUE
    assert order.lines[0].id not in rows  # a cancelled order's row is gone


def test_today_counts_only_the_part_of_the_shift_still_ahead(db_session, make_worker,
                                                             order_for):
    from shopfloor.planning.services import recompute_forecasts

    make_worker("Ala", soap="independent")
    order = order_for(FRI, 130)  # 390 min: all of Monday when the day has not started
    recompute_forecasts(NOW)
    assert stored(db_session)[order.lines[0].id].projected_on == MON
    # At 11:30 in Warsaw half of 08:00-15:00 is gone: 195 min on Monday, 195 on Tuesday.
    recompute_forecasts(datetime(2026, 11, 30, 10, 30, tzinfo=UTC))
    assert stored(db_session)[order.lines[0].id].projected_on == TUE


def test_output_of_finished_batches_and_shipments_is_not_planned_again(
        db_session, make_worker, order_for, make_batch):
    from shopfloor.planning.services import recompute_forecasts

    make_worker("Ala", soap="independent")
    order = order_for(FRI, 260)
    line = order.lines[0]
    # A finished batch made 130 good pieces for the line: 130 left = 390 min -> Monday.
    batch = make_batch(order_line=line, quantity="130")
    batch.status, batch.good_quantity = "done", Decimal(130)
    db_session.commit()
    recompute_forecasts(NOW)
    row = stored(db_session)[line.id]
    assert (row.remaining_minutes, row.projected_on) == (Decimal("390.00"), MON)
    # Everything shipped: the line is no longer open and its row goes.
    line.quantity_shipped = line.quantity
    db_session.commit()
    recompute_forecasts(NOW)
    assert stored(db_session) == {}


def test_drafts_are_not_planned(db_session, make_worker, make_order, soap):
    from shopfloor.planning.services import recompute_forecasts

    make_worker("Ala", soap="independent")
    make_order(product=soap, quantity="10", status="draft", due=FRI)
    assert recompute_forecasts(NOW) == (
        "Pozycje zamówień: 0 — w terminie: 0, zagrożone: 0, spóźnią się: 0.")


def test_forecast_for_order_shows_the_latest_line_and_the_worst_risk(
        db_session, make_worker, make_order, soap):
    from shopfloor.orders.services import LineData
    from shopfloor.planning.services import forecast_for_order, recompute_forecasts

    make_worker("Ala", soap="independent")
    # Line due Wednesday: 260 pcs -> Mon + Tue (at risk); line due 18 Dec: 130 pcs -> Wed.
    order = make_order(lines=[LineData(soap.id, Decimal(260), WED),
                              LineData(soap.id, Decimal(130), date(2026, 12, 18))])
    assert forecast_for_order(order) is None  # not computed yet
    recompute_forecasts(NOW)
    outlook = forecast_for_order(order)
    assert (outlook.projected_on, outlook.slack_days, outlook.risk) == (WED, 1, "at_risk")
    assert set(outlook.lines) == {line.id for line in order.lines}
    assert outlook.computed_at == NOW


def test_what_if_loads_the_new_line_after_the_open_lines_due_that_day_or_earlier(
        db_session, make_worker, order_for, soap):
    from shopfloor.planning.services import what_if

    make_worker("Ala", soap="independent")
    order_for(WED, 260)  # Monday + Tuesday
    order_for(THU, 390)  # Wednesday, Thursday, Friday
    # Due Tuesday: it goes before both -> Monday; one working day (Tuesday) left: at risk.
    early = what_if(soap.id, 130, TUE, NOW)
    assert (early.projected_on, early.risk, early.work_minutes) == (MON, "at_risk", 390)
    # Due Wednesday, the same day as order 1: after it -> Wednesday, on its due day.
    same_day = what_if(soap.id, "130", WED, NOW)
    assert (same_day.projected_on, same_day.slack_days, same_day.risk) == (WED, 0, "at_risk")
    # Due Friday: after both -> next Monday, late; nothing is stored.
    later = what_if(soap.id, 130, FRI, NOW)
    assert (later.projected_on, later.slack_days, later.risk) == (NEXT_MON, -3, "late")
    assert later.horizon_end == MON + timedelta(days=89)
    assert db_session.scalar(select(func.count()).select_from(LineForecast)) == 0


def test_what_if_refuses_bad_input_naming_the_field(db_session, soap):
    from shopfloor.planning.services import what_if

    for args, field in (((None, 10, FRI), "product_id"), ((soap.id, 0, FRI), "quantity"),
                        ((soap.id, "many", FRI), "quantity"), ((soap.id, 10, None), "due_date")):
        with pytest.raises(DomainError) as error:
            what_if(*args, NOW)
        assert error.value.field == field


def test_pace_is_measured_from_tablet_taps_when_there_are_enough(db_session, floor):
    from shopfloor.floor.models import StepEvent
    from shopfloor.planning.inputs import PACE_MIN_DONE_EVENTS, measured_paces

    # Yesterday 09:00-11:00 UTC Kasia counted 24 pieces of a 2.5-minute product:
    # 24 x 2.5 = 60 standard minutes in 120 minutes -> pace 0.5.
    start = NOW - timedelta(days=1, hours=-3)

    def tap(n: int, kind: str, minutes: float, value=None):
        db_session.add(StepEvent(
            client_id=f"00000000-0000-4000-8000-{n:012d}", kind=kind, batch_id=floor.batch.id,
            instruction_step_id=floor.steps["count" if kind == "count" else "do"].id,
            worker_id=floor.worker.id, station_id=floor.station.id,
            session_id=floor.session.id, value=value,
            occurred_at=start + timedelta(minutes=minutes)))

    for n in range(24):
        tap(n, "count", 5 * n, Decimal(1))
    for n in range(PACE_MIN_DONE_EVENTS - 1):
        tap(100 + n, "done", 120 * n / (PACE_MIN_DONE_EVENTS - 2))
    db_session.commit()
    assert measured_paces(NOW) == {}  # 29 "done" taps: not enough to trust
    tap(999, "done", 60)
    db_session.commit()
    assert measured_paces(NOW) == {"soap": pytest.approx(0.5)}


def test_deadline_alerts_reach_each_manager_once(app, db_session, manager, make_user,
                                                 make_worker, order_for):
    pytest.importorskip("shopfloor.notifications.services",
                        reason="notify() is written by the notifications helper")
    from shopfloor.notifications.models import Notification
    from shopfloor.planning.services import deadline_alerts, recompute_forecasts

    english = make_user(username="marta", role="manager", language="en")
    managers = [manager, english, make_user(username="ola", role="manager")]
    supervisor = make_user(username="sup", role="supervisor")
    make_user(username="gone", role="manager", active=False)
    make_worker("Ala", soap="independent")
    at_risk = order_for(WED, 260)          # Tuesday, at risk
    late = order_for(THU, 390)             # Friday, late
    order_for(date(2026, 12, 18), 130)     # on track: no alert
    recompute_forecasts(NOW)

    def inbox(user):
        return list(db_session.scalars(select(Notification).where(
            Notification.user_id == user.id).order_by(Notification.id)))

    with app.test_request_context():
        first = deadline_alerts(NOW)
        again = deadline_alerts(NOW)
    # Two runs, yet each manager has one message per order, the supervisor none.
    for manager in managers:
        keys = [n.dedupe_key for n in inbox(manager)]
        assert keys == [f"order-risk:{at_risk.id}:at_risk:{WED.isoformat()}",
                        f"order-risk:{late.id}:late:{THU.isoformat()}"]
    assert first == ("Zamówienia zagrożone: 1, spóźnią się: 1, po terminie: 0; "
                     "nowe powiadomienia: 6.")
    assert again == ("Zamówienia zagrożone: 1, spóźnią się: 1, po terminie: 0; "
                     "nowe powiadomienia: 0.")
    message = inbox(english)[1]
    assert message.subject.startswith("Order ") and message.subject.endswith(" will be late")
    # Order 2 is due Thursday 3 December and expected Friday 4 December; dates are written
    # in each reader's language.
    assert message.body.endswith("Due Dec 3, 2026. Expected to be done: Dec 4, 2026.")
    assert "3 gru 2026" in inbox(managers[2])[1].body
    assert message.link.endswith(f"/orders/{late.id}")
    assert inbox(supervisor) == []

    # A week later both are past their due dates and still unshipped: overdue, new alerts.
    with app.test_request_context():
        week_later = deadline_alerts(NOW + timedelta(days=7))
    assert week_later == ("Zamówienia zagrożone: 0, spóźnią się: 0, po terminie: 2; "
                          "nowe powiadomienia: 6.")
    assert f"order-risk:{at_risk.id}:overdue:{WED.isoformat()}" in [
        n.dedupe_key for n in inbox(english)]


def test_capacity_keeps_to_the_working_time_caps_even_if_stored_availability_does_not():
    from shopfloor.planning.inputs import day_minutes

    nine_hours = {d: (time(7), time(16)) for d in range(6)}  # Monday to Saturday, 9 h each
    # Rule 8/40: each day capped at 480 min (450 productive after 2 x 15 min breaks), and
    # the week at 2,400 min: five days of 480 use it all, so Saturday gets nothing.
    assert day_minutes("8/40", None, nine_hours, set(), MON, 7) == [450] * 5 + [0, 0]
    # Rule 7/35: 420 a day (390 productive), 2,100 a week: again five days.
    assert day_minutes("7/35", None, nine_hours, set(), MON, 7) == [390] * 5 + [0, 0]
    # With the doctor's consent in force the Labour Code limits apply: 9 h (540 - 30 = 510)
    # a day, 48 h a week: 5 x 540 = 2,700, so Saturday keeps 180 min (165 after the break).
    assert day_minutes("8/40", MON, nine_hours, set(), MON, 7) == [510] * 5 + [165, 0]
    # A horizon starting on Thursday: Monday to Wednesday already used 1,440 of the week.
    assert day_minutes("8/40", None, nine_hours, {FRI}, THU, 3) == [450, 0, 450]


def test_weekly_load_shows_capacity_and_planned_minutes_per_line(db_session, make_worker,
                                                                  order_for):
    from shopfloor.planning.services import weekly_load

    make_worker("Ala", soap="independent", harness="with_help")
    order_for(FRI, 260)  # 780 min of soap in the first week
    weeks = {(w.process, w.week_start): w for w in weekly_load(NOW)}
    first = weeks[("soap", MON)]
    # Five days of 390 min; Ala also does harness, so her minutes show there too.
    assert (first.available_minutes, first.planned_minutes) == (1950, 780)
    assert first.load == pytest.approx(0.4)
    assert weeks[("harness", MON)].available_minutes == 1950
    assert weeks[("harness", MON)].planned_minutes == 0
    assert weeks[("soap", NEXT_MON)].planned_minutes == 0
