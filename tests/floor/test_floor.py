"""Step events from the tablets and help calls: stored once, counts move the batch."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from shopfloor.errors import DomainError

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def fl():
    """The floor services and rules under one name."""
    from shopfloor.floor import rules, services

    return SimpleNamespace(**{**vars(rules), **vars(services)})


def tap() -> str:
    return str(uuid.uuid4())


def refused_field(call, *args, **kwargs) -> str | None:
    with pytest.raises(DomainError) as refusal:
        call(*args, **kwargs)
    return refusal.value.field


def step_event_count(db_session) -> int:
    from sqlalchemy import func, select

    from shopfloor.floor.models import StepEvent

    return db_session.scalar(select(func.count()).select_from(StepEvent))


# ------------------------------------------------------------------------- pure rules

def test_count_total_sums_counts_and_undos_and_ignores_the_rest(fl):
    events = [SimpleNamespace(kind=k, value=v) for k, v in (
        ("count", Decimal(1)), ("count", Decimal(1)), ("measure", Decimal(100)),
        ("undo", Decimal(-1)), ("done", None), ("count", Decimal(1)))]
    assert fl.count_total(events) == 2
    assert fl.count_total([]) == 0


def test_a_range_is_checked_only_when_the_step_sets_one(fl):
    assert fl.in_range(Decimal(95), {"min": 90, "max": "110"}) is True
    assert fl.in_range(Decimal(110), {"min": 90, "max": 110}) is True
    assert fl.in_range(Decimal("110.5"), {"max": 110}) is False
    assert fl.in_range(Decimal(5), {"min": "10,5"}) is False
    assert fl.in_range(Decimal(5), {"measure": "weight"}) is None


def test_time_to_answer_waits_for_the_acknowledgement(fl):
    call = SimpleNamespace(created_at=NOW, acknowledged_at=None)
    assert fl.time_to_answer(call) is None
    call.acknowledged_at = NOW + timedelta(minutes=3)
    assert fl.time_to_answer(call) == timedelta(minutes=3)


# ------------------------------------------------------------------------- step events

def test_a_done_tap_sent_twice_is_stored_once(fl, floor, db_session):
    client_id = tap()
    first = fl.record_step_event(floor.session, floor.batch, floor.steps["do"], "done",
                                 client_id, occurred_at=NOW, now=NOW + timedelta(seconds=2))
    again = fl.record_step_event(floor.session, floor.batch, floor.steps["do"], "done",
                                 client_id.upper(), now=NOW + timedelta(seconds=9))
    assert first.created and not again.created
    assert again.event.id == first.event.id
    assert step_event_count(db_session) == 1
    event = first.event
    assert (event.kind, event.worker_id, event.station_id, event.session_id) == (
        "done", floor.worker.id, floor.station.id, floor.session.id)
    assert event.occurred_at == NOW and event.received_at == NOW + timedelta(seconds=2)


def test_a_duplicate_arriving_at_the_same_moment_returns_the_stored_event(
        fl, floor, db_session, monkeypatch):
    from shopfloor.floor import services

    client_id = tap()
    stored = fl.record_step_event(floor.session, floor.batch, floor.steps["count"], "count",
                                  client_id, value=1).event
    real_lookup = services._event_by_client_id
    calls = iter([None])  # the first look-up misses it, as a concurrent request would
    monkeypatch.setattr(services, "_event_by_client_id",
                        lambda cid: next(calls, None) or real_lookup(cid))
    result = fl.record_step_event(floor.session, floor.batch, floor.steps["count"], "count",
                                  client_id, value=1)
    assert not result.created and result.event.id == stored.id
    db_session.refresh(floor.batch)
    assert floor.batch.good_quantity == 1 and step_event_count(db_session) == 1


def test_counts_move_the_batchs_good_quantity(fl, floor, db_session):
    from shopfloor.audit.services import history

    step = floor.steps["count"]
    totals = [fl.record_step_event(floor.session, floor.batch, step, "count", tap(),
                                   value=value).total for value in (1, "+1", -1)]
    assert totals == [1, 2, 1]
    db_session.refresh(floor.batch)
    assert floor.batch.good_quantity == 1
    # Each tap is its own record (who, where, when): no audit row per tap on the batch.
    assert not any("good_quantity" in (e.changes or {}) for e in history(floor.batch))
    events = fl.step_events(floor.batch.id, step.id)
    assert [(e.worker_id, e.station_id, e.value) for e in events] == [
        (floor.worker.id, floor.station.id, 1), (floor.worker.id, floor.station.id, 1),
        (floor.worker.id, floor.station.id, -1)]


def test_counts_at_a_shared_batch_from_two_tablets_add_up(fl, floor, manager, db_session):
    """Two workers at one table count into the same batch; neither tap is lost or refused."""
    from shopfloor.stations.services import set_expected_workers
    from shopfloor.stations.signin import finish_sign_in
    from shopfloor.workers.services import WorkerData, save_worker

    ola = save_worker(WorkerData(first_name="Ola"), manager)
    set_expected_workers(floor.station, [floor.worker.id, ola.id], manager)
    second = finish_sign_in(floor.station, ola.id, ola.code)
    step = floor.steps["count"]
    for session in (floor.session, second, floor.session, second):
        fl.record_step_event(session, floor.batch, step, "count", tap(), value=1)
    db_session.refresh(floor.batch)
    assert floor.batch.good_quantity == 4
    assert fl.counted(floor.batch.id, step.id, ola.id) == 2


@pytest.mark.parametrize("value", [None, 0, 2, "-2", "abc"])
def test_a_count_is_one_up_or_one_down(fl, floor, value):
    assert refused_field(fl.record_step_event, floor.session, floor.batch,
                         floor.steps["count"], "count", tap(), value=value) == "value"


def test_undo_takes_back_only_what_was_counted(fl, floor, db_session):
    step = floor.steps["count"]
    assert refused_field(fl.record_step_event, floor.session, floor.batch, step, "undo",
                         tap()) == "value"
    fl.record_step_event(floor.session, floor.batch, step, "count", tap(), value=1)
    result = fl.record_step_event(floor.session, floor.batch, step, "undo", tap())
    assert result.created and result.event.value == -1 and result.total == 0
    for kind, value in (("undo", None), ("count", -1)):
        assert refused_field(fl.record_step_event, floor.session, floor.batch, step, kind,
                             tap(), value=value) == "value"
    db_session.refresh(floor.batch)
    assert floor.batch.good_quantity == 0
    assert step_event_count(db_session) == 2


def test_undo_reverses_the_last_tap_newest_first_whichever_way_it_went(fl, floor, db_session):
    step = floor.steps["count"]
    for value in (1, 1, 1, -1):  # three up, one down by mistake: 2
        fl.record_step_event(floor.session, floor.batch, step, "count", tap(), value=value)
    moved = []
    for _ in range(4):  # the -1 comes back as +1, then the three +1 go, newest first
        result = fl.record_step_event(floor.session, floor.batch, step, "undo", tap(), value=-1)
        moved.append((result.event.value, result.total))
    assert moved == [(1, 3), (-1, 2), (-1, 1), (-1, 0)]
    assert refused_field(fl.record_step_event, floor.session, floor.batch, step, "undo",
                         tap()) == "value"
    db_session.refresh(floor.batch)
    assert floor.batch.good_quantity == 0


def test_undo_does_not_reach_back_past_the_last_done(fl, floor):
    step = floor.steps["count"]
    fl.record_step_event(floor.session, floor.batch, step, "count", tap(), value=1)
    fl.record_step_event(floor.session, floor.batch, step, "done", tap())
    fl.record_step_event(floor.session, floor.batch, step, "count", tap(), value=1)
    assert fl.record_step_event(floor.session, floor.batch, step, "undo", tap()).total == 1
    assert refused_field(fl.record_step_event, floor.session, floor.batch, step, "undo",
                         tap()) == "value"


def test_an_event_for_a_batch_not_in_progress_is_refused(fl, floor, manager, make_batch,
                                                         db_session):
    from shopfloor.production.services import move_batch

    move_batch(floor.batch, "awaiting_qc", manager)
    assert refused_field(fl.record_step_event, floor.session, floor.batch, floor.steps["do"],
                         "done", tap()) == "batch"
    not_started = make_batch(product=floor.batch.product)
    not_started.instruction_version_id = floor.version.id
    db_session.commit()
    assert refused_field(fl.record_step_event, floor.session, not_started,
                         floor.steps["count"], "count", tap(), value=1) == "batch"
    assert step_event_count(db_session) == 0


def test_an_event_from_an_ended_session_is_refused(fl, floor, db_session):
    from shopfloor.stations.signin import sign_out_worker

    sign_out_worker(floor.session, now=NOW + timedelta(hours=1))
    assert refused_field(fl.record_step_event, floor.session, floor.batch, floor.steps["do"],
                         "done", tap()) == "session"
    assert step_event_count(db_session) == 0


def test_a_step_of_another_instruction_version_is_refused(fl, floor, manager, db_session):
    from shopfloor.instructions.services import new_draft

    draft = new_draft(floor.instruction, manager)
    assert refused_field(fl.record_step_event, floor.session, floor.batch, draft.steps[0],
                         "done", tap()) == "step"
    assert refused_field(fl.record_step_event, floor.session, floor.batch, None,
                         "done", tap()) == "step"
    # An event must fit the step: no count on a "do" step.
    assert refused_field(fl.record_step_event, floor.session, floor.batch, floor.steps["do"],
                         "count", tap(), value=1) == "kind"
    assert step_event_count(db_session) == 0


def test_a_measure_outside_the_range_is_stored_and_flagged(fl, floor):
    step = floor.steps["measure"]
    low = fl.record_step_event(floor.session, floor.batch, step, "measure", tap(),
                               value="85,5")
    assert low.created and low.in_range is False and low.event.value == Decimal("85.5")
    ok = fl.record_step_event(floor.session, floor.batch, step, "measure", tap(), value=100)
    assert ok.in_range is True
    assert refused_field(fl.record_step_event, floor.session, floor.batch, step, "measure",
                         tap()) == "value"


def test_a_scan_says_whether_it_is_the_kind_the_step_asks_for(fl, floor):
    from shopfloor.codes import format_code, new_code

    step = floor.steps["scan"]
    lot = new_code("M")
    scanned = fl.record_step_event(floor.session, floor.batch, step, "scan", tap(),
                                   text=f"https://shopfloor.example.org/s/{format_code(lot)}")
    assert scanned.matched is True and scanned.event.text == lot
    item = fl.record_step_event(floor.session, floor.batch, step, "scan", tap(),
                                text=new_code("R"))
    misread = fl.record_step_event(floor.session, floor.batch, step, "scan", tap(),
                                   text="4006381333931")
    assert item.matched is False and misread.matched is False
    assert misread.event.text == "4006381333931"
    assert refused_field(fl.record_step_event, floor.session, floor.batch, step, "scan",
                         tap(), text="  ") == "text"


def test_a_check_stores_good_or_bad(fl, floor):
    step = floor.steps["check"]
    result = fl.record_step_event(floor.session, floor.batch, step, "check", tap(), text="Bad")
    assert result.event.text == "bad"
    assert refused_field(fl.record_step_event, floor.session, floor.batch, step, "check",
                         tap(), text="maybe") == "text"


# ------------------------------------------------------------------------- help calls

def test_help_is_called_once_per_worker_until_closed(fl, floor, make_user):
    from shopfloor.audit.services import history

    coach = make_user(username="coach", role="supervisor")
    first_tap = tap()
    call, created = fl.call_help(floor.session, floor.batch, floor.steps["count"], first_tap,
                                 now=NOW)
    assert created and call.status == "open"
    assert (call.worker_id, call.station_id, call.batch_id, call.instruction_step_id) == (
        floor.worker.id, floor.station.id, floor.batch.id, floor.steps["count"].id)
    assert fl.call_help(floor.session, floor.batch, None, first_tap, now=NOW) == (call, False)
    assert fl.call_help(floor.session, None, None, tap(),
                        now=NOW + timedelta(minutes=1)) == (call, False)
    assert fl.open_help_calls() == [call]
    assert fl.time_to_answer(call) is None

    fl.acknowledge_help(call, coach, now=NOW + timedelta(minutes=2))
    fl.acknowledge_help(call, coach, now=NOW + timedelta(minutes=4))  # again: no change
    assert call.status == "acknowledged" and call.acknowledged_by == coach.id
    assert fl.time_to_answer(call) == timedelta(minutes=2)
    fl.close_help(call, coach, now=NOW + timedelta(minutes=5))
    assert call.status == "closed" and call.closed_by == coach.id
    assert fl.open_help_calls() == []
    assert [(e.from_status, e.to_status, e.user_id) for e in history(call)] == [
        ("acknowledged", "closed", coach.id), ("open", "acknowledged", coach.id)]
    assert refused_field(fl.acknowledge_help, call, coach) == "help_call"

    second, created = fl.call_help(floor.session, None, None, tap(),
                                   now=NOW + timedelta(minutes=6))
    assert created and second.id != call.id


def test_open_calls_come_oldest_first_and_closing_answers_them(fl, floor, manager):
    from shopfloor.production.services import move_batch
    from shopfloor.stations.services import set_expected_workers
    from shopfloor.stations.signin import finish_sign_in, start_sign_in
    from shopfloor.workers.services import WorkerData, save_worker

    tomek = save_worker(WorkerData(first_name="Tomek", sign_in_method="badge"), manager)
    set_expected_workers(floor.station, [floor.worker.id, tomek.id], manager)
    start_sign_in(floor.station, tomek.id, now=NOW)
    tomek_session = finish_sign_in(floor.station, tomek.id, tomek.code, now=NOW)
    move_batch(floor.batch, "awaiting_qc", manager)  # help is never refused for the batch
    later, _ = fl.call_help(floor.session, floor.batch, None, tap(),
                            now=NOW + timedelta(minutes=3))
    earlier, _ = fl.call_help(tomek_session, None, None, tap(), now=NOW)
    assert fl.open_help_calls() == [earlier, later]

    fl.close_help(later, manager, now=NOW + timedelta(minutes=10))
    assert fl.time_to_answer(later) == timedelta(minutes=7)
    assert fl.open_help_calls() == [earlier]


def test_a_signed_out_worker_cannot_call_help(fl, floor):
    from shopfloor.stations.signin import sign_out_worker

    sign_out_worker(floor.session, now=NOW + timedelta(hours=1))
    assert refused_field(fl.call_help, floor.session, floor.batch, None, tap()) == "session"


def test_simultaneous_taps_from_two_tablets_all_count(fl, floor, manager, app, db_session):
    """Counts at one batch from two threads at once: every tap lands, none is refused."""
    import threading

    from shopfloor.extensions import db
    from shopfloor.instructions.models import InstructionStep
    from shopfloor.production.models import Batch
    from shopfloor.stations.models import WorkerSession
    from shopfloor.stations.services import set_expected_workers
    from shopfloor.stations.signin import finish_sign_in
    from shopfloor.workers.services import WorkerData, save_worker

    ola = save_worker(WorkerData(first_name="Ola"), manager)
    set_expected_workers(floor.station, [floor.worker.id, ola.id], manager)
    ids = (floor.batch.id, floor.steps["count"].id)
    sessions = (floor.session.id, finish_sign_in(floor.station, ola.id, ola.code).id)
    start = threading.Barrier(2, timeout=20)
    refused: list[str] = []

    def tap_many(session_id: int):
        with app.app_context():
            try:
                start.wait()
                for _ in range(15):
                    session = db.session.get(WorkerSession, session_id)
                    batch = db.session.get(Batch, ids[0])
                    step = db.session.get(InstructionStep, ids[1])
                    try:
                        fl.record_step_event(session, batch, step, "count", tap(), value=1)
                    except DomainError as exc:
                        refused.append(str(exc.message))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tap_many, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert refused == []
    db_session.expire_all()
    assert db_session.get(Batch, ids[0]).good_quantity == 30
    assert fl.counted(*ids) == 30
