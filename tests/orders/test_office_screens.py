"""The office screens through the test client: the whole path from partner to shipment."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from shopfloor.materials.models import MaterialLot
from shopfloor.orders.models import Order
from shopfloor.shipping.models import Shipment
from shopfloor.timeutil import local_today


def location_id(response) -> int:
    return int(re.search(r"/(\d+)(?:/|$)", response.headers["Location"]).group(1))


def text(response) -> str:
    return response.get_data(as_text=True)


def version_on(client, url: str) -> str:
    """The record version the page's forms carry, as a browser would send it back."""
    return re.search(r'name="version"[^>]*value="(\d+)"', text(client.get(url))).group(1)


def test_a_manager_goes_from_partner_to_delivery_note(signed_in, db_session, app,
                                                     make_soap_version, make_lot):
    client = signed_in("manager")
    today = local_today()

    # Partner: an invalid NIP is refused next to the field, and what was typed stays.
    response = client.submit("/partners/new", {
        "name": "Mydlarnia Łąka Sp. z o.o.", "nip": "526-000-12-47", "lines": ["soap"],
        "city": "Radom", "contacts-0-name": "Ewa Nowak", "contacts-0-email": "ewa@laka.example",
        "active": "y"})
    assert response.status_code == 422
    page = text(response)
    assert 'id="nip-error">Ten NIP jest nieprawidłowy' in page
    assert 'value="Mydlarnia Łąka Sp. z o.o."' in page
    response = client.submit("/partners/new", {
        "name": "Mydlarnia Łąka Sp. z o.o.", "nip": "526-000-12-46", "lines": ["soap"],
        "city": "Radom", "contacts-0-name": "Ewa Nowak", "contacts-0-email": "ewa@laka.example",
        "active": "y"})
    assert response.status_code == 302
    partner_id = location_id(response)
    assert "Ewa Nowak" in text(client.get(f"/partners/{partner_id}"))

    # Product and material.
    assert client.submit("/products/new", {
        "code": "MYD-LAW-100", "name": "Mydło lawendowe 100 g", "line": "soap", "unit": "pcs",
        "standard_minutes": "1,5", "partner_id": "", "active": "y",
    }).status_code == 302
    assert client.submit("/materials/new", {"code": "FO-LAW", "name": "Olejek lawendowy",
                                            "unit": "kg", "active": "y"}).status_code == 302
    product_id = db_session.execute(select(Order.id)).first()  # no orders yet
    assert product_id is None

    # Goods-in: the lot starts in quarantine; a batch cannot use it until it is approved.
    from shopfloor.catalog.models import Material, Product

    material = db_session.scalar(select(Material).where(Material.code == "FO-LAW"))
    product = db_session.scalar(select(Product).where(Product.code == "MYD-LAW-100"))
    response = client.submit("/lots/receive", {
        "material_id": str(material.id), "owner_partner_id": "", "supplier": "Aromaty S.A.",
        "supplier_lot": "FO-2611", "received_on": today.isoformat(), "quantity": "5"})
    assert response.status_code == 302
    lot_id = location_id(response)
    lot = db_session.get(MaterialLot, lot_id)
    assert lot.status == "quarantine"

    # Order: a past due date is refused on its row, the rest stays typed.
    form = {"partner_id": str(partner_id), "partner_reference": "PO-ŁĄKA-7",
            "lines-0-product_id": str(product.id), "lines-0-quantity": "100",
            "lines-0-due_date": (today - timedelta(days=1)).isoformat()}
    response = client.submit("/orders/new", form)
    assert response.status_code == 422
    assert "Termin jest w przeszłości." in text(response)
    assert 'value="PO-ŁĄKA-7"' in text(response)
    form["lines-0-due_date"] = (today + timedelta(days=10)).isoformat()
    response = client.submit("/orders/new", form)
    assert response.status_code == 302
    order_id = location_id(response)
    response = client.submit(f"/orders/{order_id}/status", {
        "status": "confirmed", "version": version_on(client, f"/orders/{order_id}")},
                             page=f"/orders/{order_id}")
    assert response.status_code == 302
    assert "Potwierdzone" in text(client.get(f"/orders/{order_id}"))

    # Plan a batch from the order line; record, consume, run it through QC.
    order = db_session.get(Order, order_id)
    line_id = order.lines[0].id
    page = text(client.get(f"/batches/new?order_line={line_id}"))
    assert "Do zamówienia" in page
    response = client.submit(f"/batches/new?order_line={line_id}", {
        "order_line": str(line_id), "product_id": str(product.id), "planned_quantity": "100",
        "allocated_quantity": "100"}, page=f"/batches/new?order_line={line_id}")
    assert response.status_code == 302
    batch_id = location_id(response)
    batch_url = f"/batches/{batch_id}"

    response = client.submit(f"{batch_url}/consume", {"lot": lot.code, "quantity": "1"},
                             page=batch_url)
    assert response.status_code == 422
    assert "jest w kwarantannie" in text(response)
    lot_url = f"/lots/{lot_id}"
    assert client.submit(f"{lot_url}/status", {"status": "approved",
                                               "version": version_on(client, lot_url)},
                         page=f"/lots/{lot_id}").status_code == 302
    typo = lot.code[:-1] + ("2" if lot.code[-1] != "2" else "3")
    response = client.submit(f"{batch_url}/consume", {"lot": typo, "quantity": "1"},
                             page=batch_url)
    assert "nie jest kodem partii materiału" in text(response)
    response = client.submit(f"{batch_url}/consume", {
        "lot": f"{lot.code[0]}-{lot.code[1:5]}-{lot.code[5:]}".lower(), "quantity": "1,5"},
        page=batch_url)
    assert response.status_code == 302

    # The record: a bad temperature is refused on its table, with what was typed kept.
    version = make_soap_version()
    record = {"record-recipe_version_id": str(version.id), "record-mould": "M-12",
              "record-temperatures-0-stage": "melt",
              "record-temperatures-0-temperature_c": "gorąco",
              "record-temperatures-0-at": f"{today.isoformat()}T09:00",
              "record-temperatures-1-stage": "pour", "record-temperatures-1-temperature_c": "61",
              "record-temperatures-1-at": f"{today.isoformat()}T09:40"}
    response = client.submit(f"{batch_url}/record", {
        **record, "version": version_on(client, batch_url)}, page=batch_url)
    assert response.status_code == 422
    assert 'id="record-temperatures-error"' in text(response)
    assert 'value="gorąco"' in text(response)
    record["record-temperatures-0-temperature_c"] = "58"
    response = client.submit(f"{batch_url}/record", {
        **record, "version": version_on(client, batch_url)}, page=batch_url)
    assert response.status_code == 302

    for status in ("released", "in_progress"):
        assert client.submit(f"{batch_url}/move", {
            "status": status, "version": version_on(client, batch_url)},
            page=batch_url).status_code == 302
    response = client.submit(f"{batch_url}/output", {
        "good_quantity": "97", "rejects-0-reason": "pęcherze", "rejects-0-quantity": "3",
        "version": version_on(client, batch_url)}, page=batch_url)
    assert response.status_code == 302
    # The recipe's base and fragrance weighed as planned: 100 bars × 102 g × 98 % and 2 %.
    for item, kilograms in zip(version.items, ("9.996", "0.204"), strict=True):
        lot = make_lot(quantity="20", material=item.ingredient.material)
        assert client.submit(f"{batch_url}/consume", {"lot": lot.code, "quantity": kilograms},
                             page=batch_url).status_code == 302
    record.update({"record-wrapped_at": f"{today.isoformat()}T12:00", "reason": "z karty",
                   **{f"record-check_weights-{i}-mass": "102,5" for i in range(5)}})
    response = client.submit(f"{batch_url}/record", {
        **record, "version": version_on(client, batch_url)}, page=batch_url)
    assert response.status_code == 302
    assert 'id="check-weighing-verdict"' in text(client.get(batch_url))
    for status in ("awaiting_qc", "done"):
        response = client.submit(f"{batch_url}/move", {
            "status": status, "version": version_on(client, batch_url)}, page=batch_url)
        assert response.status_code == 302, text(response)
    # 97 good of 100 ordered: the order is still in production, but what is made can ship.
    assert "W produkcji" in text(client.get(f"/orders/{order_id}"))

    # Shipping more than was made is refused; then ship 60 and get the WZ PDF.
    name = f"qty-{line_id}-{batch_id}"
    response = client.submit(f"/shipments/new/{order_id}", {
        name: "98", "shipped_on": today.isoformat(), "carrier": "DPD"})
    assert response.status_code == 422
    assert "ma do wysłania tylko 97" in text(response)
    assert 'value="98"' in text(response)
    response = client.submit(f"/shipments/new/{order_id}", {
        name: "60", "shipped_on": today.isoformat(), "carrier": "DPD"})
    assert response.status_code == 302
    shipment = db_session.scalar(select(Shipment))
    assert shipment.number == f"WZ/{today.year}/0001"
    pdf = client.get(f"/shipments/{shipment.id}/wz.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert "Częściowo wysłane" in text(client.get(f"/orders/{order_id}"))

    # Traceability: from the supplier's lot number to the partner and back from the WZ.
    page = text(client.get("/trace/?q=FO-2611"))
    assert "Mydlarnia Łąka Sp. z o.o." in page and shipment.number in page
    assert "ewa@laka.example" in page
    csv_text = text(client.get("/trace/recall.csv?q=FO-2611"))
    assert "quarantine_stock" in csv_text and ",37," in csv_text  # 97 made, 60 shipped
    back = text(client.get(f"/trace/?q={shipment.number}"))
    assert "FO-2611" in back

    # History on the batch page shows who moved it and the audited record edit.
    page = text(client.get(batch_url))
    assert "Zwolniona" in page and "Manager1" in page


def test_every_list_page_opens_for_both_roles(signed_in, make_order, make_batch, make_lot,
                                              client):
    order = make_order()
    make_batch(order_line=order.lines[0])
    make_lot()
    for role in ("manager", "supervisor"):
        staff = signed_in(role, username=f"{role}-lists")
        for url in ("/", "/orders/", "/orders/?overdue=1&status=confirmed", "/batches/",
                    "/lots/", "/shipments/", "/trace/", "/partners/", "/products/",
                    "/materials/", f"/orders/{order.id}"):
            assert staff.get(url).status_code == 200, (role, url)
        staff.submit("/sign-out", {}, page="/")


def test_supervisors_cannot_create_orders_or_partners(signed_in):
    staff = signed_in("supervisor")
    assert staff.get("/orders/new").status_code == 403
    assert staff.get("/partners/new").status_code == 403


def test_order_list_paginates_and_searches(signed_in, make_order, make_partner):
    client = signed_in("manager")
    partner = make_partner()
    orders = [make_order(partner=partner, reference=f"REF-{i}") for i in range(27)]
    first = text(client.get("/orders/"))
    assert "Strona 1 z 2" in first and "27 zamówień" in first
    assert "Strona 2 z 2" in text(client.get("/orders/?page=2"))
    found = text(client.get("/orders/?q=REF-13"))
    assert "1 zamówienie" in found and orders[13].code[:1] in found


def test_a_stale_order_status_change_gets_409(signed_in, make_order, manager):
    from shopfloor.orders.services import change_order_status

    client = signed_in("manager", username="second")
    order = make_order(status="draft")
    stale = order.version
    change_order_status(order, "confirmed", manager)
    response = client.submit(f"/orders/{order.id}/status",
                             {"status": "cancelled", "reason": "x", "version": str(stale)},
                             page=f"/orders/{order.id}")
    assert response.status_code == 409
    assert "Marta Manager zmienił(a) ten zapis" in text(response)


def test_editing_an_order_changes_its_lines_and_shows_the_change_in_history(
        signed_in, make_order, make_product, db_session):
    client = signed_in("manager")
    order = make_order(quantity="100")
    line = order.lines[0]
    url = f"/orders/{order.id}/edit"
    page = text(client.get(url))
    assert 'value="100"' in page
    response = client.submit(url, {
        "partner_id": str(order.partner_id), "partner_reference": "PO-1-B",
        "lines-0-product_id": str(line.product_id), "lines-0-quantity": "1 250,5",
        "lines-0-due_date": line.due_date.isoformat(), "version": version_on(client, url)})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Order, order.id).lines[0].quantity == 1250.5
    detail = text(client.get(f"/orders/{order.id}"))
    assert "Numer zamówienia partnera</strong>: PO-1 → PO-1-B" in detail
