"""The delivery note (WZ, "wydanie zewnętrzne") of a shipment as an A4 PDF.

The note is a Polish legal document, so its labels are Polish whatever language the
person printing it uses; nothing here depends on Flask, so it also renders in scripts.
"""

from __future__ import annotations

import functools
import io
from datetime import UTC, datetime
from html import escape
from zoneinfo import ZoneInfo

import font_source_sans_pro
from babel.numbers import format_decimal
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from shopfloor.codes import format_code
from shopfloor.partners.nip import format_nip, normalize_nip

FONT, FONT_BOLD, FONT_SEMIBOLD = "SourceSansPro", "SourceSansProBold", "SourceSansProSemibold"
TIME_ZONE = "Europe/Warsaw"
MARGIN = 15 * mm
FOOTER_HEIGHT = 38 * mm  # signature lines and page numbers live below the text frame

# Polish labels (English gloss in the comments).
TITLE = "WZ – Wydanie zewnętrzne"  # goods issue note (external issue)
LBL_NUMBER = "Nr"  # number
LBL_ISSUED_ON = "Data wystawienia"  # issue date
LBL_SHIPPED_ON = "Data wydania"  # shipping (issue of goods) date
LBL_ISSUER = "Wystawca"  # issuer
LBL_RECIPIENT = "Odbiorca"  # recipient
LBL_NIP = "NIP"  # tax id
LBL_ORDER = "Zamówienie"  # order
LBL_PARTNER_REF = "Nr zamówienia odbiorcy"  # recipient's order reference
LBL_CARRIER = "Przewoźnik"  # carrier
LBL_TRACKING = "Nr przesyłki"  # tracking number
LBL_NOTES = "Uwagi"  # notes
ITEM_HEADERS = ("Lp.", "Kod produktu", "Nazwa produktu", "Nr partii", "Ilość", "J.m.")
# = no., product code, product name, batch (lot) number, quantity, unit
PALLETS_HEADING = "Palety (SSCC)"  # pallets (logistic units) and their SSCCs
PALLET_HEADERS = ("Lp.", "SSCC", "Nr partii", "Nazwa produktu", "Ilość", "J.m.")
# = no., SSCC, batch (lot) number, product name, quantity, unit
NO_PALLETS = "towar wydany bez palet z etykietą SSCC"  # goods issued without SSCC pallets
LBL_PALLET_COUNT = "Liczba palet"  # number of pallets
LOTS_HEADING = "Partie surowców"  # material lots used (traceability)
LOT_HEADERS = ("Nr partii", "Partia surowca", "Surowiec", "Dostawca", "Partia dostawcy")
# = batch number, material lot, material, supplier, supplier's lot number
NO_LOTS = "brak zarejestrowanych surowców"  # no materials recorded
LBL_ISSUED_BY = "Wydał"  # issued (handed over) by
LBL_RECEIVED_BY = "Odebrał"  # received by
PAGE_OF = "Strona {page} z {total}"  # page X of Y
UNITS_PL = {"pcs": "szt.", "set": "kpl.", "kg": "kg", "g": "g", "l": "l", "ml": "ml", "m": "m"}

_fonts_registered = False


def register_fonts() -> None:
    """Register the Source Sans Pro TTF fonts (with Polish glyphs) once per process."""
    global _fonts_registered
    if _fonts_registered:
        return
    for name in (FONT, FONT_BOLD, FONT_SEMIBOLD):
        pdfmetrics.registerFont(TTFont(name, font_source_sans_pro.font_files_ttf[name]))
    # <b> in a paragraph must map to our bold, not Helvetica-Bold (which lacks ą, ł, ś...).
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)
    _fonts_registered = True


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=12)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=17, leading=21),
        "number": ParagraphStyle("number", base, fontName=FONT_SEMIBOLD, fontSize=13, leading=17),
        "heading": ParagraphStyle("heading", base, fontName=FONT_BOLD, fontSize=11.5,
                                  leading=15, spaceBefore=4, spaceAfter=4),
        "head": ParagraphStyle("head", base, fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
        "head_right": ParagraphStyle("head_right", base, fontName=FONT_BOLD, fontSize=8.5,
                                     leading=10.5, alignment=TA_RIGHT),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=10.5),
        "number_cell": ParagraphStyle("number_cell", base, fontSize=8.5, leading=10.5,
                                      alignment=TA_RIGHT),
    }


def _date(value) -> str:
    return value.strftime("%d.%m.%Y")


def _quantity(value) -> str:
    """A quantity in Polish notation: 1 250,5."""
    return format_decimal(value, format="#,##0.###", locale="pl_PL")


