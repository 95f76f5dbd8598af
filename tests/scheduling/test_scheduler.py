"""The scheduler: runs recorded, the CLI, the lease, help-call escalation, the morning
summary, the jobs page, and real `shopfloor scheduler` processes (one runs the jobs)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import select, text

from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.scheduling.jobs import JOBS, JobSpec, Schedule, run_job
from shopfloor.scheduling.lease import AdvisoryLease, RowLease, make_lease
from shopfloor.scheduling.models import JobRun, SchedulerLease
from tests.conftest import TEST_SECRET, TODAY

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _spec(function) -> JobSpec:
    return JobSpec(function, "test job", "", lambda _s: Schedule("interval", {"minutes": 1}, ""))


def _runs(job: str | None = None) -> list[JobRun]:
    query = select(JobRun).order_by(JobRun.started_at, JobRun.id)
    if job:
        query = query.where(JobRun.job == job)
    return list(db.session.scalars(query))


@pytest.fixture
def empty_job_store(app):
    """APScheduler's table is not ours (the per-test cleanup leaves it): drop it around."""
    def drop():
        db.session.rollback()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS apscheduler_jobs"))

    drop()
    yield
    drop()


def _notify_or_skip():
    try:
        from shopfloor.notifications.services import notify
    except ImportError:
        pytest.skip("shopfloor.notifications.services.notify does not exist yet")
    return notify


# ------------------------------------------------------------------ run_job


def test_a_job_run_is_recorded_with_its_summary_and_runner(db_session):
    seen = []

    def tidy(now):
        seen.append(now)
        return "tidied 3 things"

    run = run_job("tidy", now=NOW, runner="host:42", jobs={"tidy": _spec(tidy)})
    assert seen == [NOW]
    db_session.expire_all()
    [stored] = _runs("tidy")
    assert (stored.id, stored.outcome, stored.summary, stored.runner) == (
        run.id, "ok", "tidied 3 things", "host:42")
    assert stored.error is None
    assert stored.started_at <= stored.finished_at


def test_a_failing_job_is_recorded_as_failed_with_its_traceback_and_does_not_raise(
        db_session, make_partner):
    def broken(now):
        make_partner(name="Half-done Sp. z o.o.")  # committed by the service before the error
        raise ValueError("the partner feed is down")

    run = run_job("broken", now=NOW, jobs={"broken": _spec(broken)})
    db_session.expire_all()
    [stored] = _runs("broken")
    assert stored.id == run.id and stored.outcome == "failed"
    assert "Traceback" in stored.error and "ValueError: the partner feed is down" in stored.error
    assert stored.finished_at is not None and stored.summary == ""
    # The session is usable afterwards: the next run records normally.
    assert run_job("ok", jobs={"ok": _spec(lambda now: "fine")}).outcome == "ok"


def test_a_job_that_fails_mid_transaction_leaves_nothing_half_written(db_session):
    from shopfloor.scheduling.models import SchedulerLease as Lease

    def half(now):
        db.session.add(Lease(name="half", holder="x", expires_at=now))
        db.session.flush()
        raise RuntimeError("stop")

    assert run_job("half", now=NOW, jobs={"half": _spec(half)}).outcome == "failed"
    assert db_session.get(Lease, "half") is None


def test_an_unknown_job_name_is_refused_with_the_known_names_and_nothing_is_recorded(db_session):
    with pytest.raises(DomainError) as error:
        run_job("recompute_forecast")
    message = str(error.value.message)
    assert "'recompute_forecast'" in message
    for name in JOBS:
        assert name in message
    assert _runs() == []


