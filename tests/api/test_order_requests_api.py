"""POST /api/v1/orders: a partner's system requests an order; it becomes a draft of the
token owner's firm for the manager to confirm. Refused input is named by field; only write
tokens of people who may order get through; the Idempotency-Key makes a retry safe."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shopfloor.api.models import IdempotentRequest
from shopfloor.auth.tokens import create_token, scopes_for
from shopfloor.codes import format_code
from shopfloor.errors import DomainError
from shopfloor.notifications.models import Notification
from shopfloor.orders.models import Order
from tests.api.conftest import due

ORDERS = "/api/v1/orders/"


def body(*lines, reference="PO-2026-118", notes=""):
    return {"partner_reference": reference, "notes": notes,
            "lines": list(lines) or [{"product_code": "MYD-LAW", "quantity": "250",
                                      "due_date": due()}]}


def order_count(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Order))


def refused_fields(response) -> dict:
    assert response.status_code == 422, response.get_data(as_text=True)
    return response.get_json()["error"]["errors"]["json"]


def test_a_request_becomes_a_draft_of_the_firm_and_the_managers_hear_of_it(
        api, firms, db_session):
    response = api.post(ORDERS, firms.write, body(
        {"product_code": "MYD-LAW", "quantity": "250", "due_date": due(20)},
        {"product_code": "MYD-ALFA", "quantity": 12.5, "due_date": due(30), "notes": "blue"},
        notes="Deliver to gate 2"))
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert response.headers["Location"] == created["url"] == f"/api/v1/orders/{created['id']}"
    assert created["status"] == "draft" and created["partner_id"] == firms.alfa.id
    assert created["partner_reference"] == "PO-2026-118"
    assert [(line["product_code"], line["quantity"]) for line in created["lines"]] == [
        ("MYD-LAW", "250.000"), ("MYD-ALFA", "12.500")]

    order = db_session.get(Order, created["id"])
    assert (order.source, order.requested_by_id) == ("api", firms.orderer.id)
    assert order.notes == "Deliver to gate 2" and order.lines[1].notes == "blue"
    # The order reads back through the API like any other.
    assert api.get(response.headers["Location"], firms.read).get_json()["code"] == order.code
    # Every manager gets a message (the one who signs in as "marta" reads English).
    message = db_session.scalar(select(Notification).where(
        Notification.user_id == firms.boss.id))
    assert message.subject == (f"Alfa Kosmetyki requested order {format_code(order.code)} "
                               "— confirm it")
    assert "Ola Nowak sent the request through the API" in message.body
    assert message.link == f"/orders/{order.id}"
    assert db_session.scalar(select(func.count()).select_from(Notification)) == 2


def test_the_same_idempotency_key_gives_the_first_answer_and_one_order(
        api, firms, db_session):
    first = api.post(ORDERS, firms.write, body(), key="erp-7f1c")
    # The same request again, its JSON keys in another order: the same request.
    again = api.post(ORDERS, firms.write, dict(reversed(list(body().items()))), key="erp-7f1c")
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Location"] == first.headers["Location"]
    assert order_count(db_session) == 1
    assert db_session.scalar(select(func.count()).select_from(Notification)) == 2

    # Keys belong to one account: Beta's system may use the same string.
    beta = api.post(ORDERS, firms.beta_write, body(), key="erp-7f1c")
    assert beta.status_code == 201 and beta.get_json()["id"] != first.get_json()["id"]
    # A new key is a new request.
    assert api.post(ORDERS, firms.write, body(), key="erp-7f1d").status_code == 201
    assert order_count(db_session) == 3


def test_the_same_key_with_another_request_is_refused(api, firms, db_session):
    assert api.post(ORDERS, firms.write, body(), key="k-1").status_code == 201
    other = api.post(ORDERS, firms.write, body(reference="PO-OTHER"), key="k-1")
    assert other.status_code == 422
    error = other.get_json()["error"]
    assert "different request" in error["message"]
    assert "Idempotency-Key" in error["errors"]["headers"]
    assert order_count(db_session) == 1


def test_a_key_still_being_handled_answers_409(api, firms, db_session):
    first = api.post(ORDERS, firms.write, body(), key="slow")
    row = db_session.scalar(select(IdempotentRequest))
    row.status_code, row.response_body = None, None  # as if the first were still running
    db_session.commit()
    again = api.post(ORDERS, firms.write, body(), key="slow")
    assert first.status_code == 201 and again.status_code == 409
    assert "still being handled" in again.get_json()["error"]["message"]
    assert order_count(db_session) == 1


def test_an_error_frees_the_key_for_the_corrected_request(api, firms, db_session):
    wrong = api.post(ORDERS, firms.write, body(
        {"product_code": "MYD-LAW", "quantity": "0", "due_date": due()}), key="fix-me")
    assert "lines.0.quantity" in refused_fields(wrong)
    right = api.post(ORDERS, firms.write, body(), key="fix-me")
    assert right.status_code == 201 and order_count(db_session) == 1


def test_unusable_idempotency_keys_are_refused_naming_the_header(api, firms, db_session):
    for key in ("x" * 256, "with space", "zażółć"):
        response = api.call("POST", ORDERS, firms.write, json=body(),
                            headers={"Idempotency-Key": key.encode().decode("latin-1")})
        assert response.status_code == 422, key
        assert "Idempotency-Key" in response.get_json()["error"]["errors"]["headers"]
    assert api.post(ORDERS, firms.write, body(), key="x" * 255).status_code == 201
    assert order_count(db_session) == 1


def test_refused_values_are_named_by_field(api, firms, db_session):
    missing = refused_fields(api.post(ORDERS, firms.write, {"lines": [{"quantity": "1"}]}))
    assert {"lines.0.product_code", "lines.0.due_date"} <= set(missing)
    assert "lines" in refused_fields(api.post(ORDERS, firms.write, {"lines": []}))
    assert "lines" in refused_fields(api.post(ORDERS, firms.write, {"partner_reference": "x"}))
    bad = refused_fields(api.post(ORDERS, firms.write, body(
        {"product_code": "MYD-LAW", "quantity": "dużo", "due_date": "2026-02-30"})))
    assert {"lines.0.quantity", "lines.0.due_date"} <= set(bad)
    assert "unknown" in refused_fields(api.post(ORDERS, firms.write, {**body(), "unknown": 1}))
    assert order_count(db_session) == 0


def test_the_order_rules_are_named_by_line_and_field(api, firms, db_session):
    response = api.post(ORDERS, firms.write, body(
        {"product_code": "MYD-LAW", "quantity": "5", "due_date": due()},
        {"product_code": "MYD-BETA", "quantity": "5", "due_date": due()},  # Beta's own
        {"product_code": "WIAZKA-1", "quantity": "5", "due_date": due()},  # line not ordered
        {"product_code": "NO-SUCH", "quantity": "5", "due_date": due()},
        {"product_code": "MYD-LAW", "quantity": "-2", "due_date": due(-1)},
        {"product_code": "MYD-LAW", "quantity": "1.2345", "due_date": due(3 * 366)},
        {"product_code": "MYD-LAW", "quantity": "1e12", "due_date": due()}))
    refused = refused_fields(response)
    assert set(refused) == {"lines.1.product_code", "lines.2.product_code",
                            "lines.3.product_code", "lines.4.quantity", "lines.4.due_date",
                            "lines.5.quantity", "lines.5.due_date", "lines.6.quantity"}
    # Another firm's product is as unknown as a made-up code: nothing says it exists.
    assert refused["lines.1.product_code"] == refused["lines.3.product_code"]
    assert "past" in refused["lines.4.due_date"][0]
    assert order_count(db_session) == 0


def test_only_write_tokens_of_people_who_may_order_request(api, firms, db_session):
    read = api.post(ORDERS, firms.read, body())
    # Refused before the account is known, so in the default language.
    assert read.status_code == 403 and "tylko czytać" in read.get_json()["error"]["message"]
    staff = api.post(ORDERS, firms.staff_write, body())
    assert staff.status_code == 403 and "office" in staff.get_json()["error"]["message"]
    assert api.post(ORDERS, firms.viewer_read, body()).status_code == 403
    assert app_client_without_token(api).post(ORDERS, json=body()).status_code == 401
    assert order_count(db_session) == 0


def test_a_partner_who_only_reads_cannot_get_a_write_token(firms):
    assert scopes_for(firms.viewer) == ("read",)
    with pytest.raises(DomainError):
        create_token(firms.viewer, "ERP", "write")


def app_client_without_token(api):
    return api.app.test_client()


def test_a_control_character_is_refused_naming_the_field_not_a_server_error(
        api, firms, db_session):
    # PostgreSQL cannot store or even compare U+0000: it must never reach a query.
    response = api.post(ORDERS, firms.write, body(
        {"product_code": "MYD\x00LAW", "quantity": "5", "due_date": due()},
        reference="PO\x001"))
    assert set(refused_fields(response)) == {"lines.0.product_code", "partner_reference"}
    query = api.get("/api/v1/orders/?status=draft%00", firms.read)
    assert query.status_code == 422 and "status" in query.get_json()["error"]["errors"]["query"]
    assert order_count(db_session) == 0


@pytest.mark.parametrize("depth", [50, 5000])
def test_a_body_nested_absurdly_deep_is_refused_not_a_server_error(api, firms, depth):
    response = api.call("POST", ORDERS, firms.write, data="[" * depth + "]" * depth,
                        headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 422)
    assert response.get_json()["error"]["code"] == response.status_code
