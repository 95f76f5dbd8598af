"""The 14-day clock of garment returns (domain.md section 3).

A consumer complaint not answered within 14 days of its receipt is deemed accepted (art. 7a
of the Consumer Rights Act, u.p.k.), and a refund after a withdrawal is due within 14 days
(art. 32). Every returned item listed in a garments batch with a ``received_on`` date starts
the clock, from the consumer's complaint date when the partner gives it (``complaint_on``:
the consumer's 14 days run from their complaint, not from when the parcel reached us): on
day 10 managers and supervisors are warned ("4 days left"), on day 14 (the
last day) and after it they are told the 14 days are up. Only batches still being worked on
count: once a batch is done or scrapped its items are handled.

Day N is ``start + N days`` (the day of the complaint or receipt is day 0: the Civil Code's
art. 111 does not count it), so the last day to answer is ``start + 14``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from flask_babel import LazyString, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _nl
from sqlalchemy import select

from shopfloor.auth.models import Role
from shopfloor.auth.queries import active_staff
from shopfloor.codes import format_code
from shopfloor.extensions import db
from shopfloor.production.models import Batch
from shopfloor.production.status import BATCH_MACHINE

LINE = "garments"
DEADLINE_DAYS = 14
WARNING_DAY = 10
# Reasons that are a consumer's withdrawal (refund due, art. 32) rather than a complaint.
WITHDRAWAL_REASONS = frozenset({"changed_mind"})


class Stage(enum.StrEnum):
    """How far an item's clock has run."""

    WARNING = "day10"  # from day 10: a few days left
    OVER = "day14"  # from day 14, the last day: the 14 days are up


@dataclass(frozen=True)
class Clock:
    """An item's 14-day clock on a given day, from ``starts_on``: the consumer's complaint
    date (``from_complaint``) or else the day the parcel was received."""

    starts_on: date
    today: date
    from_complaint: bool = False

    @property
    def day(self) -> int:
        """Days since the clock started (its first day is day 0)."""
        return (self.today - self.starts_on).days

    @property
    def due_on(self) -> date:
        """The last day to answer."""
        return self.starts_on + timedelta(days=DEADLINE_DAYS)

    @property
    def days_left(self) -> int:
        """Days from today to the last day (0 on it, negative after it)."""
        return (self.due_on - self.today).days

    @property
    def stage(self) -> Stage | None:
        """The alert due today: None before day 10, then WARNING, from day 14 OVER."""
        if self.day >= DEADLINE_DAYS:
            return Stage.OVER
        if self.day >= WARNING_DAY:
            return Stage.WARNING
        return None


@dataclass(frozen=True)
class ItemAlert:
    """A returned item whose clock calls for an alert."""

    batch_id: int
    batch_code: str
    item_key: str
    rma: str
    sku: str
    reason: str
    clock: Clock

    @property
    def dedupe_key(self) -> str:
        """One alert per batch, item and stage."""
        return f"garment-clock:{self.batch_id}:{self.item_key}:{self.clock.stage}"


def _day(item: dict, key: str) -> date | None:
    value = item.get(key)
    if not value:
        return None
    try:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return None


def items_needing_alerts(batch_id: int, batch_code: str, record: dict | None,
                         today: date) -> list[ItemAlert]:
    """The returned items of one garments batch record whose clock is at day 10 or later
    on ``today`` (pure: no database)."""
    alerts = []
    for item in (record or {}).get("items") or []:
        complained = _day(item, "complaint_on")
        start = complained or _day(item, "received_on")
        if start is None:
            continue
        clock = Clock(start, today, from_complaint=complained is not None)
        if clock.stage is None:
            continue
        rma = str(item.get("rma") or "")
        sku = str(item.get("sku") or item.get("ean") or "")
        alerts.append(ItemAlert(batch_id, batch_code, item.get("item_code") or f"{rma}/{sku}",
                                rma, sku, str(item.get("reason") or ""), clock))
    return alerts