def test_the_registry_has_the_jobs_in_order_with_schedules_from_the_settings(app):
    settings = app.config["SHOPFLOOR"]
    assert list(JOBS)[:6] == ["recompute_forecasts", "deadline_alerts", "send_outbox",
                              "escalate_help_calls", "daily_plan", "morning_digest"]
    digest = JOBS["morning_digest"].schedule(settings)
    assert (digest.trigger, dict(digest.fields)) == ("cron", {"hour": 7, "minute": 0})
    forecasts = JOBS["recompute_forecasts"].schedule(settings)
    alerts = JOBS["deadline_alerts"].schedule(settings)
    assert forecasts.fields == alerts.fields == {"minutes": 15}
    assert alerts.offset > forecasts.offset  # the alerts read fresh forecasts
    with force_locale("en"):
        assert str(digest.label) == "Every day at 07:00"
        assert str(JOBS["send_outbox"].schedule(settings).label) == "Every minute"


def test_every_registered_job_runs_on_an_empty_database(db_session):
    """The wrappers reach the real job functions (each area's own tests check what they do)."""
    for name in JOBS:
        run = run_job(name, now=NOW)
        assert run.outcome == "ok", f"{name}: {run.error}"
        assert run.summary, name


# ------------------------------------------------------------------ the CLI


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_run_job_command_prints_the_summary_and_records_a_cli_run(app, db_session):
    result = _cli(app, "run-job", "escalate_help_calls")
    assert result.exit_code == 0, result.output
    assert "5 min" in result.output  # "no help call is waiting longer than 5 min"
    db_session.expire_all()
    [run] = _runs("escalate_help_calls")
    assert (run.outcome, run.runner) == ("ok", "cli")


def test_run_job_command_with_an_unknown_name_lists_the_jobs_and_exits_2(app, db_session):
    result = _cli(app, "run-job", "send_mail")
    assert result.exit_code == 2
    assert "'send_mail'" in result.output and "send_outbox" in result.output
    assert _runs() == []


def test_run_job_command_exits_1_and_shows_the_error_when_the_job_fails(
        app, db_session, monkeypatch):
    def broken(now):
        raise OSError("disk full")

    monkeypatch.setitem(JOBS, "broken", _spec(broken))
    result = _cli(app, "run-job", "broken")
    assert result.exit_code == 1
    assert "OSError: disk full" in result.output


# ------------------------------------------------------------------ the lease


def test_only_one_of_two_holders_gets_the_row_lease_and_the_other_after_it_expires(
        app, db_session):
    first = RowLease(db.engine, "host-a:1", seconds=30)
    second = RowLease(db.engine, "host-b:2", seconds=30)
    assert first.acquire(NOW) is True
    assert second.acquire(NOW) is False
    assert first.held(NOW) and not second.held(NOW)
    # Renewing pushes the expiry on; the other still cannot take it.
    assert first.acquire(NOW + timedelta(seconds=30)) is True
    assert second.acquire(NOW + timedelta(seconds=100)) is False
    # The first stops renewing: three periods after its last renewal the lease is free.
    later = NOW + timedelta(seconds=30 + 90 + 1)
    assert not first.held(later)
    assert second.acquire(later) is True
    assert first.acquire(later) is False
    assert db_session.get(SchedulerLease, "scheduler").holder == "host-b:2"


def test_a_released_row_lease_is_free_at_once(app, db_session):
    first = RowLease(db.engine, "host-a:1", seconds=30)
    second = RowLease(db.engine, "host-b:2", seconds=30)
    assert first.acquire(NOW)
    first.release()
    assert not first.held(NOW)
    assert second.acquire(NOW + timedelta(seconds=1))


def test_the_advisory_lock_lets_one_holder_in_until_it_lets_go(app, db_session, is_postgres):
    if not is_postgres:
        pytest.skip("advisory locks are PostgreSQL's")
    first = AdvisoryLease(db.engine, "host-a:1", seconds=30)
    second = AdvisoryLease(db.engine, "host-b:2", seconds=30)
    try:
        assert first.acquire(NOW) is True
        assert second.acquire(NOW) is False
        assert first.acquire(NOW) is True  # renewing does not stack the lock
        db_session.expire_all()
        assert db_session.get(SchedulerLease, "scheduler").holder == "host-a:1"
        first.release()
        assert second.acquire(NOW) is True
        assert first.acquire(NOW) is False
    finally:
        first.release()
        second.release()


