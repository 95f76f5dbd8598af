"""A branching genealogy traced forward (lot -> partners) and backward (shipment -> lots)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from shopfloor.labels.pallets import build_pallet
from shopfloor.partners.services import ContactData
from shopfloor.production.services import RejectData, consume_lot, move_batch, record_output
from shopfloor.shipping.services import create_shipment
from shopfloor.traceability.services import (
    lots_by_supplier_lot,
    lots_of_batches,
    recall_csv,
    trace_backward_shipment,
    trace_forward,
)
from tests.conftest import TODAY
from tests.labels.pallet_fixtures import gs1  # noqa: F401 (fixture)

# The engine traces every line alike; co-packing batches have the lightest gates to finish
# (their goods leave on SSCC pallets).


def ship_on_a_pallet(order, batch, quantity, manager):
    pallet = build_pallet(batch, Decimal(quantity), manager)
    return create_shipment(order, TODAY, [], manager, pallet_ids=[pallet.id])


def finish(batch, lots, manager, good="10"):
    for lot in lots:
        consume_lot(batch, lot, Decimal(1), manager, TODAY)
    move_batch(batch, "released", manager)
    move_batch(batch, "in_progress", manager)
    record_output(batch, Decimal(good), [RejectData("x", Decimal(1))], manager)
    move_batch(batch, "awaiting_qc", manager)
    move_batch(batch, "done", manager)


def test_branching_genealogy_both_ways(gs1, make_partner, make_product, make_order,  # noqa: F811
                                       make_batch, make_lot, manager):
    product = make_product(line="copack")
    hotel = make_partner(name="Hotel", contacts=[ContactData("Ewa", email="ewa@hotel.example")])
    shop = make_partner(name="Shop", contacts=[ContactData("Jan", phone="600100200")])
    fragrance = make_lot(supplier_lot="FR-2026-11")
    base, other_base = make_lot(), make_lot()
    order_hotel = make_order(partner=hotel, product=product, quantity="10")
    order_shop = make_order(partner=shop, product=product, quantity="10")
    # The fragrance lot branches into two batches; each batch also uses a base lot.
    batch_a = make_batch(order_line=order_hotel.lines[0], quantity="10", releasable=True)
    batch_b = make_batch(order_line=order_shop.lines[0], quantity="10", releasable=True)
    batch_unrelated = make_batch(product=product, quantity="10", releasable=True)
    finish(batch_a, [fragrance, base], manager)
    finish(batch_b, [fragrance, other_base], manager, good="10")
    finish(batch_unrelated, [other_base], manager)
    to_hotel = ship_on_a_pallet(order_hotel, batch_a, 6, manager)
    to_shop = ship_on_a_pallet(order_shop, batch_b, 10, manager)

    forward = trace_forward([fragrance])
    assert {row.batch.code for row in forward.batches} == {batch_a.code, batch_b.code}
    assert {row.shipment.number for row in forward.shipments} == {to_hotel.number,
                                                                   to_shop.number}
    assert [(p.partner.name, [c.name for c in p.contacts]) for p in forward.partners] == [
        ("Hotel", ["Ewa"]), ("Shop", ["Jan"])]
    unshipped = {row.batch.code: row.unshipped for row in forward.batches}
    assert unshipped == {batch_a.code: Decimal(4), batch_b.code: Decimal(0)}

    backward = trace_backward_shipment(to_shop)
    assert {row.lot.code for row in backward} == {fragrance.code, other_base.code}
    assert {row.lot.code for row in lots_of_batches([batch_a.id])} == {fragrance.code, base.code}
    assert [lot.id for lot in lots_by_supplier_lot("FR-2026-11")] == [fragrance.id]

    report = list(csv.reader(io.StringIO(recall_csv(forward))))
    sections = [row[0] for row in report[1:]]
    assert sections.count("batch") == 2 and sections.count("shipment") == 2
    quarantine = [row for row in report if row[0] == "quarantine_stock"]
    assert quarantine == [["quarantine_stock", batch_a.code, product.name, "done", "4", ""]]
    assert any("ewa@hotel.example" in row[5] for row in report if row[0] == "shipment")


def test_the_recall_csv_defuses_spreadsheet_formulas(gs1, make_partner, make_product,  # noqa: F811
                                                     make_order, make_batch, make_lot,
                                                     manager):
    partner = make_partner(name='=HYPERLINK("http://evil.example","x")',
                           contacts=[ContactData("@SUM(A1)", email="a@b.example")])
    product = make_product(line="copack")
    lot = make_lot()
    order = make_order(partner=partner, product=product, quantity="10")
    batch = make_batch(order_line=order.lines[0], quantity="10", releasable=True)
    finish(batch, [lot], manager)
    ship_on_a_pallet(order, batch, 5, manager)
    rows = list(csv.reader(io.StringIO(recall_csv(trace_forward([lot])))))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "@", "+")) for cell in cells)
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in cells


def test_the_recall_file_name_stays_a_clean_header(signed_in):
    client = signed_in("supervisor")
    response = client.get('/trace/recall.csv?q=ab"c;x%0d%0ay')
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="recall-ABCXY.csv"'
