"""Partner firms' portal accounts: the manager invites a person by e-mail, the person sets a
password through a signed link that expires, and the manager can send a new link, disable
or enable the account.

An invited account exists from the start (disabled, with an unusable random password), so
its e-mail address is reserved and the partner page lists it as invited. The link carries the
account id and its session generation; accepting bumps the generation, so a link works once,
and sending a new link makes the older one useless.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from shopfloor.audit.services import write_audit
from shopfloor.auth.models import PARTNER_ROLE_VALUES, User
from shopfloor.auth.services import check_password_rules, clean_email, normalize_username
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db

INVITE_SALT = "shopfloor.portal.invite"
NAME_MAX = 120


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITE_SALT)


def invite_days() -> int:
    """How long an invitation link works."""
    return current_app.config["SHOPFLOOR"]["portal.invite_days"]


def invite_url(user: User) -> str:
    """The link that lets ``user`` set their password (absolute, on the public address)."""
    token = _serializer().dumps({"u": user.id, "g": user.session_generation})
    return (current_app.config["SHOPFLOOR"]["public_base_url"]
            + url_for("portal_welcome.welcome", token=token))


def mail_is_on() -> bool:
    """Whether e-mail is configured (else the manager hands the link over)."""
    return bool(current_app.config["SHOPFLOOR"]["smtp.host"])


def _queue_invitation(user: User) -> None:
    from shopfloor.notifications.services import queue_email

    if not mail_is_on():
        return
    settings = current_app.config["SHOPFLOOR"]
    with force_locale(user.language or settings["default_language"]):
        subject = _("%(cooperative)s invites you to its partner portal",
                    cooperative=settings["cooperative.name"])
        body = _("Hello %(name)s,\n\n%(cooperative)s gives %(partner)s a portal where you can "
                 "see where your orders stand. Set your password here (the link works once, "
                 "for %(days)s days):\n\n%(url)s\n\nYour user name is your e-mail address: "
                 "%(email)s", name=user.display_name, cooperative=settings["cooperative.name"],
                 partner=_partner_name(user), days=invite_days(), url=invite_url(user),
                 email=user.email)
    queue_email(user.email, subject, body)


def _partner_name(user: User) -> str:
    from shopfloor.partners.models import Partner

    partner = db.session.get(Partner, user.partner_id)
    return partner.name if partner else ""


def partner_accounts(partner) -> list[User]:
    """The portal accounts of a partner firm, by name."""
    return list(db.session.scalars(select(User).where(User.partner_id == partner.id)
                                   .order_by(User.display_name, User.id)))


def invite(partner, name: str, email: str, role: str, by) -> User:
    """Create a partner's portal account and e-mail the person a link to set a password."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Enter the person's name."), field="name")
    if len(name) > NAME_MAX:
        raise DomainError(_l("Use at most %(n)s characters.", n=NAME_MAX), field="name")
    address = clean_email(email)
    if address is None:
        raise DomainError(_l("Enter the person's e-mail address: the invitation goes there."),
                          field="email")
    if role not in PARTNER_ROLE_VALUES:
        raise DomainError(_l("Choose a role from the list."), field="role")
    if not partner.active:
        raise DomainError(_l("This partner is no longer active."), field="email")
    key = normalize_username(address)
    if db.session.scalar(select(User.id).where(User.username == key)) is not None:
        raise DomainError(_l("This e-mail address already has an account."), field="email")
    user = User(username=key, display_name=name, email=address, role=role,
                partner_id=partner.id, active=False,
                password_hash=generate_password_hash(secrets.token_urlsafe(32)))
    db.session.add(user)
    db.session.flush()
    write_audit(partner, "edited", by, changes={"portal_account": (None, f"{name} <{address}>")})
    _queue_invitation(user)
    db.session.commit()
    return user


def is_invited(user: User) -> bool:
    """Invited but the password not set yet (never signed in, still disabled)."""
    return not user.active and user.last_sign_in_at is None


def resend(user: User, by) -> None:
    """A new invitation link for a person who has not set a password; the old link dies."""
    if not user.is_partner or not is_invited(user):
        raise DomainError(_l("This person has already set a password."), field="account")
    user.session_generation += 1
    _queue_invitation(user)
    db.session.commit()


def set_active(user: User, active: bool, by) -> None:
    """Disable (sessions end at once) or enable a partner's portal account."""
    if not user.is_partner:
        raise DomainError(_l("Choose a portal account."), field="account")
    if active and is_invited(user):
        raise DomainError(_l("The person has not set a password yet: send the invitation "
                             "again instead."), field="account")
    if user.active != active:
        user.active = active
        user.session_generation += 1
        write_audit(user, "edited", by, changes={"active": (not active, active)})
        db.session.commit()


def account_for_invite(token: str, now: datetime | None = None) -> User | None:
    """The invited account a link is for, while the link is valid; None when it is wrong,
    expired, replaced by a newer one or already used."""
    now = now or utcnow()
    try:
        data, signed_at = _serializer().loads(token, max_age=invite_days() * 86400,
                                              return_timestamp=True)
    except BadData:
        return None
    if signed_at > now + timedelta(minutes=5):  # a link from the future is not ours
        return None
    if not isinstance(data, dict) or not str(data.get("u", "")).isdigit():
        return None
    user = db.session.get(User, int(data["u"]))
    if (user is None or not user.is_partner or user.session_generation != data.get("g")
            or not is_invited(user)):
        return None
    return user


def accept(token: str, password: str, password_again: str) -> User:
    """Set the invited person's password and enable the account; the link is used up."""
    user = account_for_invite(token)
    if user is None:
        raise DomainError(_l("This invitation link has expired or was already used."),
                          field="token")
    if password != password_again:
        raise DomainError(_l("The two passwords are not the same."), field="password_again")
    check_password_rules(password, user.username)
    user.password_hash = generate_password_hash(password)
    user.active = True
    user.session_generation += 1
    db.session.commit()
    return user
