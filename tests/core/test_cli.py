"""The shopfloor command: init, create-user, demo-data, serve."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from sqlalchemy import select

from shopfloor.auth.models import User
from shopfloor.partners.models import Partner
from tests.conftest import REPO_ROOT


def run_cli(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_create_user_asks_for_the_password_twice_and_stores_it_hashed(app, db_session):
    result = run_cli(app, "create-user", "--role", "manager", "--name", "Marta Nowak", "marta",
                     input="a good long password\na good long password\n")
    assert result.exit_code == 0, result.output
    assert "Created manager account 'marta'" in result.output
    user = db_session.scalar(select(User).where(User.username == "marta"))
    assert user.display_name == "Marta Nowak"
    assert "a good long password" not in user.password_hash


def test_create_user_refuses_a_short_password_with_the_reason(app, db_session):
    result = run_cli(app, "create-user", "--role", "supervisor", "ola", input="short\nshort\n")
    assert result.exit_code != 0
    assert "password" in result.output and "10" in result.output
    assert db_session.scalar(select(User).where(User.username == "ola")) is None


def test_create_user_needs_a_known_role(app):
    result = run_cli(app, "create-user", "--role", "boss", "ola", input="x\nx\n")
    assert result.exit_code == 2
    assert "manager" in result.output and "supervisor" in result.output


def test_demo_data_is_idempotent_and_prints_the_sign_ins(app, db_session):
    first = run_cli(app, "demo-data")
    assert first.exit_code == 0, first.output
    assert "password: manager-demo" in first.output
    assert "password: supervisor-demo" in first.output
    second = run_cli(app, "demo-data")
    assert second.exit_code == 0 and "nothing changed" in second.output
    assert len(db_session.scalars(select(User)).all()) == 2
    partners = db_session.scalars(select(Partner)).all()
    assert {line for p in partners for line in p.line_codes} == {
        "soap", "harness", "garments", "copack"}


def test_demo_data_refuses_a_database_with_real_data(app, make_user, db_session):
    make_user(username="real.manager")
    result = run_cli(app, "demo-data")
    assert result.exit_code != 0
    assert "not demo data" in result.output
    assert db_session.scalars(select(Partner)).all() == []


def test_demo_data_refuses_once_real_accounts_were_added_to_a_demo(app, make_user):
    assert run_cli(app, "demo-data").exit_code == 0
    make_user(username="real.manager")
    assert run_cli(app, "demo-data").exit_code != 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def fresh_instance(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPFLOOR_")}
    env["SHOPFLOOR_INSTANCE_PATH"] = str(tmp_path / "instance")
    return env


def _shopfloor(*args):
    return [sys.executable, "-m", "shopfloor", *args]


def test_init_then_serve_answers_on_the_chosen_port(fresh_instance, tmp_path):
    init = subprocess.run(_shopfloor("init"), env=fresh_instance, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert init.returncode == 0, init.stderr
    assert "Database ready: sqlite:///" in init.stdout
    assert (tmp_path / "instance" / "shopfloor.db").exists()
    assert (tmp_path / "instance" / "secret_key").exists()

    port = _free_port()
    server = subprocess.Popen(_shopfloor("serve", "--port", str(port)), env=fresh_instance,
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = r.read().decode()
                    server_header = r.headers.get("Server")
                break
            except OSError:
                time.sleep(0.1)
        assert body is not None, "the server did not answer"
        assert '"status":"ok"' in body.replace(" ", "")
        assert server_header == "Shopfloor"  # waitress, not the Werkzeug debug server
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_config_error_stops_the_command_with_a_message(fresh_instance, tmp_path):
    fresh_instance["SHOPFLOOR_SMTP_PORT"] = "twenty"
    result = subprocess.run(_shopfloor("init"), env=fresh_instance, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Configuration error" in result.stderr
    assert "SHOPFLOOR_SMTP_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_init_on_an_unreachable_database_says_so(fresh_instance, tmp_path):
    fresh_instance["SHOPFLOOR_DATABASE_URL"] = (
        "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    result = subprocess.run(_shopfloor("init"), env=fresh_instance, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Cannot prepare the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_console_script_is_installed():
    script = os.path.join(os.path.dirname(sys.executable), "shopfloor")
    result = subprocess.run([script, "--help"], capture_output=True, text=True, cwd=REPO_ROOT,
                            timeout=60)
    assert result.returncode == 0
    for command in ("init", "serve", "create-user", "demo-data"):
        assert command in result.stdout


def test_serve_refuses_a_database_that_was_not_initialised(fresh_instance, tmp_path):
    result = subprocess.run(_shopfloor("serve", "--port", str(_free_port())), env=fresh_instance,
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "run `shopfloor init` first" in result.stderr
