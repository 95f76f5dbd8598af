"""GET /api/v1/batches, /api/v1/shipments (with the delivery-note PDF) and an order's lines:
staff see everything, a partner's token only its own firm's (another firm's is 404 by id,
by guessed id and by huge id); lists page and filter; reads answer 304 to If-None-Match."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from sqlalchemy import update

from shopfloor.audit.models import AuditEntry
from shopfloor.auth.tokens import create_token
from shopfloor.production.models import Batch
from shopfloor.production.services import AllocationData, move_batch, plan_batch
from tests.shipping.test_shipments import finished_batch, ship  # noqa: F401 (fixture)


@pytest.fixture
def shipped(firms, make_order, finished_batch, manager):  # noqa: F811
    """Alfa's order with a finished batch shipped in part, Alfa's second order with a planned
    batch, Beta's order with a planned batch; read tokens for each firm and the manager."""
    alfa_order = make_order(partner=firms.alfa, product=firms.soap, reference="ALFA/77")
    _order, done = finished_batch(order=alfa_order, good="100", quantity="100")
    shipment = ship(alfa_order, done, "40", manager)
    second = make_order(partner=firms.alfa, product=firms.alfa_only, reference="ALFA/78")
    planned = plan_batch(firms.alfa_only.id, Decimal(30),
                         [AllocationData(second.lines[0].id, Decimal(30))], manager)
    beta_order = make_order(partner=firms.beta, product=firms.soap, reference="BETA/12")
    beta_batch = plan_batch(firms.soap.id, Decimal(50),
                            [AllocationData(beta_order.lines[0].id, Decimal(50))], manager)
    firms.__dict__.update(
        alfa_order=alfa_order, done=done, shipment=shipment, second=second, planned=planned,
        beta_order=beta_order, beta_batch=beta_batch,
        beta_read=create_token(firms.beta_orderer, "BI", "read").secret,
        staff_read=create_token(firms.boss, "BI", "read").secret)
    return firms


def ids(response) -> list[int]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [row["id"] for row in response.get_json()]


def test_a_partner_lists_the_batches_of_its_orders_and_staff_list_all(api, shipped):
    data = shipped
    assert ids(api.get("/api/v1/batches/", data.read)) == [data.planned.id, data.done.id]
    assert ids(api.get("/api/v1/batches/", data.beta_read)) == [data.beta_batch.id]
    assert ids(api.get("/api/v1/batches/", data.staff_read)) == [
        data.beta_batch.id, data.planned.id, data.done.id]


def test_a_batch_shows_quantities_status_and_the_order_lines_it_serves(api, shipped):
    data = shipped
    batch = api.get(f"/api/v1/batches/{data.done.id}", data.read).get_json()
    assert batch["code"] == data.done.code and batch["status"] == "done"
    assert (batch["planned_quantity"], batch["good_quantity"], batch["rejected_quantity"]) == (
        "100.000", "100.000", "1.000")
    assert batch["product_code"] == "MYD-LAW" and batch["finished_at"]
    assert batch["order_lines"] == [{
        "order_id": data.alfa_order.id, "order_code": data.alfa_order.code,
        "order_line_id": data.alfa_order.lines[0].id, "line_no": 1, "quantity": "100.000",
        "order_url": f"/api/v1/orders/{data.alfa_order.id}"}]


def test_batch_filters_by_status_order_and_last_change(api, shipped, db_session, manager):
    data = shipped
    assert ids(api.get("/api/v1/batches/?status=planned", data.read)) == [data.planned.id]
    assert ids(api.get(f"/api/v1/batches/?order_id={data.alfa_order.id}", data.read)) == [
        data.done.id]
    # Another firm's order filters to nothing rather than to its batches.
    assert ids(api.get(f"/api/v1/batches/?order_id={data.beta_order.id}", data.read)) == []
    # Everything so far happened yesterday; then one batch is put on hold.
    yesterday = datetime.now(UTC) - timedelta(days=1)
    db_session.execute(update(Batch).values(created_at=yesterday))
    db_session.execute(update(AuditEntry).values(at=yesterday))
    db_session.commit()
    since = quote((datetime.now(UTC) - timedelta(hours=1)).isoformat())
    assert ids(api.get(f"/api/v1/batches/?updated_since={since}", data.read)) == []
    move_batch(data.planned, "on_hold", manager, reason="waiting for the moulds")
    assert ids(api.get(f"/api/v1/batches/?updated_since={since}", data.read)) == [
        data.planned.id]
    assert ids(api.get(f"/api/v1/batches/?updated_since={since}", data.beta_read)) == []
    refused = api.get("/api/v1/batches/?status=lost&order_id=x", data.read)
    assert refused.status_code == 422
    assert {"status", "order_id"} <= set(refused.get_json()["error"]["errors"]["query"])


