"""Partner events: what a partner's portal people are told by e-mail when something happens to
the partner's orders (a status change by hand or from production and shipping, a shipment,
a new deadline alert), who is told (only the partner's own active people who want it, each
in their language, once per event), and the JSON data every event carries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, select

from shopfloor.codes import format_code
from shopfloor.notifications.models import NotificationPreference, OutboxEmail
from shopfloor.orders.services import change_order_status
from tests.conftest import TODAY
from tests.shipping.test_shipments import finished_batch, ship  # noqa: F401 (fixture)

NOW = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # Monday, 07:00 in Warsaw


@pytest.fixture
def mail_on(app, monkeypatch):
    """E-mail configured (nothing is sent: the outbox keeps what would go)."""
    current = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(
        current, values={**current.values, "smtp.host": "127.0.0.1"}))


@pytest.fixture
def people(db_session, two_partners, make_partner_user):
    """Alfa's people: Ola (English, from two_partners), Kasia (Polish, may order), Olek who
    switched off status and shipment e-mails, Gosia whose account is disabled; Beta's Bartek."""
    alfa = two_partners.alfa
    kasia = make_partner_user(alfa, "kasia@alfa.example", role="partner_orderer", language="pl")
    olek = make_partner_user(alfa, "olek@alfa.example")
    for event in ("order.status_changed", "shipment.created"):
        db_session.add(NotificationPreference(user_id=olek.id, event=event, email=False))
    gosia = make_partner_user(alfa, "gosia@alfa.example")
    gosia.active = False
    db_session.commit()
    return SimpleNamespace(**vars(two_partners), ola=two_partners.alfa_user, kasia=kasia,
                           olek=olek, gosia=gosia, bartek=two_partners.beta_user)


def outbox(db_session) -> dict[str, list[OutboxEmail]]:
    """Queued mail by recipient."""
    db_session.expire_all()
    mails: dict[str, list[OutboxEmail]] = {}
    for mail in db_session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)):
        mails.setdefault(mail.recipient, []).append(mail)
    return mails


def empty_outbox(db_session) -> None:
    db_session.execute(delete(OutboxEmail))
    db_session.commit()


def base_url(app) -> str:
    return app.config["SHOPFLOOR"]["public_base_url"]


# ------------------------------------------------------------------ status changes


def test_confirming_a_draft_mails_the_partners_people_who_want_it_in_their_language(
        app, db_session, people, make_order, manager, mail_on):
    draft = make_order(partner=people.alfa, product=people.soap, status="draft",
                       reference="ALFA/90")
    assert outbox(db_session) == {}  # a draft being recorded is not a change of status

    change_order_status(draft, "confirmed", manager)

    mails = outbox(db_session)
    # Not Olek (switched off), not Gosia (disabled), not Bartek (another partner).
    assert set(mails) == {"ola@alfa.example", "kasia@alfa.example"}
    code = format_code(draft.code)
    english, polish = mails["ola@alfa.example"], mails["kasia@alfa.example"]
    assert [m.subject for m in english] == [f"Order {code} (your reference ALFA/90): Confirmed"]
    assert [m.subject for m in polish] == [
        f"Zamówienie {code} (Państwa numer ALFA/90): Potwierdzone"]
    body = english[0].body
    assert body.startswith("Hello, Ola")
    assert f"Order {code} has changed from “Being reviewed” to “Confirmed”." in body
    assert f"{base_url(app)}/portal/orders/{draft.id}" in body
    assert f"{base_url(app)}/portal/preferences" in body  # where to switch it off


def test_batches_moving_an_order_into_production_mail_its_people(
        app, db_session, people, make_batch, make_lot, manager, mail_on):
    from shopfloor.production.services import consume_lot, move_batch

    order = people.alfa_order
    batch = make_batch(order_line=order.lines[0], quantity="100", releasable=True)
    consume_lot(batch, make_lot(), Decimal(1), manager, TODAY)
    assert outbox(db_session) == {}  # a planned batch moves nothing
    move_batch(batch, "released", manager)

    assert order.status == "in_production"
    mails = outbox(db_session)
    assert set(mails) == {"ola@alfa.example", "kasia@alfa.example"}
    assert mails["ola@alfa.example"][0].subject.endswith(": In production")
    assert mails["kasia@alfa.example"][0].subject.endswith(": W produkcji")


