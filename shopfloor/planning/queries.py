"""Read-only questions for the planning screens: the board (open orders with their stored
forecast, earliest due first) and capacity against the work due per line and week."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from shopfloor.catalog.models import Product
from shopfloor.extensions import db
from shopfloor.lines import LINE_CODES
from shopfloor.orders.models import Order
from shopfloor.partners.models import Partner
from shopfloor.planning.forecast import EPSILON, LineOutlook, LineWork, orders_of
from shopfloor.planning.inputs import local_moment, measured_paces, open_lines
from shopfloor.planning.models import ForecastState, LineForecast
from shopfloor.planning.services import weekly_load

# ------------------------------------------------------------------ the board

@dataclass(frozen=True)
class BoardLine:
    """One open line of an order on the board, with its stored forecast (``risk`` None:
    not in the stored forecast yet)."""

    line_id: int
    line_no: int
    product_code: str
    product_name: str
    unit: str
    process: str
    remaining: Decimal
    due_date: date
    projected_on: date | None
    slack_days: int | None
    risk: str | None


@dataclass(frozen=True)
class BoardOrder:
    """An open order on the board: as late as its latest line, as risky as its riskiest,
    due when its first open line is due (``risk`` None: none of its lines is forecast)."""

    order_id: int
    code: str
    partner_name: str
    due_on: date
    projected_on: date | None
    slack_days: int | None
    risk: str | None
    lines: list[BoardLine] = field(default_factory=list)


def forecast_computed_at() -> datetime | None:
    """When the stored forecast was last computed (None: never)."""
    state = db.session.get(ForecastState, 1)
    return state.computed_at if state is not None else None


def planning_board(risk: str | None = None, process: str | None = None) -> list[BoardOrder]:
    """Open orders (confirmed, not finished, something unshipped) with the stored forecast
    of their open lines, earliest due first. ``process`` keeps only the lines made in that
    production line (an order's dates and risk are then those of its lines there); ``risk``
    keeps only the orders whose (worst) risk it is."""
    lines = [ln for ln in open_lines() if process is None or ln.process == process]
    if not lines:
        return []
    stored = {row.order_line_id: row for row in db.session.scalars(select(LineForecast))}
    order_ids = sorted({ln.order_id for ln in lines})
    heads = {row.id: row for row in db.session.execute(
        select(Order.id, Order.code, Partner.name.label("partner_name"))
        .join(Partner, Partner.id == Order.partner_id).where(Order.id.in_(order_ids)))}
    products = {row.id: row for row in db.session.execute(
        select(Product.id, Product.code, Product.name, Product.unit)
        .where(Product.id.in_({ln.product_id for ln in lines})))}
    per_order: dict[int, list[BoardLine]] = {}
    outlooks = []
    for ln in lines:
        row = stored.get(ln.id)
        product = products[ln.product_id]
        per_order.setdefault(ln.order_id, []).append(BoardLine(
            line_id=ln.id, line_no=ln.line_no, product_code=product.code,
            product_name=product.name, unit=product.unit, process=ln.process,
            remaining=ln.remaining, due_date=ln.due_date,
            projected_on=row.projected_on if row else None,
            slack_days=row.slack_days if row else None, risk=row.risk if row else None))
        if row is not None:
            outlooks.append(LineOutlook(
                line_id=ln.id, order_id=ln.order_id, due_on=ln.due_date,
                work_minutes=float(row.remaining_minutes), projected_on=row.projected_on,
                slack_days=row.slack_days, risk=row.risk))
    overall = orders_of(outlooks)
    board = []
    for order_id in order_ids:
        order_lines = sorted(per_order[order_id], key=lambda b: (b.due_date, b.line_no))
        outlook = overall.get(order_id)
        if risk is not None and (outlook is None or outlook.risk != risk):
            continue
        head = heads[order_id]
        board.append(BoardOrder(
            order_id=order_id, code=head.code, partner_name=head.partner_name,
            due_on=order_lines[0].due_date,
            projected_on=outlook.projected_on if outlook else None,
            slack_days=outlook.slack_days if outlook else None,
            risk=outlook.risk if outlook else None, lines=order_lines))
    board.sort(key=lambda o: (o.due_on, o.order_id))
    return board


# ------------------------------------------------------------------ capacity

@dataclass(frozen=True)
class CapacityWeek:
    """One production line's week within the horizon: the minutes of the workers qualified
    for it, the minutes the forecast plans there, and the work of its order lines due that
    week (lines already past due count in the first week)."""

    first_day: date
    last_day: date
    available_minutes: float
    planned_minutes: float
    due_minutes: float

    @property
    def load(self) -> float | None:
        """Work due as a share of the minutes available (None when nobody is available)."""
        return self.due_minutes / self.available_minutes if self.available_minutes else None

    @property
    def over(self) -> bool:
        """More work is due than the line has minutes that week."""
        return self.due_minutes > self.available_minutes + EPSILON


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def due_minutes_per_week(now: datetime) -> dict[tuple[str, date], float]:
    """Minutes of work (at the measured pace) of the open lines due in each week of the
    horizon, per production line: (process, Monday) -> minutes. Lines past due count in the
    horizon's first week; lines due after the horizon are left out."""
    start = local_moment(now).date()
    end = start + timedelta(days=current_app.config["SHOPFLOOR"]["planning.horizon_days"] - 1)
    paces = measured_paces(now)
    due: dict[tuple[str, date], float] = {}
    for ln in open_lines(due_until=end):
        work = LineWork(line_id=ln.id, order_id=ln.order_id, due_on=ln.due_date,
                        process=ln.process, remaining_quantity=float(ln.remaining),
                        standard_minutes=float(ln.standard_minutes),
                        pace=paces.get(ln.process, 1.0)).work_minutes
        key = (ln.process, _monday(max(ln.due_date, start)))
        due[key] = due.get(key, 0.0) + work
    return due


def capacity_by_line(now: datetime) -> list[tuple[str, list[CapacityWeek]]]:
    """Per production line (in the lines' fixed order), its weeks over the horizon."""
    start = local_moment(now).date()
    end = start + timedelta(days=current_app.config["SHOPFLOOR"]["planning.horizon_days"] - 1)
    due = due_minutes_per_week(now)
    weeks: dict[str, list[CapacityWeek]] = {}
    for week in weekly_load(now):
        weeks.setdefault(week.process, []).append(CapacityWeek(
            first_day=max(week.week_start, start),
            last_day=min(week.week_start + timedelta(days=6), end),
            available_minutes=week.available_minutes, planned_minutes=week.planned_minutes,
            due_minutes=due.get((week.process, week.week_start), 0.0)))
    order = {code: n for n, code in enumerate(LINE_CODES)}
    return sorted(weeks.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
