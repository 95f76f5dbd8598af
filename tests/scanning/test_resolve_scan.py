"""resolve_scan and the scan screen: every input a scanner sends, and what it may not match."""

from __future__ import annotations

import io
import re

import pytest
import qrcode
from sqlalchemy import select

from shopfloor.codes import format_code
from shopfloor.scanning.models import ScanEvent
from shopfloor.scanning.services import resolve_scan


@pytest.fixture
def batch(make_batch):
    return make_batch(releasable=True)


def last_event(db_session) -> ScanEvent:
    return db_session.scalars(select(ScanEvent).order_by(ScanEvent.id.desc())).first()


@pytest.mark.parametrize("shape", [
    lambda c: c, lambda c: c.lower(), lambda c: format_code(c), lambda c: f" {format_code(c)}\r\n",
    lambda c: f"https://shop.example.org/s/{c}", lambda c: f"http://127.0.0.1:5000/s/{c}/",
])
def test_a_batch_is_found_however_the_code_arrives(app, batch, manager, db_session, shape):
    with app.test_request_context():
        result = resolve_scan(shape(batch.code), manager, station="Stół 2")
    assert result.accepted and result.kind == "batch" and result.code == batch.code
    assert result.url == f"/batches/{batch.id}"
    assert [a.status for a in result.actions] == ["released"]
    event = last_event(db_session)
    assert (event.kind, event.code, event.accepted, event.station) == (
        "batch", batch.code, True, "Stół 2")
    assert event.user_id == manager.id


def test_a_wrong_check_character_is_refused_and_logged(app, batch, manager, db_session):
    typo = batch.code[:-1] + ("2" if batch.code[-1] != "2" else "3")
    with app.test_request_context():
        result = resolve_scan(typo, manager)
    assert not result.accepted and result.kind == "invalid"
    assert "błędny znak kontrolny" in result.message
    event = last_event(db_session)
    assert (event.accepted, event.code, event.raw) == (False, None, typo)


def test_an_unknown_but_well_formed_code_is_not_matched(app, manager):
    from shopfloor.codes import new_code

    with app.test_request_context():
        result = resolve_scan(new_code("B"), manager)
    assert (result.accepted, result.kind) == (False, "unknown")


def test_a_half_read_code_is_refused(app, batch, manager):
    with app.test_request_context():
        result = resolve_scan(batch.code[:5], manager)
    assert not result.accepted


def test_lots_orders_and_delivery_notes_resolve(app, make_lot, make_order, manager):
    lot, order = make_lot(), make_order()
    with app.test_request_context():
        assert resolve_scan(lot.code, manager).url == f"/lots/{lot.id}"
        assert resolve_scan(order.code, manager).kind == "order"
        missing = resolve_scan("WZ/2026/0099", manager)
    assert not missing.accepted and "WZ/2026/0099" in missing.message


def test_a_gs1_barcode_finds_the_lot_by_gtin_and_supplier_lot(app, make_lot, manager):
    from shopfloor.catalog.services import save_material

    material = save_material("EAN-BOX", "Karton", "pcs", manager, gtin="4006381333931")
    lot = make_lot(material=material, supplier_lot="ABC123")
    with app.test_request_context():
        found = resolve_scan("(01)04006381333931(10)ABC123", manager)
        raw_form = resolve_scan("]C10104006381333931\x1d10ABC123", manager)
        bad = resolve_scan("(01)04006381333932(10)ABC123", manager)
    assert found.accepted and found.code == lot.code
    assert raw_form.accepted and raw_form.code == lot.code
    assert not bad.accepted and bad.kind == "invalid"


def test_a_partners_return_number_finds_its_garments_batch(app, make_batch, make_product,
                                                           manager):
    garments = make_batch(product=make_product(line="garments"), record={"items": [
        {"rma": "RMA-77123", "sku": "KRT-01", "reason": "size"}]})
    with app.test_request_context():
        result = resolve_scan("RMA-77123", manager)
        near_miss = resolve_scan("RMA-7712", manager)
    assert result.accepted and result.kind == "return" and result.url == f"/batches/{garments.id}"
    assert not near_miss.accepted