def test_cancelling_an_order_mails_its_people_and_nobody_elses(
        app, db_session, people, manager, mail_on):
    change_order_status(people.beta_order, "cancelled", manager, reason="no longer needed")

    mails = outbox(db_session)
    assert set(mails) == {"bartek@beta.example"}
    assert mails["bartek@beta.example"][0].subject == (
        f"Order {format_code(people.beta_order.code)} (your reference BETA/12): Cancelled")


def test_a_status_change_is_queued_for_the_partners_subscribed_webhook_endpoints(
        app, db_session, people, manager):
    import json

    from shopfloor.webhooks.models import WebhookDelivery, WebhookEndpoint

    def endpoint(partner, events: str) -> WebhookEndpoint:
        row = WebhookEndpoint(partner_id=partner.id, url="https://erp.example/hooks",
                              events=events, secret_salt="salt")
        db_session.add(row)
        return row

    subscribed = endpoint(people.alfa, "order.status_changed shipment.created")
    endpoint(people.alfa, "shipment.created")  # not this event
    endpoint(people.beta, "order.status_changed")  # another partner
    db_session.commit()

    change_order_status(people.alfa_order, "cancelled", manager, reason="no longer needed")

    deliveries = list(db_session.scalars(select(WebhookDelivery)))
    assert [(d.endpoint_id, d.event) for d in deliveries] == [
        (subscribed.id, "order.status_changed")]
    payload = json.loads(deliveries[0].payload)
    assert payload["data"]["order"]["id"] == people.alfa_order.id
    assert payload["data"]["order"]["status"] == "cancelled"
    assert payload["data"]["order"]["previous_status"] == "confirmed"


def test_nothing_is_queued_while_email_is_off(app, db_session, people, manager):
    change_order_status(people.alfa_order, "cancelled", manager, reason="no longer needed")
    assert outbox(db_session) == {}


# ------------------------------------------------------------------ shipments


def test_a_shipment_mails_the_shipment_with_its_delivery_note(
        app, db_session, people, finished_batch, manager, mail_on):  # noqa: F811
    order = people.alfa_order
    _order, batch = finished_batch(order=order, good="120", quantity="200")
    empty_outbox(db_session)

    shipment = ship(order, batch, "40", manager)

    mails = outbox(db_session)
    code = format_code(order.code)
    shipped = [m for m in mails["ola@alfa.example"] if "shipment" in m.subject]
    assert [m.subject for m in shipped] == [
        f"Order {code}: shipment {shipment.number} is on its way"]
    body = shipped[0].body
    assert f"with delivery note {shipment.number}:" in body
    assert f"- {people.soap.name} (MYD-LAW): 40 pcs" in body
    assert f"{base_url(app)}/portal/shipments/{shipment.id}/wz.pdf" in body
    # The order also moved to partly shipped; Olek wants neither kind of e-mail.
    assert any(m.subject.endswith(": Partly shipped") for m in mails["ola@alfa.example"])
    assert "olek@alfa.example" not in mails and "bartek@beta.example" not in mails


# ------------------------------------------------------------------ deadline alerts


def _forecast(db_session, order, risk: str, projected: date | None) -> None:
    from shopfloor.planning.models import LineForecast

    line = order.lines[0]
    db_session.merge(LineForecast(order_line_id=line.id, remaining_minutes=Decimal(600),
                                  projected_on=projected, slack_days=2, risk=risk,
                                  computed_at=NOW))
    db_session.commit()


def _alerts(app) -> None:
    from shopfloor.planning.services import deadline_alerts

    with app.test_request_context():
        deadline_alerts(NOW)


@pytest.fixture
def published(monkeypatch) -> list[tuple[str, int]]:
    """(event, order id) of every event published from now on."""
    from shopfloor.portal import events

    seen: list[tuple[str, int]] = []
    real = events.publish

    def spy(event, partner_id, data, **kwargs):
        seen.append((str(event), data["order"]["id"]))
        return real(event, partner_id, data, **kwargs)

    monkeypatch.setattr(events, "publish", spy)
    return seen


