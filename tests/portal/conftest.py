"""Portal fixtures: partner accounts (made directly, as the invitation flow is tested on its
own), two partner firms with an order each, and a client signed in as a partner's person."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash

from tests.conftest import FormClient

PASSWORD = "partner password 42"


@pytest.fixture
def make_partner_user(db_session):
    """make_partner_user(partner, email, role="partner_viewer", language="en")."""
    from shopfloor.auth.models import User

    def build(partner, email: str, role: str = "partner_viewer", language: str | None = "en",
              display_name: str = ""):
        user = User(username=email, display_name=display_name or email.split("@")[0].title(),
                    password_hash=generate_password_hash(PASSWORD), role=role,
                    partner_id=partner.id, email=email, language=language)
        db_session.add(user)
        db_session.commit()
        return user

    return build


@pytest.fixture
def sign_in_as(app):
    """sign_in_as(user): a fresh browser-like client signed in through /sign-in."""

    def sign_in(user, password: str = PASSWORD) -> FormClient:
        client = FormClient(app.test_client())
        response = client.sign_in(user.username, password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in


@pytest.fixture
def two_partners(make_partner, make_product, make_order, make_partner_user):
    """Partner A (Alfa Kosmetyki) and B (Beta Hotele), each with one order and a person."""
    alfa = make_partner(name="Alfa Kosmetyki Sp. z o.o.")
    beta = make_partner(name="Beta Hotele S.A.")
    soap = make_product(line="soap", code="MYD-LAW", standard_minutes="3")
    alfa_order = make_order(partner=alfa, product=soap, quantity="200", reference="ALFA/77")
    beta_order = make_order(partner=beta, product=soap, quantity="50", reference="BETA/12")
    return SimpleNamespace(
        alfa=alfa, beta=beta, soap=soap, alfa_order=alfa_order, beta_order=beta_order,
        alfa_user=make_partner_user(alfa, "ola@alfa.example"),
        beta_user=make_partner_user(beta, "bartek@beta.example"))