def test_a_process_without_the_lease_skips_its_jobs(app, db_session):
    from shopfloor.scheduling import process as scheduler_process

    holder = make_lease(db.engine, "host-a:1", 30)
    standby = scheduler_process.SchedulerProcess(app, runner="host-b:2")
    try:
        assert holder.acquire()
        assert not standby.lease.acquire()
        scheduler_process._active = standby
        scheduler_process.run_scheduled("escalate_help_calls")
    finally:
        scheduler_process._active = None
        holder.release()
        standby.lease.release()
    assert _runs() == []


def test_a_new_leader_marks_the_runs_its_dead_predecessor_left_running_as_failed(db_session):
    from shopfloor.scheduling.jobs import ABANDONED, abandon_runs

    db_session.add_all([JobRun(job="send_outbox", runner="host-a:1", outcome="running"),
                        JobRun(job="send_outbox", runner="cli", outcome="running"),
                        JobRun(job="heartbeat", runner="host-b:2", outcome="running")])
    db_session.commit()
    assert abandon_runs("host-b:2", now=NOW) == 1
    db_session.expire_all()
    outcomes = {(run.runner, run.outcome, run.error) for run in _runs()}
    assert outcomes == {("host-a:1", "failed", ABANDONED), ("cli", "running", None),
                        ("host-b:2", "running", None)}


# ------------------------------------------------------------------ help calls


@dataclass
class Calls:
    old: object
    answered: object
    recent: object


@pytest.fixture
def help_calls(db_session, manager, floor):
    """At NOW: Kasia has waited 9 minutes, a call at another station was answered, a third
    was made 2 minutes ago."""
    from shopfloor.floor import services as fl
    from shopfloor.stations.services import enrol_station

    old, _ = fl.call_help(floor.session, floor.batch, None, str(uuid.uuid4()),
                          now=NOW - timedelta(minutes=9))
    other, _token = enrol_station("Stół 2", "soap", manager)
    answered, _ = fl.call_help_from_station(other, str(uuid.uuid4()),
                                            now=NOW - timedelta(minutes=20))
    fl.acknowledge_help(answered, manager, now=NOW - timedelta(minutes=19))
    third, _token = enrol_station("Stół 3", "soap", manager)
    recent, _ = fl.call_help_from_station(third, str(uuid.uuid4()),
                                          now=NOW - timedelta(minutes=2))
    return Calls(old, answered, recent)


def test_only_open_unanswered_calls_past_the_limit_are_escalated(help_calls):
    from shopfloor.floor.jobs import unanswered_help_calls

    assert unanswered_help_calls(NOW, 5) == [help_calls.old]
    assert unanswered_help_calls(NOW, 1) == [help_calls.old, help_calls.recent]


def test_escalation_tells_each_supervisor_and_manager_once_per_call(
        app, db_session, make_user, manager, help_calls):
    _notify_or_skip()
    from shopfloor.notifications.models import Notification

    ola = make_user(username="ola", role="supervisor", language="en")
    make_user(username="piotr", role="supervisor", active=False)
    first = run_job("escalate_help_calls", now=NOW)
    second = run_job("escalate_help_calls", now=NOW + timedelta(minutes=1))
    assert first.outcome == second.outcome == "ok", first.error or second.error
    db_session.expire_all()
    notes = list(db_session.scalars(select(Notification)))
    # The manager (boss) and the active supervisor, once each; the later calls not (yet).
    assert sorted(n.user_id for n in notes) == sorted([manager.id, ola.id])
    assert {n.dedupe_key for n in notes} == {f"help:{help_calls.old.id}"}
    english = next(n for n in notes if n.user_id == ola.id)
    assert "Kasia" in english.subject and "9 min" in english.subject


# ------------------------------------------------------------------ the morning summary


