"""The manager's staff administration and the own account page."""

from __future__ import annotations

from sqlalchemy import select

from shopfloor.auth.models import User


def test_manager_creates_a_supervisor_account(signed_in, db_session):
    client = signed_in("manager")
    response = client.submit("/staff/new", {
        "username": "Jan.Kos", "display_name": "Jan Kos", "role": "supervisor",
        "password": "a long enough password"})
    assert response.status_code == 302
    assert "Konto jan.kos zostało utworzone." in client.get("/staff").get_data(as_text=True)
    user = db_session.scalar(select(User).where(User.username == "jan.kos"))
    assert user.role == "supervisor"
    assert user.display_name == "Jan Kos"


def test_bad_input_keeps_what_was_typed_and_says_what_is_wrong(signed_in, db_session):
    client = signed_in("manager")
    response = client.submit("/staff/new", {
        "username": "jan", "display_name": "Jan Kos", "role": "supervisor", "password": "short"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="password-error">Hasło musi mieć co najmniej 10 znaków.' in page
    assert 'value="Jan Kos"' in page and 'value="jan"' in page
    assert db_session.scalar(select(User).where(User.username == "jan")) is None


def test_a_taken_user_name_is_refused_next_to_the_field(signed_in):
    client = signed_in("manager", username="marta")
    page = client.submit("/staff/new", {
        "username": "MARTA", "role": "supervisor", "password": "a long enough password",
    }).get_data(as_text=True)
    assert 'id="username-error">Ta nazwa użytkownika jest już zajęta.' in page


def test_disabling_an_account_ends_its_sessions(app, signed_in, make_user, db_session):
    manager = signed_in("manager")
    other = make_user(username="ola", role="supervisor")
    ola_client = app.test_client()
    from tests.conftest import FormClient

    ola = FormClient(ola_client)
    assert ola.sign_in("ola", "correct horse battery").status_code == 302
    assert ola.get("/").status_code == 200

    response = manager.submit(f"/staff/{other.id}", {
        "display_name": "Ola", "role": "supervisor", "version": str(other.version)})
    assert response.status_code == 302  # "active" unticked -> disabled
    assert ola.get("/").status_code == 302
    assert "To konto jest wyłączone" in ola.sign_in("ola", "correct horse battery").get_data(
        as_text=True)


def test_a_stale_edit_is_refused_instead_of_overwriting(signed_in, make_user, db_session):
    client = signed_in("manager")
    other = make_user(username="ola", role="supervisor", display_name="Ola")
    stale_version = str(other.version)
    first = client.submit(f"/staff/{other.id}", {
        "display_name": "Aleksandra", "role": "supervisor", "active": "y",
        "version": stale_version})
    assert first.status_code == 302
    second = client.submit(f"/staff/{other.id}", {
        "display_name": "Ola K.", "role": "manager", "active": "y", "version": stale_version})
    assert second.status_code == 409
    assert "Ktoś inny zmienił to konto" in second.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(User, other.id).display_name == "Aleksandra"


def test_manager_cannot_disable_themselves(signed_in, db_session):
    client = signed_in("manager", username="marta")
    me = db_session.scalar(select(User).where(User.username == "marta"))
    response = client.submit(f"/staff/{me.id}", {
        "display_name": "Marta", "role": "manager", "version": str(me.version)})
    assert response.status_code == 422
    assert "Nie możesz wyłączyć własnego konta" in response.get_data(as_text=True)


def test_changing_the_own_password_keeps_this_session_and_ends_others(app, signed_in):
    from tests.conftest import FormClient

    client = signed_in("supervisor", username="ola")
    other_device = FormClient(app.test_client())
    other_device.sign_in("ola", "correct horse battery")
    response = client.submit("/account", {
        "language": "", "current_password": "correct horse battery",
        "new_password": "a brand new password", "confirm_password": "a brand new password"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302
    assert client.submit("/sign-out", {}, page="/").status_code == 302
    assert client.sign_in("ola", "a brand new password").status_code == 302


def test_a_wrong_current_password_is_shown_next_to_that_field(signed_in):
    client = signed_in("supervisor")
    response = client.submit("/account", {
        "language": "", "current_password": "nope",
        "new_password": "a brand new password", "confirm_password": "a brand new password"})
    assert response.status_code == 422
    assert 'id="current_password-error">Obecne hasło jest nieprawidłowe.' in response.get_data(
        as_text=True)


def test_a_manager_sets_a_staff_email_for_alerts_and_a_wrong_one_is_refused(signed_in,
                                                                          make_user,
                                                                          db_session):
    from shopfloor.auth.models import User

    client = signed_in("manager")
    ola = make_user("ola", role="supervisor")
    url = f"/staff/{ola.id}"
    data = {"display_name": "Ola", "role": "supervisor", "active": "y",
            "version": str(ola.version)}
    wrong = client.submit(url, {**data, "email": "ola at example"}, page=url)
    assert wrong.status_code == 422
    assert "To nie wygląda na adres e-mail." in wrong.get_data(as_text=True)
    assert client.submit(url, {**data, "email": " ola@example.org "}, page=url).status_code == 302
    db_session.expire_all()
    assert db_session.get(User, ola.id).email == "ola@example.org"
