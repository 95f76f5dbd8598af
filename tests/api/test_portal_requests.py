"""The portal's order-request form: a partner's person who may order asks for an order, which
becomes a draft for the manager to confirm (and says so in the office); mistakes are shown
next to the field with nothing lost; people who only read get 403 and see no link."""

from __future__ import annotations

import re

from sqlalchemy import select

from shopfloor.notifications.models import Notification
from shopfloor.orders.models import Order
from tests.api.conftest import due

PAGE = "/portal/orders/request"


def row(n: int, product=None, quantity="", due_date="") -> dict:
    return {f"lines-{n}-product_id": str(product.id) if product else "",
            f"lines-{n}-quantity": quantity, f"lines-{n}-due_date": due_date}


def error_next_to(html: str, field_id: str) -> str:
    """The message shown under one field ("" when there is none)."""
    match = re.search(rf'id="{field_id}-error">([^<]*)<', html)
    return match.group(1) if match else ""


def orders(db_session) -> list[Order]:
    return list(db_session.scalars(select(Order)))


def test_an_orderer_requests_an_order_and_sees_it_as_being_reviewed(
        firms, sign_in_as, db_session):
    client = sign_in_as(firms.orderer)
    listing = client.get("/portal/").get_data(as_text=True)
    assert f'href="{PAGE}"' in listing and "Request an order" in listing
    form = client.get(PAGE).get_data(as_text=True)
    # The firm's own products, and only those: Beta's and the harness line's are not offered.
    assert "MYD-LAW" in form and "MYD-ALFA" in form
    assert "MYD-BETA" not in form and "WIAZKA-1" not in form

    response = client.submit(PAGE, {
        "partner_reference": "ALFA/2026/9", "notes": "Gate 2, please",
        **row(0, firms.soap, "1 250,5", due(10)), **row(1), **row(2, firms.alfa_only, "40",
                                                                    due(21))})
    [order] = orders(db_session)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/portal/orders/{order.id}"
    assert (order.status, order.source, order.requested_by_id) == (
        "draft", "portal", firms.orderer.id)
    assert order.partner_id == firms.alfa.id and order.partner_reference == "ALFA/2026/9"
    assert [(line.product.code, str(line.quantity)) for line in order.lines] == [
        ("MYD-LAW", "1250.500"), ("MYD-ALFA", "40.000")]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your request was sent; the cooperative will confirm it." in page
    assert "Being reviewed" in page


def test_the_managers_are_told_and_the_office_shows_who_requested(
        firms, sign_in_as, db_session, client, manager):
    sign_in_as(firms.orderer).submit(PAGE, {**row(0, firms.soap, "100", due())})
    [order] = orders(db_session)
    messages = db_session.scalars(select(Notification)).all()
    assert {m.user_id for m in messages} == {manager.id, firms.boss.id}
    mine = next(m for m in messages if m.user_id == firms.boss.id)
    assert "Ola Nowak sent the request in the portal" in mine.body
    assert mine.link == f"/orders/{order.id}"

    client.sign_in("marta", "correct horse battery")
    office = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Requested by" in office and "Ola Nowak in the portal" in office
    assert "Check the lines, then confirm the order." in office


def test_mistakes_are_shown_next_to_the_field_and_nothing_typed_is_lost(
        firms, sign_in_as, db_session):
    client = sign_in_as(firms.orderer)
    response = client.submit(PAGE, {
        "partner_reference": "ALFA/KEEP", "notes": "keep me",
        **row(0, firms.soap, "12", due(-1)),  # in the past
        **row(1, firms.beta_only, "5", due()),  # Beta's product, sent by hand
        **row(2, firms.soap, "-3", "not a date")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and orders(db_session) == []
    assert "past" in error_next_to(html, "lines-0-due_date")
    assert error_next_to(html, "lines-1-product_id")
    assert error_next_to(html, "lines-2-quantity") and error_next_to(html, "lines-2-due_date")
    assert not error_next_to(html, "lines-0-quantity")
    assert 'value="ALFA/KEEP"' in html and "keep me</textarea>" in html
    assert 'value="12"' in html and f'value="{due(-1)}"' in html and 'value="-3"' in html


def test_a_control_character_in_the_text_is_shown_next_to_the_field(
        firms, sign_in_as, db_session):
    response = sign_in_as(firms.orderer).submit(PAGE, {
        "partner_reference": "PO\x001", "notes": "ok", **row(0, firms.soap, "1", due())})
    assert response.status_code == 422 and orders(db_session) == []
    assert "control character" in error_next_to(response.get_data(as_text=True),
                                                 "partner_reference")


def test_an_empty_request_says_to_add_a_line(firms, sign_in_as, db_session):
    response = sign_in_as(firms.orderer).submit(PAGE, {"partner_reference": "X", **row(0)})
    assert response.status_code == 422 and orders(db_session) == []
    assert "Add at least one line." in error_next_to(response.get_data(as_text=True), "lines")


def test_more_rows_come_without_sending_and_keep_what_was_typed(
        firms, sign_in_as, db_session):
    client = sign_in_as(firms.orderer)
    first = client.get(PAGE).get_data(as_text=True)
    assert len(re.findall(r'name="lines-\d+-quantity"', first)) == 3
    response = client.submit(PAGE, {"more": "More rows", **row(0, firms.soap, "7", due()),
                                    **row(1), **row(2)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and orders(db_session) == []
    assert len(re.findall(r'name="lines-\d+-quantity"', html)) == 6
    assert 'value="7"' in html and "field-error" not in html


def test_people_who_only_read_and_staff_cannot_request(firms, sign_in_as, signed_in,
                                                        db_session):
    viewer = sign_in_as(firms.viewer)
    assert PAGE not in viewer.get("/portal/").get_data(as_text=True)
    assert viewer.get(PAGE).status_code == 403
    # Even a well-formed form (its CSRF token taken from another page) is refused.
    sent = viewer.submit(PAGE, {**row(0, firms.soap, "1", due())}, page="/api-tokens")
    assert sent.status_code == 403 and orders(db_session) == []
    assert signed_in("supervisor").get(PAGE).status_code == 403


def test_the_form_needs_its_csrf_token(firms, sign_in_as, db_session):
    client = sign_in_as(firms.orderer)
    response = client.client.post(PAGE, data={**row(0, firms.soap, "1", due())})
    assert response.status_code == 400 and orders(db_session) == []
