"""State changes of staff accounts: sign-in with attempt limits, creation, passwords, language."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import format_time
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from shopfloor.auth.models import STAFF_ROLE_VALUES, SignInAttempt, User
from shopfloor.auth.throttle import locked_until
from shopfloor.config import LANGUAGES
from shopfloor.database import utcnow
from shopfloor.errors import ConflictError, DomainError
from shopfloor.extensions import db

MIN_PASSWORD_LENGTH = 10
# Checked against when the user name is unknown, so both answers take as long.
_DUMMY_HASH = generate_password_hash("not a real password, only for timing")
ATTEMPT_RETENTION = timedelta(days=1)


class SignInRefused(DomainError):
    """Wrong name or password, a disabled account, or too many attempts."""

    def __init__(self, message: str, retry_at: datetime | None = None):
        super().__init__(message)
        self.retry_at = retry_at


@dataclass(frozen=True)
class SignInLimits:
    """How many failures an account name and a network address may have in a window."""

    per_account: int
    per_address: int
    window: timedelta

    @classmethod
    def from_config(cls) -> SignInLimits:
        """Read the limits from the app's configuration."""
        settings = current_app.config["SHOPFLOOR"]
        return cls(settings["security.sign_in_attempts_per_account"],
                   settings["security.sign_in_attempts_per_address"],
                   timedelta(minutes=settings["security.sign_in_window_minutes"]))


def normalize_username(username: str) -> str:
    """User names are compared without case and surrounding spaces."""
    return username.strip().lower()


def _failures_since(column, key: str, since: datetime) -> list[datetime]:
    return list(db.session.scalars(
        select(SignInAttempt.attempted_at)
        .where(column == key, SignInAttempt.succeeded.is_(False),
               SignInAttempt.attempted_at > since)
    ))


def sign_in_locked_until(username: str, address: str, now: datetime,
                         limits: SignInLimits) -> datetime | None:
    """When this account name or address may try again, or None if it may try now."""
    key = normalize_username(username)
    window_start = now - limits.window
    last_success = db.session.scalar(
        select(func.max(SignInAttempt.attempted_at))
        .where(SignInAttempt.username_key == key, SignInAttempt.succeeded.is_(True))
    )
    account_since = max(window_start, last_success) if last_success else window_start
    locks = [
        locked_until(_failures_since(SignInAttempt.username_key, key, account_since),
                     limits.per_account, limits.window, now),
        locked_until(_failures_since(SignInAttempt.address, address, window_start),
                     limits.per_address, limits.window, now),
    ]
    locks = [t for t in locks if t is not None]
    return max(locks) if locks else None


def authenticate(username: str, password: str, address: str,
                 now: datetime | None = None, limits: SignInLimits | None = None) -> User:
    """Check a sign-in and record the attempt; raise SignInRefused with a message to show.

    An unknown name and a wrong password get the same answer, and take as long.
    """
    now = now or utcnow()
    limits = limits or SignInLimits.from_config()
    key = normalize_username(username)[:64]
    address = (address or "unknown")[:64]

    retry_at = sign_in_locked_until(key, address, now, limits)
    if retry_at is not None:
        minutes = max(1, math.ceil((retry_at - now).total_seconds() / 60))
        raise SignInRefused(
            _l("Too many failed sign-in attempts. Try again at %(time)s (in %(minutes)s min).",
               time=format_time(retry_at, "HH:mm"), minutes=minutes),
            retry_at,
        )

    user = db.session.scalar(select(User).where(User.username == key))
    password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    succeeded = bool(user and password_ok and user.active)

    db.session.execute(delete(SignInAttempt).where(
        SignInAttempt.attempted_at < now - ATTEMPT_RETENTION))
    db.session.add(SignInAttempt(username_key=key, address=address, succeeded=succeeded,
                                 attempted_at=now))
    if succeeded:
        user.last_sign_in_at = now
        user.last_sign_in_address = address
        db.session.commit()
        return user
    db.session.commit()
    if user and password_ok and not user.active:
        raise SignInRefused(_l("This account is disabled. Ask the manager to enable it."))
    raise SignInRefused(_l("Wrong user name or password."))


def check_password_rules(password: str, username: str) -> None:
    """Refuse a password that is too short or is the user name itself."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _l("The password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            field="password")
    if normalize_username(password) == normalize_username(username):
        raise DomainError(_l("The password must not be the user name."), field="password")


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_email(email: str | None) -> str | None:
    """An e-mail address as stored (None when left empty); refused when it cannot be one."""
    email = (email or "").strip()
    if not email:
        return None
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise DomainError(_l("This does not look like an e-mail address."), field="email")
    return email


def create_user(username: str, password: str, role: str, display_name: str = "",
                language: str | None = None, email: str | None = None) -> User:
    """Create a staff account with a hashed password."""
    key = normalize_username(username)
    if not key or len(key) > 64 or not all(c.isalnum() or c in "._-" for c in key):
        raise DomainError(_l("Use 1 to 64 letters, digits, dots, dashes or underscores."),
                          field="username")
    if role not in STAFF_ROLE_VALUES:
        raise DomainError(_l("Choose a role from the list."), field="role")
    if language is not None and language not in LANGUAGES:
        raise DomainError(_l("Choose a language from the list."), field="language")
    if db.session.scalar(select(User.id).where(User.username == key)) is not None:
        raise DomainError(_l("This user name is taken."), field="username")
    check_password_rules(password, key)
    user = User(username=key, display_name=display_name.strip() or key,
                password_hash=generate_password_hash(password), role=role, language=language,
                email=clean_email(email))
    db.session.add(user)
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """A user changes their own password; other sessions of the account end."""
    if not check_password_hash(user.password_hash, current_password):
        raise DomainError(_l("The current password is wrong."), field="current_password")
    check_password_rules(new_password, user.username)
    user.password_hash = generate_password_hash(new_password)
    user.session_generation += 1
    db.session.commit()


def set_language(user: User, language: str | None) -> None:
    """Store the interface language a user chose (None: follow the browser)."""
    if language is not None and language not in LANGUAGES:
        raise DomainError(_l("Choose a language from the list."), field="language")
    user.language = language
    db.session.commit()


def update_user(user: User, *, display_name: str, role: str, active: bool,
                acting_user: User, new_password: str = "", email: str | None = None,
                expected_version: int | str | None = None) -> None:
    """A manager edits a staff account; disabling it or setting a password ends its sessions.

    ``expected_version`` is the version the form was built from: if someone saved the
    account since, ConflictError asks the manager to reload instead of overwriting.
    """
    if expected_version not in (None, "") and str(expected_version) != str(user.version):
        raise ConflictError(_l("Someone else changed this account while you were editing it. "
                               "Reload the page to see their changes, then try again."))
    if role not in STAFF_ROLE_VALUES:
        raise DomainError(_l("Choose a role from the list."), field="role")
    if user.id == acting_user.id and (not active or role != user.role):
        raise DomainError(
            _l("You cannot disable your own account or change your own role."),
            field="role" if active else "active")
    if new_password:
        check_password_rules(new_password, user.username)
        user.password_hash = generate_password_hash(new_password)
    if new_password or (user.active and not active):
        user.session_generation += 1
    user.email = clean_email(email)
    user.display_name = display_name.strip() or user.username
    user.role = role
    user.active = active
    db.session.commit()


def load_user_from_session(session_id: str) -> User | None:
    """Flask-Login loader: the account of ``id:generation`` if it is still valid."""
    try:
        user_id, generation = (int(part) for part in session_id.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_generation != generation or not user.active:
        return None
    return user