@pytest.fixture
def busy_morning(db_session, make_order, make_lot, help_calls):
    """An order overdue on DAY, a line forecast to be late, a lot in quarantine."""
    from shopfloor.planning.models import LineForecast

    overdue = make_order(due=TODAY + timedelta(days=3), reference="PO-LATE")
    on_time = make_order(due=TODAY + timedelta(days=40), reference="PO-RISK")
    line = on_time.lines[0]
    db_session.add(LineForecast(order_line_id=line.id, remaining_minutes=Decimal("250"),
                                projected_on=TODAY + timedelta(days=45), slack_days=-5,
                                risk="late", computed_at=NOW))
    db_session.commit()
    make_lot(status="quarantine")
    return overdue, on_time


DAY = TODAY + timedelta(days=10)
DIGEST_NOW = datetime(DAY.year, DAY.month, DAY.day, 6, 0, tzinfo=UTC)  # 07:00 in Warsaw


def test_the_morning_summary_lists_what_needs_attention(app, busy_morning):
    from shopfloor.codes import format_code
    from shopfloor.scheduling.digest import build_digest, render_digest

    overdue, at_risk = busy_morning
    digest = build_digest(DAY)
    assert (digest.overdue_total, digest.risky_total, digest.lots_awaiting,
            digest.help_calls) == (1, 1, 1, 3)
    with app.test_request_context(), force_locale("en"):
        body = render_digest(digest)
    assert "Overdue orders: 1" in body and format_code(overdue.code) in body
    assert "Order lines late or at risk: 1" in body
    assert f"{format_code(at_risk.code)} line 1" in body and "late" in body
    assert "Material lots awaiting approval: 1" in body
    assert "Open help calls: 3" in body


def test_a_quiet_morning_says_so(app, db_session):
    from shopfloor.scheduling.digest import build_digest, render_digest

    with app.test_request_context(), force_locale("en"):
        body = render_digest(build_digest(DAY))
    assert body == "Nothing needs your attention this morning."


def test_the_morning_summary_goes_to_each_manager_once_a_day(
        app, db_session, make_user, busy_morning):
    _notify_or_skip()
    from shopfloor.notifications.models import Notification

    anna = make_user(username="anna", role="manager", language="en")
    make_user(username="ola", role="supervisor")
    assert run_job("morning_digest", now=DIGEST_NOW).outcome == "ok"
    assert run_job("morning_digest", now=DIGEST_NOW + timedelta(hours=1)).outcome == "ok"
    db_session.expire_all()
    notes = list(db_session.scalars(select(Notification)))
    assert len(notes) == 2  # boss and anna, not the supervisor
    assert {n.dedupe_key for n in notes} == {f"digest:{DAY.isoformat()}"}
    english = next(n for n in notes if n.user_id == anna.id)
    assert english.subject.startswith("Morning summary for")
    assert "Overdue orders: 1" in english.body and "Open help calls: 3" in english.body
    assert english.link == "/"


# ------------------------------------------------------------------ the jobs page


def test_the_jobs_page_lists_every_job_as_not_scheduled_before_a_scheduler_ran(
        app, signed_in, db_session, empty_job_store):
    client = signed_in("manager", language="en")
    page = client.get("/jobs").get_data(as_text=True)
    for name in JOBS:
        assert f'id="job-{name}"' in page
    assert page.count("not scheduled") == len(JOBS)
    assert "never" in page and "No scheduler is running." in page


def test_supervisors_can_neither_open_the_jobs_page_nor_run_a_job(signed_in, db_session):
    client = signed_in("supervisor")
    assert client.get("/jobs").status_code == 403
    assert client.submit("/jobs/morning_digest/run", {}, page="/").status_code == 403
    assert _runs() == []


