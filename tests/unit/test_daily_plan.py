"""The daily plan's suggestion, by hand: who works on which batch at which station."""

from __future__ import annotations

from datetime import date

from shopfloor.planning.daily import (
    BatchNeed,
    StationSlot,
    Suggestion,
    Unplanned,
    WorkerDay,
    suggest_day,
)

DAY = date(2026, 12, 1)


def test_the_earliest_due_batch_gets_the_station_and_the_independent_worker():
    workers = [WorkerDay(1, 420, {"soap": "independent"}),
               WorkerDay(2, 420, {"soap": "independent"})]
    batches = [BatchNeed(10, "soap", date(2026, 12, 9), 300),
               BatchNeed(11, "soap", date(2026, 12, 3), 300)]
    plan = suggest_day(DAY, workers, batches, [StationSlot(100, "soap")])
    # One soap table: batch 11 (due 3 Dec) gets it; 300 minutes need one worker (420 > 300).
    assert plan.assignments == [Suggestion(1, 100, 11, 300)]
    assert plan.unplanned == [Unplanned(10, "no_station")]


def test_a_batch_takes_workers_until_its_work_is_covered():
    workers = [WorkerDay(1, 300, {"harness": "independent"}),
               WorkerDay(2, 400, {"harness": "can_teach"}),
               WorkerDay(3, 400, {"harness": "independent"})]
    plan = suggest_day(DAY, workers, [BatchNeed(10, "harness", None, 600)],
                       [StationSlot(7, "harness")])
    # The teacher first (400), then the independent worker with more time (400) for the
    # 200 minutes left; worker 1 is not needed.
    assert plan.assignments == [Suggestion(2, 7, 10, 400), Suggestion(3, 7, 10, 200)]


def test_who_needs_help_works_only_next_to_someone_who_can_give_it():
    helper_needed = WorkerDay(1, 420, {"soap": "with_help"})
    learner = WorkerDay(2, 420, {"soap": "learning"})
    independent = WorkerDay(3, 200, {"soap": "independent"})
    alone = suggest_day(DAY, [helper_needed, learner], [BatchNeed(10, "soap", None, 900)],
                        [StationSlot(1, "soap")])
    assert alone.assignments == [] and alone.unplanned == [Unplanned(10, "no_worker")]
    together = suggest_day(DAY, [helper_needed, learner, independent],
                           [BatchNeed(10, "soap", None, 900)], [StationSlot(1, "soap")])
    # The learner still needs a teacher, so only the worker with help joins.
    assert together.assignments == [Suggestion(3, 1, 10, 200), Suggestion(1, 1, 10, 420)]


def test_a_worker_works_at_one_station_a_day_and_skills_decide_the_line():
    workers = [WorkerDay(1, 420, {"soap": "independent", "copack": "independent"}),
               WorkerDay(2, 420, {"copack": "independent"})]
    batches = [BatchNeed(10, "soap", date(2026, 12, 2), 100),
               BatchNeed(11, "copack", date(2026, 12, 4), 500)]
    plan = suggest_day(DAY, workers, batches,
                       [StationSlot(1, "soap"), StationSlot(2, "copack")])
    assert plan.assignments == [Suggestion(1, 1, 10, 100), Suggestion(2, 2, 11, 420)]


def test_nobody_with_time_left_is_planned():
    plan = suggest_day(DAY, [WorkerDay(1, 0, {"soap": "independent"})],
                       [BatchNeed(10, "soap", None, 60)], [StationSlot(1, "soap")])
    assert plan.unplanned == [Unplanned(10, "no_worker")]
