"""The orders API with bearer tokens: a partner's token sees its own firm's orders only
(another firm's order is 404), staff see all; filters, pagination, ETag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from shopfloor.auth.tokens import create_token


@pytest.fixture
def firms(db_session, make_partner, make_order, make_partner_user):
    """Two partner firms with two and one orders, and a read token of a person of each."""
    a, b = make_partner(name="Firma A"), make_partner(name="Firma B")
    orders = {"a1": make_order(partner=a, reference="A-1"),
              "a2": make_order(partner=a, reference="A-2"),
              "b1": make_order(partner=b, reference="B-1")}
    secrets = {}
    for firm, key in ((a, "a"), (b, "b")):
        user = make_partner_user(firm, f"{key}@firma.example")
        secrets[key] = create_token(user, "ERP", "read").secret
    return orders, secrets


def get(app, path, secret, **headers):
    return app.test_client().get(path, headers={"Authorization": f"Bearer {secret}",
                                                **headers})


def test_a_partner_lists_only_its_own_orders(app, firms):
    orders, secrets = firms
    response = get(app, "/api/v1/orders/", secrets["a"])
    assert response.status_code == 200
    codes = {row["code"] for row in response.get_json()}
    assert codes == {orders["a1"].code, orders["a2"].code}
    assert '"total": 2' in response.headers["X-Pagination"]


def test_another_firm_s_order_is_not_found(app, firms):
    orders, secrets = firms
    for order_id in (orders["b1"].id, orders["b1"].id + 1000, 0):
        response = get(app, f"/api/v1/orders/{order_id}", secrets["a"])
        assert response.status_code == 404
        assert orders["b1"].code not in response.get_data(as_text=True)
        assert "Firma B" not in response.get_data(as_text=True)
    own = get(app, f"/api/v1/orders/{orders['a1'].id}", secrets["a"])
    assert own.status_code == 200 and own.get_json()["partner_reference"] == "A-1"
    assert own.get_json()["lines"][0]["quantity"] == "100.000"


def test_staff_tokens_see_every_firm_s_orders(app, firms, make_user):
    orders, _secrets = firms
    staff = make_user(username="ewa", role="manager")
    secret = create_token(staff, "BI", "read").secret
    codes = {row["code"] for row in get(app, "/api/v1/orders/", secret).get_json()}
    assert codes == {o.code for o in orders.values()}


def test_filters_by_status_and_by_last_change(app, db_session, firms):
    orders, secrets = firms
    orders["a2"].status = "cancelled"
    orders["a2"].cancel_reason = "test"
    db_session.commit()
    cancelled = get(app, "/api/v1/orders/?status=cancelled", secrets["a"]).get_json()
    assert [row["code"] for row in cancelled] == [orders["a2"].code]

    later = quote((datetime.now(UTC) + timedelta(minutes=5)).isoformat())
    assert get(app, f"/api/v1/orders/?updated_since={later}", secrets["a"]).get_json() == []
    earlier = quote((datetime.now(UTC) - timedelta(minutes=5)).isoformat())
    assert len(get(app, f"/api/v1/orders/?updated_since={earlier}", secrets["a"]).get_json()) == 2


def test_a_bad_filter_is_refused_naming_the_field(app, firms):
    _orders, secrets = firms
    response = get(app, "/api/v1/orders/?status=lost", secrets["a"])
    assert response.status_code == 422
    assert "status" in response.get_json()["error"]["errors"]["query"]


def test_pages_and_etags(app, firms):
    orders, secrets = firms
    first = get(app, "/api/v1/orders/?page=1&page_size=1", secrets["a"])
    second = get(app, "/api/v1/orders/?page=2&page_size=1", secrets["a"])
    assert len(first.get_json()) == len(second.get_json()) == 1
    assert first.get_json()[0]["code"] != second.get_json()[0]["code"]

    detail = f"/api/v1/orders/{orders['a1'].id}"
    etag = get(app, detail, secrets["a"]).headers["ETag"]
    again = get(app, detail, secrets["a"], **{"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""


def test_the_orders_api_needs_a_token_or_a_session(app, firms):
    assert app.test_client().get("/api/v1/orders/").status_code == 401