def _nip(text: str | None) -> str:
    """A NIP grouped as 123-456-78-90; anything that is not ten digits is printed as given."""
    nip = normalize_nip(text or "")
    return format_nip(nip) if len(nip) == 10 and nip.isdigit() else (text or "").strip()


def _issue_date(shipment, time_zone: str) -> str:
    created = shipment.created_at or datetime.now(UTC)
    if created.tzinfo is None:  # stored in UTC; be lenient with a naive value
        created = created.replace(tzinfo=UTC)
    return _date(created.astimezone(ZoneInfo(time_zone)))


def _p(text, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text), quote=False), style)


def _block(title: str, lines: list[str], style: ParagraphStyle) -> Paragraph:
    body = "<br/>".join(escape(line, quote=False) for line in lines if line)
    return Paragraph(f"<b>{escape(title)}</b><br/>{body}", style)


def _pairs(pairs: list[tuple[str, str]], style: ParagraphStyle) -> list[list[Paragraph]]:
    return [[Paragraph(f"<b>{escape(label)}:</b>", style), _p(value, style)]
            for label, value in pairs if value]


def _grid(rows: list[list], widths: list[float]) -> Table:
    """A ruled table whose header row repeats on every page it runs onto."""
    return Table(rows, colWidths=widths, repeatRows=1,
                 style=[("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP")])