def test_deadline_alerts_tell_the_partner_once_per_new_alert(
        app, db_session, people, make_order, manager, mail_on, published):
    due = people.alfa_order.lines[0].due_date
    at_risk, late = people.alfa_order, make_order(partner=people.alfa, product=people.soap,
                                                 reference="ALFA/91")
    _forecast(db_session, at_risk, "at_risk", due - timedelta(days=1))
    _forecast(db_session, late, "late", due + timedelta(days=3))
    empty_outbox(db_session)
    published.clear()  # confirming the second order was an event of its own

    _alerts(app)
    _alerts(app)  # the job runs again: nothing new to say

    assert published == [("order.at_risk", at_risk.id), ("order.at_risk", late.id)]
    mails = outbox(db_session)
    assert set(mails) == {"ola@alfa.example", "kasia@alfa.example", "olek@alfa.example"}
    risky, later = format_code(at_risk.code), format_code(late.code)
    assert [m.subject for m in mails["ola@alfa.example"]] == [
        f"Order {risky} may be late", f"Order {later} will be late"]
    assert [m.subject for m in mails["kasia@alfa.example"]] == [
        f"Zamówienie {risky} może nie zdążyć na termin",
        f"Zamówienie {later} nie zdąży na termin"]
    assert ("is due December 11, 2026. We expect to finish it on December 14, 2026, which "
            "is after the due date.") in mails["ola@alfa.example"][1].body

    # The at-risk order gets worse: a new alert, told once more.
    _forecast(db_session, at_risk, "late", due + timedelta(days=2))
    _alerts(app)
    _alerts(app)
    assert published[2:] == [("order.at_risk", at_risk.id)]
    subjects = [m.subject for m in outbox(db_session)["ola@alfa.example"]]
    assert subjects[2:] == [f"Order {risky} will be late"]


def test_an_alert_published_again_with_the_same_event_id_is_mailed_once(
        app, db_session, people, mail_on):
    from shopfloor.portal.events import order_data, publish

    for _run in range(2):
        publish("order.at_risk", people.alfa.id,
                {"order": {**order_data(people.alfa_order)["order"], "risk": "at_risk",
                           "expected_on": "2026-12-10", "due_date": "2026-12-11"}},
                event_id="3f2a7c1e-0000-4000-8000-000000000001")
        db_session.commit()
    assert {email: len(m) for email, m in outbox(db_session).items()} == {
        "ola@alfa.example": 1, "kasia@alfa.example": 1, "olek@alfa.example": 1}


# ------------------------------------------------------------------ the data


def test_order_data_has_the_documented_shape(app, db_session, people):
    from shopfloor.portal.events import at_risk_data, order_data, status_changed_data

    order = people.alfa_order
    expected = {"id": order.id, "code": order.code, "partner_reference": "ALFA/77",
                "status": "confirmed", "earliest_due": "2026-12-11",
                "url": f"/api/v1/orders/{order.id}",
                "portal_url": f"{base_url(app)}/portal/orders/{order.id}"}
    assert order_data(order) == {"order": expected}
    assert status_changed_data(order, "draft") == {
        "order": {**expected, "previous_status": "draft"}}
    assert at_risk_data(order, "late", None, date(2026, 12, 11)) == {
        "order": {**expected, "risk": "late", "expected_on": None,
                  "due_date": "2026-12-11"}}


def test_shipment_data_adds_up_the_batches_of_a_line(
        app, db_session, people, finished_batch, manager):  # noqa: F811
    from shopfloor.portal.events import shipment_data
    from shopfloor.shipping.services import ShipmentLineData, create_shipment

    order = people.alfa_order
    _order, first = finished_batch(order=order, good="60", quantity="100")
    _order, second = finished_batch(order=order, good="60", quantity="100")
    line = order.lines[0]
    shipment = create_shipment(order, TODAY, [
        ShipmentLineData(line.id, first.id, Decimal("50")),
        ShipmentLineData(line.id, second.id, Decimal("12.5"))], manager)

    assert shipment_data(shipment) == {"shipment": {
        "id": shipment.id, "number": "WZ/2026/0001", "shipped_on": "2026-11-27",
        "order": {"id": order.id, "code": order.code, "partner_reference": "ALFA/77"},
        "lines": [{"line_no": 1, "product_code": "MYD-LAW", "product_name": people.soap.name,
                   "unit": "pcs", "quantity": "62.5"}],
        "delivery_note_url": f"{base_url(app)}/portal/shipments/{shipment.id}/wz.pdf"}}


def test_an_unknown_event_is_refused(app, db_session, people):
    from shopfloor.portal.events import publish

    with pytest.raises(ValueError):
        publish("order.exploded", people.alfa.id, {})
