"""The role decorator: who may open which page, and the deny-by-default guard."""

from __future__ import annotations

from flask import Blueprint

from shopfloor.auth.access import ACCESS_ATTRIBUTE, PUBLIC, require_role
from tests.conftest import app_config


def test_every_view_declares_who_may_open_it(app):
    undeclared = [
        rule.endpoint for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and getattr(app.view_functions[rule.endpoint], ACCESS_ATTRIBUTE, None) is None
    ]
    assert undeclared == []


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get("/staff")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/staff"


def test_supervisor_may_not_open_staff_administration(signed_in):
    client = signed_in("supervisor")
    response = client.get("/staff")
    assert response.status_code == 403
    assert "Brak dostępu" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_manager_may_open_staff_administration(signed_in):
    assert signed_in("manager").get("/staff").status_code == 200


def test_navigation_shows_only_what_the_role_may_open(signed_in, client):
    supervisor_page = signed_in("supervisor").get("/").get_data(as_text=True)
    assert 'href="/staff"' not in supervisor_page
    client.submit("/sign-out", {}, page="/")
    manager_page = signed_in("manager").get("/").get_data(as_text=True)
    assert 'href="/staff"' in manager_page


def test_a_view_without_the_decorator_is_refused(database_url):
    from shopfloor import create_app

    app = create_app(app_config(database_url))
    forgotten = Blueprint("forgotten", __name__)

    @forgotten.get("/forgotten")
    def forgotten_view():
        return "secret"

    @forgotten.get("/open")
    @require_role(PUBLIC)
    def open_view():
        return "hello"

    app.register_blueprint(forgotten)
    client = app.test_client()
    assert client.get("/forgotten").status_code == 403
    assert client.get("/open").get_data(as_text=True) == "hello"


def test_api_paths_answer_json_instead_of_redirecting(database_url):
    from shopfloor import create_app

    app = create_app(app_config(database_url))
    api = Blueprint("api_probe", __name__, url_prefix="/api/probe")

    @api.get("/")
    @require_role("manager")
    def probe():
        return {"ok": True}

    app.register_blueprint(api)
    response = app.test_client().get("/api/probe/")
    assert response.status_code == 401
    assert response.json["error"]["code"] == 401
