"""The delivery note PDF: Polish text, traceability of lots, page numbers on long notes."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy.orm.attributes import set_committed_value

from shopfloor.codes import format_code
from shopfloor.production.services import RejectData, move_batch, record_output
from shopfloor.shipping.delivery_note import delivery_note_pdf
from shopfloor.shipping.services import ShipmentLineData, create_shipment
from tests.conftest import TODAY, VALID_NIPS

COOPERATIVE = {"name": "Spółdzielnia Socjalna „Łąka”", "address": "ul. Źródlana 5, 00-950 Łódź",
               "nip": "7740001454"}
PARTNER_NAME = "Zakład Łączeń Śląsk Sp. z o.o."


@pytest.fixture
def finished_batch(make_order, make_batch, make_lot, manager, complete_soap_record):
    from shopfloor.production.services import consume_lot

    def build(order=None, good="100", quantity="100", lots=None, rejects=True):
        order = order or make_order(quantity=quantity)
        batch = make_batch(order_line=order.lines[0], quantity=quantity, releasable=True)
        for lot in lots if lots is not None else [make_lot()]:
            consume_lot(batch, lot, Decimal(1), manager, TODAY)
        move_batch(batch, "released", manager)
        move_batch(batch, "in_progress", manager)
        record_output(batch, Decimal(good),
                      [RejectData("crack", Decimal(1))] if rejects else [], manager)
        complete_soap_record(batch)
        move_batch(batch, "awaiting_qc", manager)
        move_batch(batch, "done", manager)
        return order, batch

    return build


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page, spaces squeezed so wrapped cells still compare."""
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


@pytest.fixture
def polish_shipment(make_partner, make_order, make_lot, finished_batch, manager):
    from shopfloor.catalog.services import save_material

    partner = make_partner(name=PARTNER_NAME, nip=VALID_NIPS[0], street="ul. Żelazna 12",
                           postal_code="40-001", city="Katowice")
    order = make_order(partner=partner, reference="ZAM/ŚL/77")
    soap_base = save_material("GLY", "Baza glicerynowa ściśle tajna", "kg", manager)
    lots = [make_lot(material=soap_base, supplier_lot="GL-2026-ą1"), make_lot()]
    order, batch = finished_batch(order=order, lots=lots)
    shipment = create_shipment(order, TODAY, [ShipmentLineData(order.lines[0].id, batch.id,
                                                               Decimal("40"))], manager,
                               carrier="DPD", tracking="0000123456789")
    return shipment, batch, lots


def test_delivery_note_shows_parties_items_and_lots(polish_shipment):
    shipment, batch, lots = polish_shipment
    pdf = delivery_note_pdf(shipment, COOPERATIVE)
    assert pdf.startswith(b"%PDF")
    [text] = pages_text(pdf)
    assert "WZ – Wydanie zewnętrzne" in text
    assert "WZ/2026/0001" in text
    assert PARTNER_NAME in text
    assert "ul. Żelazna 12, 40-001 Katowice" in text
    assert "526-000-12-46" in text  # the partner's NIP, grouped
    assert "774-000-14-54" in text  # the cooperative's
    assert COOPERATIVE["name"] in text and COOPERATIVE["address"] in text
    assert format_code(shipment.order.code) in text
    assert "ZAM/ŚL/77" in text
    assert "DPD" in text and "0000123456789" in text
    assert "27.11.2026" in text  # shipping date
    assert format_code(batch.code) in text
    assert shipment.lines[0].order_line.product.code in text
    assert "40 szt." in text
    assert "Partie surowców" in text
    for lot in lots:
        assert format_code(lot.code) in text
        assert lot.supplier_lot in text
    assert "Baza glicerynowa ściśle tajna" in text
    assert "Supplier S.A." in text
    assert "Wydał" in text and "Odebrał" in text
    assert "Strona 1 z 1" in text


def test_polish_letters_survive_the_font(polish_shipment):
    """Text extraction gives back ą, ł, ś: the embedded font has the glyphs and a unicode map."""
    shipment, _, _ = polish_shipment
    [text] = pages_text(delivery_note_pdf(shipment, COOPERATIVE))
    for letter in "ąęłśźóŁŚŻŹ":
        assert letter in text
    assert "Łączeń" in text and "Śląsk" in text


def test_metadata_names_the_note_and_the_cooperative(polish_shipment):
    shipment, _, _ = polish_shipment
    reader = PdfReader(io.BytesIO(delivery_note_pdf(shipment, COOPERATIVE)))
    assert reader.metadata.title == "WZ/2026/0001"
    assert reader.metadata.author == COOPERATIVE["name"]


def test_issue_date_is_the_warsaw_day_of_creation(polish_shipment):
    shipment, _, _ = polish_shipment
    shipment.created_at = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)  # 00:30 on the 28th
    [text] = pages_text(delivery_note_pdf(shipment, COOPERATIVE))
    assert "Data wystawienia: 28.11.2026" in text
    assert "Data wydania: 27.11.2026" in text


def test_missing_optional_fields_are_left_out(finished_batch, manager):
    order, batch = finished_batch(good="1300", quantity="1300")
    shipment = create_shipment(order, TODAY, [ShipmentLineData(order.lines[0].id, batch.id,
                                                               Decimal("1250.5"))], manager)
    # QC refuses a batch without lots, so pretend (in memory only) that none were recorded.
    set_committed_value(batch, "consumptions", [])
    [text] = pages_text(delivery_note_pdf(shipment, {"name": "Coop & Co <test>"}))
    assert "Coop & Co <test>" in text
    assert "Przewoźnik" not in text and "Nr przesyłki" not in text
    assert "1 250,5" in text
    assert "brak zarejestrowanych surowców" in text


def test_long_note_breaks_pages_and_numbers_them(make_order, finished_batch, manager):
    order = make_order(quantity="120")
    batches = [finished_batch(order=order, good="2", quantity="2", rejects=False)[1]
               for _ in range(60)]
    shipment = create_shipment(order, TODAY, [ShipmentLineData(order.lines[0].id, b.id,
                                                               Decimal(2)) for b in batches],
                               manager)
    pages = pages_text(delivery_note_pdf(shipment, COOPERATIVE))
    total = len(pages)
    assert total > 1
    for number, text in enumerate(pages, start=1):
        assert f"Strona {number} z {total}" in text
        assert "WZ/2026/0001" in text
    assert pages[1].lstrip().startswith("Lp. Kod produktu")  # the table header repeats
    everything = " ".join(pages)
    for batch in batches:
        assert format_code(batch.code) in everything
    assert "Wydał" in pages[-1] and "Wydał" not in pages[0]
