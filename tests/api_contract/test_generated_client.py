"""A partner's developer can generate a working Python client from the OpenAPI document:
openapi-python-client (offline, from the document the app serves) builds a package, and that
package, over real HTTP against the running app, lists the partner's own orders (never
another firm's) and reads one, with the documented Error body for another firm's order."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

PACKAGE = "shopfloor_api_client"


@pytest.fixture
def generated_client(app, tmp_path, monkeypatch):
    """The client package generated from /api/v1/openapi.json, importable."""
    pytest.importorskip("openapi_python_client",
                        reason="openapi-python-client is not installed (a dev dependency)")
    spec_path = tmp_path / "openapi.json"
    spec_path.write_text(json.dumps(app.test_client().get("/api/v1/openapi.json").get_json()))
    config_path = tmp_path / "client-config.json"
    # No post hooks: the generator would run ruff on the output, which is not its job here.
    config_path.write_text(json.dumps({"post_hooks": []}))
    done = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec_path),
         "--output-path", str(tmp_path / PACKAGE), "--meta", "none",
         "--config", str(config_path)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module(PACKAGE)
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def test_a_generated_client_lists_the_partners_own_orders(generated_client, served_app,
                                                          api_world):
    list_orders = importlib.import_module(f"{PACKAGE}.api.api_orders.get_api_v1_orders")
    get_order = importlib.import_module(f"{PACKAGE}.api.api_orders.get_api_v1_orders_order_id")
    error_model = importlib.import_module(f"{PACKAGE}.models.error").Error

    client = generated_client.AuthenticatedClient(base_url=served_app,
                                                  token=api_world.tokens["alfa_read"])
    with client as http:
        orders = list_orders.sync(client=http)
        assert {order.code for order in orders} == {o.code for o in api_world.alfa_orders}
        assert api_world.beta_order.code not in {order.code for order in orders}

        own = api_world.alfa_orders[0]
        detail = get_order.sync(client=http, order_id=own.id)
        assert detail.partner_reference == "ALFA/77"
        assert detail.lines[0].quantity == "200.000"

        refused = get_order.sync_detailed(client=http, order_id=api_world.beta_order.id)
        assert refused.status_code == 404
        assert isinstance(refused.parsed, error_model)
        assert refused.parsed.error.code == 404
        assert "Beta" not in refused.content.decode()
