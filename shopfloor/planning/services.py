"""The order forecast in the application: recomputing and storing it (a scheduled job), reading
it for the order page, the what-if of a new order line, and the deadline alerts (a job).

The loading rules are in ``planning.forecast``; what it is fed (open lines, capacity, pace)
and the assumptions behind that are in ``planning.inputs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask import url_for
from flask_babel import LazyString, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, text

from shopfloor.auth.models import Role
from shopfloor.auth.queries import active_staff
from shopfloor.catalog.models import Product
from shopfloor.codes import format_code
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.orders.models import Order, OrderLine
from shopfloor.orders.queries import overdue_line_filter
from shopfloor.planning.forecast import (
    AT_RISK,
    LATE,
    LineOutlook,
    LineWork,
    forecast,
    orders_of,
)
from shopfloor.planning.inputs import OPEN_STATUSES, local_moment, planning_inputs
from shopfloor.planning.models import ForecastState, LineForecast

# A fixed key for pg_advisory_xact_lock: two recomputations at once store one after the other.
_STORE_LOCK_KEY = 0x464F5245434153  # "FORECAS" in ASCII
# Sorts after every real id: the what-if line comes after the lines due the same day.
_WHAT_IF_ID = 2**62
_MINUTES_MAX = Decimal("999999999999.99")  # what Numeric(14, 2) holds

# The alerts' third state, beyond the forecast's risks: a due date has passed.
OVERDUE = "overdue"
_ALERT_RANK = {AT_RISK: 0, LATE: 1, OVERDUE: 2}


# ------------------------------------------------------------------ recompute (job)

def recompute_forecasts(now: datetime) -> str:
    """Job: forecast every open order line and store the result, replacing the previous
    forecast (rows of lines no longer open go) in one transaction; returns a summary."""
    # What changes after this moment is not in this forecast, so it stays stale for it.
    started = utcnow()
    inputs = planning_inputs(now)
    result = forecast(inputs.work(), inputs.workers, inputs.start, inputs.horizon_days,
                      inputs.at_risk_days)
    rows = [{"order_line_id": o.line_id,
             "remaining_minutes": min(_MINUTES_MAX, Decimal(f"{o.work_minutes:.2f}")),
             "projected_on": o.projected_on, "slack_days": o.slack_days, "risk": o.risk,
             "computed_at": now}
            for o in result.lines.values()]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _STORE_LOCK_KEY})
    db.session.execute(delete(LineForecast))
    if rows:
        db.session.execute(insert(LineForecast), rows)
    _state().computed_at = started
    db.session.commit()
    counts = result.counts()
    return _("%(lines)s order lines: on track %(on_track)s, at risk %(at_risk)s, "
             "late %(late)s.", lines=len(rows), on_track=counts["on_track"],
             at_risk=counts["at_risk"], late=counts["late"])


def _state() -> ForecastState:
    state = db.session.get(ForecastState, 1)
    if state is None:
        state = ForecastState(id=1)
        db.session.add(state)
    return state


def forecast_is_stale() -> bool:
    """Whether something the forecast reads changed after it was computed (or it never was)."""
    state = db.session.get(ForecastState, 1)
    if state is None or state.computed_at is None:
        return True
    return state.changed_at is not None and state.changed_at >= state.computed_at


def refresh_if_stale(now: datetime) -> bool:
    """Recompute the stored forecast when it is stale (planning pages call this, so what
    they show reflects the last change); returns whether it recomputed."""
    if not forecast_is_stale():
        return False
    recompute_forecasts(now)
    return True


# ------------------------------------------------------------------ reading

@dataclass(frozen=True)
class OrderForecast:
    """The stored forecast of one order: per line (order line id -> row) and overall."""

    lines: dict[int, LineForecast]
    projected_on: date | None
    slack_days: int | None
    risk: str
    computed_at: datetime


def forecast_for_order(order: Order) -> OrderForecast | None:
    """The last stored forecast of an order's open lines, for the order page; None when
    there is none (not computed yet, or nothing left open)."""
    rows = db.session.execute(
        select(LineForecast, OrderLine.order_id, OrderLine.due_date)
        .join(OrderLine, OrderLine.id == LineForecast.order_line_id)
        .where(OrderLine.order_id == order.id)).all()
    return forecasts_from_rows(rows).get(order.id)


def forecasts_from_rows(rows) -> dict[int, OrderForecast]:
    """Each order's forecast (order id -> OrderForecast) from stored line forecasts given as
    (LineForecast, order id, line due date) rows, so a list of orders needs one query."""
    grouped: dict[int, list] = {}
    for row, order_id, due_on in rows:
        grouped.setdefault(order_id, []).append((row, due_on))
    overall = orders_of(
        LineOutlook(line_id=r.order_line_id, order_id=order_id, due_on=due_on,
                    work_minutes=float(r.remaining_minutes), projected_on=r.projected_on,
                    slack_days=r.slack_days, risk=r.risk)
        for order_id, group in grouped.items() for r, due_on in group)
    return {order_id: OrderForecast(
        lines={r.order_line_id: r for r, _due in group},
        projected_on=overall[order_id].projected_on, slack_days=overall[order_id].slack_days,
        risk=overall[order_id].risk, computed_at=min(r.computed_at for r, _due in group))
        for order_id, group in grouped.items()}


@dataclass(frozen=True)
class WhatIf:
    """When a new order line would be done if taken now, and how it would stand."""

    work_minutes: float
    pace: float
    projected_on: date | None
    slack_days: int | None
    risk: str
    horizon_end: date


def what_if(product_id: int | None, quantity, due_date: date | None, now: datetime) -> WhatIf:
    """Forecast a new line of ``quantity`` of a product due on ``due_date``, loaded after
    every open line due that day or earlier (as the newest order would be); nothing is
    stored. Lines due later do not delay it (they would come after it)."""
    product = db.session.get(Product, product_id) if product_id else None
    if product is None or not product.active:
        raise DomainError(_l("Choose a product from the list."), field="product_id")
    try:
        amount = Decimal(str(quantity))
    except (InvalidOperation, ValueError):
        amount = Decimal(0)
    if not amount.is_finite() or amount <= 0:
        raise DomainError(_l("Enter a quantity above zero."), field="quantity")
    if due_date is None:
        raise DomainError(_l("Enter the due date."), field="due_date")
    inputs = planning_inputs(now, due_until=due_date)
    pace = inputs.paces.get(product.line, 1.0)
    new = LineWork(line_id=_WHAT_IF_ID, order_id=_WHAT_IF_ID, due_on=due_date,
                   process=product.line, remaining_quantity=float(amount),
                   standard_minutes=float(product.standard_minutes), pace=pace)
    result = forecast([*inputs.work(), new], inputs.workers, inputs.start,
                      inputs.horizon_days, inputs.at_risk_days)
    outlook = result.lines[_WHAT_IF_ID]
    return WhatIf(work_minutes=outlook.work_minutes, pace=pace,
                  projected_on=outlook.projected_on, slack_days=outlook.slack_days,
                  risk=outlook.risk,
                  horizon_end=inputs.start + timedelta(days=inputs.horizon_days - 1))


@dataclass(frozen=True)
class WeekLoad:
    """One production line's week: the minutes of the workers qualified for it and the
    minutes the forecast gives its order lines (worker minutes, not standard minutes).

    A worker qualified in several lines counts in each, so the lines' available minutes
    add up to more than the workers have; the planned minutes never do."""

    process: str
    week_start: date  # the Monday (the horizon's first week may begin later in it)
    available_minutes: float
    planned_minutes: float

    @property
    def load(self) -> float | None:
        """Planned as a share of available (None when nobody is available)."""
        return self.planned_minutes / self.available_minutes if self.available_minutes else None


def weekly_load(now: datetime) -> list[WeekLoad]:
    """Capacity and planned work per production line and week over the horizon, from a
    fresh forecast (nothing stored): for the capacity screen. Sorted by line, then week."""
    inputs = planning_inputs(now)
    result = forecast(inputs.work(), inputs.workers, inputs.start, inputs.horizon_days,
                      inputs.at_risk_days)
    available: dict[tuple[str, date], float] = {}
    planned: dict[tuple[str, date], float] = {}
    processes = {ln.process for ln in inputs.lines} | {
        p for w in inputs.workers for p in w.factors}
    for day in range(inputs.horizon_days):
        moment = inputs.start + timedelta(days=day)
        monday = moment - timedelta(days=moment.weekday())
        for process in processes:
            key = (process, monday)
            available[key] = available.get(key, 0.0) + sum(
                w.minutes[day] for w in inputs.workers if process in w.factors)
            used = result.process_minutes_used.get(process)
            planned[key] = planned.get(key, 0.0) + (used[day] if used else 0.0)
    return [WeekLoad(process, monday, available[(process, monday)], planned[(process, monday)])
            for process, monday in sorted(available)]


# ------------------------------------------------------------------ alerts (job)

@dataclass(frozen=True)
class OrderAlert:
    """An order's worst state (at_risk, late or overdue) and the dates of the line behind
    it (of several lines in that state, the one due first)."""

    order_id: int
    state: str
    due: date
    projected: date | None

    @property
    def dedupe_key(self) -> str:
        """One alert per order, state and due date."""
        return f"order-risk:{self.order_id}:{self.state}:{self.due.isoformat()}"


def _worse_alert(current: OrderAlert | None, candidate: OrderAlert) -> OrderAlert:
    if current is None:
        return candidate
    rank, current_rank = _ALERT_RANK[candidate.state], _ALERT_RANK[current.state]
    if rank > current_rank or (rank == current_rank and candidate.due < current.due):
        return candidate
    return current


def orders_needing_alerts(today: date) -> dict[int, OrderAlert]:
    """Open orders whose stored forecast says at risk or late, or that are overdue (past a
    due date with something unshipped), each with its worst state: order id -> alert."""
    alerts: dict[int, OrderAlert] = {}
    for order_id, due, projected, risk in db.session.execute(
            select(OrderLine.order_id, OrderLine.due_date, LineForecast.projected_on,
                   LineForecast.risk)
            .join(LineForecast, LineForecast.order_line_id == OrderLine.id)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.status.in_(OPEN_STATUSES),
                   OrderLine.quantity_shipped < OrderLine.quantity,
                   LineForecast.risk.in_([AT_RISK, LATE]))):
        alerts[order_id] = _worse_alert(alerts.get(order_id),
                                        OrderAlert(order_id, risk, due, projected))
    for order_id, due, projected in db.session.execute(
            select(OrderLine.order_id, OrderLine.due_date, LineForecast.projected_on)
            .join(Order, Order.id == OrderLine.order_id)
            .outerjoin(LineForecast, LineForecast.order_line_id == OrderLine.id)
            .where(overdue_line_filter(today))):
        alerts[order_id] = _worse_alert(alerts.get(order_id),
                                        OrderAlert(order_id, OVERDUE, due, projected))
    return alerts


def _subject(state: str, code: str):
    """The alert's subject for an order in ``state``."""
    if state == OVERDUE:
        return _l("Order %(code)s is overdue", code=code)
    if state == LATE:
        return _l("Order %(code)s will be late", code=code)
    return _l("Order %(code)s may be late", code=code)


