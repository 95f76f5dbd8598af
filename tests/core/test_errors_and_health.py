"""Error pages in HTML and JSON, and the health check."""

from __future__ import annotations

from shopfloor import create_app
from shopfloor.auth.access import PUBLIC, require_role
from tests.conftest import app_config


def test_unknown_page_gets_a_polish_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Nie ma takiej strony" in page
    assert "Przejdź do strony startowej" in page


def test_unknown_api_path_gets_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.is_json
    assert response.json["error"]["code"] == 404


def test_forbidden_page_is_html_with_a_next_step(signed_in):
    response = signed_in("supervisor").get("/staff")
    assert response.status_code == 403
    assert "Poproś kierownika" in response.get_data(as_text=True)


def test_a_crash_shows_a_calm_500_page_and_json_under_api(database_url):
    app = create_app(app_config(database_url, TESTING=False))

    @app.get("/boom")
    @require_role(PUBLIC)
    def boom():
        raise RuntimeError("kaboom")

    @app.get("/api/boom")
    @require_role(PUBLIC)
    def api_boom():
        raise RuntimeError("kaboom")

    client = app.test_client()
    page = client.get("/boom")
    assert page.status_code == 500
    assert "Coś poszło nie tak" in page.get_data(as_text=True)
    assert "kaboom" not in page.get_data(as_text=True)
    api = client.get("/api/boom")
    assert api.status_code == 500 and api.json["error"]["code"] == 500


def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_names_the_database_when_it_is_unreachable(run_dir):
    app = create_app(app_config(
        "postgresql+psycopg://nobody@127.0.0.1:1/nothing?connect_timeout=2"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "unreachable"}


def test_pages_carry_security_headers(client):
    headers = client.get("/sign-in").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_a_config_typo_stops_start_up_naming_key_and_file(tmp_path, monkeypatch):
    import pytest

    from shopfloor.config import ConfigError

    config = tmp_path / "config.toml"
    config.write_text("[security]\nsesion_hours = 4\n", encoding="utf-8")
    monkeypatch.setenv("SHOPFLOOR_CONFIG", str(config))
    with pytest.raises(ConfigError, match=r"security\.sesion_hours.*config\.toml"):
        create_app({"secret_key": "k" * 40})