def open_garment_batches() -> list[tuple[int, str, dict]]:
    """(id, code, record) of the garments batches not finished (neither done nor scrapped)."""
    unfinished = [s for s in BATCH_MACHINE.statuses if not BATCH_MACHINE.is_final(s)]
    return [(batch_id, code, record) for batch_id, code, record in db.session.execute(
        select(Batch.id, Batch.code, Batch.record)
        .where(Batch.line == LINE, Batch.status.in_(unfinished)).order_by(Batch.id))]


def _subject(alert: ItemAlert):
    clock = alert.clock
    due = LazyString(format_date, clock.due_on, "medium")
    # A parcel set aside has no return number yet: it is named by our item code.
    rma = alert.rma or (format_code(alert.item_key) if len(alert.item_key) == 8
                        else alert.item_key)
    if clock.stage == Stage.WARNING:
        return _nl("RMA %(rma)s: %(num)s day left to answer (due %(due)s)",
                   "RMA %(rma)s: %(num)s days left to answer (due %(due)s)",
                   clock.days_left, rma=rma, due=due)
    if clock.days_left == 0:
        return _l("RMA %(rma)s: the 14 days are up, today (%(due)s) is the last day to answer",
                  rma=rma, due=due)
    return _l("RMA %(rma)s: the 14 days are over (the last day was %(due)s)",
              rma=rma, due=due)


def _body(alert: ItemAlert):
    started = LazyString(format_date, alert.clock.starts_on, "medium")
    if alert.clock.from_complaint:
        return _l("SKU %(sku)s in batch %(batch)s; the consumer complained on %(date)s. "
                  "%(rule)s", sku=alert.sku, batch=format_code(alert.batch_code),
                  date=started, rule=_rule(alert))
    return _l("SKU %(sku)s in batch %(batch)s, received %(received)s. %(rule)s",
              sku=alert.sku, batch=format_code(alert.batch_code), received=started,
              rule=_rule(alert))


def _rule(alert: ItemAlert):
    if alert.reason in WITHDRAWAL_REASONS:
        rule = _l("A refund after a consumer's withdrawal is due within 14 days (art. 32 of "
                  "the Consumer Rights Act).")
    else:
        rule = _l("A consumer complaint not answered within 14 days of its receipt is deemed "
                  "accepted (art. 7a of the Consumer Rights Act).")
    return rule


def complaint_clock(now: datetime) -> str:
    """Job: warn every active manager and supervisor (inbox and e-mail) about each returned
    garment whose 14-day clock reached day 10, and again when it reached day 14; once per
    batch, item and stage however often it runs (``ItemAlert.dedupe_key``).

    Runs every hour rather than once a day: the clock counts whole local days, so the extra
    runs find nothing new and cost one indexed query over the unfinished garments batches,
    while a run missed (scheduler down past the misfire grace) delays an alert by an hour,
    not a day of the 4 left, and an item recorded late (received 11 days ago) is announced
    within the hour.
    """
    from shopfloor.notifications.services import notify

    today = now.astimezone(ZoneInfo(current_app.config["SHOPFLOOR"]["time_zone"])).date()
    alerts = [alert for batch_id, code, record in open_garment_batches()
              for alert in items_needing_alerts(batch_id, code, record, today)]
    if not alerts:
        return _("No returned garment is at day 10 of its 14 days.")
    staff = active_staff(Role.MANAGER, Role.SUPERVISOR)
    created = 0
    for alert in alerts:
        created += notify(staff, "complaint_clock", alert.dedupe_key, _subject(alert),
                          _body(alert),
                          link=url_for("production.batch_detail", batch_id=alert.batch_id),
                          email=True)
    db.session.commit()
    over = sum(1 for alert in alerts if alert.clock.stage == Stage.OVER)
    return _("Returned garments with 4 days or fewer left: %(warned)s, with the 14 days up: "
             "%(over)s; %(sent)s new notifications.", warned=len(alerts) - over, over=over,
             sent=created)
