"""The statement of the partner's consigned material for an order, as an A4 PDF: what was
received on which delivery note, what went into kits, was scrapped or returned, what the
count found, and each variance with its explanation. Given to the partner (portal) and kept
with the order; labels are Polish, as on the delivery note, with English glosses here.
"""

from __future__ import annotations

import functools
import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from shopfloor.codes import format_code
from shopfloor.copack.reconcile import order_reconciliation
from shopfloor.copack.stock import receipts_of_order
from shopfloor.shipping.delivery_note import (
    MARGIN,
    _block,
    _date,
    _grid,
    _NumberedCanvas,
    _p,
    _quantity,
    _styles,
    register_fonts,
)

TITLE = "Rozliczenie materiału powierzonego"  # statement of the consigned material
LBL_ORDER = "Zamówienie"  # order
LBL_PARTNER_REF = "Nr zamówienia zleceniodawcy"  # the partner's order number
LBL_OWNER = "Właściciel materiału"  # owner of the material
LBL_HOLDER = "Przechowujący"  # holder (the cooperative)
LBL_TOLERANCE = "Dopuszczalna różnica"  # tolerance
RECEIPTS_HEADING = "Przyjęcia materiału"  # goods received
RECEIPT_HEADERS = ("Dokument dostawy", "Data", "Składnik", "GTIN", "Partia", "Deklarowano",
                   "Policzono", "Uszkodzone")
# = delivery note, date, component, GTIN, lot, declared, counted, damaged
BALANCE_HEADING = "Rozliczenie"  # reconciliation
BALANCE_HEADERS = ("Składnik", "Przyjęto", "Zużyto w zestawach", "Złom", "Zwrócono",
                   "Stan wg ewidencji", "Stan policzony", "Różnica")
# = component, received, used in kits, scrapped, returned, book on hand, counted, variance
EXPLANATION = "Wyjaśnienie"  # explanation
BALANCED = "Rozliczenie zgodne w granicach tolerancji."  # balances within the tolerance
NOT_BALANCED = "Rozliczenie niezgodne lub niezakończone: "  # does not balance (yet)
NOT_COUNTED = "nie policzono"  # not counted
COUNTABLE = " (druk liczony co do sztuki)"  # printed countable, counted exactly
NOTHING = "Brak przyjętego materiału."  # no material received


def _balance_rows(reconciliation, st) -> list[list]:
    rows = [[_p(h, st["head"] if col == 0 else st["head_right"])
             for col, h in enumerate(BALANCE_HEADERS)]]
    for c in reconciliation.components:
        name = c.component + (f" · {c.gtin}" if c.gtin else "") + (COUNTABLE if c.countable
                                                                   else "")
        rows.append([_p(name, st["cell"])] + [
            _p(_quantity(v), st["number_cell"])
            for v in (c.received, c.used, c.scrapped, c.returned, c.on_hand)] + [
            _p(_quantity(c.counted) if c.counted is not None else NOT_COUNTED,
               st["number_cell"]),
            _p(_quantity(c.variance) if c.variance is not None else "–", st["number_cell"])])
        if c.explanation:
            rows.append([_p(f"{EXPLANATION}: {c.explanation}", st["cell"])] + [""] * 7)
    return rows


def statement_pdf(order, cooperative: dict) -> bytes:
    """Render the statement of an order's partner material as PDF bytes."""
    register_fonts()
    st = _styles()
    reconciliation = order_reconciliation(order)
    partner = order.partner
    parties = Table([[_block(LBL_OWNER, [partner.name, partner.delivery_address], st["base"]),
                      _block(LBL_HOLDER, [cooperative.get("name", ""),
                                          cooperative.get("address", "")], st["base"])]],
                    colWidths=[90 * mm, 90 * mm])
    story = [_p(TITLE, st["title"]),
             _p(f"{LBL_ORDER} {format_code(order.code)}"
                + (f" · {LBL_PARTNER_REF} {order.partner_reference}"
                   if order.partner_reference else ""), st["number"]),
             Spacer(1, 4 * mm), parties, Spacer(1, 5 * mm),
             _p(RECEIPTS_HEADING, st["heading"])]
    receipts = [[_p(h, st["head"]) for h in RECEIPT_HEADERS]]
    for receipt in receipts_of_order(order.id):
        for line in receipt.lines:
            receipts.append([_p(receipt.delivery_note, st["cell"]),
                             _p(_date(receipt.received_on), st["cell"]),
                             _p(line.component, st["cell"]), _p(line.gtin, st["cell"]),
                             _p(line.lot, st["cell"]),
                             _p(_quantity(line.declared), st["number_cell"]),
                             _p(_quantity(line.counted), st["number_cell"]),
                             _p(_quantity(line.damaged), st["number_cell"])])
    story.append(_grid(receipts, [26 * mm, 18 * mm, 40 * mm, 26 * mm, 20 * mm, 18 * mm,
                                  17 * mm, 15 * mm]) if len(receipts) > 1
                 else _p(NOTHING, st["base"]))
    story += [Spacer(1, 5 * mm), _p(BALANCE_HEADING, st["heading"])]
    if reconciliation.components:
        rows = _balance_rows(reconciliation, st)
        table = _grid(rows, [44 * mm, 18 * mm, 20 * mm, 16 * mm, 18 * mm, 22 * mm, 22 * mm,
                             20 * mm])
        table.setStyle([("SPAN", (0, row), (-1, row))  # an explanation spans its row
                        for row, cells in enumerate(rows) if row and cells[1] == ""])
        story.append(table)
    tolerance = reconciliation.tolerance_per_mille
    story += [Spacer(1, 3 * mm),
              _p(f"{LBL_TOLERANCE}: {_quantity(tolerance / 10)} %", st["base"]),
              _p(BALANCED if reconciliation.balanced else NOT_BALANCED + "; ".join(
                  f"{c.component}: {c.problem}" for c in reconciliation.components
                  if c.problem is not None), st["base"])]
    buffer = io.BytesIO()
    number = f"{format_code(order.code)}"
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=40 * mm, title=f"{TITLE} {number}",
                            author=cooperative.get("name", ""), subject=TITLE)
    doc.build(story, canvasmaker=functools.partial(_NumberedCanvas, number=number))
    return buffer.getvalue()


def pdf_response(order):
    """The statement as a PDF download (office and portal alike)."""
    from flask import Response, current_app
    from flask_babel import force_locale

    settings = current_app.config["SHOPFLOOR"]
    with force_locale("pl"):  # a Polish document, whoever prints it
        pdf = statement_pdf(order, {"name": settings["cooperative.name"],
                                    "address": settings["cooperative.address"]})
    filename = f"rozliczenie-{order.code}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
