"""The supervisors' live board: help calls first, stations, who works on what."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.auth.access import require_role
from shopfloor.codes import format_code
from shopfloor.core.roles import STAFF
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.floor.board import build_board
from shopfloor.floor.models import HelpCall
from shopfloor.floor.services import acknowledge_help, close_help
from shopfloor.units import format_quantity

bp = Blueprint("floor", __name__)


@bp.get("/board")
@require_role(*STAFF)
def board():
    """The live board; the page refreshes its data by itself every few seconds."""
    return render_template("floor/board.html", board=build_board(utcnow()))


def _call_json(row) -> dict:
    call = row.call
    return {"id": call.id, "worker": row.worker, "station": row.station, "status": call.status,
            "batch": format_code(row.batch.code) if row.batch else None,
            "step": row.step.position if row.step else None,
            "since": format_datetime(call.created_at, "HH:mm"),
            "acknowledge": url_for("floor.help_acknowledge", call_id=call.id),
            "close": url_for("floor.help_close", call_id=call.id)}


@bp.get("/board/data.json")
@require_role(*STAFF)
def board_data():
    """The board's figures for the page's polling."""
    data = build_board(utcnow())
    return jsonify(
        calls=[_call_json(call) for call in data.calls],
        stations=[{"id": row.station.id, "name": row.station.name, "workers": [
            {"name": w.worker.first_name, "idle": w.idle,
             "batch": format_code(w.batch.code) if w.batch else None,
             "step": w.step.position if w.step else None,
             "good": format_quantity(w.progress[0]) if w.progress else None,
             "planned": format_quantity(w.progress[1]) if w.progress else None,
             "good_value": float(w.progress[0]) if w.progress else None,
             "planned_value": float(w.progress[1]) if w.progress else None}
            for w in row.workers]} for row in data.stations])


def _call(call_id: int) -> HelpCall:
    return db.session.get(HelpCall, call_id) or abort(404)


@bp.post("/board/help/<int:call_id>/acknowledge")
@require_role(*STAFF)
def help_acknowledge(call_id: int):
    """"I am coming": the worker's tablet shows that a supervisor is on the way."""
    try:
        acknowledge_help(_call(call_id), current_user._get_current_object())
    except DomainError as exc:
        flash(str(exc.message), "error")
    return redirect(url_for("floor.board"))


@bp.post("/board/help/<int:call_id>/close")
@require_role(*STAFF)
def help_close(call_id: int):
    """The worker has been helped."""
    try:
        close_help(_call(call_id), current_user._get_current_object())
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("Help call closed."), "success")
    return redirect(url_for("floor.board"))
