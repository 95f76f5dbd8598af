"""A co-packing order's material on the pages: the office receives the partner's delivery
(mistakes shown on their row, nothing saved), kits use it, the partner and the office see it
reconciled, and the statement PDF says the same; another firm sees none of it."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from shopfloor.copack import stock
from tests.api.conftest import api  # noqa: F401 (fixture)
from tests.conftest import TODAY

TEA = "05901234123457"


def cells(html: str) -> list[list[str]]:
    table = html.split('id="reconciliation"')[1].split("</table>")[0]
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split())
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)][:8]
            for row in re.findall(r'<tr(?! class="count-row")[^>]*>(.*?)</tr>', table, re.S)[1:]]


@pytest.fixture
def kit_order(make_partner, make_product, make_order, make_kit_bom, make_batch,
              make_partner_user, manager, db_session):
    """An order for 200 tea kits of 3 bags (the partner's) in a box (ours), in progress."""
    from shopfloor.production.services import move_batch, record_output

    firm = make_partner(name="Paczkomat Smaków", lines=["copack"])
    product = make_product(line="copack", code="ZES-HERB6", unit="set")
    make_kit_bom(product, (("Herbata Assam", TEA, "3", True, False),
                           ("Pudełko 6-komorowe", "", "1", False, False)))
    order = make_order(partner=firm, product=product, quantity="200", reference="PS-77")
    batch = make_batch(order_line=order.lines[0], quantity="200", releasable=True)
    move_batch(batch, "released", manager)
    move_batch(batch, "in_progress", manager)
    person = make_partner_user(firm, "tomasz@paczkomat.example", language="pl")
    return order, batch, person, record_output


def receipt_form(rows) -> dict:
    form = {"delivery_note": "PS/WZ/3381", "received_on": TODAY.isoformat(), "note": ""}
    for n, (component, lot, declared, counted) in enumerate(rows):
        form.update({f"line-{n}-component": component, f"line-{n}-lot": lot,
                     f"line-{n}-declared": declared, f"line-{n}-counted": counted,
                     f"line-{n}-damaged": "", f"line-{n}-damage_note": ""})
    return form


def post(client, order, what: str, data: dict):
    return client.submit(f"/copack/orders/{order.id}/{what}", data,
                         page=f"/copack/orders/{order.id}")


def test_a_wrong_line_is_marked_on_its_row_and_nothing_is_received(kit_order, signed_in):
    order, *_ = kit_order
    answer = post(signed_in("supervisor"), order, "receipts", receipt_form(
        [(TEA, "A1", "600", "600"), ("4006381333932", "", "5", "5")]))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="line-1-error"' in page and "nie jest składnik" in page
    assert 'value="05901234123457"' in page  # what was typed stays
    assert stock.on_hand(order.id) == {}


def test_the_partner_and_the_office_see_the_material_reconciled(
        kit_order, signed_in, sign_in_as, manager, db_session):
    order, batch, person, record_output = kit_order
    office = signed_in("supervisor")
    assert post(office, order, "receipts", receipt_form(
        [(TEA, "A1", "600", "598")])).status_code == 302
    record_output(batch, Decimal(150), [], manager)  # 150 kits: 450 tea bags used
    post(office, order, "moves", {"component": TEA, "kind": "scrapped", "quantity": "6",
                                  "note": "Rozdarte"})

    portal = sign_in_as(person).get(f"/portal/orders/{order.id}").get_data(as_text=True)
    assert cells(portal) == [["Herbata Assam 05901234123457 Nie policzono.", "598", "450", "6",
                              "0", "142", "—", "—"]]
    office_page = office.get(f"/orders/{order.id}").get_data(as_text=True)
    assert cells(office_page)[0][1:] == cells(portal)[0][1:]

    answer = post(office, order, "counts", {"key": TEA, "counted": "140", "explanation": ""})
    assert answer.status_code == 422 and "wyjaśnij dlaczego" in answer.get_data(as_text=True)
    post(office, order, "counts", {"key": TEA, "counted": "140",
                                   "explanation": "Dwie saszetki pęknięte"})
    pdf = sign_in_as(person).get(f"/portal/orders/{order.id}/statement.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(
        BytesIO(pdf.data)).pages))
    assert "Rozliczenie materiału powierzonego" in text and "PS/WZ/3381" in text
    assert "598 450 6 0 142 140 -2" in text and "Dwie saszetki pęknięte" in text
    assert "Rozliczenie zgodne w granicach tolerancji." in text  # 2 of 598: within 0.5 %


def test_the_api_gives_the_partner_its_material_and_another_firm_nothing(
        kit_order, api, two_partners, manager):  # noqa: F811
    from shopfloor.auth.tokens import create_token

    order, batch, person, record_output = kit_order
    stock.record_receipt(order, stock.ReceiptData("PS/WZ/1", TODAY, [
        stock.ReceiptRow(TEA, "A1", "600", "600")]), manager)
    record_output(batch, Decimal(200), [], manager)
    answer = api.get(f"/api/v1/orders/{order.id}/material",
                     create_token(person, "ERP", "read").secret)
    assert answer.status_code == 200
    assert answer.json["balanced"] is False and answer.json["tolerance_per_mille"] == 5
    [tea] = answer.json["components"]
    assert (tea["gtin"], tea["received"], tea["used"], tea["on_hand"], tea["counted"]) == (
        TEA, "600.000", "600.000", "0.000", None)
    other = create_token(two_partners.beta_user, "ERP", "read").secret
    assert api.get(f"/api/v1/orders/{order.id}/material", other).status_code == 404
    alfa = create_token(two_partners.alfa_user, "ERP", "read").secret
    assert api.get(f"/api/v1/orders/{two_partners.alfa_order.id}/material",
                   alfa).status_code == 404  # not a co-packing order


def test_another_firm_sees_no_statement(kit_order, sign_in_as, two_partners):
    order, *_ = kit_order
    stranger = sign_in_as(two_partners.beta_user)
    assert stranger.get(f"/portal/orders/{order.id}/statement.pdf").status_code == 404
    assert stranger.get(f"/portal/orders/{order.id}").status_code == 404


def test_an_order_without_co_packing_has_no_reconciliation(two_partners, sign_in_as):
    partner = sign_in_as(two_partners.alfa_user)
    page = partner.get(f"/portal/orders/{two_partners.alfa_order.id}").get_data(as_text=True)
    assert 'id="reconciliation"' not in page
    assert partner.get(
        f"/portal/orders/{two_partners.alfa_order.id}/statement.pdf").status_code == 404
