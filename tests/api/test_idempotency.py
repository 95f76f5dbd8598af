"""The Idempotency-Key on every POST under /api/v1: scans replay their first answer too,
two requests racing with one key make one order, every POST documents the header, and the
nightly clean-up forgets keys older than a day."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from shopfloor.api.models import IdempotentRequest
from shopfloor.auth.tokens import create_token
from shopfloor.orders.models import Order
from shopfloor.scanning.models import ScanEvent
from shopfloor.scheduling.cleanup import cleanup
from tests.api.conftest import due

SCANS = "/api/v1/scans/"


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def test_a_scan_sent_twice_with_one_key_is_resolved_and_logged_once(
        api, db_session, make_user, make_batch):
    batch = make_batch()
    secret = create_token(make_user(username="ewa", role="supervisor"), "Scanner",
                          "write").secret
    first = api.post(SCANS, secret, {"raw": batch.code, "station": "Stół 1"}, key="scan-1")
    again = api.post(SCANS, secret, {"raw": batch.code, "station": "Stół 1"}, key="scan-1")
    assert first.status_code == again.status_code == 200
    assert again.get_json() == first.get_json() and first.get_json()["kind"] == "batch"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(db_session, ScanEvent) == 1
    # Without a key every scan counts.
    api.post(SCANS, secret, {"raw": batch.code})
    assert count(db_session, ScanEvent) == 2


def test_two_requests_racing_with_one_key_make_one_order(api, firms, db_session):
    body = {"lines": [{"product_code": "MYD-LAW", "quantity": "5", "due_date": due()}]}
    start = threading.Barrier(2)
    answers = []

    def send():
        start.wait()
        answers.append(api.post("/api/v1/orders/", firms.write, body, key="race"))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(answer.status_code for answer in answers)
    # The loser either waits for nothing (409: still being handled) or gets the replay.
    assert codes in ([201, 201], [201, 409]), [a.get_data(as_text=True) for a in answers]
    assert count(db_session, Order) == 1
    ids = {a.get_json()["id"] for a in answers if a.status_code == 201}
    assert len(ids) == 1


def test_every_post_of_the_api_documents_the_idempotency_key(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    posts = {path: ops["post"] for path, ops in document["paths"].items() if "post" in ops}
    assert {"/api/v1/orders/", "/api/v1/scans/"} <= set(posts)
    for path, operation in posts.items():
        names = [p.get("name") for p in operation.get("parameters", [])]
        assert "Idempotency-Key" in names, path
        assert "409" in operation["responses"], path


def test_the_nightly_clean_up_forgets_keys_older_than_a_day(db_session, firms):
    now = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    for key, age in (("old", timedelta(hours=25)), ("fresh", timedelta(hours=23))):
        db_session.add(IdempotentRequest(user_id=firms.orderer.id, key=key, method="POST",
                                         path="/api/v1/orders/", request_hash="0" * 64,
                                         status_code=201, response_body="{}",
                                         created_at=now - age))
    db_session.commit()
    cleanup(now)
    assert list(db_session.scalars(select(IdempotentRequest.key))) == ["fresh"]
