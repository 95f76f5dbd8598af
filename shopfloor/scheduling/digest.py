"""The managers' morning summary: overdue orders, order lines at risk or late, material lots
awaiting approval and open help calls, as one inbox message (and e-mail) per manager."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from flask_babel import LazyString, format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from shopfloor.auth.models import Role
from shopfloor.auth.queries import active_staff
from shopfloor.codes import format_code
from shopfloor.core.dashboard import build_dashboard
from shopfloor.extensions import db
from shopfloor.floor.services import open_help_calls
from shopfloor.orders.models import Order, OrderLine
from shopfloor.orders.queries import overdue_order_filter
from shopfloor.orders.status import FINISHED
from shopfloor.planning.models import LineForecast, Risk

LIST_LIMIT = 10


@dataclass(frozen=True)
class OverdueOrder:
    """An overdue order as the summary names it."""

    code: str
    partner: str
    due: date | None


@dataclass(frozen=True)
class RiskyLine:
    """An open order line whose forecast says at risk or late."""

    order_code: str
    line_no: int
    product: str
    due: date
    projected: date | None
    risk: str


@dataclass
class MorningDigest:
    """What the morning summary reports (plain values: rendered once per recipient)."""

    day: date
    overdue_total: int = 0
    overdue: list[OverdueOrder] = field(default_factory=list)
    risky_total: int = 0
    risky: list[RiskyLine] = field(default_factory=list)
    lots_awaiting: int = 0
    help_calls: int = 0
    oldest_call_at: datetime | None = None

    @property
    def quiet(self) -> bool:
        """Nothing to report."""
        return not (self.overdue_total or self.risky_total or self.lots_awaiting
                    or self.help_calls)


def _risky_lines_query():
    still_open = (LineForecast.risk.in_([Risk.AT_RISK.value, Risk.LATE.value]),
                  OrderLine.quantity_shipped < OrderLine.quantity,
                  Order.status.not_in(list(FINISHED)))
    return (select(LineForecast, OrderLine, Order)
            .join(OrderLine, OrderLine.id == LineForecast.order_line_id)
            .join(Order, Order.id == OrderLine.order_id)
            .where(*still_open))


def build_digest(day: date) -> MorningDigest:
    """Collect the summary for ``day`` (local date) with the start page's own queries."""
    dashboard = build_dashboard(day, limit=LIST_LIMIT)
    digest = MorningDigest(day=day, lots_awaiting=dashboard.lots_in_quarantine)
    digest.overdue_total = db.session.scalar(
        select(func.count()).select_from(Order).where(overdue_order_filter(day))) or 0
    digest.overdue = [OverdueOrder(format_code(o.code), o.partner.name, o.earliest_due)
                      for o in dashboard.overdue]
    query = _risky_lines_query()
    digest.risky_total = db.session.scalar(
        select(func.count()).select_from(query.subquery())) or 0
    late_first = case((LineForecast.risk == Risk.LATE.value, 0), else_=1)
    for forecast, line, order in db.session.execute(
            query.order_by(late_first, OrderLine.due_date, Order.code, OrderLine.line_no)
            .limit(LIST_LIMIT)):
        digest.risky.append(RiskyLine(format_code(order.code), line.line_no, line.product.code,
                                      line.due_date, forecast.projected_on, forecast.risk))
    calls = open_help_calls()
    digest.help_calls = len(calls)
    digest.oldest_call_at = calls[0].created_at if calls else None
    return digest


def _risk_name(risk: str) -> str:
    return _("late") if risk == Risk.LATE.value else _("at risk")


def render_digest(digest: MorningDigest) -> str:
    """The summary's text in the current language (called once per recipient)."""
    parts: list[str] = []
    if digest.quiet:
        parts.append(_("Nothing needs your attention this morning."))
    if digest.overdue_total:
        parts.append(_("Overdue orders: %(num)s", num=digest.overdue_total))
        parts += ["- " + _("%(code)s for %(partner)s, due %(due)s", code=o.code,
                           partner=o.partner, due=format_date(o.due) if o.due else "?")
                  for o in digest.overdue]
        if digest.overdue_total > len(digest.overdue):
            parts.append("- " + _("and %(num)s more",
                                  num=digest.overdue_total - len(digest.overdue)))
    if digest.risky_total:
        parts.append(_("Order lines late or at risk: %(num)s", num=digest.risky_total))
        for row in digest.risky:
            projected = (format_date(row.projected) if row.projected
                         else _("not within the planning horizon"))
            parts.append("- " + _("%(code)s line %(line)s (%(product)s): %(risk)s, due %(due)s, "
                                  "expected %(projected)s",
                                  code=row.order_code, line=row.line_no, product=row.product,
                                  risk=_risk_name(row.risk), due=format_date(row.due),
                                  projected=projected))
        if digest.risky_total > len(digest.risky):
            parts.append("- " + _("and %(num)s more", num=digest.risky_total - len(digest.risky)))
    if digest.lots_awaiting:
        parts.append(_("Material lots awaiting approval: %(num)s", num=digest.lots_awaiting))
    if digest.help_calls:
        parts.append(_("Open help calls: %(num)s (the oldest since %(time)s)",
                       num=digest.help_calls,
                       time=format_datetime(digest.oldest_call_at, "short")))
    return "\n".join(parts)


def morning_digest(now: datetime) -> str:
    """Job: send every active manager the morning summary of today (local date); once a
    day however often it runs (the dedupe key ``digest:<date>``)."""
    from shopfloor.notifications.services import notify

    zone = ZoneInfo(current_app.config["SHOPFLOOR"]["time_zone"])
    day = now.astimezone(zone).date()
    digest = build_digest(day)
    managers = active_staff(Role.MANAGER)
    created = notify(managers, "morning_digest", f"digest:{day.isoformat()}",
                     _l("Morning summary for %(day)s", day=LazyString(format_date, day)),
                     LazyString(render_digest, digest), link=url_for("core.home"), email=True)
    db.session.commit()
    return _("Summary for %(day)s: %(overdue)s overdue orders, %(risky)s lines at risk or "
             "late, %(lots)s lots to approve, %(calls)s open help calls; %(num)s new messages.",
             day=day.isoformat(), overdue=digest.overdue_total, risky=digest.risky_total,
             lots=digest.lots_awaiting, calls=digest.help_calls, num=created)
