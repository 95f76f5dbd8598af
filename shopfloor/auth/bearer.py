"""API requests signed in by a bearer token instead of a session cookie.

Only under ``/api/``: the token signs the request in as its owner (Flask-Login's request
loader), a read-only token may not change anything, and a token over its minute's allowance
is answered 429 with Retry-After. Such requests skip the CSRF check, which protects cookies:
a browser never sends an Authorization header by itself.
"""

from __future__ import annotations

from flask import abort, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from shopfloor.auth.models import TokenScope
from shopfloor.extensions import csrf

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _bearer_secret() -> str | None:
    if not request.path.startswith("/api/"):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def authenticate_request() -> None:
    """before_request, first of all: check the bearer token of an API request and remember
    its owner for the request loader; refuse an over-limit token (429) and a read-only one
    asked to change something (403). Messages stay lazy: translating here would load the
    current user before the owner is known."""
    from shopfloor.auth.tokens import authenticate_bearer

    secret = _bearer_secret()
    if secret is None:
        return
    result = authenticate_bearer(secret)
    if result.user is None:
        return  # the view's role check answers 401
    if result.limited:
        raise TooManyRequests(_l("This token made too many requests this minute. Wait a "
                                 "minute and try again."), retry_after=60)
    if result.token.scope == TokenScope.READ.value and request.method not in SAFE_METHODS:
        abort(403, description=_l("This token may only read. Create a token that may also "
                                  "change things."))
    g.api_token = result.token
    g.bearer_user = result.user


def load_user_from_request(_request):
    """Flask-Login request loader: the owner of the request's valid bearer token."""
    return g.get("bearer_user")


def csrf_unless_bearer() -> None:
    """before_request: the CSRF check for everything but bearer-token API calls. An API call
    with neither a token nor a session is left to the view, which answers 401."""
    if request.method in SAFE_METHODS or _bearer_secret() is not None:
        return
    if request.path.startswith("/api/") and not current_user.is_authenticated:
        return
    csrf.protect()
