"""The forecast, checked by hand: every expected day below follows from the arithmetic in
the comment next to it. One worker with 400 productive minutes a day unless said otherwise;
the horizon starts on Monday 30 November 2026."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from shopfloor.planning.forecast import (
    AT_RISK,
    LATE,
    ON_TRACK,
    LineWork,
    WorkerDays,
    forecast,
    orders_of,
)

MON = date(2026, 11, 30)
TUE, WED, THU, FRI = (MON + timedelta(days=n) for n in range(1, 5))
NEXT_MON = MON + timedelta(days=7)
HORIZON = 14


def weekdays(minutes: float = 400, days: int = HORIZON) -> list[float]:
    """``minutes`` on Monday to Friday, nothing at the weekend, from MON."""
    return [minutes if (MON + timedelta(days=d)).weekday() < 5 else 0 for d in range(days)]


def soap_worker(worker_id: int = 1, minutes=None, factor: float = 1.0) -> WorkerDays:
    return WorkerDays(worker_id, minutes if minutes is not None else weekdays(),
                      {"soap": factor})


def line(line_id: int, due: date, quantity: float, minutes_per_unit: float = 10,
         order_id: int | None = None, process: str = "soap", pace: float = 1.0) -> LineWork:
    return LineWork(line_id=line_id, order_id=order_id or line_id, due_on=due,
                    process=process, remaining_quantity=quantity,
                    standard_minutes=minutes_per_unit, pace=pace)


def test_a_line_that_exactly_fills_two_days_is_done_on_the_second():
    # 80 pcs x 10 min = 800 min = Monday's 400 + Tuesday's 400 -> Tuesday.
    result = forecast([line(1, FRI, 80)], [soap_worker()], MON, HORIZON)
    outlook = result.lines[1]
    assert outlook.work_minutes == 800
    assert outlook.projected_on == TUE
    # Friday - Tuesday = 3 days; working days after Tuesday up to Friday: Wed, Thu, Fri = 3.
    assert outlook.slack_days == 3
    assert outlook.risk == ON_TRACK
    assert result.worker_minutes_used[1][:3] == [400, 400, 0]


def test_a_line_is_late_only_because_an_earlier_due_order_takes_the_capacity():
    # Alone, order 2 (800 min, due Thursday) takes Monday and Tuesday: on track
    # (working days after Tuesday up to Thursday: Wed, Thu = 2, not below 2).
    alone = forecast([line(2, THU, 80)], [soap_worker()], MON, HORIZON)
    assert (alone.lines[2].projected_on, alone.lines[2].risk) == (TUE, ON_TRACK)
    # Order 1 is due earlier (Wednesday) and needs 1,200 min = Mon, Tue, Wed. Order 2 then
    # gets Thursday (400) and Friday (400) -> Friday, one day after its due date.
    both = forecast([line(2, THU, 80), line(1, WED, 120)], [soap_worker()], MON, HORIZON)
    assert (both.lines[1].projected_on, both.lines[1].slack_days) == (WED, 0)
    assert both.lines[1].risk == AT_RISK  # finished on its due day: no working day to spare
    assert (both.lines[2].projected_on, both.lines[2].slack_days) == (FRI, -1)
    assert both.lines[2].risk == LATE


def test_equal_due_dates_go_by_order_id_then_line_id():
    # Three 400-minute lines due the same day: order 5 line 9, order 5 line 3, order 4 line 7.
    lines = [line(9, FRI, 40, order_id=5), line(3, FRI, 40, order_id=5),
             line(7, FRI, 40, order_id=4)]
    result = forecast(lines, [soap_worker()], MON, HORIZON)
    # Order 4 first (Monday), then order 5's line 3 (Tuesday), then its line 9 (Wednesday).
    assert [result.lines[i].projected_on for i in (7, 3, 9)] == [MON, TUE, WED]


def test_no_qualified_worker_means_no_projected_day_and_late_when_due_in_the_horizon():
    # Only a soap worker; the garment line finds no minutes at all.
    result = forecast([line(1, FRI, 10, process="garments"),
                       line(2, MON + timedelta(days=30), 10, process="garments")],
                      [soap_worker()], MON, HORIZON)
    assert result.lines[1].projected_on is None
    assert result.lines[1].slack_days is None
    assert result.lines[1].risk == LATE
    # Due after the 14-day horizon: unknown, so at risk rather than late.
    assert result.lines[2].risk == AT_RISK


def test_a_learning_level_is_no_qualification_so_a_worker_without_factors_adds_nothing():
    result = forecast([line(1, FRI, 10)], [WorkerDays(1, weekdays(), {})], MON, HORIZON)
    assert result.lines[1].projected_on is None


def test_an_absence_day_pushes_completion():
    # 800 min; Tuesday is an absence (0 min): Monday 400 + Wednesday 400 -> Wednesday.
    minutes = weekdays()
    minutes[1] = 0
    result = forecast([line(1, FRI, 80)], [soap_worker(minutes=minutes)], MON, HORIZON)
    assert result.lines[1].projected_on == WED
    # Working days after Wednesday up to Friday: Thu, Fri = 2 -> still on track.
    assert result.lines[1].risk == ON_TRACK


def test_the_weekend_is_skipped():
    # 2,400 min = 6 days of 400: Mon-Fri (2,000) + next Monday (400).
    result = forecast([line(1, NEXT_MON + timedelta(days=4), 240)], [soap_worker()], MON,
                      HORIZON)
    assert result.lines[1].projected_on == NEXT_MON


def test_pace_one_half_doubles_the_work():
    # 40 pcs x 10 min = 400 min at pace 1 -> Monday; at pace 0.5 -> 800 min -> Tuesday.
    at_standard = forecast([line(1, FRI, 40)], [soap_worker()], MON, HORIZON)
    slower = forecast([line(1, FRI, 40, pace=0.5)], [soap_worker()], MON, HORIZON)
    assert at_standard.lines[1].projected_on == MON
    assert slower.lines[1].work_minutes == 800
    assert slower.lines[1].projected_on == TUE


def test_a_worker_with_help_yields_half_a_standard_minute_per_minute():
    # 400 standard minutes; the worker's minute counts 0.5 -> 800 of their minutes -> Tuesday.
    result = forecast([line(1, FRI, 40)], [soap_worker(factor=0.5)], MON, HORIZON)
    assert result.lines[1].projected_on == TUE
    assert result.worker_minutes_used[1][:2] == [400, 400]


def test_two_workers_share_a_day_and_the_specialist_goes_first():
    # Worker 1 does soap and harness, worker 2 only soap: a 300-minute soap line takes
    # worker 2's minutes first (200), then 100 of worker 1's.
    workers = [WorkerDays(1, weekdays(200), {"soap": 1.0, "harness": 1.0}),
               WorkerDays(2, weekdays(200), {"soap": 1.0})]
    result = forecast([line(1, FRI, 30), line(2, FRI, 10, process="harness")], workers, MON,
                      HORIZON)
    assert result.lines[1].projected_on == MON
    # The harness line (100 min) still finds worker 1's remaining 100 minutes on Monday.
    assert result.lines[2].projected_on == MON
    assert result.worker_minutes_used[1][0] == 200
    assert result.worker_minutes_used[2][0] == 200
    assert result.process_minutes_used["soap"][0] == 300
    assert result.process_minutes_used["harness"][0] == 100


def test_at_risk_threshold_counts_working_days_after_the_projected_day():
    # 400 min -> Monday in every case below.
    def risk(due: date, threshold: int = 2) -> str:
        return forecast([line(1, due, 40)], [soap_worker()], MON, HORIZON,
                        at_risk_days=threshold).lines[1].risk

    assert risk(WED) == ON_TRACK            # Tue, Wed: 2 working days, not below 2
    assert risk(TUE) == AT_RISK             # Tue: 1
    assert risk(MON) == AT_RISK             # done on the due day: 0
    assert risk(WED, threshold=3) == AT_RISK
    assert risk(THU, threshold=3) == ON_TRACK
    # Projected Friday (2,000 min), due next Monday: 3 calendar days, but Saturday and Sunday
    # have no minutes, so 1 working day -> at risk.
    late_week = forecast([line(1, NEXT_MON, 200)], [soap_worker()], MON, HORIZON).lines[1]
    assert (late_week.projected_on, late_week.slack_days, late_week.risk) == (FRI, 3, AT_RISK)


def test_a_line_with_nothing_left_is_done_at_the_start_and_late_when_past_due():
    # Made but not shipped yet: nothing to load. Line 2 was due yesterday (Sunday).
    result = forecast([line(1, FRI, 0), line(2, MON - timedelta(days=1), 0)], [soap_worker()],
                      MON, HORIZON)
    assert (result.lines[1].projected_on, result.lines[1].risk) == (MON, ON_TRACK)
    assert (result.lines[2].slack_days, result.lines[2].risk) == (-1, LATE)


def test_an_order_takes_its_latest_line_and_its_worst_risk():
    # Order 1: line 1 (400 min, due Friday) -> Monday, on track; line 2 (800 min, due
    # Wednesday) -> Tuesday + Wednesday -> at risk (no working day left).
    result = forecast([line(1, FRI, 40, order_id=1), line(2, WED, 80, order_id=1)],
                      [soap_worker()], MON, HORIZON)
    # Line 2 is due first, so it goes first: Mon + Tue; line 1 takes Wednesday.
    assert result.lines[2].projected_on == TUE
    assert result.lines[1].projected_on == WED
    order = result.orders[1]
    assert order.projected_on == WED
    assert order.due_on == WED
    assert order.slack_days == 1        # line 2: Wednesday - Tuesday
    assert order.risk == AT_RISK        # line 2: only Wednesday after Tuesday
    # A line without a projected day makes the order's day unknown too.
    with_unknown = orders_of([result.lines[1], forecast(
        [line(3, FRI, 10, order_id=1, process="copack")], [], MON, HORIZON).lines[3]])
    assert with_unknown[1].projected_on is None
    assert with_unknown[1].risk == LATE


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="pace"):
        forecast([line(1, FRI, 10, pace=0)], [soap_worker()], MON, HORIZON)
    with pytest.raises(ValueError, match="twice"):
        forecast([], [soap_worker(), soap_worker()], MON, HORIZON)
    with pytest.raises(ValueError, match="horizon"):
        forecast([], [], MON, 0)


@pytest.mark.parametrize("seed", range(20))
def test_minutes_taken_never_exceed_anyones_capacity(seed):
    rng = random.Random(seed)
    processes = ("soap", "harness", "garments", "copack")
    workers = []
    for worker_id in range(1, rng.randint(2, 12)):
        skills = rng.sample(processes, rng.randint(0, 3))
        workers.append(WorkerDays(
            worker_id, [rng.choice((0, 0, 150, 330.5, 420)) for _ in range(HORIZON)],
            {p: rng.choice((1.0, 0.5)) for p in skills}))
    lines = [LineWork(line_id=n, order_id=rng.randint(1, 30),
                      due_on=MON + timedelta(days=rng.randint(-3, 20)),
                      process=rng.choice(processes), remaining_quantity=rng.randint(0, 90),
                      standard_minutes=rng.uniform(0.5, 12), pace=rng.uniform(0.4, 1.3))
             for n in range(1, rng.randint(2, 60))]
    result = forecast(lines, workers, MON, HORIZON)

    for worker in workers:
        used = result.worker_minutes_used[worker.worker_id]
        for day, capacity in enumerate(worker.minutes):
            assert -1e-6 <= used[day] <= capacity + 1e-6
    # What the processes took is what the workers gave, day by day.
    for day in range(HORIZON):
        by_process = sum(minutes[day] for minutes in result.process_minutes_used.values())
        by_worker = sum(minutes[day] for minutes in result.worker_minutes_used.values())
        assert by_process == pytest.approx(by_worker)
    # A process never takes more worker minutes than its lines' work at the slowest factor
    # (0.5: twice the standard minutes).
    for process, used in result.process_minutes_used.items():
        work = sum(w.work_minutes for w in lines if w.process == process)
        assert sum(used) <= 2 * work + 1e-6
    # Every line has an outlook, and a projected day only inside the horizon.
    assert set(result.lines) == {w.line_id for w in lines}
    for outlook in result.lines.values():
        if outlook.projected_on is not None:
            assert MON <= outlook.projected_on < MON + timedelta(days=HORIZON)


def test_with_full_pace_workers_the_minutes_given_equal_the_work_of_finished_lines():
    # Plenty of capacity: every line finishes, so the minutes taken are exactly the work.
    workers = [WorkerDays(w, weekdays(420), {"soap": 1.0, "copack": 1.0}) for w in (1, 2, 3)]
    lines = [line(n, FRI + timedelta(days=7), 7 + n, minutes_per_unit=3.5,
                  process=("soap", "copack")[n % 2]) for n in range(1, 40)]
    result = forecast(lines, workers, MON, HORIZON)
    assert all(o.projected_on is not None for o in result.lines.values())
    total_used = sum(sum(m) for m in result.worker_minutes_used.values())
    assert total_used == pytest.approx(sum(w.work_minutes for w in lines))
