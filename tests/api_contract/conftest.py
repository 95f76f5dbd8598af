"""API contract fixtures: two partner firms with orders, a finished batch and a shipment (so
reads find real records, forecast included), tokens of a manager and of a partner's people,
the rate limit out of the way, and the app served over real HTTP for generated clients."""

from __future__ import annotations

import threading
from dataclasses import replace
from types import SimpleNamespace

import pytest

from tests.planning.test_forecast_services import NOW, make_worker  # noqa: F401 (fixture)
from tests.portal.conftest import make_partner_user  # noqa: F401 (fixture)
from tests.shipping.test_shipments import finished_batch, ship  # noqa: F401 (fixture)


@pytest.fixture
def roomy_rate_limit(app, monkeypatch):
    """A rate limit no test reaches: hundreds of requests a minute are the point here."""
    original = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(
        original, values={**original.values, "api.rate_limit_per_minute": 1_000_000}))


@pytest.fixture
def api_world(roomy_rate_limit, make_partner, make_product, make_order, make_partner_user,  # noqa: F811
              finished_batch, make_worker, manager):  # noqa: F811
    """Alfa (two orders, one with a finished batch partly shipped, forecast computed) and
    Beta (one order); write tokens of the manager and of Alfa's orderer, a read token of
    Alfa's viewer, and one of Beta's viewer."""
    from shopfloor.auth.tokens import create_token
    from shopfloor.planning.services import recompute_forecasts

    alfa, beta = make_partner(name="Alfa Kosmetyki"), make_partner(name="Beta Hotele")
    soap = make_product(line="soap", code="MYD-LAW", standard_minutes="3")
    make_worker("Ala", soap="independent")
    shipped = make_order(partner=alfa, product=soap, quantity="200", reference="ALFA/77")
    _order, batch = finished_batch(order=shipped, good="80", quantity="100")
    shipment = ship(shipped, batch, "50", manager)
    second = make_order(partner=alfa, product=soap, quantity="30", reference="ALFA/78")
    other = make_order(partner=beta, product=soap, quantity="50", reference="BETA/12")
    recompute_forecasts(NOW)

    orderer = make_partner_user(alfa, "orders@alfa.example", role="partner_orderer")
    viewer = make_partner_user(alfa, "ola@alfa.example")
    beta_viewer = make_partner_user(beta, "bartek@beta.example")
    return SimpleNamespace(
        alfa=alfa, beta=beta, soap=soap, batch=batch, shipment=shipment,
        alfa_orders=[shipped, second], beta_order=other,
        tokens={"staff": create_token(manager, "ERP", "write").secret,
                "partner": create_token(orderer, "ERP", "write").secret,
                "alfa_read": create_token(viewer, "Reports", "read").secret,
                "beta_read": create_token(beta_viewer, "Reports", "read").secret})


@pytest.fixture
def served_app(app):
    """The test app on a free port of 127.0.0.1 (waitress in a thread), for one test."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=2,
                           clear_untrusted_proxy_headers=True)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)
