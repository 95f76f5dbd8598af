"""A co-packing order's material reconciliation on the partner's and the office's order
pages: each component the partner delivered, received against used, scrapped, returned and
on hand, with a variance marked."""

from __future__ import annotations

import re
from decimal import Decimal

RECORD = {
    "kit_sku": "PS-DEG-HERB6", "bom_version": "1",
    "bom": [{"component": "Herbata Assam", "gtin": "", "quantity_per_kit": "3"},
            {"component": "Pudełko 6-komorowe", "gtin": "", "quantity_per_kit": "1"}],
    "receipts": [
        {"delivery_note": "PS/WZ/3381", "component": "Herbata Assam", "gtin": "", "lot": "A1",
         "declared": "600", "counted": "600"},
        {"delivery_note": "PS/WZ/3382", "component": "Herbata sencha", "gtin": "", "lot": "S1",
         "declared": "10", "counted": "10"}],
    "usage": [{"component": "Herbata Assam", "scrapped": "6", "returned": "30"}],
}


def cells(html: str) -> list[list[str]]:
    table = html.split('id="reconciliation"')[1].split("</table>")[0]
    return [[re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in
             re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]]


def test_the_partner_and_the_office_see_the_material_reconciled(
        make_partner, make_product, make_order, make_batch, make_partner_user, sign_in_as,
        signed_in, db_session):
    firm = make_partner(name="Paczkomat Smaków", lines=["copack"])
    kit = make_product(line="copack", code="ZES-HERB6")
    order = make_order(partner=firm, product=kit, quantity="200", reference="PS-77")
    batch = make_batch(order_line=order.lines[0], quantity="200", record=RECORD)
    batch.good_quantity = Decimal(150)  # 150 kits: 450 tea bags used
    db_session.commit()
    person = make_partner_user(firm, "tomasz@paczkomat.example", language="pl")

    portal = sign_in_as(person).get(f"/portal/orders/{order.id}").get_data(as_text=True)
    assert cells(portal) == [
        ["Herbata Assam", "600", "450", "6", "30", "114"],
        ["Herbata sencha", "10", "0", "0", "0", "10"],
    ]
    office = signed_in("manager").get(f"/orders/{order.id}").get_data(as_text=True)
    assert cells(office) == cells(portal)

    batch.good_quantity = Decimal(190)  # 570 used of 600 received, 36 scrapped or returned
    db_session.commit()
    rows = cells(sign_in_as(person).get(f"/portal/orders/{order.id}").get_data(as_text=True))
    assert rows[0][-1].startswith("-6") and "Zużyto więcej, niż przyjęto" in rows[0][-1]


def test_an_order_without_co_packing_has_no_reconciliation(two_partners, sign_in_as):
    page = sign_in_as(two_partners.alfa_user).get(
        f"/portal/orders/{two_partners.alfa_order.id}").get_data(as_text=True)
    assert 'id="reconciliation"' not in page
