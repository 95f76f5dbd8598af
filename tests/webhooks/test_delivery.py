"""Delivering webhooks to real HTTPS receivers on 127.0.0.1: signed, retried, logged."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.scheduling.jobs import JOBS, run_job
from shopfloor.webhooks.delivery import deliver_webhooks
from shopfloor.webhooks.models import WebhookDelivery
from shopfloor.webhooks.services import (
    create_endpoint,
    disable_endpoint,
    enqueue_deliveries,
    resend_delivery,
    signing_secret,
)
from shopfloor.webhooks.signing import verify

ALL_EVENTS = ["order.status_changed", "order.at_risk", "shipment.created",
              "return_item.needs_decision"]


@pytest.fixture
def endpoint_for(db_session, manager):
    """endpoint_for(partner, url, events=ALL_EVENTS): an endpoint and its signing secret."""

    def build(partner, url, events=ALL_EVENTS):
        return create_endpoint(partner, url, "ERP", events, manager)

    return build


def publish(partner, event="order.status_changed", data=None, event_id=None) -> str:
    """Queue one event as a service would and commit it; returns the event id."""
    from shopfloor.extensions import db

    event_id = event_id or str(uuid.uuid4())
    enqueue_deliveries(event, partner.id, data or {"order": "ZK-7", "status": "in_production"},
                       event_id=event_id, occurred_at=utcnow())
    db.session.commit()
    return event_id


def deliveries(db_session) -> list[WebhookDelivery]:
    db_session.expire_all()
    return list(db_session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_an_event_arrives_signed_with_the_exact_body_and_is_marked_delivered(
        db_session, make_partner, endpoint_for, receiver):
    partner = make_partner()
    made = endpoint_for(partner, receiver.url())
    event_id = publish(partner, data={"order": "ZK-7", "status": "in_production",
                                      "name": "Mydło łąkowe"})

    run = run_job("webhooks")

    assert run.outcome == "ok" and run.summary.startswith("Delivered 1 webhook(s), 0 failed")
    [request] = receiver.received
    [delivery] = deliveries(db_session)
    assert request.path == "/hooks"
    assert request.body == delivery.payload.encode("utf-8")
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == "Shopfloor-Webhooks/1"
    assert request.headers["Shopfloor-Event"] == "order.status_changed"
    assert request.headers["Shopfloor-Event-Id"] == event_id
    assert request.headers["Shopfloor-Delivery"] == str(delivery.id)
    signature = request.headers["Shopfloor-Signature"]
    assert signature.startswith("t=") and ",v1=" in signature
    assert verify(made.secret, signature, request.body, utcnow())
    assert not verify("whsec_wrong", signature, request.body, utcnow())
    assert not verify(made.secret, signature, request.body + b" ", utcnow())
    assert request.json == {"id": event_id, "type": "order.status_changed",
                            "created_at": request.json["created_at"],
                            "data": {"order": "ZK-7", "status": "in_production",
                                     "name": "Mydło łąkowe"}}
    assert request.json["created_at"].endswith("+00:00")
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None and delivery.last_error is None


def test_a_500_answer_is_retried_after_the_backoff_and_then_delivered(
        db_session, make_partner, endpoint_for, receiver):
    partner = make_partner()
    endpoint_for(partner, receiver.url())
    event_id = publish(partner)
    receiver.answers = [500]
    now = utcnow()

    assert deliver_webhooks(now) == "Delivered 0 webhook(s), 1 failed."
    [delivery] = deliveries(db_session)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert (delivery.response_status, delivery.last_error) == (500, "HTTP 500")
    assert delivery.next_attempt_at == now + timedelta(minutes=1)

    assert deliver_webhooks(now + timedelta(seconds=30)) == "No webhook due."
    assert len(receiver.received) == 1

    deliver_webhooks(now + timedelta(minutes=1))
    [delivery] = deliveries(db_session)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 2, 200)
    assert delivery.last_error is None
    assert [r.headers["Shopfloor-Event-Id"] for r in receiver.received] == [event_id, event_id]


def test_after_the_last_attempt_the_delivery_fails_and_is_not_tried_again(
        db_session, make_partner, endpoint_for, receiver, configure):
    configure({"webhooks.max_attempts": 2})
    partner = make_partner()
    endpoint_for(partner, receiver.url())
    publish(partner)
    receiver.answers = [503, 503, 503]
    now = utcnow()

    deliver_webhooks(now)
    summary = deliver_webhooks(now + timedelta(minutes=1))

    assert summary == "Delivered 0 webhook(s), 1 failed (1 after the last attempt)."
    [delivery] = deliveries(db_session)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 2, "HTTP 503")
    assert deliver_webhooks(now + timedelta(days=1)) == "No webhook due."
    assert len(receiver.received) == 2


def test_a_refused_connection_is_logged_and_retried(db_session, make_partner, endpoint_for,
                                                    closed_port):
    partner = make_partner()
    endpoint_for(partner, f"https://127.0.0.1:{closed_port}/hooks")
    publish(partner)

    deliver_webhooks(utcnow())

    [delivery] = deliveries(db_session)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert (delivery.response_status, delivery.last_error) == (None, "connection refused")


def test_a_receiver_with_an_untrusted_certificate_gets_nothing(
        db_session, make_partner, endpoint_for, untrusted_receiver):
    partner = make_partner()
    endpoint_for(partner, untrusted_receiver.url())
    publish(partner)

    deliver_webhooks(utcnow())

    [delivery] = deliveries(db_session)
    assert delivery.status == "pending" and delivery.response_status is None
    assert delivery.last_error.startswith("TLS certificate not trusted")
    assert untrusted_receiver.received == []


def test_a_receiver_that_never_answers_times_out(db_session, make_partner, endpoint_for,
                                                 silent_port, configure):
    configure({"webhooks.timeout_seconds": 1})
    partner = make_partner()
    endpoint_for(partner, f"https://127.0.0.1:{silent_port}/hooks")
    publish(partner)

    deliver_webhooks(utcnow())

    [delivery] = deliveries(db_session)
    assert (delivery.status, delivery.last_error) == ("pending", "timed out")


def test_a_redirect_is_not_followed(db_session, make_partner, endpoint_for, receiver):
    partner = make_partner()
    endpoint_for(partner, receiver.url())
    publish(partner)
    receiver.answers = [302]

    deliver_webhooks(utcnow())

    [delivery] = deliveries(db_session)
    assert delivery.last_error == "HTTP 302: redirects are not followed"
    assert [r.path for r in receiver.received] == ["/hooks"]


def test_an_address_that_became_private_is_refused_at_delivery(
        db_session, make_partner, endpoint_for, receiver, configure):
    partner = make_partner()
    endpoint_for(partner, receiver.url())  # saved while 127.0.0.1 was allowed
    publish(partner)
    configure({"webhooks.allowed_private_hosts": ""})

    deliver_webhooks(utcnow())

    [delivery] = deliveries(db_session)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error == "address refused: 127.0.0.1"
    assert receiver.received == []


def test_sending_again_makes_a_new_delivery_of_the_same_event(
        db_session, make_partner, endpoint_for, receiver, manager):
    partner = make_partner()
    made = endpoint_for(partner, receiver.url())
    event_id = publish(partner)
    deliver_webhooks(utcnow())
    [first] = deliveries(db_session)

    again = resend_delivery(first, manager)
    assert (again.status, again.resend_of_id, again.event_id) == ("pending", first.id, event_id)
    deliver_webhooks(utcnow())

    assert [d.status for d in deliveries(db_session)] == ["delivered", "delivered"]
    one, two = receiver.received
    assert one.body == two.body
    assert one.headers["Shopfloor-Event-Id"] == two.headers["Shopfloor-Event-Id"] == event_id
    assert (one.headers["Shopfloor-Delivery"], two.headers["Shopfloor-Delivery"]) == (
        str(first.id), str(again.id))
    assert verify(made.secret, two.headers["Shopfloor-Signature"], two.body, utcnow())


def test_a_disabled_endpoint_gets_nothing(db_session, make_partner, endpoint_for, receiver,
                                          manager):
    partner = make_partner()
    made = endpoint_for(partner, receiver.url())
    publish(partner)

    disable_endpoint(made.endpoint, manager)

    [waiting] = deliveries(db_session)
    assert (waiting.status, waiting.last_error) == ("failed", "endpoint disabled")
    publish(partner)
    assert len(deliveries(db_session)) == 1  # nothing queued for a disabled endpoint
    with force_locale("en"), pytest.raises(DomainError, match="enable it first"):
        resend_delivery(waiting, manager)
    assert deliver_webhooks(utcnow()) == "No webhook due."
    assert receiver.received == []


def test_an_endpoint_gets_only_the_events_it_subscribed_to(db_session, make_partner,
                                                           endpoint_for, receiver):
    partner = make_partner()
    endpoint_for(partner, receiver.url(), events=["shipment.created"])

    publish(partner, "order.status_changed")
    shipped = publish(partner, "shipment.created", {"shipment": "WZ/2026/1"})
    deliver_webhooks(utcnow())

    assert [(r.headers["Shopfloor-Event"], r.headers["Shopfloor-Event-Id"])
            for r in receiver.received] == [("shipment.created", shipped)]


def test_a_partners_events_go_only_to_that_partners_endpoints(db_session, two_partners,
                                                              endpoint_for, receiver):
    endpoint_for(two_partners.alfa, receiver.url("/alfa"))
    endpoint_for(two_partners.beta, receiver.url("/beta"))

    publish(two_partners.alfa, data={"order": "ALFA/77"})
    deliver_webhooks(utcnow())

    assert [(r.path, r.json["data"]) for r in receiver.received] == [
        ("/alfa", {"order": "ALFA/77"})]


def test_a_queued_event_belongs_to_the_callers_transaction(db_session, make_partner,
                                                           endpoint_for, receiver):
    partner = make_partner()
    endpoint_for(partner, receiver.url())
    event_id = str(uuid.uuid4())

    assert enqueue_deliveries("order.at_risk", partner.id, {}, event_id=event_id,
                              occurred_at=utcnow()) == 1
    db_session.rollback()  # the change it reported was not saved
    assert deliveries(db_session) == []

    publish(partner, "order.at_risk", event_id=event_id)
    publish(partner, "order.at_risk", event_id=event_id)  # the caller ran twice
    assert len(deliveries(db_session)) == 1


def test_a_rotated_secret_signs_the_next_attempt(db_session, make_partner, endpoint_for,
                                                 receiver, manager):
    from shopfloor.webhooks.services import rotate_secret

    partner = make_partner()
    made = endpoint_for(partner, receiver.url())
    publish(partner)
    rotated = rotate_secret(made.endpoint, manager)
    deliver_webhooks(utcnow())

    [request] = receiver.received
    assert rotated.secret != made.secret
    assert rotated.secret == signing_secret(made.endpoint)
    assert verify(rotated.secret, request.headers["Shopfloor-Signature"], request.body, utcnow())
    assert not verify(made.secret, request.headers["Shopfloor-Signature"], request.body,
                      utcnow())


def test_the_job_runs_every_minute_and_copes_with_nothing_to_do(app, db_session):
    schedule = JOBS["webhooks"].schedule(app.config["SHOPFLOOR"])
    assert (schedule.trigger, dict(schedule.fields)) == ("interval", {"minutes": 1})
    run = run_job("webhooks")
    assert (run.outcome, run.summary) == ("ok", "No webhook due.")


def test_the_cleanup_deletes_deliveries_delivered_over_30_days_ago(db_session, make_partner,
                                                                    endpoint_for, receiver):
    partner = make_partner()
    made = endpoint_for(partner, receiver.url())
    now = utcnow()
    for status, age in (("delivered", 40), ("delivered", 10), ("failed", 40), ("pending", 40)):
        db_session.add(WebhookDelivery(
            endpoint_id=made.endpoint.id, event="order.at_risk", event_id=f"{status}-{age}",
            payload=json.dumps({}), status=status, created_at=now - timedelta(days=age),
            next_attempt_at=now + timedelta(days=1),
            delivered_at=now - timedelta(days=age) if status == "delivered" else None))
    db_session.commit()

    run = run_job("cleanup", now=now)

    # "... Also 1 webhook deliveries delivered more than 30 days ago." (Polish names the days
    # first, so the order of the two numbers differs by language)
    assert run.outcome == "ok" and sorted(re.findall(r"\d+", run.summary)[-2:]) == ["1", "30"]
    db_session.expire_all()
    assert sorted(db_session.scalars(select(WebhookDelivery.event_id))) == [
        "delivered-10", "failed-40", "pending-40"]
    assert db_session.scalar(select(func.count(WebhookDelivery.id))) == 3
