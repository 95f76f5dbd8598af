"""The partners' weekly status e-mail: for each active partner with open orders, one e-mail
to each of its contacts who receives it, listing every open order with its lines' progress,
due dates and the stored forecast's expected completion, and saying plainly when an order
will be late. Written in the partners' language (the app's ``default_language``); portal
people who asked for it in the portal get it too, in their own language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from shopfloor.codes import format_code
from shopfloor.extensions import db
from shopfloor.orders.models import Order, OrderLine
from shopfloor.orders.queries import lines_progress
from shopfloor.orders.status import ORDER_STATUS_NAMES
from shopfloor.partners.models import Partner, PartnerContact
from shopfloor.planning.inputs import OPEN_STATUSES
from shopfloor.planning.models import Risk
from shopfloor.units import format_quantity, unit_name


@dataclass(frozen=True)
class LineStatus:
    """One order line as the partner reads it."""

    product: str
    unit: str
    ordered: Decimal
    made: Decimal
    shipped: Decimal
    due: date
    forecast: bool  # whether a stored forecast covers the line
    projected: date | None  # None: not within the planning horizon (or no forecast)
    late: bool

    @property
    def shipped_in_full(self) -> bool:
        """Nothing left to deliver."""
        return self.shipped >= self.ordered


@dataclass(frozen=True)
class OrderStatusView:
    """One open order as the partner reads it; ``late_due`` is the earliest due date of its
    lines that will be late (None: none will)."""

    code: str
    reference: str
    status: str
    lines: list[LineStatus]
    projected: date | None
    late_due: date | None


@dataclass
class PartnerDigest:
    """What one partner's weekly e-mail reports (plain values, rendered per language)."""

    partner: str
    cooperative: str
    day: date
    week: str  # "49/2026": the ISO week, as people write it
    orders: list[OrderStatusView] = field(default_factory=list)


def open_orders_of(partner_id: int) -> list[Order]:
    """The partner's open orders (confirmed, not finished), due first: the only orders its
    e-mail may name (scoped at the query, DESIGN rule 7)."""
    return list(db.session.scalars(
        select(Order).where(Order.partner_id == partner_id, Order.status.in_(OPEN_STATUSES))
        .options(selectinload(Order.lines).selectinload(OrderLine.product))
        .order_by(Order.earliest_due.asc().nulls_last(), Order.code)))


def _order_view(order: Order, progress) -> OrderStatusView:
    from shopfloor.planning.services import forecast_for_order

    forecast = forecast_for_order(order)
    rows = forecast.lines if forecast else {}
    lines = []
    for line in order.lines:
        row = rows.get(line.id)
        done = progress[line.id]
        lines.append(LineStatus(
            product=line.product.name, unit=line.product.unit, ordered=line.quantity,
            made=done.made, shipped=line.quantity_shipped, due=line.due_date,
            forecast=row is not None, projected=row.projected_on if row else None,
            late=row is not None and row.risk == Risk.LATE.value))
    late = [line.due for line in lines if line.late and not line.shipped_in_full]
    return OrderStatusView(code=format_code(order.code), reference=order.partner_reference,
                           status=order.status, lines=lines,
                           projected=forecast.projected_on if forecast else None,
                           late_due=min(late) if late else None)


def build_partner_digest(partner: Partner, day: date) -> PartnerDigest:
    """Collect the partner's open orders for its e-mail of ``day`` (local date)."""
    iso = day.isocalendar()
    digest = PartnerDigest(partner=partner.name,
                           cooperative=current_app.config["SHOPFLOOR"]["cooperative.name"],
                           day=day, week=f"{iso.week}/{iso.year}")
    orders = open_orders_of(partner.id)
    progress = lines_progress([line for order in orders for line in order.lines])
    digest.orders = [_order_view(order, progress) for order in orders]
    return digest


def _when(day: date | None) -> str:
    return format_date(day, "long") if day else _("not within the planning horizon")


def _quantity(value: Decimal, unit: str) -> str:
    return f"{format_quantity(value)} {unit_name(unit)}"


def _line_text(line: LineStatus) -> str:
    if line.shipped_in_full:
        outlook = _("shipped in full")
    elif not line.forecast:
        outlook = _("expected completion not calculated yet")
    elif line.late:
        outlook = _("expected completion: %(when)s, which is after the due date",
                    when=_when(line.projected))
    else:
        outlook = _("expected completion: %(when)s", when=_when(line.projected))
    return "- " + _("%(product)s: ordered %(ordered)s, made %(made)s, shipped %(shipped)s; "
                    "due %(due)s; %(outlook)s.",
                    product=line.product, ordered=_quantity(line.ordered, line.unit),
                    made=_quantity(line.made, line.unit),
                    shipped=_quantity(line.shipped, line.unit),
                    due=format_date(line.due, "long"), outlook=outlook)


