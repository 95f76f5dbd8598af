"""API tokens: created on the account's page and shown once, stored as a hash, sent as a
bearer token to /api/, read or write, revocable, limited per minute."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sqlalchemy import select

from shopfloor.auth.models import ApiToken, User

SCAN = "/api/v1/scans/"


def create(client, name="ERP", scope="write"):
    response = client.submit("/api-tokens", {"name": name, "scope": scope}, page="/api-tokens")
    match = re.search(r'value="(sft_[^"]+)"', response.get_data(as_text=True))
    return response, match.group(1) if match else None


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_a_token_is_shown_once_stored_as_a_hash_and_signs_api_calls_in(
        db_session, signed_in, app):
    client = signed_in("supervisor")
    response, secret = create(client)
    assert response.status_code == 201 and secret
    assert secret not in client.get("/api-tokens").get_data(as_text=True)
    stored = db_session.scalar(select(ApiToken))
    assert stored.secret_hash != secret and secret not in stored.secret_hash
    assert stored.last_used_at is None

    machine = app.test_client()  # no session, no CSRF token: only the bearer token
    answer = machine.post(SCAN, json={"raw": "B2345678"}, headers=bearer(secret))
    assert answer.status_code == 422  # signed in: the code itself is refused, as misread
    assert answer.get_json()["error"]["code"] == 422
    db_session.expire_all()
    assert db_session.scalar(select(ApiToken)).last_used_at is not None

    assert machine.post(SCAN, json={"raw": "B2345678"}).status_code == 401
    assert machine.post(SCAN, json={"raw": "B2345678"},
                        headers=bearer(secret + "x")).status_code == 401


def test_a_read_only_token_may_not_change_anything(db_session, signed_in, app):
    client = signed_in("supervisor")
    _response, secret = create(client, scope="read")
    answer = app.test_client().post(SCAN, json={"raw": "B2345678"}, headers=bearer(secret))
    assert answer.status_code == 403
    assert "tylko czytać" in answer.get_json()["error"]["message"]


def test_a_revoked_token_stops_working_at_once(db_session, signed_in, app):
    client = signed_in("supervisor")
    _response, secret = create(client)
    token = db_session.scalar(select(ApiToken))
    client.submit(f"/api-tokens/{token.id}/revoke", {}, page="/api-tokens")
    answer = app.test_client().post(SCAN, json={"raw": "B2345678"}, headers=bearer(secret))
    assert answer.status_code == 401
    assert "Unieważniony" in client.get("/api-tokens").get_data(as_text=True)


def test_a_disabled_account_s_tokens_stop_working(db_session, signed_in, app):
    client = signed_in("supervisor", username="ola")
    _response, secret = create(client)
    user = db_session.scalar(select(User).where(User.username == "ola"))
    user.active = False
    db_session.commit()
    answer = app.test_client().post(SCAN, json={"raw": "B2345678"}, headers=bearer(secret))
    assert answer.status_code == 401


def test_a_token_over_its_minute_s_allowance_is_told_to_wait(db_session, signed_in, app,
                                                            monkeypatch):
    original = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(
        original, values={**original.values, "api.rate_limit_per_minute": 3}))
    _response, secret = create(signed_in("supervisor"))
    machine = app.test_client()
    codes = [machine.post(SCAN, json={"raw": "B2345678"}, headers=bearer(secret)).status_code
             for _ in range(3)]
    fourth = machine.post(SCAN, json={"raw": "B2345678"}, headers=bearer(secret))
    assert codes == [422, 422, 422]
    assert fourth.status_code == 429 and fourth.headers["Retry-After"] == "60"


def test_a_bearer_token_does_not_open_office_pages(db_session, signed_in, app):
    _response, secret = create(signed_in("manager"))
    response = app.test_client().get("/orders/", headers=bearer(secret))
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_partner_who_only_sees_orders_gets_read_only_tokens(db_session, client,
                                                              make_partner):
    from werkzeug.security import generate_password_hash

    partner = make_partner()
    db_session.add(User(username="ola@firma.example", display_name="Ola", role="partner_viewer",
                        partner_id=partner.id, email="ola@firma.example",
                        password_hash=generate_password_hash("hasło partnera 2026")))
    db_session.commit()
    client.sign_in("ola@firma.example", "hasło partnera 2026")
    response, secret = create(client, scope="write")
    assert response.status_code == 422 and secret is None
    response, secret = create(client, scope="read")
    assert response.status_code == 201 and secret


def test_nobody_revokes_another_s_token(db_session, signed_in, app, make_user):
    client = signed_in("supervisor", username="ola")
    create(client)
    token = db_session.scalar(select(ApiToken))
    other = app.test_client()
    make_user(username="ewa", role="manager")
    from tests.conftest import FormClient

    other = FormClient(other)
    other.sign_in("ewa", "correct horse battery")
    assert other.submit(f"/api-tokens/{token.id}/revoke", {},
                        page="/api-tokens").status_code == 404
    db_session.expire_all()
    assert db_session.scalar(select(ApiToken)).revoked_at is None


@pytest.mark.parametrize("name", ["", "x" * 81])
def test_a_token_needs_a_sensible_name(db_session, signed_in, name):
    response, secret = create(signed_in("supervisor"), name=name)
    assert response.status_code == 422 and secret is None
    assert db_session.scalar(select(ApiToken.id)) is None
