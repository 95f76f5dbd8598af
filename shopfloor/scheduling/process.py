"""The scheduler process: APScheduler 3 with its jobs in the database, run by exactly one
process at a time.

``shopfloor scheduler`` runs ``SchedulerProcess.serve()`` in the foreground (a
BlockingScheduler). With ``scheduler.in_process = true``, ``shopfloor serve`` runs the same
in a background thread (a BackgroundScheduler) for a one-process demo.

The order of things: wait ("standby") until the lease is ours, then build the scheduler,
put the registered jobs into its job store (``apscheduler_jobs``, in the app's database)
and start it. A lease job renews the lease every ``scheduler.lease_seconds``; if the lease
is lost the scheduler stops and the process goes back to standby. Every job runs through
``run_scheduled``, which checks the lease once more, so a process without it never runs a
job. On shutdown the scheduler waits for running jobs and the lease is released.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import socket
import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from shopfloor.database import utcnow
from shopfloor.extensions import db
from shopfloor.scheduling.jobs import JOBS, JobSpec, Schedule, abandon_runs, run_job
from shopfloor.scheduling.lease import make_lease

log = logging.getLogger("shopfloor.scheduler")

JOBSTORE_TABLE = "apscheduler_jobs"
# Interval jobs count from a fixed moment (local time), so "every 15 min" means :00, :15,
# :30, :45 and a restart does not shift the grid.
INTERVAL_ANCHOR = datetime(2024, 1, 1)

# The process whose scheduler runs jobs here; APScheduler stores jobs by reference to the
# module-level ``run_scheduled``, which finds the process (app, lease) through this.
_active: SchedulerProcess | None = None


def runner_name() -> str:
    """How this process is named in JobRun.runner and in the lease: host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def build_trigger(schedule: Schedule, zone: ZoneInfo):
    """The APScheduler trigger of a schedule, in the cooperative's time zone."""
    if schedule.trigger == "cron":
        return CronTrigger(timezone=zone, **schedule.fields)
    start = INTERVAL_ANCHOR.replace(tzinfo=zone) + schedule.offset
    return IntervalTrigger(start_date=start, timezone=zone, **schedule.fields)


def run_scheduled(name: str) -> None:
    """What APScheduler runs for every job: the job through ``run_job``, but only while this
    process holds the lease (otherwise skipped, never run twice)."""
    process = _active
    if process is None or not process.holds_lease():
        log.info("Skipped job %s: this process does not hold the scheduler lease", name)
        return
    process.run(name)


