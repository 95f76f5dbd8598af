"""The manager's planning screens: the board of open orders against their due dates, capacity
per production line and week, and the what-if of a new order before it is confirmed."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, render_template, request

from shopfloor.auth.access import require_role
from shopfloor.core.roles import MANAGER, STAFF
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.forms_support import attach_error, form_status
from shopfloor.lines import LINE_CODES
from shopfloor.planning import queries
from shopfloor.planning.display import RISK_NAMES, day_span, slack_text, timeline
from shopfloor.planning.forecast import RISK_ORDER
from shopfloor.planning.forms import WhatIfForm
from shopfloor.planning.inputs import local_moment
from shopfloor.planning.services import refresh_if_stale, what_if
from shopfloor.planning.worktime import format_minutes

bp = Blueprint("planning", __name__)


def _horizon(now):
    """Today (local) and the last day of the planning horizon."""
    start = local_moment(now).date()
    return start, start + timedelta(
        days=current_app.config["SHOPFLOOR"]["planning.horizon_days"] - 1)


def _choice(name: str, allowed) -> str | None:
    """A filter's value from the query string when it is one of ``allowed``, else None."""
    value = request.args.get(name, "")
    return value if value in allowed else None


def _helpers() -> dict:
    return {"risk_names": RISK_NAMES, "slack_text": slack_text, "timeline": timeline,
            "format_minutes": format_minutes, "day_span": day_span}


@bp.get("/planning")
@require_role(*STAFF)
def board():
    """Open orders by earliest due date with their projected completion, slack and risk."""
    now = utcnow()
    refresh_if_stale(now)
    risk, process = _choice("risk", RISK_ORDER), _choice("line", LINE_CODES)
    start, horizon_end = _horizon(now)
    return render_template(
        "planning/board.html", orders=queries.planning_board(risk, process),
        risk=risk, process=process, line_codes=LINE_CODES, start=start,
        horizon_end=horizon_end, computed_at=queries.forecast_computed_at(), **_helpers())


@bp.get("/planning/capacity")
@require_role(*STAFF)
def capacity():
    """Per production line and week: hours available, hours planned, work due and the load."""
    now = utcnow()
    start, horizon_end = _horizon(now)
    return render_template("planning/capacity.html", lines=queries.capacity_by_line(now),
                           start=start, horizon_end=horizon_end, **_helpers())


@bp.route("/planning/what-if", methods=["GET", "POST"])
@require_role(*MANAGER)
def what_if_page():
    """When a new order line would be done if taken now; nothing is stored."""
    form = WhatIfForm()
    result, status = None, 200
    now = utcnow()
    if form.validate_on_submit():
        try:
            result = what_if(form.product_id.data, form.quantity.data, form.due_date.data, now)
        except DomainError as exc:
            status = attach_error(form, exc)
    start, _horizon_end = _horizon(now)
    return (render_template("planning/what_if.html", form=form, result=result, start=start,
                            **_helpers()),
            form_status(form, status))