def test_run_now_runs_the_job_and_shows_how_it_went(app, signed_in, db_session, monkeypatch):
    def broken(now):
        raise LookupError("no such printer")

    monkeypatch.setitem(JOBS, "broken", _spec(broken))
    client = signed_in("manager", language="en")
    done = client.submit("/jobs/escalate_help_calls/run", {}, page="/jobs",
                         follow_redirects=True).get_data(as_text=True)
    assert "escalate_help_calls finished: No help call is waiting longer than 5 min." in done
    failed = client.submit("/jobs/broken/run", {}, page="/jobs",
                           follow_redirects=True).get_data(as_text=True)
    assert "broken failed: LookupError: no such printer" in failed
    assert "Last error" in failed and "Traceback" in failed  # the folded traceback
    db_session.expire_all()
    assert {(r.job, r.runner, r.outcome) for r in _runs()} == {
        ("escalate_help_calls", "manual", "ok"), ("broken", "manual", "failed")}
    unknown = client.submit("/jobs/nope/run", {}, page="/jobs",
                            follow_redirects=True).get_data(as_text=True)
    assert "There is no job called" in unknown and "morning_digest" in unknown


def test_run_now_needs_the_csrf_token(app, signed_in, db_session):
    client = signed_in("manager", language="en")
    assert client.client.post("/jobs/escalate_help_calls/run").status_code == 400
    assert _runs() == []


def test_the_jobs_page_shows_the_next_run_and_the_lease_holder_once_a_scheduler_ran(
        app, signed_in, db_session, empty_job_store):
    from shopfloor.scheduling.process import SchedulerProcess

    process = SchedulerProcess(app, background=True, runner="tablet-host:77")
    try:
        assert process.lease.acquire()
        scheduler = process.build_scheduler()
        scheduler.start(paused=True)  # writes the jobs into the store, runs nothing
        scheduler.shutdown(wait=False)
        client = signed_in("manager", language="en")
        page = client.get("/jobs").get_data(as_text=True)
    finally:
        process.lease.release()
    assert "not scheduled" not in page
    assert "Jobs are run by tablet-host:77" in page


# ------------------------------------------------------------------ the job store


def _stored_jobs() -> dict[str, float | None]:
    with db.engine.connect() as conn:
        return dict(conn.execute(text("SELECT id, next_run_time FROM apscheduler_jobs")).all())


def test_the_job_store_keeps_its_jobs_and_their_times_across_restarts(
        app, db_session, empty_job_store):
    from shopfloor.scheduling.jobs import heartbeat_job
    from shopfloor.scheduling.process import SchedulerProcess

    def start_and_stop(**kwargs):
        scheduler = SchedulerProcess(app, background=True, runner="h:1", **kwargs)\
            .build_scheduler()
        scheduler.start(paused=True)
        scheduler.shutdown(wait=False)

    start_and_stop(extra_jobs={"heartbeat": heartbeat_job(3600)})
    first = _stored_jobs()
    assert set(first) == {*JOBS, "heartbeat"} and all(first.values())
    start_and_stop()
    second = _stored_jobs()
    assert set(second) == set(JOBS)  # one row per job; the unregistered heartbeat is gone
    assert second["morning_digest"] == first["morning_digest"]


