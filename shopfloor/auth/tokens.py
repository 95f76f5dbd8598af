"""API tokens: created by their owner (staff or a partner's account), shown once, kept as a
SHA-256 hash, named, read or write, revocable, with the time of last use; sent as
``Authorization: Bearer <token>`` to ``/api/``, where they sign the request in as their owner,
limited to ``api.rate_limit_per_minute`` requests a minute per token.

The secret has 256 random bits, so a plain SHA-256 is the right hash: nothing to guess, and a
lookup by hash stays one indexed query.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select, update

from shopfloor.auth.models import ApiToken, Role, TokenScope, User
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db

SECRET_PREFIX = "sft_"  # noqa: S105 - not a secret: makes a leaked token recognisable
NAME_MAX = 80
TOKENS_PER_ACCOUNT = 20


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user: User) -> list[ApiToken]:
    """The account's tokens, newest first (revoked ones too, marked)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def scopes_for(user: User) -> tuple[str, ...]:
    """The scopes an account may give its tokens: a partner who only sees orders reads."""
    if user.role == Role.PARTNER_VIEWER.value:
        return (TokenScope.READ.value,)
    return (TokenScope.READ.value, TokenScope.WRITE.value)


@dataclass(frozen=True)
class NewToken:
    """A token just created and its secret, which is never shown again."""

    token: ApiToken
    secret: str


def create_token(user: User, name: str, scope: str) -> NewToken:
    """Create a token for ``user``; the secret is returned once and only its hash kept."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Name the token, e.g. after the system that will use it."),
                          field="name")
    if len(name) > NAME_MAX:
        raise DomainError(_l("Use at most %(n)s characters.", n=NAME_MAX), field="name")
    if scope not in scopes_for(user):
        raise DomainError(_l("Choose what the token may do from the list."), field="scope")
    active = db.session.scalar(select(func.count(ApiToken.id)).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    if active >= TOKENS_PER_ACCOUNT:
        raise DomainError(_l("An account may have %(n)s tokens at most: revoke one you no "
                             "longer use.", n=TOKENS_PER_ACCOUNT), field="name")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, scope=scope, prefix=secret[:12],
                     secret_hash=_hash(secret))
    db.session.add(token)
    db.session.commit()
    return NewToken(token, secret)


def revoke_token(user: User, token_id) -> ApiToken | None:
    """Revoke one of the account's own tokens; None when it is not one of theirs."""
    token = (db.session.scalar(select(ApiToken).where(
        ApiToken.id == int(token_id), ApiToken.user_id == user.id))
        if str(token_id).isdigit() else None)
    if token is None:
        return None
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


@dataclass(frozen=True)
class BearerResult:
    """What a bearer token came to: its owner and token, or why it is refused."""

    user: User | None = None
    token: ApiToken | None = None
    limited: bool = False


def authenticate_bearer(secret: str, now: datetime | None = None) -> BearerResult:
    """The owner of a valid, unrevoked token of an enabled account, counting the request in
    the token's minute (``limited`` once the minute's allowance is used up)."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return BearerResult()
    token = db.session.scalar(select(ApiToken).where(ApiToken.secret_hash == _hash(secret)))
    if token is None or token.revoked_at is not None:
        return BearerResult()
    user = db.session.get(User, token.user_id)
    if user is None or not user.active:
        return BearerResult()
    now = now or utcnow()
    minute = now.replace(second=0, microsecond=0)
    same_minute = ApiToken.window_start == minute
    # One guarded UPDATE: concurrent requests of one token each count once.
    count = db.session.execute(
        update(ApiToken).where(ApiToken.id == token.id)
        .values(window_count=case((same_minute, ApiToken.window_count + 1), else_=1),
                window_start=minute, last_used_at=now)
        .returning(ApiToken.window_count)).scalar_one()
    db.session.commit()
    limit = current_app.config["SHOPFLOOR"]["api.rate_limit_per_minute"]
    return BearerResult(user=user, token=token, limited=count > limit)
