"""The nightly clean-up: old job runs, sent e-mail and read notifications go, so the tables
the jobs page, the outbox and the inbox read stay small."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from shopfloor.extensions import db
from shopfloor.notifications.models import MailStatus, Notification, OutboxEmail
from shopfloor.scheduling.models import JobRun


def last_run_ids() -> list[int]:
    """The id of each job's last run (latest start, as the jobs page picks it)."""
    ranked = select(JobRun.id, func.row_number().over(
        partition_by=JobRun.job, order_by=(JobRun.started_at.desc(), JobRun.id.desc()))
        .label("rank")).subquery()
    return list(db.session.scalars(select(ranked.c.id).where(ranked.c.rank == 1)))


def cleanup(now: datetime) -> str:
    """Job: delete what is older than ``scheduler.keep_runs_days``: job runs (but never the
    last run of a job, so the jobs page still says when each one last ran), e-mail the outbox
    has sent (pending and failed mail stays) and notifications their reader has read
    (unread ones stay however old), and webhook deliveries delivered more than
    ``webhooks.services.KEEP_DELIVERED_DAYS`` ago, and the API's Idempotency-Keys older than
    a day. One transaction; returns the counts.

    A deleted notification no longer stops its alert from being raised again: an alert whose
    cause still holds after that many days (an order at risk all along) comes once more, as
    a reminder.
    """
    days = current_app.config["SHOPFLOOR"]["scheduler.keep_runs_days"]
    cutoff = now - timedelta(days=days)
    keep = last_run_ids()
    runs = db.session.execute(
        delete(JobRun).where(JobRun.started_at < cutoff, JobRun.id.not_in(keep))
        .execution_options(synchronize_session=False)).rowcount
    mails = db.session.execute(
        delete(OutboxEmail).where(OutboxEmail.status == MailStatus.SENT.value,
                                  OutboxEmail.sent_at < cutoff)
        .execution_options(synchronize_session=False)).rowcount
    notes = db.session.execute(
        delete(Notification).where(Notification.read_at.is_not(None),
                                   Notification.created_at < cutoff)
        .execution_options(synchronize_session=False)).rowcount
    from shopfloor.webhooks.services import KEEP_DELIVERED_DAYS, delete_old_deliveries

    hooks = delete_old_deliveries(now)
    from shopfloor.api.idempotency import forget_old_keys

    # The API's Idempotency-Keys are promised for 24 hours, whatever keep_runs_days says.
    keys = forget_old_keys(now)
    db.session.commit()
    summary = _("Deleted what is older than %(days)s days: %(runs)s job runs, %(mails)s sent "
                "e-mails, %(notes)s read notifications.", days=days, runs=runs, mails=mails,
                notes=notes)
    if hooks:  # said only when there were some, so the usual summary stays as it was
        summary += " " + _("Also %(num)s webhook deliveries delivered more than %(days)s "
                           "days ago.", num=hooks, days=KEEP_DELIVERED_DAYS)
    if keys:
        summary += " " + _("Also %(num)s API idempotency keys older than a day.", num=keys)
    return summary
