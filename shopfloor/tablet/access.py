"""Who a tablet request comes from: the station (device cookie) and the worker signed in.

A request without an active station's cookie gets the "ask your supervisor" screen and
nothing else: never the photos, names or work of anybody.
"""

from __future__ import annotations

from flask import g, render_template, session
from flask_login import current_user, logout_user

from shopfloor.extensions import db
from shopfloor.stations.models import Station, WorkerSession

SESSION_KEY = "tablet_session_id"


def refuse_unless_station():
    """``@require_role(STATION)`` hook: None when the tablet is an active station (then
    ``g.station`` and ``g.worker_session`` are set), else the refusal to send."""
    from shopfloor.stations.views import this_tablet

    station = this_tablet()
    if station is None:
        session.pop(SESSION_KEY, None)
        return render_template("tablet/not_a_station.html"), 403
    if current_user.is_authenticated:
        # The supervisor who enrolled the tablet leaves it signed out: a worker going
        # "back" must not land on the board, the records or the station's settings.
        logout_user()
    g.station = station
    g.worker_session = _worker_session(station)
    return None


def _worker_session(station: Station) -> WorkerSession | None:
    session_id = session.get(SESSION_KEY)
    if not session_id:
        return None
    found = db.session.get(WorkerSession, session_id)
    if found is None or found.ended_at is not None or found.station_id != station.id:
        session.pop(SESSION_KEY, None)
        return None
    return found


def remember_worker(worker_session: WorkerSession) -> None:
    """This tablet now works for the worker of ``worker_session``."""
    session[SESSION_KEY] = worker_session.id


def forget_worker() -> None:
    """Nobody is signed in on this tablet's browser any more."""
    session.pop(SESSION_KEY, None)
