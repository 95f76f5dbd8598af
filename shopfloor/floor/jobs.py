"""Scheduled jobs of the floor: help calls nobody has answered."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shopfloor.auth.models import Role
from shopfloor.auth.queries import active_staff
from shopfloor.extensions import db
from shopfloor.floor.models import HelpCall
from shopfloor.stations.models import Station
from shopfloor.workers.models import Worker


def unanswered_help_calls(now: datetime, minutes: int) -> list[HelpCall]:
    """Open calls nobody has acknowledged, waiting ``minutes`` or longer, oldest first."""
    return list(db.session.scalars(
        select(HelpCall).where(HelpCall.closed_at.is_(None), HelpCall.acknowledged_at.is_(None),
                               HelpCall.created_at <= now - timedelta(minutes=minutes))
        .order_by(HelpCall.created_at, HelpCall.id)))


def escalate_help_calls(now: datetime) -> str:
    """Job: a help call unanswered for ``scheduler.help_escalation_minutes`` is announced to
    every active supervisor and manager (inbox and e-mail), once per call however often the
    job runs (the dedupe key ``help:<call id>``)."""
    minutes = current_app.config["SHOPFLOOR"]["scheduler.help_escalation_minutes"]
    calls = unanswered_help_calls(now, minutes)
    if not calls:
        return _("No help call is waiting longer than %(num)s min.", num=minutes)
    from shopfloor.notifications.services import notify

    staff = active_staff(Role.SUPERVISOR, Role.MANAGER)
    created = 0
    for call in calls:
        station = db.session.get(Station, call.station_id)
        worker = db.session.get(Worker, call.worker_id) if call.worker_id else None
        waited = max(0, int((now - call.created_at).total_seconds() // 60))
        subject = _l("%(who)s at %(station)s has waited %(num)s min for help",
                     who=worker.first_name if worker else _l("Someone"),
                     station=station.name if station else "?", num=waited)
        body = _l("Nobody has answered this help call yet. Open the live board and "
                  "press \"I am coming\".")
        created += notify(staff, "help_escalation", f"help:{call.id}", subject, body,
                          link=url_for("floor.board"), email=True)
    db.session.commit()
    return _("%(calls)s help calls waiting; %(sent)s new notifications.",
             calls=len(calls), sent=created)
