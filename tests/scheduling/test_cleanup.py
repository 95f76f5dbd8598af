"""The nightly clean-up: old job runs go but each job's last run stays; old sent e-mail and
old read notifications go; everything recent, unsent or unread stays."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from shopfloor.notifications.models import Notification, OutboxEmail
from shopfloor.scheduling.jobs import JOBS, run_job
from shopfloor.scheduling.models import JobRun

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def _run(job: str, age_days: float) -> JobRun:
    started = days_ago(age_days)
    return JobRun(job=job, started_at=started, finished_at=started + timedelta(seconds=3),
                  outcome="ok", summary=f"{job} {age_days} days ago", runner="cli")


def _mail(status: str, age_days: float, sent: bool) -> OutboxEmail:
    at = days_ago(age_days)
    return OutboxEmail(recipient=f"{status}-{age_days}@example.com", subject="s", body="b",
                       status=status, attempts=1, next_attempt_at=at, created_at=at,
                       sent_at=at if sent else None)


def _note(user, key: str, age_days: float, read: bool) -> Notification:
    at = days_ago(age_days)
    return Notification(user_id=user.id, kind="test", dedupe_key=key, subject=key,
                        created_at=at, read_at=at + timedelta(hours=1) if read else None)


def test_cleanup_keeps_the_last_run_of_each_job_and_deletes_older_runs(db_session):
    db_session.add_all([
        _run("send_outbox", 100), _run("send_outbox", 95), _run("send_outbox", 1),
        _run("morning_digest", 200),  # old, but its only run: stays
        _run("deadline_alerts", 120), _run("deadline_alerts", 91),  # the 91-day one stays
        _run("escalate_help_calls", 89), _run("escalate_help_calls", 2),  # both recent
    ])
    db_session.commit()
    run = run_job("cleanup", now=NOW)
    assert run.outcome == "ok", run.error
    db_session.expire_all()
    left = {(r.job, r.summary) for r in db_session.scalars(select(JobRun))
            if r.job != "cleanup"}
    assert left == {("send_outbox", "send_outbox 1 days ago"),
                    ("morning_digest", "morning_digest 200 days ago"),
                    ("deadline_alerts", "deadline_alerts 91 days ago"),
                    ("escalate_help_calls", "escalate_help_calls 89 days ago"),
                    ("escalate_help_calls", "escalate_help_calls 2 days ago")}
    assert [r.outcome for r in db_session.scalars(
        select(JobRun).where(JobRun.job == "cleanup"))] == ["ok"]
    # "Deleted what is older than 90 days: 3 job runs, 0 sent e-mails, 0 read notifications."
    assert re.findall(r"\d+", run.summary) == ["90", "3", "0", "0"]


def test_cleanup_deletes_old_sent_mail_and_old_read_notifications_only(db_session, manager):
    db_session.add_all([
        _mail("sent", 120, sent=True), _mail("sent", 10, sent=True),
        _mail("failed", 120, sent=False), _mail("pending", 120, sent=False),
        _note(manager, "old-read", 120, read=True), _note(manager, "old-unread", 120, read=False),
        _note(manager, "new-read", 5, read=True),
    ])
    db_session.commit()
    assert run_job("cleanup", now=NOW).outcome == "ok"
    db_session.expire_all()
    assert sorted(m.recipient for m in db_session.scalars(select(OutboxEmail))) == [
        "failed-120@example.com", "pending-120@example.com", "sent-10@example.com"]
    assert sorted(n.dedupe_key for n in db_session.scalars(select(Notification))) == [
        "new-read", "old-unread"]


def test_the_age_comes_from_the_settings(app, db_session, monkeypatch):
    current = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(
        current, values={**current.values, "scheduler.keep_runs_days": 7}))
    db_session.add_all([_run("send_outbox", 8), _run("send_outbox", 6), _mail("sent", 8, True)])
    db_session.commit()
    assert run_job("cleanup", now=NOW).outcome == "ok"
    db_session.expire_all()
    assert [r.summary for r in db_session.scalars(
        select(JobRun).where(JobRun.job == "send_outbox"))] == ["send_outbox 6 days ago"]
    assert list(db_session.scalars(select(OutboxEmail))) == []


def test_the_cleanup_runs_every_night(app):
    schedule = JOBS["cleanup"].schedule(app.config["SHOPFLOOR"])
    assert (schedule.trigger, dict(schedule.fields)) == ("cron", {"hour": 3, "minute": 0})
