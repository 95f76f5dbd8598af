"""Order requests: a partner's person asks for an order in the portal or through the API.

The request becomes a draft order of the person's own firm, marked with where it came from
and who sent it; the managers are told (inbox and e-mail) and confirm it in the office, or
change or cancel it first. Only ``partner_orderer`` accounts may request: viewers only read,
and staff enter orders in the office.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from flask import url_for
from flask_babel import lazy_gettext as _l

from shopfloor.audit.services import commit
from shopfloor.auth.models import Role
from shopfloor.auth.queries import active_staff
from shopfloor.codes import format_code
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.orders.models import Order, OrderSource
from shopfloor.orders.services import (
    LineData,
    OrderLinesInvalid,
    build_order,
    check_order_lines,
)
from shopfloor.partners.models import Partner

MAX_LINES = 50
# The largest quantity an order line holds (NUMERIC(14, 3)) and its decimal places.
MAX_QUANTITY = Decimal("99999999999.999")
QUANTITY_PLACES = 3
# A request further ahead than this is almost surely a typing slip (2062 for 2026).
HORIZON_YEARS = 3
REQUEST_SOURCES = (OrderSource.PORTAL, OrderSource.API)


class RequestRefused(DomainError):
    """This account may not request orders."""

    status_code = 403


def may_request_orders(user) -> bool:
    """Whether the account may send order requests: a partner's person allowed to order."""
    return (getattr(user, "role", None) == Role.PARTNER_ORDERER.value
            and getattr(user, "partner_id", None) is not None)


def check_may_request(user) -> None:
    """Refuse (403) an account that may not request orders, saying who may."""
    if not may_request_orders(user):
        raise RequestRefused(_l("Only a partner's person who may order can request orders. "
                                "The cooperative's staff enter orders in the office."))


def _request_limits(lines: list[LineData], today: date) -> dict[tuple[int, str], str]:
    """What a request may not hold beyond the order rules: quantities the database cannot
    keep, and due dates too far ahead."""
    problems: dict[tuple[int, str], str] = {}
    horizon = today + timedelta(days=365 * HORIZON_YEARS)
    for row, line in enumerate(lines):
        quantity = line.quantity
        if quantity is not None and quantity > 0:
            if quantity > MAX_QUANTITY:
                problems[(row, "quantity")] = str(_l("The quantity is too large."))
            elif quantity.as_tuple().exponent < -QUANTITY_PLACES:
                problems[(row, "quantity")] = str(_l(
                    "Use at most %(n)s decimal places.", n=QUANTITY_PLACES))
        if line.due_date is not None and line.due_date > horizon:
            problems[(row, "due_date")] = str(_l(
                "Choose a due date within %(years)s years.", years=HORIZON_YEARS))
    return problems


def _finite(lines: list[LineData]) -> list[LineData]:
    """NaN or Infinity typed as a quantity is no quantity (and cannot even be compared)."""
    return [line if line.quantity is None or line.quantity.is_finite()
            else replace(line, quantity=None) for line in lines]


def line_problems(partner_id: int, lines: list[LineData], today: date
                  ) -> dict[tuple[int, str], str]:
    """Everything wrong with a request's lines, by (row, field), without creating anything:
    the order rules and the request's own limits (a form shows them all at once)."""
    lines = _finite(lines)
    problems = _request_limits(lines, today)
    if not lines:
        return problems
    try:
        check_order_lines(partner_id, lines, today)
    except OrderLinesInvalid as exc:
        problems = {**problems, **exc.problems}
    except DomainError:
        pass  # an inactive firm: request_order says so when the request is sent
    return problems


def _tell_managers(order: Order, partner: Partner, user, source: str) -> None:
    from shopfloor.notifications.services import notify

    name = user.display_name or user.username
    subject = _l("%(partner)s requested order %(code)s — confirm it", partner=partner.name,
                 code=format_code(order.code))
    if source == OrderSource.API:
        body = _l("%(name)s sent the request through the API. Check the lines, then confirm "
                  "the order or change it first.", name=name)
    else:
        body = _l("%(name)s sent the request in the portal. Check the lines, then confirm "
                  "the order or change it first.", name=name)
    notify(active_staff(Role.MANAGER), "order_request", f"order-request:{order.id}", subject,
           body, link=url_for("orders.order_detail", order_id=order.id), email=True)


def request_order(user, partner_reference: str, lines: list[LineData], notes: str,
                  source: str, today: date) -> Order:
    """Record a partner's request as a draft order of their firm (source portal or api,
    requested by ``user``), audited, and tell the managers to confirm it; one transaction.

    Raises RequestRefused for an account that may not request, DomainError for an empty or
    too long request, and OrderLinesInvalid naming each line's problems (the order rules:
    products the firm may order, quantity above zero, due date not in the past; and here:
    at most three decimal places, a due date within three years)."""
    if source not in REQUEST_SOURCES:
        raise ValueError(f"not a request source: {source!r}")
    check_may_request(user)
    partner = db.session.get(Partner, user.partner_id)
    if partner is None or not partner.active:
        raise RequestRefused(_l("Your firm's account is not active. Ask the cooperative."))
    if not lines:
        raise DomainError(_l("Add at least one line."), field="lines")
    if len(lines) > MAX_LINES:
        raise DomainError(_l("Request at most %(n)s lines at once.", n=MAX_LINES),
                          field="lines")
    lines = _finite(lines)
    problems = line_problems(partner.id, lines, today)
    if problems:
        raise OrderLinesInvalid(problems)
    order = build_order(partner.id, partner_reference, lines, user, today, notes,
                        source=source, requested_by_id=user.id)
    _tell_managers(order, partner, user, source)
    commit([order])
    return order