class SchedulerProcess:
    """One scheduler: the app, its lease and (while it holds the lease) its APScheduler."""

    def __init__(self, app: Flask, background: bool = False,
                 extra_jobs: Mapping[str, JobSpec] | None = None, runner: str | None = None):
        self.app = app
        self.settings: Mapping[str, Any] = app.config["SHOPFLOOR"]
        self.jobs: dict[str, JobSpec] = {**JOBS, **(extra_jobs or {})}
        self.runner = runner or runner_name()
        self.background = background
        self.zone = ZoneInfo(self.settings["time_zone"])
        self.lease_seconds = self.settings["scheduler.lease_seconds"]
        with app.app_context():
            self.engine = db.engine
        self.lease = make_lease(self.engine, self.runner, self.lease_seconds)
        self.scheduler: BlockingScheduler | BackgroundScheduler | None = None
        self._stopping = threading.Event()
        self._wake = threading.Event()

    # ------------------------------------------------------------------ running jobs

    def holds_lease(self) -> bool:
        """Whether this process may run jobs right now."""
        return self.lease.held(utcnow())

    def run(self, name: str) -> None:
        """Run one job in a fresh app context (a scheduler thread has none)."""
        with self.app.app_context():
            try:
                run_job(name, now=utcnow(), runner=self.runner, jobs=self.jobs)
            except Exception:  # noqa: BLE001 - a scheduler thread must survive anything
                log.exception("Job %s could not be run or recorded", name)
            finally:
                db.session.remove()

    # ------------------------------------------------------------------ the scheduler

    def build_scheduler(self) -> BlockingScheduler | BackgroundScheduler:
        """An APScheduler with the registered jobs in the database job store (not started).

        A job already stored with the same trigger keeps its stored next run time, so a run
        missed while no scheduler was running is made up at start (once, thanks to
        coalescing, and only within the misfire grace time). Stored jobs that are no longer
        registered are removed.
        """
        scheduler_class = BackgroundScheduler if self.background else BlockingScheduler
        scheduler = scheduler_class(
            jobstores={"default": SQLAlchemyJobStore(engine=self.engine,
                                                     tablename=JOBSTORE_TABLE),
                       "lease": MemoryJobStore()},
            # The lease has its own thread, so long jobs can never delay its renewal.
            executors={"default": ThreadPoolExecutor(8), "lease": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1,
                          "misfire_grace_time": self.settings["scheduler.misfire_grace_seconds"]},
            timezone=self.zone)
        stored = self._stored_jobs(scheduler)
        for name, spec in self.jobs.items():
            trigger = build_trigger(spec.schedule(self.settings), self.zone)
            kept = stored.pop(name, None)
            keep_time = {}
            if (kept is not None and kept.next_run_time is not None
                    and repr(kept.trigger) == repr(trigger)):
                keep_time["next_run_time"] = kept.next_run_time
            scheduler.add_job(run_scheduled, trigger, args=[name], id=name, name=name,
                              replace_existing=True, **keep_time)
        for stale in stored.values():
            log.info("Removing job %s from the job store: it is no longer registered", stale.id)
            self._probe.remove_job(stale.id)
        scheduler.add_job(self._renew_lease, "interval", seconds=self.lease_seconds,
                          id="lease", name="scheduler lease", jobstore="lease",
                          executor="lease", misfire_grace_time=None)
        return scheduler

    def _stored_jobs(self, scheduler) -> dict[str, Any]:
        """The jobs in the database job store, read before the scheduler starts."""
        self._probe = SQLAlchemyJobStore(engine=self.engine, tablename=JOBSTORE_TABLE)
        self._probe.start(scheduler, "default")  # creates the table on first use
        return {job.id: job for job in self._probe.get_all_jobs()}

    def _renew_lease(self) -> None:
        """The lease job: renew; when another process has taken over, stop running jobs."""
        try:
            renewed = self.lease.acquire()
        except Exception as exc:  # noqa: BLE001 - a passing database error is not a loss yet
            log.warning("Could not renew the scheduler lease: %s", exc)
            renewed = self.lease.held(utcnow())
        if renewed:
            return
        log.warning("Lost the scheduler lease; stopping jobs and going back to standby")
        self._wake.set()
        if not self.background and self.scheduler is not None:
            # Ends BlockingScheduler.start() in the main thread. No waiting here: this very
            # thread belongs to the scheduler.
            self.scheduler.shutdown(wait=False)

    def _wait_for_lease(self) -> bool:
        """Standby until the lease is ours (True) or the process is asked to stop (False)."""
        announced = False
        while not self._stopping.is_set():
            try:
                if self.lease.acquire():
                    log.info("Scheduler %s holds the lease and runs the jobs: %s",
                             self.runner, ", ".join(self.jobs))
                    return True
            except Exception as exc:  # noqa: BLE001 - e.g. the database is not reachable
                log.warning("Cannot check the scheduler lease: %s", exc)
            if not announced:
                log.info("Scheduler %s on standby: another scheduler holds the lease; "
                         "checking again every %s s", self.runner, self.lease_seconds)
                announced = True
            self._stopping.wait(self.lease_seconds)
        return False

    def _tidy_up_after_predecessor(self) -> None:
        with self.app.app_context():
            try:
                abandoned = abandon_runs(self.runner)
            except Exception as exc:  # noqa: BLE001 - bookkeeping only; jobs must still run
                log.warning("Could not mark abandoned runs: %s", exc)
                abandoned = 0
            finally:
                db.session.remove()
        if abandoned:
            log.warning("Marked %s unfinished runs of a stopped scheduler as failed", abandoned)

    def serve(self) -> None:
        """Hold the lease and run the jobs until ``stop()`` (or Ctrl+C / SIGTERM when run in
        the foreground); then wait for running jobs and release the lease."""
        global _active
        _active = self
        try:
            while self._wait_for_lease():
                self._wake.clear()
                self._tidy_up_after_predecessor()
                self.scheduler = self.build_scheduler()
                self.scheduler.start()  # blocks (foreground) until shut down
                if self.background:
                    self._wake.wait()
                if self.scheduler.running:
                    self.scheduler.shutdown(wait=True)
                self.scheduler = None
        except KeyboardInterrupt:
            log.info("Scheduler %s stopping", self.runner)
        finally:
            if self.scheduler is not None and self.scheduler.running:
                self.scheduler.shutdown(wait=True)
            self.scheduler = None
            try:
                self.lease.release()
            except Exception as exc:  # noqa: BLE001 - expiry frees it anyway
                log.warning("Could not release the scheduler lease: %s", exc)
            if _active is self:
                _active = None
            log.info("Scheduler %s stopped", self.runner)

    def stop(self) -> None:
        """Ask ``serve()`` to finish (from another thread)."""
        self._stopping.set()
        self._wake.set()


def serve_in_foreground(app: Flask, extra_jobs: Mapping[str, JobSpec] | None = None) -> None:
    """``shopfloor scheduler``: run until Ctrl+C or SIGTERM (both end it cleanly)."""
    process = SchedulerProcess(app, extra_jobs=extra_jobs)

    def _terminate(_signum, _frame):
        # A second SIGTERM kills at once, without waiting for running jobs.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        process._stopping.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    process.serve()


def start_in_background(app: Flask) -> SchedulerProcess | None:
    """``scheduler.in_process``: run the scheduler in a thread of this (web) process.

    Only ``shopfloor serve`` calls this; never in tests (``app.testing``) and only when
    both ``scheduler.enabled`` and ``scheduler.in_process`` are set. The lease still
    applies, so a separate ``shopfloor scheduler`` never runs the jobs a second time.
    """
    settings = app.config["SHOPFLOOR"]
    if app.testing or not (settings["scheduler.enabled"] and settings["scheduler.in_process"]):
        return None
    process = SchedulerProcess(app, background=True)
    thread = threading.Thread(target=process.serve, name="shopfloor-scheduler", daemon=True)
    thread.start()

    def _stop_at_exit():
        process.stop()
        thread.join(timeout=30)

    atexit.register(_stop_at_exit)
    return process
