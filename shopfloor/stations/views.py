"""Supervisors manage stations: enrol the tablet in hand, set its workers, revoke, unlock."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from shopfloor.audit.services import history
from shopfloor.auth.access import require_role
from shopfloor.core.roles import STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status
from shopfloor.production.models import Batch
from shopfloor.stations import services, signin
from shopfloor.stations.forms import EnrolForm, ExpectedWorkersForm, RevokeForm
from shopfloor.stations.models import Station
from shopfloor.workers.models import Worker

bp = Blueprint("stations", __name__, url_prefix="/stations")

STATION_COOKIE = "shopfloor_station"
COOKIE_DAYS = 365


def _user():
    return current_user._get_current_object()


def set_station_cookie(response, token: str):
    """Remember the station on this tablet: HttpOnly, SameSite=Lax, Secure over HTTPS."""
    response.set_cookie(STATION_COOKIE, token, max_age=COOKIE_DAYS * 86400, httponly=True,
                        samesite="Lax", secure=request.is_secure or current_app.config[
                            "SESSION_COOKIE_SECURE"])
    return response


def this_tablet() -> Station | None:
    """The station this browser is enrolled as, if any (and not revoked)."""
    return services.station_for_token(request.cookies.get(STATION_COOKIE))


@bp.get("/")
@require_role(*STAFF)
def station_list():
    """Every station, which one this tablet is, and who is signed in."""
    stations = db.session.scalars(select(Station).order_by(Station.revoked_at.is_not(None),
                                                           Station.name)).all()
    here = this_tablet()
    return render_template("stations/list.html", stations=stations,
                           here=here.id if here else None,
                           sessions={s.id: signin.open_sessions(s) for s in stations})


@bp.route("/enrol", methods=["GET", "POST"])
@require_role(*STAFF)
def station_enrol():
    """Make the tablet in hand a station; the secret goes into this browser only."""
    form = EnrolForm()
    status = 200
    if form.validate_on_submit():
        try:
            station, token = services.enrol_station(form.name.data, form.line.data or None,
                                                    _user())
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("This tablet is now the station %(name)s.", name=station.name), "success")
            return set_station_cookie(
                redirect(url_for("stations.station_detail", station_id=station.id)), token)
    return render_template("stations/enrol.html", form=form), form_status(form, status)


def _detail(station: Station, status: int = 200, workers_form=None, revoke_form=None):
    workers = db.session.scalars(select(Worker).where(Worker.active.is_(True))
                                 .order_by(Worker.first_name)).all()
    expected = [w.id for w in services.expected_workers(station)]
    form = workers_form or ExpectedWorkersForm(formdata=None, workers=expected,
                                               version=station.version)
    form.workers.choices = [SelectChoice(w.id, w.first_name) for w in workers]
    station_locked = signin.station_locked_until(station)
    # A worker shows as locked by their own failures; the station's lock has its own button.
    locked = {w.id: signin.worker_locked_until(w, None) for w in workers if w.id in expected}
    here = this_tablet()
    candidates = select(Batch).where(Batch.status.in_(sorted(services.ASSIGNABLE)))
    if station.line:
        candidates = candidates.where(Batch.line == station.line)
    return render_template("stations/detail.html", station=station, workers_form=form,
                           batches=db.session.scalars(candidates.order_by(Batch.id.desc())
                                                      .limit(50)).all(),
                           current=db.session.get(Batch, station.current_batch_id)
                           if station.current_batch_id else None,
                           revoke_form=revoke_form or RevokeForm(formdata=None,
                                                                 version=station.version),
                           sessions=signin.open_sessions(station), locked=locked,
                           station_locked=station_locked,
                           workers={w.id: w for w in workers}, entries=history(station),
                           is_here=here is not None and here.id == station.id), status


@bp.get("/<int:station_id>")
@require_role(*STAFF)
def station_detail(station_id: int):
    """One station: its workers, who is signed in, locks, history."""
    return _detail(db.session.get(Station, station_id) or abort(404))


@bp.post("/<int:station_id>/workers")
@require_role(*STAFF)
def station_workers(station_id: int):
    """Set the workers expected at the station."""
    station = db.session.get(Station, station_id) or abort(404)
    form = ExpectedWorkersForm()
    form.workers.choices = [SelectChoice(w.id, w.first_name)
                            for w in db.session.scalars(select(Worker))]
    if form.validate_on_submit():
        try:
            services.set_expected_workers(station, form.workers.data, _user(),
                                          expected_version=form.version.data)
        except DomainError as exc:
            return _detail(station, attach_error(form, exc), workers_form=form)
        flash(_("Workers of %(name)s saved.", name=station.name), "success")
        return redirect(url_for("stations.station_detail", station_id=station.id))
    return _detail(station, form_status(form), workers_form=form)


@bp.post("/<int:station_id>/revoke")
@require_role(*STAFF)
def station_revoke(station_id: int):
    """Revoke a station: its tablet stops working and its workers are signed out."""
    station = db.session.get(Station, station_id) or abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke_station(station, _user(), form.reason.data or "",
                                    expected_version=form.version.data)
        except DomainError as exc:
            return _detail(station, attach_error(form, exc), revoke_form=form)
        flash(_("Station %(name)s is revoked.", name=station.name), "success")
        return redirect(url_for("stations.station_detail", station_id=station.id))
    return _detail(station, form_status(form), revoke_form=form)


@bp.post("/<int:station_id>/batch")
@require_role(*STAFF)
def station_batch(station_id: int):
    """Choose the batch the station's workers work on now."""
    station = db.session.get(Station, station_id) or abort(404)
    batch_id = request.form.get("batch_id", type=int)
    batch = db.session.get(Batch, batch_id) if batch_id else None
    if batch_id and batch is None:
        abort(404)
    try:
        services.assign_batch(station, batch, _user(),
                              expected_version=request.form.get("version"))
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("The work of %(name)s is saved.", name=station.name), "success")
    return redirect(url_for("stations.station_detail", station_id=station.id))


@bp.post("/<int:station_id>/reenrol")
@require_role(*STAFF)
def station_reenrol(station_id: int):
    """Give the station a new secret on this tablet (after a revoke, or a new tablet)."""
    station = db.session.get(Station, station_id) or abort(404)
    token = services.reenrol_station(station, _user())
    flash(_("This tablet is now the station %(name)s.", name=station.name), "success")
    return set_station_cookie(redirect(url_for("stations.station_detail",
                                               station_id=station.id)), token)


@bp.post("/<int:station_id>/unlock")
@require_role(*STAFF)
def station_unlock(station_id: int):
    """Open the station's sign-in again after too many wrong answers on it."""
    station = db.session.get(Station, station_id) or abort(404)
    signin.unlock_station(station, _user())
    flash(_("Workers can sign in on %(name)s again.", name=station.name), "success")
    return redirect(url_for("stations.station_detail", station_id=station.id))


@bp.post("/<int:station_id>/unlock/<int:worker_id>")
@require_role(*STAFF)
def worker_unlock(station_id: int, worker_id: int):
    """Let a worker try again after too many wrong answers."""
    worker = db.session.get(Worker, worker_id) or abort(404)
    signin.unlock_worker(worker, _user())
    flash(_("%(name)s can sign in again.", name=worker.first_name), "success")
    return redirect(url_for("stations.station_detail", station_id=station_id))