def test_a_qr_link_opens_the_page_after_sign_in(client, batch, make_user):
    response = client.get(f"/s/{batch.code}")
    assert response.status_code == 302 and "/sign-in?next=/s/" in response.headers["Location"]
    make_user(username="ola", role="supervisor")
    response = client.submit(f"/sign-in?next=/s/{batch.code}", {
        "username": "ola", "password": "correct horse battery", "next": f"/s/{batch.code}"},
        page=f"/sign-in?next=/s/{batch.code}")
    assert response.headers["Location"] == f"/s/{batch.code}"
    assert client.get(f"/s/{batch.code}").headers["Location"] == f"/batches/{batch.id}"
    typo = batch.code[:-1] + ("2" if batch.code[-1] != "2" else "3")
    refused = client.get(f"/s/{typo}")
    assert refused.status_code == 404
    assert "Ten link nie zawiera poprawnego kodu" in refused.get_data(as_text=True)


def test_one_scan_and_one_tap_move_a_batch(signed_in, batch, db_session):
    client = signed_in("supervisor")
    response = client.submit("/scan", {"raw": batch.code, "station": "Tablet 1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Zwolnij" in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = client.submit(f"/batches/{batch.id}/move", {
        "status": "released", "version": version, "next": "/scan"}, page="/scan")
    assert response.headers["Location"] == "/scan"
    db_session.expire_all()
    assert db_session.get(type(batch), batch.id).status == "released"
    assert "ma teraz stan: Zwolniona" in client.get("/scan").get_data(as_text=True)


def test_a_refused_scan_shows_why(signed_in):
    client = signed_in("supervisor")
    response = client.submit("/scan", {"raw": "hello"})
    assert response.status_code == 422
    assert "nie jest kodem, który Shopfloor zna" in response.get_data(as_text=True)


def test_the_api_answers_kind_code_url_actions(signed_in, batch):
    client = signed_in("supervisor")
    token = client.token("/scan")
    response = client.client.post("/api/v1/scans/", json={"raw": format_code(batch.code)},
                                  headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.json == {"kind": "batch", "code": batch.code, "url": f"/batches/{batch.id}",
                             "message": "", "actions": [{"status": "released",
                                                         "label": "Zwolnij"}]}
    unknown = client.client.post("/api/v1/scans/", json={"raw": "B2222222"},
                                 headers={"X-CSRFToken": token})
    assert unknown.status_code == 422  # B2222222 fails its check character
    assert "błędny znak kontrolny" in unknown.json["error"]["message"]
    missing = client.client.post("/api/v1/scans/", json={}, headers={"X-CSRFToken": token})
    assert missing.status_code == 422 and "raw" in missing.json["error"]["errors"]["json"]


def test_the_api_needs_a_signed_in_user(client):
    assert client.client.post("/api/v1/scans/", json={"raw": "x"}).status_code in (400, 401)


def qr_png(text: str) -> bytes:
    image = qrcode.make(text)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_camera_frame_is_decoded_on_the_server(signed_in, batch):
    client = signed_in("supervisor")
    token = client.token("/scan")
    frame = qr_png(f"http://127.0.0.1:5000/s/{batch.code}")
    response = client.client.post("/scan/frame", data={"frame": (io.BytesIO(frame), "f.png")},
                                  headers={"X-CSRFToken": token})
    assert response.json == {"found": True, "text": f"http://127.0.0.1:5000/s/{batch.code}"}
    garbage = client.client.post("/scan/frame",
                                 data={"frame": (io.BytesIO(b"not an image"), "f.png")},
                                 headers={"X-CSRFToken": token})
    assert garbage.status_code == 422 and garbage.json["message"] == "Ten plik nie jest obrazem."


def test_our_item_code_on_a_garment_tag_finds_its_batch(app, make_batch, make_product, manager):
    garments = make_batch(product=make_product(line="garments"), record={"items": [
        {"rma": "RMA-1", "sku": "KRT-01", "reason": "size"}]})
    item_code = garments.record["items"][0]["item_code"]
    assert item_code.startswith("R")
    with app.test_request_context():
        result = resolve_scan(format_code(item_code), manager)
    assert result.accepted and result.url == f"/batches/{garments.id}"