def _order_text(order: OrderStatusView) -> list[str]:
    status = str(ORDER_STATUS_NAMES.get(order.status, order.status))
    if order.reference:
        head = _("Order %(code)s (your reference %(reference)s): %(status)s",
                 code=order.code, reference=order.reference, status=status)
    else:
        head = _("Order %(code)s: %(status)s", code=order.code, status=status)
    parts = [head]
    if order.late_due is not None:
        if order.projected is not None:
            parts.append(_("This order will be late: it is due %(due)s and we expect to "
                           "finish it on %(projected)s.", due=format_date(order.late_due, "long"),
                           projected=format_date(order.projected, "long")))
        else:
            parts.append(_("This order will be late: it is due %(due)s and we cannot yet "
                           "name the day it will be finished.",
                           due=format_date(order.late_due, "long")))
    parts += [_line_text(line) for line in order.lines]
    return parts


def render_partner_digest(digest: PartnerDigest, preferences_url: str = "") -> tuple[str, str]:
    """The e-mail's subject and text in the current language; with ``preferences_url``, for
    a portal person who asked for it there (it says where to switch it off)."""
    subject = _("%(cooperative)s: the status of your orders, week %(week)s",
                cooperative=digest.cooperative, week=digest.week)
    parts = [_("Hello,"), "",
             _("Here is where your open orders stand on %(day)s.",
               day=format_date(digest.day, "long"))]
    for order in digest.orders:
        parts.append("")
        parts += _order_text(order)
    if preferences_url:
        farewell = _("You receive this e-mail every week because you asked for it in the "
                     "portal. You can switch it off there: %(url)s", url=preferences_url)
    else:
        farewell = _("As a contact of %(partner)s you receive this e-mail every week. If you "
                     "would rather not, please let us know.", partner=digest.partner)
    parts += ["", farewell, "", _("Kind regards,"), digest.cooperative]
    return subject, "\n".join(parts)


def digest_contacts() -> dict[Partner, list[PartnerContact]]:
    """Active partners with open orders and the contacts of theirs who receive the weekly
    e-mail (and have an address), partners by name."""
    has_open_orders = exists(select(Order.id).where(Order.partner_id == Partner.id,
                                                    Order.status.in_(OPEN_STATUSES)))
    rows = db.session.execute(
        select(Partner, PartnerContact)
        .join(PartnerContact, PartnerContact.partner_id == Partner.id)
        .where(Partner.active.is_(True), has_open_orders, PartnerContact.status_digest.is_(True),
               PartnerContact.email != "")
        .order_by(Partner.name, PartnerContact.id))
    contacts: dict[Partner, list[PartnerContact]] = {}
    for partner, contact in rows:
        contacts.setdefault(partner, []).append(contact)
    return contacts


def iso_week(day: date) -> str:
    """The ISO week of a day: ``2026-W49`` (31 December 2026 is in ``2026-W53``)."""
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def week_key(contact_id: int, day: date) -> str:
    """The once-a-week key of a contact's e-mail: ``partner-digest:<id>:<ISO week>``."""
    return f"partner-digest:{contact_id}:{iso_week(day)}"


def partner_digests(now: datetime) -> str:
    """Job: queue this week's status e-mail for every contact who receives it (see the module
    docstring); once per contact and ISO week however often it runs (``week_key``). Nothing
    is queued while e-mail is off (``smtp.host`` empty), as for the staff's e-mail."""
    from shopfloor.notifications.services import queue_email
    from shopfloor.portal.events import absolute_url, path_for
    from shopfloor.portal.preferences import weekly_digest_people

    settings = current_app.config["SHOPFLOOR"]
    day = now.astimezone(ZoneInfo(settings["time_zone"])).date()
    if not settings["smtp.host"]:
        return _("E-mail is off (smtp.host is empty): no partner status e-mails queued.")
    queued = already = 0
    recipients, people = digest_contacts(), weekly_digest_people()
    partners = sorted(recipients.keys() | people.keys(), key=lambda p: (p.name, p.id))
    preferences_url = absolute_url(path_for("portal.preferences"))
    for partner in partners:
        digest = build_partner_digest(partner, day)
        with force_locale(settings["default_language"]):
            subject, body = render_partner_digest(digest)
        mails = [(c.email, subject, body, week_key(c.id, day))
                 for c in recipients.get(partner, [])]
        addresses = {email.strip().lower() for email, *_rest in mails}
        for user in people.get(partner, []):
            if user.email.strip().lower() in addresses:
                continue  # also a receiving contact: one e-mail is enough
            with force_locale(user.language or settings["default_language"]):
                mails.append((user.email, *render_partner_digest(digest, preferences_url),
                              f"partner-digest:user:{user.id}:{iso_week(day)}"))
        for email, mail_subject, mail_body, key in mails:
            if queue_email(email, mail_subject, mail_body, dedupe_key=key) is None:
                already += 1
            else:
                queued += 1
    db.session.commit()
    return _("Partner status e-mails for week %(week)s: %(queued)s queued for %(partners)s "
             "partners, %(already)s already sent this week.",
             week=iso_week(day), queued=queued, partners=len(partners), already=already)