def _projected_text(projected: date | None) -> str:
    if projected is None:
        return _("not within the planning horizon")
    return format_date(projected, "medium")


def _body(alert: OrderAlert, partner: str):
    """The alert's text; the dates are formatted when it is rendered for each recipient,
    in their language."""
    return _l("%(partner)s. Due %(due)s. Expected to be done: %(projected)s.",
              partner=partner, due=LazyString(format_date, alert.due, "medium"),
              projected=LazyString(_projected_text, alert.projected))


def deadline_alerts(now: datetime) -> str:
    """Job: tell every active manager (inbox and e-mail) about each open order that is at
    risk, will be late or is overdue, once per order, state and due date however often it
    runs (``OrderAlert.dedupe_key``): a worse state or a new due date is announced again,
    the same one never twice. Reads the stored forecast, so it runs after
    ``recompute_forecasts``; overdue comes from the live order data. A new at-risk or late
    alert is also published to the order's partner (``order.at_risk``)."""
    from shopfloor.notifications.services import notify
    from shopfloor.portal.events import publish_order_alert

    alerts = orders_needing_alerts(local_moment(now).date())
    managers = active_staff(Role.MANAGER)
    orders = ({o.id: o for o in db.session.scalars(
        select(Order).where(Order.id.in_(list(alerts))))} if alerts else {})
    created = 0
    for order_id in sorted(alerts):
        alert, order = alerts[order_id], orders[order_id]
        publish_order_alert(order, alert, now)  # before notify: its dedupe says "new alert"
        created += notify(managers, "deadline_risk", alert.dedupe_key,
                          _subject(alert.state, format_code(order.code)),
                          _body(alert, order.partner.name),
                          link=url_for("orders.order_detail", order_id=order.id), email=True)
    db.session.commit()
    counts = {state: sum(1 for a in alerts.values() if a.state == state) for state in _ALERT_RANK}
    return _("Orders at risk %(at_risk)s, late %(late)s, overdue %(overdue)s; %(sent)s new "
             "notifications.", at_risk=counts[AT_RISK], late=counts[LATE],
             overdue=counts[OVERDUE], sent=created)