def test_shipments_list_detail_and_delivery_note(api, shipped):
    data = shipped
    assert ids(api.get("/api/v1/shipments/", data.read)) == [data.shipment.id]
    assert ids(api.get("/api/v1/shipments/", data.beta_read)) == []
    assert ids(api.get("/api/v1/shipments/", data.staff_read)) == [data.shipment.id]
    assert ids(api.get(f"/api/v1/shipments/?order_id={data.second.id}", data.read)) == []
    detail = api.get(f"/api/v1/shipments/{data.shipment.id}", data.read).get_json()
    assert detail["number"] == data.shipment.number and detail["carrier"] == "DPD"
    assert detail["lines"] == [{
        "order_line_id": data.alfa_order.lines[0].id, "line_no": 1, "product_code": "MYD-LAW",
        "product_name": data.soap.name, "unit": "pcs", "quantity": "40.000",
        "batch_id": data.done.id, "batch_code": data.done.code}]
    pdf = api.get(detail["delivery_note_url"], data.read)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.get_data().startswith(b"%PDF")
    assert api.get(detail["delivery_note_url"], data.staff_read).status_code == 200


def test_an_order_s_lines(api, shipped):
    data = shipped
    lines = api.get(f"/api/v1/orders/{data.alfa_order.id}/lines", data.read).get_json()
    assert [(line["product_code"], line["quantity"], line["shipped"]) for line in lines] == [
        ("MYD-LAW", "100.000", "40.000")]
    assert api.get(f"/api/v1/orders/{data.beta_order.id}/lines",
                   data.staff_read).status_code == 200


@pytest.mark.parametrize("path", [
    "/api/v1/batches/{batch}", "/api/v1/shipments/{shipment}",
    "/api/v1/shipments/{shipment}/delivery-note.pdf", "/api/v1/orders/{order}/lines",
    "/api/v1/orders/{order}"])
def test_another_firm_s_records_are_not_found_by_any_id(api, shipped, path):
    data = shipped
    own = {"batch": data.done.id, "shipment": data.shipment.id, "order": data.alfa_order.id}
    assert api.get(path.format(**own), data.read).status_code == 200
    guesses = [own, {k: v + 1000 for k, v in own.items()}, {k: 0 for k in own},
               {k: 2**31 - 1 for k in own}, {k: 2**31 for k in own},
               {k: 99999999999 for k in own}, {k: 10**30 for k in own}]
    for guess in guesses:
        response = api.get(path.format(**guess), data.beta_read)
        assert response.status_code == 404, (path, guess)
        text = response.get_data(as_text=True)
        assert data.alfa_order.code not in text and data.shipment.number not in text
        assert response.get_json()["error"]["code"] == 404
    # Staff too get 404, not a database error, for ids no table holds.
    for guess in guesses[3:]:
        assert api.get(path.format(**guess), data.staff_read).status_code == 404


def test_a_scrapped_batch_is_not_shown_to_the_partner(api, shipped, manager):
    data = shipped
    move_batch(data.planned, "scrapped", manager, reason="spilt")
    assert ids(api.get("/api/v1/batches/", data.read)) == [data.done.id]
    assert api.get(f"/api/v1/batches/{data.planned.id}", data.read).status_code == 404
    assert api.get(f"/api/v1/batches/{data.planned.id}", data.staff_read).status_code == 200


@pytest.mark.parametrize("path", [
    "/api/v1/batches/", "/api/v1/batches/{batch}", "/api/v1/shipments/",
    "/api/v1/shipments/{shipment}", "/api/v1/orders/{order}/lines"])
def test_a_repeated_read_with_its_etag_answers_304(api, shipped, path):
    data = shipped
    path = path.format(batch=data.done.id, shipment=data.shipment.id, order=data.alfa_order.id)
    first = api.get(path, data.read)
    etag = first.headers["ETag"]
    again = api.get(path, data.read, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert api.get(path, data.read, **{"If-None-Match": '"stale"'}).status_code == 200


def test_a_changed_list_answers_in_full_with_a_new_etag(api, shipped, manager):
    data = shipped
    etag = api.get("/api/v1/batches/", data.read).headers["ETag"]
    move_batch(data.planned, "on_hold", manager, reason="waiting for the moulds")
    changed = api.get("/api/v1/batches/", data.read, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()[0]["status"] == "on_hold"


@pytest.mark.parametrize("path", ["/api/v1/batches/", "/api/v1/shipments/",
                                  "/api/v1/orders/"])
def test_pages_far_past_the_end_are_empty_and_bad_paging_is_refused(api, shipped, path):
    data = shipped
    first = api.get(f"{path}?page_size=1", data.staff_read)
    assert '"total": ' in first.headers["X-Pagination"] and len(first.get_json()) == 1
    for page in (50, 2**31, 10**20):
        assert api.get(f"{path}?page={page}", data.staff_read).get_json() == []
    for query in ("page=0", "page=-1", "page_size=1000", "page=x", "updated_since=yesterday",
                  "updated_since=2026-11-28T10:00:00"):  # no time zone
        response = api.get(f"{path}?{query}", data.staff_read)
        assert response.status_code == 422, query
    # Moments at the ends of the calendar mean "everything" and "nothing", not an error.
    assert len(api.get(f"{path}?updated_since=0001-01-01T00:00:00%2B01:00",
                       data.staff_read).get_json()) > 0
    assert api.get(f"{path}?updated_since=9999-12-31T23:59:59-23:59",
                   data.staff_read).get_json() == []
