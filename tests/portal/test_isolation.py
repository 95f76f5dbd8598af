"""Partner isolation (issue 7, point 3): partner B's person tries every portal page and the
status link on partner A's order and shipment, by id, by code and by guessing, and gets 404
with nothing of A's in the page; staff and partners stay out of each other's pages."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from shopfloor.codes import format_code
from tests.planning.test_forecast_services import NOW
from tests.shipping.test_shipments import finished_batch, ship  # noqa: F401 (fixture)


@pytest.fixture
def alfa_shipped(two_partners, finished_batch, manager):  # noqa: F811
    """Partner A's order with a finished batch and a shipment."""
    _order, batch = finished_batch(order=two_partners.alfa_order, good="100", quantity="100")
    two_partners.alfa_shipment = ship(two_partners.alfa_order, batch, "40", manager)
    return two_partners


def assert_nothing_of_alfa(response, data):
    """A 404 page that names nothing of partner A's."""
    assert response.status_code == 404, response.request.path
    body = response.get_data(as_text=True)
    order = data.alfa_order
    for secret in (order.code, format_code(order.code), data.alfa.name, "ALFA/77",
                   data.alfa_shipment.number if hasattr(data, "alfa_shipment") else "ALFA/77"):
        assert secret not in body, (response.request.path, secret)


def test_partner_b_gets_404_for_everything_of_partner_a(alfa_shipped, sign_in_as):
    data = alfa_shipped
    beta = sign_in_as(data.beta_user)
    order_id, shipment_id = data.alfa_order.id, data.alfa_shipment.id
    # B's own order opens: the refusals below are about whose order it is.
    assert beta.get(f"/portal/orders/{data.beta_order.id}").status_code == 200

    assert_nothing_of_alfa(beta.get(f"/portal/orders/{order_id}"), data)
    assert_nothing_of_alfa(beta.get(f"/portal/shipments/{shipment_id}/wz.pdf"), data)
    assert_nothing_of_alfa(beta.submit(f"/portal/orders/{order_id}/share", {},
                                       page="/portal/"), data)


@pytest.mark.parametrize("guess", ["next", "2147483647", "2147483648", "999999999999",
                                   "9" * 40, "0", "-1", "abc", "1e3", "%C2%B2", " 1"])
def test_guessed_ids_get_404_and_nothing_else(alfa_shipped, sign_in_as, guess):
    data = alfa_shipped
    if guess == "next":
        guess = str(max(data.alfa_order.id, data.beta_order.id) + 1)
    beta = sign_in_as(data.beta_user)
    assert_nothing_of_alfa(beta.get(f"/portal/orders/{guess}"), data)
    assert_nothing_of_alfa(beta.get(f"/portal/shipments/{guess}/wz.pdf"), data)
    assert_nothing_of_alfa(beta.submit(f"/portal/orders/{guess}/share", {}, page="/portal/"),
                           data)


def test_searching_for_partner_as_code_or_number_finds_nothing(alfa_shipped, sign_in_as):
    data = alfa_shipped
    beta = sign_in_as(data.beta_user)
    for term in (format_code(data.alfa_order.code), data.alfa_order.code.lower(), "ALFA/77",
                 "ALFA", "%"):
        page = beta.get("/portal/", query_string={"q": term})
        assert page.status_code == 200
        body = page.get_data(as_text=True)
        # What was typed comes back in the search box; the table has no row of A's.
        table = re.search(r"<tbody>(.*?)</tbody>", body, re.S).group(1)
        assert " ".join(re.sub(r"<[^>]+>", " ", table).split()) == "No orders match.", term
        assert data.alfa.name not in body and str(data.alfa_order.id) not in table, term
    # "%" is a character to look for, not a wildcard; B's own order has none.
    own = beta.get("/portal/", query_string={"q": "BETA"}).get_data(as_text=True)
    assert "BETA/12" in own


def test_staff_accounts_get_403_in_the_portal(alfa_shipped, signed_in):
    data = alfa_shipped
    for role in ("manager", "supervisor"):
        client = signed_in(role)
        for path in ("/portal/", f"/portal/orders/{data.alfa_order.id}",
                     f"/portal/shipments/{data.alfa_shipment.id}/wz.pdf"):
            assert client.get(path).status_code == 403, (role, path)
        client.client.post("/sign-out", data={"csrf_token": client.token("/")})


def test_partner_accounts_get_403_on_staff_pages(alfa_shipped, sign_in_as):
    data = alfa_shipped
    for user in (data.alfa_user, data.beta_user):
        client = sign_in_as(user)
        for path in ("/orders/", "/planning", f"/orders/{data.alfa_order.id}",
                     "/shipments/", f"/shipments/{data.alfa_shipment.id}/wz.pdf",
                     "/partners/", "/batches/"):
            response = client.get(path)
            assert response.status_code == 403, (user.username, path)
            assert "ALFA/77" not in response.get_data(as_text=True)


def test_an_orderer_account_uses_the_portal_too(two_partners, make_partner_user, sign_in_as):
    orderer = make_partner_user(two_partners.alfa, "zamawia@alfa.example",
                                role="partner_orderer")
    page = sign_in_as(orderer).get("/portal/")
    assert page.status_code == 200 and "ALFA/77" in page.get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(two_partners, app):
    response = app.test_client().get(f"/portal/orders/{two_partners.alfa_order.id}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


# ------------------------------------------------------------------ status links

def status_page(app, token: str):
    return app.test_client().get(f"/status/{token}", headers={"Accept-Language": "en"})


def test_a_tampered_or_made_up_status_link_gets_404_saying_so(two_partners, app):
    from shopfloor.portal.links import issue_status_link

    token, _link = issue_status_link(two_partners.alfa_order, NOW)
    payload, stamp, signature = token.split(".")
    other = issue_status_link(two_partners.beta_order, NOW)[0].split(".")[0]
    for bad in (f"{other}.{stamp}.{signature}",
                f"{payload}.{stamp}.{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}"
                f"{signature[-1]}",
                payload, "nonsense", "a.b.c"):
        response = status_page(app, bad)
        assert response.status_code == 404, bad
        body = response.get_data(as_text=True)
        assert "This status link is not valid." in body
        assert format_code(two_partners.alfa_order.code) not in body
        assert format_code(two_partners.beta_order.code) not in body


def test_an_expired_status_link_gets_404_saying_it_expired(two_partners, app):
    from shopfloor.database import utcnow
    from shopfloor.portal.links import issue_status_link, lifetime

    old = utcnow() - lifetime()
    token, _link = issue_status_link(two_partners.alfa_order, old)
    response = status_page(app, token)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "This status link has expired." in body
    assert format_code(two_partners.alfa_order.code) not in body
    assert two_partners.alfa.name not in body


def test_a_link_of_partner_a_never_shows_another_order(two_partners, app):
    from shopfloor.database import utcnow
    from shopfloor.portal.links import issue_status_link

    # Even a correctly signed link naming partner A with B's order id opens nothing.
    mixed = SimpleNamespace(id=two_partners.beta_order.id, partner_id=two_partners.alfa.id)
    token, _link = issue_status_link(mixed, utcnow())
    response = status_page(app, token)
    assert response.status_code == 404
    assert "BETA/12" not in response.get_data(as_text=True)

    own, _link = issue_status_link(two_partners.alfa_order, utcnow())
    body = status_page(app, own).get_data(as_text=True)
    assert format_code(two_partners.alfa_order.code) in body
    assert format_code(two_partners.beta_order.code) not in body
    assert two_partners.beta.name not in body
