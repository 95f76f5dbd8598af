"""What a partner's portal people want by e-mail: one switch per partner event, and the
weekly status e-mail. Stored as ``NotificationPreference`` rows (one per person and choice);
no row means the choice's default.

The events default to on: a partner's people are invited to the portal to follow their
orders, and an e-mail when something changes is why most of them would come back; each
one can be switched off in one click. The weekly status e-mail defaults to off: it repeats
what the event mails already said, and the partner's contacts ticked on the partner form
receive it anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from shopfloor.audit.services import write_audit
from shopfloor.auth.models import Role, User
from shopfloor.extensions import db
from shopfloor.notifications.models import NotificationPreference
from shopfloor.webhooks.models import WebhookEvent

WEEKLY_DIGEST = "weekly_digest"


@dataclass(frozen=True)
class Choice:
    """One switch on the preferences page: what it is about, in plain words, and its
    default."""

    key: str  # a WebhookEvent value, or WEEKLY_DIGEST
    label: object  # a lazy string
    default: bool


CHOICES: tuple[Choice, ...] = (
    Choice(WebhookEvent.ORDER_STATUS_CHANGED.value, _l("An order changes status"), True),
    Choice(WebhookEvent.ORDER_AT_RISK.value, _l("An order may be late"), True),
    Choice(WebhookEvent.SHIPMENT_CREATED.value, _l("A shipment leaves us"), True),
    Choice(WebhookEvent.RETURN_ITEM_NEEDS_DECISION.value,
           _l("A returned item needs your decision"), True),
    Choice(WebhookEvent.RECALL_ISSUED.value, _l("Goods you received are recalled"), True),
    Choice(WEEKLY_DIGEST, _l("Once a week: where all your open orders stand"), False),
)
_DEFAULTS = {choice.key: choice.default for choice in CHOICES}


def default_for(key: str) -> bool:
    """Whether a person who never chose gets e-mail of this kind (KeyError if unknown)."""
    return _DEFAULTS[key]


def people_wanting(key: str) -> Select:
    """A select of the active portal people with an e-mail address who want e-mail of
    ``key`` (their stored choice, else the default), by id; narrow it further."""
    chosen = aliased(NotificationPreference)
    wants = chosen.email.is_(True)
    if default_for(key):
        wants = or_(chosen.id.is_(None), wants)
    return (select(User)
            .outerjoin(chosen, and_(chosen.user_id == User.id, chosen.event == key))
            .where(User.partner_id.is_not(None),
                   User.role.in_([Role.PARTNER_VIEWER.value, Role.PARTNER_ORDERER.value]),
                   User.active.is_(True), User.email.is_not(None), User.email != "", wants)
            .order_by(User.id))


def weekly_digest_people() -> dict:
    """Partner -> its portal people who want the weekly status e-mail, for the active
    partners with open orders (the same partners the contacts' e-mail is for)."""
    from shopfloor.orders.models import Order
    from shopfloor.partners.models import Partner
    from shopfloor.planning.inputs import OPEN_STATUSES

    has_open_orders = exists(select(Order.id).where(Order.partner_id == Partner.id,
                                                    Order.status.in_(OPEN_STATUSES)))
    rows = db.session.execute(
        people_wanting(WEEKLY_DIGEST).add_columns(Partner)
        .join(Partner, Partner.id == User.partner_id)
        .where(Partner.active.is_(True), has_open_orders))
    people: dict = {}
    for user, partner in rows:
        people.setdefault(partner, []).append(user)
    return people


def preferences_of(user) -> dict[str, bool]:
    """The person's choices, every key of ``CHOICES`` (stored, else the default)."""
    stored = dict(db.session.execute(
        select(NotificationPreference.event, NotificationPreference.email)
        .where(NotificationPreference.user_id == user.id)).all())
    return {choice.key: bool(stored.get(choice.key, choice.default)) for choice in CHOICES}


def _upsert(user_id: int, key: str, email: bool) -> None:
    """Store one choice; two saves at once (a double click) both succeed, the last wins."""
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    table = NotificationPreference.__table__
    db.session.execute(
        module.insert(table).values(user_id=user_id, event=key, email=email)
        .on_conflict_do_update(index_elements=["user_id", "event"], set_={"email": email}))


def save_preferences(user, wanted: Mapping[str, bool]) -> dict[str, tuple[bool, bool]]:
    """Store the person's own choices (keys of ``CHOICES``; others are ignored), audit what
    changed on their account and commit. Every choice is stored, also one equal to its
    default: it was made on purpose. Returns what changed: key -> (before, after)."""
    before = preferences_of(user)
    changes = {}
    for choice in CHOICES:
        if choice.key not in wanted:
            continue
        after = bool(wanted[choice.key])
        _upsert(user.id, choice.key, after)
        if after != before[choice.key]:
            changes[choice.key] = (before[choice.key], after)
    if changes:
        write_audit(user, "edited", user,
                    changes={f"email:{key}": change for key, change in changes.items()})
    db.session.commit()
    return changes
