"""Pallets: each SSCC printed is kept with its batch, a shipment of that batch lists it (the
office's shipment page, the partner's order page, the API), and scanning the label finds the
batch; another firm sees none of it."""

from __future__ import annotations

import pytest

from shopfloor.auth.tokens import create_token
from tests.api.conftest import api  # noqa: F401 (fixture)
from tests.portal.conftest import make_partner_user, sign_in_as, two_partners  # noqa: F401
from tests.shipping.test_shipments import finished_batch, ship  # noqa: F401


@pytest.fixture
def gs1(app, monkeypatch):
    from dataclasses import replace

    settings = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(settings, values={
        **settings.values, "gs1.company_prefix": "0614141", "gs1.extension_digit": 1}))


def test_printed_pallets_are_listed_with_the_shipment_and_scan_to_their_batch(
        app, gs1, two_partners, finished_batch, manager, signed_in, sign_in_as,  # noqa: F811
        api, db_session):  # noqa: F811
    from shopfloor.labels.models import Pallet
    from shopfloor.labels.services import labels_for
    from shopfloor.scanning.services import resolve_scan

    order, batch = finished_batch(order=two_partners.alfa_order, good="100", quantity="100")
    with app.test_request_context():
        printed = labels_for("pallet", [batch.code]) + labels_for("pallet", [batch.code])
    ssccs = [label.sscc.replace(" ", "") for label in printed]
    assert [p.sscc for p in db_session.query(Pallet).order_by(Pallet.id)] == ssccs
    shipment = ship(order, batch, "100", manager)

    office = signed_in("supervisor").get(f"/shipments/{shipment.id}").get_data(as_text=True)
    assert all(sscc in office for sscc in ssccs)
    portal = sign_in_as(two_partners.alfa_user)
    page = portal.get(f"/portal/orders/{order.id}").get_data(as_text=True)
    assert all(sscc in page for sscc in ssccs)
    token = create_token(two_partners.alfa_user, "BI", "read").secret
    assert api.get(f"/api/v1/shipments/{shipment.id}", token).json["ssccs"] == ssccs
    beta = create_token(two_partners.beta_user, "BI", "read").secret
    assert api.get(f"/api/v1/shipments/{shipment.id}", beta).status_code == 404

    with app.test_request_context():
        found = resolve_scan(f"\x1d00{ssccs[0]}", manager)
        unknown = resolve_scan("00106141410000009999", manager)
    assert found.accepted and found.kind == "batch" and found.code == batch.code
    assert ssccs[0] in found.title
    assert not unknown.accepted