def _miss_run(job_id: str, seconds_ago: int) -> datetime:
    """Make the stored job look as if its run fell due ``seconds_ago``, while no scheduler
    ran. Edited in the store itself: a scheduler started for the edit would run the job."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    missed = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=seconds_ago)
    store = SQLAlchemyJobStore(engine=db.engine)
    store.start(BackgroundScheduler(), "default")
    job = store.lookup_job(job_id)
    job._modify(next_run_time=missed)
    store.update_job(job)
    return missed


def test_serve_does_not_start_a_scheduler_in_tests(app):
    from shopfloor.scheduling.process import start_in_background

    assert start_in_background(app) is None


# ------------------------------------------------------------------ real processes


def _scheduler_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPFLOOR_")}
    env.update(SHOPFLOOR_INSTANCE_PATH=str(tmp_path / "instance"),
               SHOPFLOOR_DATABASE_URL=database_url, SHOPFLOOR_SECRET_KEY=TEST_SECRET,
               SHOPFLOOR_SCHEDULER_LEASE_SECONDS="1")
    return env


class Scheduler:
    """A `shopfloor scheduler --heartbeat 1` subprocess with its log in a file."""

    def __init__(self, env: dict[str, str], log: Path):
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "shopfloor", "scheduler", "--heartbeat", "1"],
            env=env, cwd=log.parent, stdout=log.open("w"), stderr=subprocess.STDOUT)

    @property
    def runner_suffix(self) -> str:
        return f":{self.process.pid}"

    def stop(self, sig=signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _heartbeats() -> list[tuple[str, datetime, str]]:
    with db.engine.connect() as conn:
        return [(runner, started, outcome) for runner, started, outcome in conn.execute(
            select(JobRun.runner, JobRun.started_at, JobRun.outcome)
            .where(JobRun.job == "heartbeat").order_by(JobRun.started_at, JobRun.id))]


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


@pytest.fixture
def schedulers(database_url, tmp_path, empty_job_store):
    started: list[Scheduler] = []
    env = _scheduler_env(database_url, tmp_path)

    def start(label: str) -> Scheduler:
        scheduler = Scheduler(env, tmp_path / f"{label}.log")
        started.append(scheduler)
        return scheduler

    yield start
    for scheduler in started:
        if scheduler.process.poll() is None:
            scheduler.process.kill()
            scheduler.process.wait(timeout=10)


@pytest.mark.subprocess
def test_two_scheduler_processes_run_each_job_once_and_the_second_takes_over(schedulers):
    first, second = schedulers("first"), schedulers("second")
    _wait_for(lambda: len(_heartbeats()) >= 3, 20, "three heartbeats")
    runners = {runner for runner, _at, _outcome in _heartbeats()}
    assert len(runners) == 1, runners
    [leader_runner] = runners
    leader, standby = (first, second) if leader_runner.endswith(first.runner_suffix) \
        else (second, first)
    assert leader_runner.endswith(leader.runner_suffix)
    assert "standby" in standby.output()

    leader.stop(signal.SIGKILL)  # no goodbye: the lease must run out (or the lock drop)
    before = len(_heartbeats())
    _wait_for(lambda: any(r.endswith(standby.runner_suffix) for r, _a, _o in _heartbeats()),
              15, "the standby to take over")
    assert standby.stop() == 0
    beats = _heartbeats()
    assert len(beats) > before
    owners = [runner for runner, _at, _outcome in beats]
    successor = owners[-1]
    assert successor.endswith(standby.runner_suffix)
    # Never both: the old leader's runs, then only the successor's.
    switch = owners.index(successor)
    assert set(owners[:switch]) == {leader_runner} and set(owners[switch:]) == {successor}
    assert all(outcome != "running" for _r, _a, outcome in beats)
    db.session.rollback()
    assert db.session.get(SchedulerLease, "scheduler") is None  # released on SIGTERM


@pytest.mark.subprocess
def test_the_job_store_survives_a_scheduler_restart_without_duplicates(schedulers):
    first = schedulers("first")
    _wait_for(lambda: _heartbeats(), 15, "a heartbeat")
    assert first.stop() == 0
    stored = _stored_jobs()
    assert set(stored) == {*JOBS, "heartbeat"} and all(stored.values())

    # The scheduler was down when the morning summary was due a minute ago: the restarted
    # one makes it up, once.
    _miss_run("morning_digest", seconds_ago=60)
    again = schedulers("again")
    _wait_for(lambda: any(r.endswith(again.runner_suffix) for r, _a, _o in _heartbeats()),
              15, "a heartbeat of the restarted scheduler")
    assert again.stop() == 0
    restarted = _stored_jobs()
    assert set(restarted) == set(stored)
    assert restarted["morning_digest"] > time.time()  # made up, next one tomorrow
    assert [run.runner for run in _runs("morning_digest")] == [
        next(r for r, _a, _o in _heartbeats() if r.endswith(again.runner_suffix))]
    with db.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM apscheduler_jobs")) == len(stored)
