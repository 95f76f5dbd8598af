"""The portal's e-mail preferences page: a partner's person (either role) chooses which news
of the partner's orders they get by e-mail; the choice is kept and obeyed (event e-mails,
the weekly status e-mail); staff have no such page; the form is CSRF-protected."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from shopfloor.notifications.models import NotificationPreference, OutboxEmail

# Monday 30 November 2026, 08:00 in Warsaw: ISO week 2026-W49.
NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
FIELDS = ("order_status_changed", "order_at_risk", "shipment_created",
          "return_item_needs_decision", "recall_issued", "weekly_digest")


@pytest.fixture
def mail_on(app, monkeypatch):
    """E-mail configured (nothing is sent: the outbox keeps what would go)."""
    current = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(
        current, values={**current.values, "smtp.host": "127.0.0.1"}))


def ticked(page: str) -> dict[str, bool]:
    """Each checkbox of the page: whether it is ticked."""
    states = {}
    for name in FIELDS:
        tag = re.search(rf'<input[^>]*id="{name}"[^>]*>', page).group(0)
        assert 'type="checkbox"' in tag
        states[name] = " checked" in tag
    return states


def choices(db_session, user) -> dict[str, bool]:
    db_session.expire_all()
    return dict(db_session.execute(
        select(NotificationPreference.event, NotificationPreference.email)
        .where(NotificationPreference.user_id == user.id)).all())


def test_the_page_shows_the_defaults_in_plain_words(two_partners, sign_in_as):
    page = sign_in_as(two_partners.alfa_user).get("/portal/preferences").get_data(as_text=True)
    for label in ("An order changes status", "An order may be late", "A shipment leaves us",
                  "A returned item needs your decision"):
        assert label in page
    assert "ola@alfa.example" in page  # where the e-mails go
    assert ticked(page) == {**dict.fromkeys(FIELDS, True), "weekly_digest": False}
    assert 'href="/portal/preferences"' in page  # the "Notifications" item of the menu
    assert ">Notifications<" in page


def test_saving_keeps_the_choices_and_shows_them_again(two_partners, sign_in_as, db_session):
    user = two_partners.alfa_user
    client = sign_in_as(user)
    response = client.submit("/portal/preferences", {
        "order_at_risk": "y", "shipment_created": "y", "weekly_digest": "y"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your e-mail choices are saved." in page
    assert ticked(page) == {"order_status_changed": False, "order_at_risk": True,
                            "shipment_created": True, "return_item_needs_decision": False,
                            "recall_issued": False, "weekly_digest": True}
    assert choices(db_session, user) == {
        "order.status_changed": False, "order.at_risk": True, "shipment.created": True,
        "return_item.needs_decision": False, "recall.issued": False, "weekly_digest": True}
    # Another person of the same firm keeps their own (default) choices.
    page = sign_in_as(two_partners.beta_user).get("/portal/preferences").get_data(as_text=True)
    assert ticked(page)["order_status_changed"] is True


def test_a_person_who_may_order_sets_their_own_choices_too(
        two_partners, sign_in_as, make_partner_user, db_session):
    orderer = make_partner_user(two_partners.alfa, "zosia@alfa.example",
                                role="partner_orderer")
    response = sign_in_as(orderer).submit("/portal/preferences", {"order_at_risk": "y"})
    assert response.status_code == 302
    assert choices(db_session, orderer)["order.at_risk"] is True
    assert choices(db_session, orderer)["shipment.created"] is False
    assert choices(db_session, two_partners.alfa_user) == {}


def test_a_choice_made_on_the_page_is_obeyed(two_partners, sign_in_as, make_partner_user,
                                             db_session, manager, mail_on):
    from shopfloor.orders.services import change_order_status

    colleague = make_partner_user(two_partners.alfa, "ewa@alfa.example")
    sign_in_as(two_partners.alfa_user).submit("/portal/preferences", {"order_at_risk": "y"})
    change_order_status(two_partners.alfa_order, "cancelled", manager, reason="test")
    db_session.expire_all()
    assert [m.recipient for m in db_session.scalars(select(OutboxEmail))] == [colleague.email]


def test_the_weekly_status_email_goes_to_people_who_asked_for_it_in_their_language(
        app, two_partners, sign_in_as, make_partner_user, db_session, mail_on):
    from shopfloor.scheduling.jobs import run_job

    make_partner_user(two_partners.alfa, "ewa@alfa.example")  # did not ask
    sign_in_as(two_partners.alfa_user).submit("/portal/preferences", {"weekly_digest": "y"})
    assert run_job("partner_digests", now=NOW).outcome == "ok"
    assert run_job("partner_digests", now=NOW).outcome == "ok"  # once a week only

    db_session.expire_all()
    mails = {m.recipient: m for m in db_session.scalars(select(OutboxEmail))}
    # Ola, and the partners' contacts ticked on the partner form (c1@, c2@ by make_partner).
    assert "ola@alfa.example" in mails and "ewa@alfa.example" not in mails
    mail = mails["ola@alfa.example"]
    assert len(list(db_session.scalars(select(OutboxEmail).where(
        OutboxEmail.recipient == "ola@alfa.example")))) == 1
    assert mail.dedupe_key == f"partner-digest:user:{two_partners.alfa_user.id}:2026-W49"
    assert "the status of your orders, week 49/2026" in mail.subject  # English, as Ola reads
    assert "ALFA/77" in mail.body and "BETA/12" not in mail.body
    assert "/portal/preferences" in mail.body  # where to switch it off


def test_staff_have_no_preferences_page(signed_in):
    client = signed_in("manager")
    assert client.get("/portal/preferences").status_code == 403
    posted = client.submit("/portal/preferences", {"weekly_digest": "y"}, page="/account")
    assert posted.status_code == 403


def test_the_form_is_protected_against_cross_site_posts(two_partners, sign_in_as,
                                                        db_session):
    client = sign_in_as(two_partners.alfa_user)
    page = client.get("/portal/preferences").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    response = client.client.post("/portal/preferences", data={"weekly_digest": "y"})
    assert response.status_code == 400
    assert choices(db_session, two_partners.alfa_user) == {}
