"""Signing in and out: messages, attempt limits, cookies, CSRF, redirects."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shopfloor.auth import services
from shopfloor.auth.services import SignInLimits, SignInRefused, authenticate
from shopfloor.database import utcnow

WRONG = "Nieprawidłowa nazwa użytkownika lub hasło."


def test_manager_signs_in_and_lands_on_the_start_page(client, make_user):
    make_user(username="marta", display_name="Marta Nowak")
    response = client.sign_in("Marta ", "correct horse battery")  # case and spaces forgiven
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Dzień dobry, Marta Nowak" in page
    assert "Wyloguj się" in page


def test_unknown_user_and_wrong_password_get_the_same_message(client, make_user):
    make_user(username="marta")
    wrong_password = client.sign_in("marta", "not the password")
    unknown_user = client.sign_in("nobody", "not the password")
    for response in (wrong_password, unknown_user):
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert WRONG in page
    # What was typed stays, except the password.
    assert 'value="nobody"' in unknown_user.get_data(as_text=True)
    assert "not the password" not in unknown_user.get_data(as_text=True)


def test_empty_fields_get_a_message_next_to_each_field(client):
    page = client.sign_in("", "").get_data(as_text=True)
    assert 'id="username-error">Wpisz nazwę użytkownika.' in page
    assert 'id="password-error">Wpisz hasło.' in page
    assert 'aria-describedby="username-error"' in page


def test_five_failures_lock_the_account_with_a_time_to_try_again(client, make_user):
    make_user(username="marta")
    for _ in range(5):
        assert client.sign_in("marta", "guess").status_code == 422
    # Even the right password is refused now, and the message says when to come back.
    page = client.sign_in("marta", "correct horse battery").get_data(as_text=True)
    assert "Zbyt wiele nieudanych prób logowania. Spróbuj ponownie o" in page
    assert "(za 15 min)" in page


def test_an_unknown_name_is_locked_the_same_way_as_a_real_one(client):
    for _ in range(5):
        client.sign_in("ghost", "guess")
    assert "Zbyt wiele" in client.sign_in("ghost", "guess").get_data(as_text=True)


def test_many_names_from_one_address_lock_that_address(app, make_user):
    make_user(username="marta")
    limits = SignInLimits(per_account=5, per_address=20, window=timedelta(minutes=15))
    now = utcnow()
    for i in range(20):
        with pytest.raises(SignInRefused):
            authenticate(f"user{i}", "guess", "10.0.0.9", now=now, limits=limits)
    with pytest.raises(SignInRefused) as refused:
        authenticate("marta", "correct horse battery", "10.0.0.9", now=now, limits=limits)
    assert refused.value.retry_at == now + timedelta(minutes=15)
    # Another address is not affected.
    assert authenticate("marta", "correct horse battery", "10.0.0.10", now=now, limits=limits)


def test_the_lock_lifts_when_the_window_has_passed(app, make_user):
    make_user(username="marta")
    limits = SignInLimits(per_account=3, per_address=100, window=timedelta(minutes=15))
    start = utcnow()
    for _ in range(3):
        with pytest.raises(SignInRefused):
            authenticate("marta", "guess", "10.0.0.1", now=start, limits=limits)
    with pytest.raises(SignInRefused) as refused:
        authenticate("marta", "correct horse battery", "10.0.0.1",
                     now=start + timedelta(minutes=14), limits=limits)
    assert refused.value.retry_at == start + timedelta(minutes=15)
    user = authenticate("marta", "correct horse battery", "10.0.0.1",
                        now=start + timedelta(minutes=15, seconds=1), limits=limits)
    assert user.username == "marta"


def test_a_successful_sign_in_resets_the_account_count(app, make_user):
    make_user(username="marta")
    limits = SignInLimits(per_account=3, per_address=100, window=timedelta(minutes=15))
    now = utcnow()
    for _ in range(2):
        with pytest.raises(SignInRefused):
            authenticate("marta", "guess", "10.0.0.1", now=now, limits=limits)
    authenticate("marta", "correct horse battery", "10.0.0.1", now=now, limits=limits)
    for _ in range(2):
        with pytest.raises(SignInRefused, match="Wrong user name|Nieprawidłowa"):
            authenticate("marta", "guess", "10.0.0.1", now=now, limits=limits)


def test_disabled_account_cannot_sign_in(client, make_user):
    make_user(username="marta", active=False)
    page = client.sign_in("marta", "correct horse battery").get_data(as_text=True)
    assert "To konto jest wyłączone." in page


def test_form_without_csrf_token_is_refused_with_a_message(client, make_user):
    make_user(username="marta")
    response = client.client.post("/sign-in", data={"username": "marta",
                                                    "password": "correct horse battery"})
    assert response.status_code == 400
    assert "Formularz wygasł" in response.get_data(as_text=True)
    assert "Wyloguj się" not in client.get("/sign-in").get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    make_user(username="marta")
    response = client.sign_in("marta", "correct horse battery")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_https(client, make_user):
    make_user(username="marta")
    token = client.token()
    response = client.client.post(
        "/sign-in", base_url="https://localhost",
        data={"username": "marta", "password": "correct horse battery", "csrf_token": token},
        headers={"Referer": "https://localhost/sign-in"})
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(client, make_user):
    make_user(username="marta")
    redirect = client.get("/staff")
    assert redirect.status_code == 302
    assert redirect.headers["Location"] == "/sign-in?next=/staff"
    token = client.token("/sign-in?next=/staff")
    response = client.client.post("/sign-in", data={
        "username": "marta", "password": "correct horse battery", "next": "/staff",
        "csrf_token": token})
    assert response.headers["Location"] == "/staff"
    client.client.post("/sign-out", data={"csrf_token": client.token("/")})
    response = client.client.post("/sign-in", data={
        "username": "marta", "password": "correct horse battery",
        "next": "//evil.example/", "csrf_token": client.token()})
    assert response.headers["Location"] == "/"


def test_sign_out_ends_the_session_and_needs_a_post(signed_in):
    client = signed_in("manager")
    assert client.get("/sign-out").status_code == 405
    response = client.submit("/sign-out", {}, page="/")
    assert response.headers["Location"] == "/sign-in"
    assert "Wylogowano." in client.get("/sign-in").get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_passwords_are_stored_hashed(make_user):
    user = make_user(username="marta", password="correct horse battery")
    assert "correct horse battery" not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_old_attempts_are_purged_after_a_day(app, make_user, db_session):
    from sqlalchemy import func, select

    from shopfloor.auth.models import SignInAttempt

    make_user(username="marta")
    long_ago = utcnow() - timedelta(days=2)
    with pytest.raises(SignInRefused):
        authenticate("marta", "guess", "10.0.0.1", now=long_ago)
    authenticate("marta", "correct horse battery", "10.0.0.1")
    assert db_session.scalar(select(func.count()).select_from(SignInAttempt)) == 1
    assert timedelta(days=1) == services.ATTEMPT_RETENTION


@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example/", "/\\evil.example",
                                    "https://evil.example/", "/%0a/x"])
def test_control_characters_cannot_smuggle_an_outside_redirect(client, make_user, target):
    make_user(username="marta")
    response = client.submit(f"/sign-in?next={target}", {
        "username": "marta", "password": "correct horse battery",
        "next": target.replace("%09", "\t").replace("%0a", "\n")},
        page=f"/sign-in?next={target}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
