"""API fixtures: two partner firms with people who order and who only read, their tokens,
products of each kind (for anyone, made for one firm, from a line the firm does not order),
and a small client that sends bearer-token requests."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from shopfloor.auth.tokens import create_token
from shopfloor.timeutil import local_today
from tests.portal.conftest import make_partner_user, sign_in_as  # noqa: F401 (fixtures)


class Api:
    """Bearer-token calls to the API, as a partner's system makes them."""

    def __init__(self, app):
        self.app = app

    def call(self, method: str, path: str, secret: str, **kwargs):
        headers = {"Authorization": f"Bearer {secret}", **kwargs.pop("headers", {})}
        return self.app.test_client().open(path, method=method, headers=headers, **kwargs)

    def get(self, path, secret, **headers):
        return self.call("GET", path, secret, headers=headers)

    def post(self, path, secret, body, key: str | None = None, **headers):
        if key is not None:
            headers["Idempotency-Key"] = key
        return self.call("POST", path, secret, json=body, headers=headers)


@pytest.fixture
def api(app):
    """Api(app): get(path, secret, **headers), post(path, secret, body, key=None)."""
    return Api(app)


def due(days: int = 14) -> str:
    """A due date ``days`` from today (Warsaw), as the API writes it."""
    return (local_today() + timedelta(days=days)).isoformat()


@pytest.fixture
def firms(db_session, make_partner, make_product, make_partner_user, make_user):  # noqa: F811
    """Alfa (soap) and Beta (soap, harness), an orderer and a viewer at Alfa, an orderer at
    Beta, a manager; write tokens for the orderers and the manager, a read token for
    Alfa's orderer and Alfa's viewer."""
    alfa = make_partner(name="Alfa Kosmetyki", lines=["soap"])
    beta = make_partner(name="Beta Hotele", lines=["soap", "harness"])
    soap = make_product(line="soap", code="MYD-LAW")
    alfa_only = make_product(line="soap", code="MYD-ALFA", partner_id=alfa.id)
    beta_only = make_product(line="soap", code="MYD-BETA", partner_id=beta.id)
    harness = make_product(line="harness", code="WIAZKA-1")
    orderer = make_partner_user(alfa, "ola@alfa.example", role="partner_orderer",
                                display_name="Ola Nowak")
    viewer = make_partner_user(alfa, "piotr@alfa.example")
    beta_orderer = make_partner_user(beta, "bartek@beta.example", role="partner_orderer")
    boss = make_user(username="marta", role="manager", display_name="Marta Kowalska",
                     language="en")
    return SimpleNamespace(
        alfa=alfa, beta=beta, soap=soap, alfa_only=alfa_only, beta_only=beta_only,
        harness=harness, orderer=orderer, viewer=viewer, beta_orderer=beta_orderer, boss=boss,
        write=create_token(orderer, "ERP", "write").secret,
        read=create_token(orderer, "BI", "read").secret,
        viewer_read=create_token(viewer, "BI", "read").secret,
        beta_write=create_token(beta_orderer, "ERP", "write").secret,
        staff_write=create_token(boss, "Office", "write").secret)
