"""Partners' portal accounts: the manager's invitation, the link that sets a password (once,
until it expires or is replaced), disabling, and where a partner's account may go."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shopfloor.auth.models import User
from shopfloor.notifications.models import OutboxEmail
from tests.portal.conftest import PASSWORD as PORTAL_PASSWORD

PASSWORD = "hasło partnera 2026"


@pytest.fixture
def mail_on(app, monkeypatch):
    """E-mail configured (the outbox keeps what would go; nothing is sent in these tests)."""
    from dataclasses import replace

    original = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(
        original, values={**original.values, "smtp.host": "127.0.0.1"}))


def invite(client, partner, name="Jan Nowak", email="jan@hurtownia.example",
           role="partner_viewer"):
    return client.submit(f"/partners/{partner.id}/portal-accounts",
                         {"name": name, "email": email, "role": role},
                         page=f"/partners/{partner.id}")


def link_in_outbox(db_session, email="jan@hurtownia.example") -> str:
    db_session.expire_all()
    mail = db_session.scalars(select(OutboxEmail).where(OutboxEmail.recipient == email)
                              .order_by(OutboxEmail.id.desc())).first()
    return re.search(r"(/welcome/\S+)", mail.body).group(1)


def test_the_invited_person_sets_a_password_once_and_lands_in_the_portal(
        db_session, signed_in, make_partner, mail_on, app):
    partner = make_partner(name="Hurtownia Nowak")
    client = signed_in("manager")
    assert invite(client, partner).status_code == 302
    page = client.get(f"/partners/{partner.id}").get_data(as_text=True)
    assert "Jan Nowak" in page and "Zaproszona, bez hasła" in page
    link = link_in_outbox(db_session)
    assert link.startswith("/welcome/")

    visitor = app.test_client()
    welcome = visitor.get(link).get_data(as_text=True)
    assert "Hurtownia Nowak" in welcome and "jan@hurtownia.example" in welcome
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', welcome).group(1)
    refused = visitor.post(link, data={"csrf_token": token, "password": PASSWORD,
                                       "password_again": PASSWORD + "x"})
    assert refused.status_code == 422
    assert "Hasła nie są takie same" in refused.get_data(as_text=True)

    accepted = visitor.post(link, data={"csrf_token": token, "password": PASSWORD,
                                        "password_again": PASSWORD})
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith("/portal/")
    user = db_session.scalar(select(User).where(User.username == "jan@hurtownia.example"))
    assert user.active and user.partner_id == partner.id and user.role == "partner_viewer"

    again = app.test_client().get(link)
    assert again.status_code == 404
    assert "Link z zaproszeniem nie działa" in again.get_data(as_text=True)


def test_a_new_invitation_makes_the_old_link_useless(db_session, signed_in, make_partner,
                                                     mail_on, app):
    partner = make_partner()
    client = signed_in("manager")
    invite(client, partner)
    first = link_in_outbox(db_session)
    user = db_session.scalar(select(User).where(User.username == "jan@hurtownia.example"))
    client.submit(f"/portal-accounts/{user.id}/resend", {}, page=f"/partners/{partner.id}")
    second = link_in_outbox(db_session)

    assert first != second
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200


def test_an_expired_link_does_not_work(db_session, signed_in, make_partner, mail_on, app,
                                       monkeypatch):
    partner = make_partner()
    invite(signed_in("manager"), partner)
    link = link_in_outbox(db_session)
    later = time.time() + 8 * 86400  # the default lifetime is 7 days
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)

    assert app.test_client().get(link).status_code == 404


def test_with_e_mail_off_the_manager_gets_the_link_to_hand_over(db_session, signed_in,
                                                                  make_partner):
    partner = make_partner()
    client = signed_in("manager")
    invite(client, partner)
    page = client.get(f"/partners/{partner.id}").get_data(as_text=True)
    assert "/welcome/" in page
    assert db_session.scalar(select(OutboxEmail.id)) is None


@pytest.mark.parametrize(("name", "email", "message"), [
    ("", "jan@hurtownia.example", "Wpisz imię i nazwisko osoby"),
    ("Jan", "jan(at)hurtownia", "To nie wygląda na adres e-mail"),
    ("Jan", "", "Wpisz adres e-mail osoby"),
])
def test_a_bad_invitation_is_refused_next_to_its_field(db_session, signed_in, make_partner,
                                                       name, email, message):
    partner = make_partner()
    response = invite(signed_in("manager"), partner, name=name, email=email)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db_session.scalar(select(User.id).where(User.partner_id == partner.id)) is None


def test_an_e_mail_address_gets_one_account(db_session, signed_in, make_partner):
    first, second = make_partner(), make_partner()
    client = signed_in("manager")
    invite(client, first)
    response = invite(client, second, email="JAN@hurtownia.example")
    assert response.status_code == 422
    assert "Ten adres e-mail ma już konto" in response.get_data(as_text=True)


def test_only_the_manager_invites(db_session, signed_in, make_partner):
    partner = make_partner()
    response = invite(signed_in("supervisor"), partner)
    assert response.status_code == 403


def test_a_partner_account_lands_in_the_portal_and_cannot_open_staff_pages(
        db_session, client, make_partner, make_partner_user):
    partner = make_partner()
    make_partner_user(partner, "ola@firma.example", role="partner_orderer")
    response = client.submit("/sign-in", {"username": "OLA@firma.example",
                                          "password": PORTAL_PASSWORD, "next": "/orders/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/portal/")
    assert client.get("/").headers["Location"].endswith("/portal/")
    for page in ("/orders/", f"/partners/{partner.id}", "/planning/day", "/jobs"):
        assert client.get(page).status_code == 403, page


def test_disabling_ends_the_partner_session_and_sign_in(db_session, signed_in, make_partner,
                                                        make_partner_user, sign_in_as):
    partner = make_partner()
    user = make_partner_user(partner, "ola@firma.example")
    manager_client = signed_in("manager")
    partner_client = sign_in_as(user)
    manager_client.submit(f"/portal-accounts/{user.id}/disable", {},
                          page=f"/partners/{partner.id}")

    assert "/sign-in" in partner_client.get("/").headers["Location"]
    page = manager_client.get(f"/partners/{partner.id}").get_data(as_text=True)
    assert "Wyłączone" in page


def test_the_database_keeps_partner_roles_and_partners_together(db_session, make_partner):
    from werkzeug.security import generate_password_hash

    db_session.add(User(username="x@firma.example", display_name="X", role="partner_viewer",
                        password_hash=generate_password_hash(PASSWORD)))
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()
    db_session.add(User(username="boss2", display_name="B", role="manager",
                        partner_id=make_partner().id,
                        password_hash=generate_password_hash(PASSWORD)))
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()
