"""Shipping by pallets: co-packing goods leave only on SSCC pallets, a pallet ships once
(also when two people try at once), the delivery note lists every SSCC with what is on
it, and the office, the partner's portal and the API show the shipment's pallets; another
firm sees none of it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shopfloor.auth.tokens import create_token
from shopfloor.errors import DomainError
from shopfloor.labels.pallets import build_pallet, void_pallet
from shopfloor.shipping.models import DocumentCounter, Shipment
from shopfloor.shipping.services import ShipmentLineData, create_shipment
from tests.api.conftest import api  # noqa: F401 (fixture)
from tests.conftest import TODAY
from tests.labels.pallet_fixtures import done_batch, gs1, ship_pallets  # noqa: F401
from tests.portal.conftest import make_partner_user, sign_in_as, two_partners  # noqa: F401
from tests.shipping.test_delivery_note import COOPERATIVE, pages_text


def _loose(order, batch, quantity, user):
    return create_shipment(order, TODAY, [ShipmentLineData(order.lines[0].id, batch.id,
                                                           Decimal(quantity))], user)


def test_copack_goods_without_pallets_are_refused_and_use_no_number(
        gs1, done_batch, manager, db_session):  # noqa: F811
    order, batch = done_batch(good="100")
    with pytest.raises(DomainError, match="SSCC") as refused:
        _loose(order, batch, "10", manager)
    assert refused.value.field == "pallets"
    assert db_session.scalar(select(func.count()).select_from(Shipment)) == 0
    assert db_session.get(DocumentCounter, ("WZ", TODAY.year)) is None
    assert order.lines[0].quantity_shipped == 0
    pallet = build_pallet(batch, Decimal(10), manager)
    shipment = ship_pallets(order, [pallet], manager)
    assert shipment.number == "WZ/2026/0001"
    assert [(line.batch_id, line.quantity) for line in shipment.lines] == [(batch.id,
                                                                             Decimal(10))]
    assert order.lines[0].quantity_shipped == Decimal(10)
    assert [p.sscc for p in shipment.pallets] == [pallet.sscc]


def test_a_pallet_ships_once_and_a_voided_one_never(gs1, done_batch, manager,  # noqa: F811
                                                    db_session):
    order, batch = done_batch(good="100")
    first, second, third = (build_pallet(batch, Decimal(n), manager) for n in (30, 30, 40))
    shipment = ship_pallets(order, [first, second], manager)
    assert order.lines[0].quantity_shipped == Decimal(60)
    with pytest.raises(DomainError, match=shipment.number):
        ship_pallets(order, [first, third], manager)
    void_pallet(third, manager)
    with pytest.raises(DomainError, match=third.sscc):
        ship_pallets(order, [third], manager)
    assert db_session.scalar(select(func.count()).select_from(Shipment)) == 1
    assert db_session.get(DocumentCounter, ("WZ", TODAY.year)).last_number == 1


def test_a_pallet_of_another_order_is_refused(gs1, done_batch, manager):  # noqa: F811
    order, _batch = done_batch()
    _other_order, other_batch = done_batch()
    foreign = build_pallet(other_batch, Decimal(5), manager)
    with pytest.raises(DomainError, match="nie należy do tego zamówienia"):
        ship_pallets(order, [foreign], manager)


def test_two_shipments_of_one_pallet_at_once_cannot_both_pass(app, gs1, done_batch,  # noqa: F811
                                                              manager):
    import threading

    from shopfloor.extensions import db
    from shopfloor.orders.models import Order

    order, batch = done_batch(good="100")
    pallet = build_pallet(batch, Decimal(100), manager)
    order_id, pallet_id = order.id, pallet.id
    start = threading.Barrier(2, timeout=20)
    results = []

    def ship_it():
        with app.app_context():
            try:
                mine = db.session.get(Order, order_id)
                start.wait()
                create_shipment(mine, TODAY, [], manager, pallet_ids=[pallet_id])
                results.append("shipped")
            except DomainError as exc:
                results.append(str(exc.message))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=ship_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results.count("shipped") == 1, results
    db.session.expire_all()
    assert db.session.get(Order, order_id).lines[0].quantity_shipped == Decimal(100)


def test_other_lines_ship_loose_but_not_what_is_on_their_pallets(gs1, done_batch,  # noqa: F811
                                                                 manager):
    order, batch = done_batch(line="soap", unit="pcs", good="100")
    pallet = build_pallet(batch, Decimal(80), manager)
    with pytest.raises(DomainError, match="20"):
        _loose(order, batch, "21", manager)
    assert _loose(order, batch, "20", manager).pallets == []
    mixed = create_shipment(order, TODAY, [], manager, pallet_ids=[pallet.id])
    assert order.lines[0].quantity_shipped == Decimal(100) and mixed.pallets == [pallet]


def test_the_delivery_note_lists_every_sscc_with_its_contents(gs1, done_batch,  # noqa: F811
                                                              manager):
    from shopfloor.codes import format_code
    from shopfloor.shipping.delivery_note import delivery_note_pdf

    order, batch = done_batch(good="100", quantity="100")
    pallets = [build_pallet(batch, Decimal(n), manager) for n in (60, 40)]
    shipment = ship_pallets(order, pallets, manager)
    text = " ".join(pages_text(delivery_note_pdf(shipment, COOPERATIVE)))
    assert "Palety (SSCC)" in text and "Liczba palet: 2" in text
    for pallet, quantity in zip(pallets, ("60", "40"), strict=True):
        assert f"{pallet.sscc} {format_code(batch.code)} {batch.product.name} {quantity} kpl." \
            in text
    loose_order, soap = done_batch(line="soap", unit="pcs")
    no_pallets = _loose(loose_order, soap, "5", manager)
    assert "bez palet" in " ".join(pages_text(delivery_note_pdf(no_pallets, COOPERATIVE)))


def test_office_portal_and_api_show_the_pallets_of_that_shipment_only_to_its_firm(
        gs1, two_partners, done_batch, make_product, make_order, manager, signed_in,  # noqa: F811
        sign_in_as, api):  # noqa: F811
    kit = make_product(line="copack", unit="set")
    order, batch = done_batch(order=make_order(partner=two_partners.alfa, product=kit,
                                               quantity="100"))
    shipped, kept = build_pallet(batch, Decimal(70), manager), build_pallet(
        batch, Decimal(30), manager)
    shipment = ship_pallets(order, [shipped], manager)

    office = signed_in("supervisor").get(f"/shipments/{shipment.id}").get_data(as_text=True)
    assert shipped.sscc in office and kept.sscc not in office
    portal = sign_in_as(two_partners.alfa_user)
    page = portal.get(f"/portal/orders/{order.id}").get_data(as_text=True)
    assert shipped.sscc in page and kept.sscc not in page
    token = create_token(two_partners.alfa_user, "BI", "read").secret
    body = api.get(f"/api/v1/shipments/{shipment.id}", token).json
    assert body["ssccs"] == [shipped.sscc]
    assert body["pallets"] == [{"sscc": shipped.sscc, "batch_id": batch.id,
                                "batch_code": batch.code, "product_code": kit.code,
                                "quantity": "70.000"}]
    beta = create_token(two_partners.beta_user, "BI", "read").secret
    assert api.get(f"/api/v1/shipments/{shipment.id}", beta).status_code == 404
    assert sign_in_as(two_partners.beta_user).get(
        f"/portal/orders/{order.id}").status_code == 404


def test_the_shipping_form_ships_ticked_pallets_and_explains_a_refusal(
        gs1, done_batch, manager, signed_in, db_session):  # noqa: F811
    order, batch = done_batch(good="100")
    client = signed_in("manager", username="office")
    url = f"/shipments/new/{order.id}"
    nothing = client.submit(url, {"shipped_on": TODAY.isoformat()})
    assert nothing.status_code == 422
    body = nothing.get_data(as_text=True)
    assert 'id="pallets-error"' in body and "SSCC" in body
    pallet, _other = build_pallet(batch, Decimal(50), manager), build_pallet(
        batch, Decimal(50), manager)
    form = client.get(url).get_data(as_text=True)
    assert f'name="pallets" value="{pallet.id}"' in form and pallet.sscc in form
    sent = client.submit(url, {"shipped_on": TODAY.isoformat(), "pallets": str(pallet.id)})
    assert sent.status_code == 302
    db_session.expire_all()
    [shipment] = db_session.scalars(select(Shipment)).all()
    assert [p.id for p in shipment.pallets] == [pallet.id]
    again = client.submit(url, {"shipped_on": TODAY.isoformat(), "pallets": str(pallet.id)})
    assert again.status_code == 422 and shipment.number in again.get_data(as_text=True)
