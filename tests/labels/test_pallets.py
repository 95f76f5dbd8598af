"""Pallets: SSCC check digits and serial capacity, a quantity of one finished batch per
pallet (never more than is left), a voided pallet's SSCC never issued again, reprints with
the same SSCC that scan as (00)+SSCC, and the batch page that builds, lists and voids them."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from shopfloor.errors import DomainError
from shopfloor.labels.gs1 import Gs1Error, check_digit, is_valid_sscc, make_sscc, sscc_capacity
from shopfloor.labels.models import Pallet
from shopfloor.labels.pallets import build_pallet, pallet_label, void_pallet
from shopfloor.shipping.models import DocumentCounter
from tests.labels.pallet_fixtures import done_batch, gs1, ship_pallets  # noqa: F401


def _pallets(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Pallet))


def test_the_sscc_check_digit_of_the_gs1_worked_example():
    # (00) 1 0614141 123456789 -> check digit 7 (domain.md section 4, GS1 Gen Specs 7.9.1)
    assert check_digit("10614141123456789") == "7"
    assert make_sscc(1, "0614141", 123456789) == "106141411234567897"
    assert is_valid_sscc("106141411234567897")
    assert not is_valid_sscc("106141411234567890")


def test_the_serial_reference_fills_what_the_prefix_leaves():
    assert sscc_capacity("0614141") == 10 ** 9  # 7-digit prefix: 9-digit serials
    assert sscc_capacity("0614141000") == 10 ** 6  # 10-digit prefix: 6-digit serials
    assert make_sscc(1, "0614141", 0)[8:17] == "000000000"
    last = make_sscc(1, "0614141", 10 ** 9 - 1)
    assert last[8:17] == "999999999" and is_valid_sscc(last)
    with pytest.raises(Gs1Error):
        make_sscc(1, "0614141", 10 ** 9)


def test_the_last_serial_of_a_prefix_is_issued_and_then_pallets_are_refused(
        app, gs1, done_batch, manager, db_session):  # noqa: F811
    gs1("0614141000", 1)  # 10-digit prefix: serials 0 to 999 999
    _order, batch = done_batch()
    db_session.add(DocumentCounter(series="SSCC1", year=0, last_number=10 ** 6 - 2))
    db_session.commit()
    last = build_pallet(batch, Decimal(10), manager)
    assert last.sscc[11:17] == "999999" and is_valid_sscc(last.sscc)
    with pytest.raises(DomainError, match="0614141000"):
        build_pallet(batch, Decimal(10), manager)
    assert _pallets(db_session) == 1


def test_a_pallet_holds_at_most_what_is_left_of_its_batch(gs1, done_batch, manager,  # noqa: F811
                                                          db_session):
    _order, batch = done_batch(good="100")
    first = build_pallet(batch, Decimal(60), manager)
    with pytest.raises(DomainError) as refused:
        build_pallet(batch, Decimal(41), manager)
    assert refused.value.field == "quantity" and "40" in str(refused.value.message)
    second = build_pallet(batch, Decimal(40), manager)  # exactly the remainder
    with pytest.raises(DomainError):
        build_pallet(batch, Decimal(1), manager)
    assert [p.quantity for p in (first, second)] == [Decimal(60), Decimal(40)]
    assert _pallets(db_session) == 2
    for wrong in (Decimal(0), Decimal(-3), Decimal("1.5"), None):
        with pytest.raises(DomainError):
            build_pallet(batch, wrong, manager)


def test_weighed_goods_go_on_pallets_in_parts_and_unfinished_batches_not_at_all(
        gs1, done_batch, make_batch, manager):  # noqa: F811
    order, batch = done_batch(line="soap", unit="kg", good="12.5")
    assert build_pallet(batch, Decimal("12.5"), manager).quantity == Decimal("12.5")
    planned = make_batch(order_line=order.lines[0], quantity="10")
    with pytest.raises(DomainError, match="zakończona partia"):
        build_pallet(planned, Decimal(1), manager)


def test_a_voided_pallet_keeps_its_sscc_which_is_never_issued_again(
        app, gs1, done_batch, manager, db_session):  # noqa: F811
    from shopfloor import create_app
    from shopfloor.labels.services import allocate_sscc
    from tests.conftest import app_config

    _order, batch = done_batch(good="100")
    pallet = build_pallet(batch, Decimal(100), manager)
    void_pallet(pallet, manager, "Broken stretch film, repacked")
    with pytest.raises(DomainError, match="jest już anulowana"):
        void_pallet(pallet, manager)
    again = build_pallet(batch, Decimal(100), manager)  # its units are free again
    assert again.sscc != pallet.sscc
    assert int(again.sscc[8:17]) == int(pallet.sscc[8:17]) + 1
    kept = db_session.get(Pallet, pallet.id)
    assert kept.voided_at is not None and kept.void_reason == "Broken stretch film, repacked"
    # The counter lives in the database: a restarted app goes on from there.
    restarted = create_app(app_config(app.config["SQLALCHEMY_DATABASE_URI"],
                                      gs1={"company_prefix": "0614141", "extension_digit": 1}))
    with restarted.app_context():
        assert int(allocate_sscc()[8:17]) == int(again.sscc[8:17]) + 1


def test_a_shipped_pallet_cannot_be_voided(gs1, done_batch, manager):  # noqa: F811
    order, batch = done_batch(good="100")
    pallet = build_pallet(batch, Decimal(50), manager)
    shipment = ship_pallets(order, [pallet], manager)
    with pytest.raises(DomainError, match=shipment.number):
        void_pallet(pallet, manager)


def test_a_reprint_draws_the_same_sscc_with_the_pallets_count_and_scans(
        gs1, done_batch, manager, signed_in, db_session):  # noqa: F811
    _order, batch = done_batch(good="100")
    pallet = build_pallet(batch, Decimal(48), manager)
    counter = db_session.get(DocumentCounter, ("SSCC1", 0)).last_number
    client = signed_in("supervisor")
    for _ in range(2):
        png = client.get(f"/labels/pallets/{pallet.id}.png")
        assert png.status_code == 200
        [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))
        assert found.content_type == zxingcpp.ContentType.GS1
        assert found.text == "(00)" + pallet.sscc
    assert client.get(f"/labels/pallets/{pallet.id}.pdf").data.startswith(b"%PDF")
    by_code = client.get(f"/labels/pallet.zpl?codes={batch.code}").get_data(as_text=True)
    assert f">;>800{pallet.sscc}" in by_code and by_code.count("^XA") == 1
    db_session.expire_all()
    assert db_session.get(DocumentCounter, ("SSCC1", 0)).last_number == counter
    assert _pallets(db_session) == 1
    label = pallet_label(pallet)
    assert label.sscc == f"1 0614141 {pallet.sscc[8:17]} {pallet.sscc[17]}"
    assert label.count.startswith("48 ")
    void_pallet(pallet, manager)
    assert client.get(f"/labels/pallets/{pallet.id}.png").status_code == 404


def test_the_batch_page_builds_lists_and_voids_pallets(gs1, done_batch, signed_in,  # noqa: F811
                                                       db_session):
    _order, batch = done_batch(good="100")
    client = signed_in("supervisor")
    page = f"/batches/{batch.id}"
    built = client.submit(f"/labels/batches/{batch.id}/pallets", {"quantity": "60"}, page=page)
    assert built.status_code == 302
    [pallet] = db_session.scalars(select(Pallet)).all()
    html = client.get(page).get_data(as_text=True)
    assert pallet.sscc in html and f"/labels/pallets/{pallet.id}.pdf" in html
    refused = client.submit(f"/labels/batches/{batch.id}/pallets", {"quantity": "41"}, page=page)
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert 'id="pallet-quantity-error"' in body and "40" in body and 'value="41"' in body
    assert _pallets(db_session) == 1
    voided = client.submit(f"/labels/pallets/{pallet.id}/void", {"reason": "Repacked"},
                           page=page)
    assert voided.status_code == 302
    db_session.expire_all()
    assert db_session.get(Pallet, pallet.id).voided_at is not None
    assert "Repacked" in client.get(page).get_data(as_text=True)


def test_pallets_need_a_company_prefix(done_batch, manager, signed_in):  # noqa: F811
    _order, batch = done_batch()
    with pytest.raises(DomainError, match="gs1.company_prefix"):
        build_pallet(batch, Decimal(1), manager)
    page = signed_in("supervisor").get(f"/batches/{batch.id}").get_data(as_text=True)
    assert "gs1.company_prefix" in page


def test_scanning_a_pallet_label_finds_its_batch_unless_voided(app, gs1, done_batch,  # noqa: F811
                                                               manager):
    from shopfloor.scanning.services import resolve_scan

    _order, batch = done_batch()
    pallet = build_pallet(batch, Decimal(5), manager)
    with app.test_request_context():
        found = resolve_scan(f"\x1d00{pallet.sscc}", manager)
        unknown = resolve_scan("00106141410000009999", manager)
    assert found.accepted and found.kind == "batch" and found.code == batch.code
    assert pallet.sscc in found.title
    assert not unknown.accepted
    void_pallet(pallet, manager)
    with app.test_request_context():
        assert not resolve_scan(f"\x1d00{pallet.sscc}", manager).accepted
