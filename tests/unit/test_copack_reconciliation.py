"""The co-packing reconciliation: received = used in kits + scrapped + returned + on hand,
per component the partner delivered, across the batches of an order."""

from __future__ import annotations

from decimal import Decimal

from shopfloor.lines.copack import reconcile

BOM = [{"component": "Herbata Assam", "quantity_per_kit": "3"},
       {"component": "Pudełko 6-komorowe", "quantity_per_kit": "1"}]


def receipt(component, counted, note="PS/WZ/1"):
    return {"delivery_note": note, "component": component, "declared": counted,
            "counted": counted}


def test_a_balanced_order_over_two_batches():
    first = {"bom": BOM, "receipts": [receipt("Herbata Assam", "600")],
             "usage": [{"component": "Herbata Assam", "scrapped": "6", "returned": None}]}
    second = {"bom": BOM, "receipts": [receipt("Herbata Assam", "300", "PS/WZ/2")],
              "usage": [{"component": "Herbata Assam", "scrapped": None, "returned": "24"}]}
    [tea] = reconcile([(first, Decimal(150)), (second, Decimal(100))])
    # The box is the cooperative's own: not the partner's material, not reconciled.
    assert (tea.component, tea.received, tea.used, tea.scrapped, tea.returned) == (
        "Herbata Assam", Decimal(900), Decimal(750), Decimal(6), Decimal(24))
    assert tea.on_hand == Decimal(120) and tea.balanced


def test_more_used_than_received_is_a_variance():
    record = {"bom": BOM, "receipts": [receipt("Herbata Assam", "299")]}
    [tea] = reconcile([(record, Decimal(100))])
    assert tea.on_hand == Decimal(-1) and not tea.balanced
    [exact] = reconcile([({**record, "receipts": [receipt("Herbata Assam", "300")]},
                          Decimal(100))])
    assert exact.on_hand == 0 and exact.balanced


def test_a_receipt_without_a_component_counts_under_its_gtin_and_nothing_is_used_of_it():
    record = {"bom": BOM, "receipts": [{"delivery_note": "X", "component": "",
                                        "gtin": "05901234123457", "counted": "10"}]}
    [row] = reconcile([(record, Decimal(2))])
    assert (row.component, row.used, row.on_hand) == ("05901234123457", 0, Decimal(10))