class _NumberedCanvas(Canvas):
    """Keeps pages back until the end, so each footer can say "Strona X z Y"."""

    def __init__(self, *args, number: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._number = number
        self._saved_pages: list[dict] = []

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for page, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            self._footer(page, total)
            super().showPage()
        super().save()

    def _footer(self, page: int, total: int) -> None:
        width = A4[0]
        self.setFont(FONT, 8.5)
        self.setFillColor(colors.black)
        if page == total:  # the note is signed once, under its last page
            self.setLineWidth(0.5)
            for x in (MARGIN, width / 2 + 10 * mm):
                self.line(x, 26 * mm, x + 70 * mm, 26 * mm)
            self.setFont(FONT, 9.5)
            self.drawString(MARGIN, 21 * mm, LBL_ISSUED_BY)
            self.drawString(width / 2 + 10 * mm, 21 * mm, LBL_RECEIVED_BY)
            self.setFont(FONT, 8.5)
        self.drawString(MARGIN, 10 * mm, self._number)
        self.drawRightString(width - MARGIN, 10 * mm, PAGE_OF.format(page=page, total=total))


def _items_table(shipment, st) -> Table:
    rows = [[_p(h, st["head_right" if col in (0, 4) else "head"])
             for col, h in enumerate(ITEM_HEADERS)]]
    for no, line in enumerate(shipment.lines, start=1):
        product = line.order_line.product
        rows.append([_p(no, st["number_cell"]), _p(product.code, st["cell"]),
                     _p(product.name, st["cell"]), _p(format_code(line.batch.code), st["cell"]),
                     _p(_quantity(line.quantity), st["number_cell"]),
                     _p(UNITS_PL.get(product.unit, product.unit), st["cell"])])
    return _grid(rows, [10 * mm, 30 * mm, 66 * mm, 28 * mm, 28 * mm, 18 * mm])


def _pallets_story(pallets, st) -> list:
    """The SSCC list: each pallet with its batch, product and quantity (like a DESADV)."""
    if not pallets:
        return [_p(PALLETS_HEADING, st["heading"]), _p(NO_PALLETS, st["base"])]
    rows = [[_p(h, st["head_right" if col in (0, 4) else "head"])
             for col, h in enumerate(PALLET_HEADERS)]]
    for no, pallet in enumerate(pallets, start=1):
        product = pallet.batch.product
        rows.append([_p(no, st["number_cell"]), _p(pallet.sscc, st["cell"]),
                     _p(format_code(pallet.batch.code), st["cell"]),
                     _p(pallet.contents or product.name, st["cell"]),
                     _p(_quantity(pallet.quantity) if pallet.quantity is not None else "—",
                        st["number_cell"]),
                     _p(UNITS_PL.get(product.unit, product.unit), st["cell"])])
    return [_p(PALLETS_HEADING, st["heading"]),
            _grid(rows, [10 * mm, 40 * mm, 28 * mm, 56 * mm, 28 * mm, 18 * mm]),
            Spacer(1, 2 * mm), _p(f"{LBL_PALLET_COUNT}: {len(pallets)}", st["base"])]


def _lots_table(shipment, st) -> Table:
    rows = [[_p(h, st["head"]) for h in LOT_HEADERS]]
    seen_batches: set[int] = set()
    for line in shipment.lines:
        batch = line.batch
        if batch.id in seen_batches:
            continue
        seen_batches.add(batch.id)
        batch_code = format_code(batch.code)
        seen_lots: set[int] = set()
        for consumption in batch.consumptions:
            lot = consumption.lot
            if lot.id in seen_lots:  # the same lot consumed twice is listed once
                continue
            seen_lots.add(lot.id)
            rows.append([_p(batch_code, st["cell"]), _p(format_code(lot.code), st["cell"]),
                         _p(lot.material.name, st["cell"]), _p(lot.supplier, st["cell"]),
                         _p(lot.supplier_lot, st["cell"])])
        if not seen_lots:
            rows.append([_p(batch_code, st["cell"]), _p(NO_LOTS, st["cell"]), "", "", ""])
    return _grid(rows, [28 * mm, 28 * mm, 54 * mm, 42 * mm, 28 * mm])


def delivery_note_pdf(shipment, cooperative: dict, time_zone: str = TIME_ZONE,
                      pallets: list | None = None) -> bytes:
    """Render a shipment's delivery note (WZ) as A4 PDF bytes.

    ``cooperative`` holds the issuer's "name", "address" and "nip" (the cooperative.*
    settings); ``time_zone`` decides the issue date shown for the UTC creation time;
    ``pallets`` are the SSCCs listed (by default the pallets that left on the shipment).
    """
    pallets = list(shipment.pallets) if pallets is None else pallets
    register_fonts()
    st = _styles()
    order, partner = shipment.order, shipment.partner
    coop_nip = _nip(cooperative.get("nip"))
    partner_nip = _nip(partner.nip)
    issuer = _block(LBL_ISSUER, [cooperative.get("name", ""), cooperative.get("address", ""),
                                 f"{LBL_NIP}: {coop_nip}" if coop_nip else ""], st["base"])
    recipient = _block(LBL_RECIPIENT, [partner.name, partner.delivery_address,
                                       f"{LBL_NIP}: {partner_nip}" if partner_nip else ""],
                       st["base"])
    parties = Table([[issuer, recipient]], colWidths=[90 * mm, 90 * mm])
    parties.setStyle(TableStyle([("BOX", (0, 0), (0, 0), 0.5, colors.grey),
                                 ("BOX", (1, 0), (1, 0), 0.5, colors.grey),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    details = _pairs([(LBL_ISSUED_ON, _issue_date(shipment, time_zone)),
                      (LBL_SHIPPED_ON, _date(shipment.shipped_on)),
                      (LBL_ORDER, format_code(order.code)),
                      (LBL_PARTNER_REF, order.partner_reference),
                      (LBL_CARRIER, shipment.carrier), (LBL_TRACKING, shipment.tracking),
                      (LBL_NOTES, shipment.notes)], st["base"])
    story = [
        _p(TITLE, st["title"]),
        _p(f"{LBL_NUMBER} {shipment.number}", st["number"]),
        Spacer(1, 4 * mm),
        parties,
        Spacer(1, 4 * mm),
        Table(details, colWidths=[45 * mm, 135 * mm], hAlign="LEFT",
              style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                     ("LEFTPADDING", (0, 0), (0, -1), 0)]),
        Spacer(1, 5 * mm),
        _items_table(shipment, st),
        Spacer(1, 6 * mm),
        *_pallets_story(pallets, st),
        Spacer(1, 6 * mm),
        _p(LOTS_HEADING, st["heading"]),
        _lots_table(shipment, st),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=FOOTER_HEIGHT,
                            title=shipment.number, author=cooperative.get("name", ""),
                            subject=TITLE)
    doc.build(story, canvasmaker=functools.partial(_NumberedCanvas, number=shipment.number))
    return buffer.getvalue()


def delivery_note_response(shipment):
    """The delivery note as a PDF download, issued by the configured cooperative (for the
    office's shipment page and the partners' portal alike)."""
    from flask import Response, current_app

    from shopfloor.shipping.queries import pallets_of

    settings = current_app.config["SHOPFLOOR"]
    pdf = delivery_note_pdf(shipment, {"name": settings["cooperative.name"],
                                       "address": settings["cooperative.address"],
                                       "nip": settings["cooperative.nip"]},
                            time_zone=settings["time_zone"],
                            pallets=pallets_of([shipment])[shipment.id])
    filename = shipment.number.replace("/", "-") + ".pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
