"""``Idempotency-Key`` on the API's POSTs: a client that did not hear the answer sends the
same request again with the same key, and gets the first answer instead of a second order.

- The first request with a key claims it: a row (account, key, method, path, a hash of the
  body) is inserted before the work starts. The unique (account, key) constraint makes the
  claim safe between concurrent requests: the loser of the race gets IntegrityError.
- A successful answer (status below 400) is stored with the row; the same account sending
  the same key, method, path and body again gets that status and body back, marked
  ``Idempotent-Replayed: true``, and nothing is done again.
- An error answer frees the key: nothing was changed, so the client may correct the request
  and send it again with the same key.
- The same key with another method, path or body: 422. The same key while the first request
  is still being handled: 409, try again in a moment.
- Keys are 1 to 255 visible ASCII characters, one namespace per account; they are kept at
  least 24 hours (the nightly clean-up removes older ones).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from functools import wraps

from flask import Response, current_app, request
from flask_babel import gettext as _
from flask_smorest import Blueprint
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict

from shopfloor.api.common import acting_user, unprocessable
from shopfloor.api.models import IdempotentRequest
from shopfloor.extensions import db

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
KEEP_FOR = timedelta(hours=24)

PARAMETER = {
    "in": "header", "name": HEADER, "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH,
               "pattern": "^[!-~]+$"},
    "description": "Any unique string (a UUID, say), at most 255 visible ASCII characters. "
                   "Sending the same request again with the same key returns the first "
                   "successful answer (with the header Idempotent-Replayed: true) instead of "
                   "doing the work twice. The same key with a different request is refused "
                   "(422); while the first request is still being handled, 409. An error "
                   "answer frees the key. Keys are kept at least 24 hours."}
RESPONSES = {
    "409": {"description": "A request with this Idempotency-Key is still being handled"},
    "422": {"description": "The request or its Idempotency-Key was refused"},
}


def _valid_key(raw: str) -> str:
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not all("!" <= ch <= "~" for ch in key):
        unprocessable(_("The Idempotency-Key header was refused."),
                      {HEADER: [_("Use 1 to %(n)s visible ASCII characters, e.g. a UUID.",
                                  n=MAX_KEY_LENGTH)]}, location="headers")
    return key


def request_fingerprint() -> str:
    """SHA-256 of the request's body, JSON compared by meaning (key order and spacing do not
    matter), raw bytes otherwise."""
    raw = request.get_data(cache=True)
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, RecursionError):
        body = raw
    return hashlib.sha256(body).hexdigest()


def _replay(earlier: IdempotentRequest) -> Response:
    response = Response(earlier.response_body or "", status=earlier.status_code,
                        mimetype="application/json")
    response.headers[REPLAYED_HEADER] = "true"
    if earlier.status_code == 201:
        # Only the body is kept: a created resource's address is its "url".
        try:
            url = json.loads(earlier.response_body or "{}").get("url")
        except (ValueError, AttributeError):
            url = None
        if isinstance(url, str):
            response.headers["Location"] = url
    return response


def _claim(user_id: int, key: str, fingerprint: str) -> int | Response:
    """Claim ``key`` for this request (the new row's id), or the answer when it is taken."""
    path = request.path[:200]
    row = IdempotentRequest(user_id=user_id, key=key, method=request.method, path=path,
                            request_hash=fingerprint)
    db.session.add(row)
    try:
        db.session.commit()
        return row.id
    except IntegrityError:
        db.session.rollback()
    earlier = db.session.scalar(select(IdempotentRequest).where(
        IdempotentRequest.user_id == user_id, IdempotentRequest.key == key))
    if earlier is not None and (earlier.method, earlier.path, earlier.request_hash) != (
            request.method, path, fingerprint):
        unprocessable(_("This Idempotency-Key was used for a different request. Use a new "
                        "key for a new request."),
                      {HEADER: [_("Used for a different request.")]}, location="headers")
    if earlier is None or earlier.status_code is None:
        raise Conflict(_("A request with this Idempotency-Key is still being handled. Try "
                         "again in a moment."))
    return _replay(earlier)


def _finish(row_id: int, response: Response | None) -> None:
    """Keep a successful answer with its key; free the key after an error."""
    db.session.rollback()  # whatever the failed work left behind is not the answer
    if response is not None and response.status_code < 400:
        db.session.execute(update(IdempotentRequest).where(IdempotentRequest.id == row_id)
                           .values(status_code=response.status_code,
                                   response_body=response.get_data(as_text=True)))
    else:
        db.session.execute(delete(IdempotentRequest).where(IdempotentRequest.id == row_id))
    db.session.commit()


def idempotent(view):
    """Decorate an API POST method (outermost, above flask-smorest's decorators): honour an
    ``Idempotency-Key`` header as the module describes, and document the header."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        raw_key = request.headers.get(HEADER)
        user = acting_user()
        if raw_key is None or not user.is_authenticated:
            return view(*args, **kwargs)
        claim = _claim(user.id, _valid_key(raw_key), request_fingerprint())
        if isinstance(claim, Response):
            return claim
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except BaseException:
            _finish(claim, None)
            raise
        _finish(claim, response)
        return response

    return Blueprint.doc(parameters=[PARAMETER], responses=RESPONSES)(wrapper)


def forget_old_keys(now: datetime) -> int:
    """Delete the keys older than 24 hours (no commit: the clean-up job's transaction);
    returns how many."""
    return db.session.execute(
        delete(IdempotentRequest).where(IdempotentRequest.created_at < now - KEEP_FOR)
        .execution_options(synchronize_session=False)).rowcount
