"""The label kinds: plain data (strings formatted by the caller), physical size and layout.

``layout(label, dpi)`` places a label's content as items in millimetres (origin top-left,
y down): Text, Symbol, Box and Picture. Every output (PNG, SVG, PDF, ZPL) draws these same
items, so a label looks the same everywhere; only symbol module sizes depend on the dpi.
Text is measured with reportlab's metrics of Source Sans Pro, wrapped, and shrunk to fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import ClassVar

from shopfloor.labels import symbols
from shopfloor.labels.layout import (  # noqa: F401 - re-exported for the outputs
    BASELINE,
    EPS,
    LEADING,
    PT,
    Box,
    LabelTooSmall,
    Layout,
    Picture,
    Symbol,
    Text,
    fit,
    symbol,
    text_width,
    wrap,
)
from shopfloor.labels.symbols import VECTOR_DPI
from shopfloor.shipping.delivery_note import FONT_BOLD, FONT_SEMIBOLD, register_fonts

# Polish captions printed on the labels (English gloss in the comments).
CAP_LINE, CAP_QUANTITY, CAP_DUE, CAP_PARTNER = "Linia", "Ilość", "Termin", "Partner"
CAP_BATCH = "Nr partii:"  # batch (lot) number
CAP_INGREDIENTS = "Składniki:"  # ingredients (INCI names)
CAP_ITEM, CAP_RETURN = "Nr:", "Zwrot:"  # our item number; partner's return (RMA) number
CAP_SKU, CAP_SIZE = "SKU", "Rozm."  # article number; size
CAP_SENDER, CAP_RECEIVER = "Nadawca", "Odbiorca"  # sender (from); receiver (to)
CAP_CONTENTS, CAP_COUNT = "Zawartość", "Ilość"  # contents; count
CAP_LOT = "Partia"  # batch / lot


@dataclass(frozen=True)
class BatchCard:
    """A6 card that travels with a production batch; its QR opens the batch page."""

    kind: ClassVar[str] = "batch"
    size_mm: ClassVar[tuple[float, float]] = (105.0, 148.0)  # A6 portrait
    code: str  # grouped for reading, "B-7KQ4-M2X"
    url: str  # what the QR encodes, "<public base URL>/s/B7KQ4M2X"
    product: str
    line: str
    quantity: str
    due: str
    partner: str


@dataclass(frozen=True)
class ProductUnitLabel:
    """Label on one sold unit (a bar of soap): cosmetics information and a small QR."""

    kind: ClassVar[str] = "unit"
    size_mm: ClassVar[tuple[float, float]] = (70.0, 50.0)
    product: str
    nominal: str  # "100 g ℮"
    batch_code: str
    durability: str  # best-before text, or a period after opening such as "12M"
    ingredients: str  # INCI list
    responsible_person: str  # name and address
    url: str


@dataclass(frozen=True)
class GarmentTag:
    """Hang tag on a garment: Code 128 of our item code and of the partner's return number."""

    kind: ClassVar[str] = "garment"
    size_mm: ClassVar[tuple[float, float]] = (60.0, 40.0)
    item_code: str
    return_number: str
    sku: str
    size: str


@dataclass(frozen=True)
class PalletLabel:
    """GS1 logistic label; ``sscc`` is 18 digits, optionally grouped with spaces."""

    kind: ClassVar[str] = "pallet"
    size_mm: ClassVar[tuple[float, float]] = (105.0, 148.0)  # A6 portrait
    sscc: str
    sender: str
    receiver: str
    contents: str
    count: str
    batch: str

    def __post_init__(self) -> None:
        from shopfloor.labels.gs1 import is_valid_sscc  # written alongside this module

        if not is_valid_sscc(self.sscc_digits):
            raise ValueError(f"not an 18-digit SSCC with a valid check digit: {self.sscc!r}")

    @property
    def sscc_digits(self) -> str:
        """The SSCC without the caller's grouping spaces."""
        return self.sscc.replace(" ", "")


@dataclass(frozen=True)
class WorkerBadge:
    """ID-card sized badge (54 x 86 mm, CR80 portrait) a worker shows to sign in."""

    kind: ClassVar[str] = "badge"
    size_mm: ClassVar[tuple[float, float]] = (54.0, 86.0)
    first_name: str
    url: str
    photo_png: bytes | None = field(default=None, repr=False)


LABEL_KINDS = {"batch": BatchCard, "unit": ProductUnitLabel, "garment": GarmentTag,
               "pallet": PalletLabel, "badge": WorkerBadge}
LABEL_SIZES_MM = {name: cls.size_mm for name, cls in LABEL_KINDS.items()}
REFLOWING = (BatchCard, ProductUnitLabel)  # kinds that lay out anew in a smaller sheet cell
PAO = re.compile(r"^\s*(\d{1,2})\s*M\s*$", re.IGNORECASE)  # period after opening, "12M"


def layout(label, dpi: int = VECTOR_DPI, size: tuple[float, float] | None = None) -> Layout:
    """Lay ``label`` out for ``dpi`` at its own size, or (REFLOWING kinds) at ``size`` mm."""
    register_fonts()
    width, height = size or label.size_mm
    if (width, height) != label.size_mm and not isinstance(label, REFLOWING):
        raise ValueError(f"a {label.kind} label is {label.size_mm} mm and does not reflow")
    items = tuple(_LAYOUTS[type(label)](label, dpi, width, height))
    for item in items:
        if (item.x < -EPS or item.y < -EPS or item.x + item.w > width + EPS
                or item.y + item.h > height + EPS):
            raise LabelTooSmall(f"the {label.kind} label does not fit {width:g} x {height:g} "
                                f"mm: {item!r} overflows")
    return Layout(width, height, dpi, items)


def _at(item, x: float, y: float):
    return replace(item, x=x, y=y)


def _caption_rows(rows, x: float, y: float, w: float, caption_w: float, size: float,
                  max_lines: int = 2) -> tuple[list, float]:
    """Caption / value rows under each other from ``y``; returns items and the next y."""
    items = []
    for caption, value in rows:
        cap = fit(caption, x, y + BASELINE * 0.38 * size * PT, caption_w, 5, size=size * 0.62,
                  min_size=5)  # on the value's baseline
        val = fit(value, x + caption_w, y, w - caption_w, max_lines * size * PT * LEADING,
                  font=FONT_SEMIBOLD, size=size, min_size=size * 0.65, max_lines=max_lines)
        items += [cap, val]
        y += val.h + 1.2
    return items, y


def _batch(card: BatchCard, dpi: int, w: float, h: float) -> list:
    qr_tables = [symbols.QR_LARGE_MODULE_DOTS, symbols.QR_MODULE_DOTS]
    if h > w:  # the A6 card: code, QR, product, then the details
        m = 6.0
        code = fit(card.code, m, m, w - 2 * m, 0.12 * h, font=FONT_BOLD, size=40, min_size=14,
                   max_lines=1, align="center")
        qr = symbol("qr", card.url, dpi, qr_tables, max_w=w - 2 * m, max_h=0.4 * h)
        qr = _at(qr, (w - qr.w) / 2, code.y + code.h)
        product = fit(card.product, m, qr.y + qr.h + 1, w - 2 * m, 0.11 * h, size=18,
                      font=FONT_SEMIBOLD, min_size=10, max_lines=2, align="center")
        y = product.y + max(product.h, 0.07 * h) + 2
        rows = [(CAP_LINE, card.line), (CAP_QUANTITY, card.quantity), (CAP_DUE, card.due),
                (CAP_PARTNER, card.partner)]
        details, _ = _caption_rows(rows, m, y + 2.5, w - 2 * m, 0.22 * w, 13)
        return [code, qr, product, Box(m, y, w - 2 * m, 0.3), *details]
    # a sticker: QR on the left as high as the label, text beside it
    pad = min(2.0, 0.06 * h)
    qr = symbol("qr", card.url, dpi, qr_tables, max_w=0.55 * w, max_h=h - 1)
    qr = _at(qr, 0.5, (h - qr.h) / 2)
    x, tw, avail = qr.x + qr.w, w - qr.w - 0.5 - pad, h - 2 * pad
    code = fit(card.code, x, pad, tw, 0.3 * avail, font=FONT_BOLD, size=18, min_size=6,
               max_lines=1)
    product = fit(card.product, x, pad + 0.3 * avail, tw, 0.3 * avail, font=FONT_SEMIBOLD,
                  size=10, min_size=5, max_lines=2)
    facts = " · ".join(filter(None, (card.line, card.quantity, card.due)))
    details = fit(facts, x, pad + 0.6 * avail, tw, 0.22 * avail, size=8, min_size=4.5,
                  max_lines=2)
    partner = fit(card.partner, x, pad + 0.82 * avail, tw, 0.18 * avail, size=8, min_size=4.5,
                  max_lines=1)
    return [qr, code, product, details, partner]


def _unit(unit: ProductUnitLabel, dpi: int, w: float, h: float) -> list:
    m = 3.0
    qr = symbol("qr", unit.url, dpi, [symbols.QR_MODULE_DOTS], max_w=0.4 * w, max_h=0.65 * h)
    qr = _at(qr, w - 1 - qr.w, 1)
    lw = qr.x - m
    name = fit(unit.product, m, m, lw, 9, font=FONT_BOLD, size=12, min_size=7, max_lines=2)
    nominal = fit(unit.nominal, m, name.y + name.h, lw, 5.5, font=FONT_BOLD, size=14,
                  min_size=9, max_lines=1)
    batch = fit(f"{CAP_BATCH} {unit.batch_code}", m, nominal.y + nominal.h + 0.5, lw, 3,
                size=7, min_size=5, max_lines=1)
    items = [qr, name, nominal, batch]
    y = batch.y + batch.h + 0.5
    pao = PAO.match(unit.durability)
    if pao:  # the open-jar symbol with the months inside
        items += [Box(m, y + 0.8, 7.5, 4.7, 0.25), Box(m - 0.3, y, 8.1, 0.9, 0.25),
                  fit(f"{pao.group(1)}M", m, y + 1.6, 7.5, 3, font=FONT_BOLD, size=7,
                      min_size=5, max_lines=1, align="center")]
        y += 5.5
    else:
        items.append(fit(unit.durability, m, y, lw, 3, size=7, min_size=5, max_lines=1))
        y += items[-1].h
    person = fit(unit.responsible_person, m, 0, w - 2 * m, 5.2, size=6.5, min_size=5,
                 max_lines=2)
    person = _at(person, m, h - m - person.h)
    top = max(y, qr.y + qr.h) + 0.5
    inci = fit(f"{CAP_INGREDIENTS} {unit.ingredients}", m, top, w - 2 * m,
               person.y - 0.8 - top, size=7, min_size=4.5, truncate=False)
    return [*items, inci, person]


def _garment(tag: GarmentTag, dpi: int, w: float, h: float) -> list:
    m = 2.5
    size = fit(f"{CAP_SIZE} {tag.size}" if tag.size else "", w - m - 22, m, 22, 6.5,
               font=FONT_BOLD, size=14, min_size=8, max_lines=1, align="right")
    items = [fit(f"{CAP_SKU} {tag.sku}" if tag.sku else "", m, m + 1, w - 2 * m - 23, 5,
                 font=FONT_SEMIBOLD, size=9, min_size=6, max_lines=1), size]
    y = m + 7.5
    for caption, data in ((CAP_ITEM, tag.item_code), (CAP_RETURN, tag.return_number)):
        bars = symbol("code128", data, dpi, [symbols.CODE128_X_DOTS], bar_height=8, max_w=w)
        bars = _at(bars, (w - bars.w) / 2, y)
        text = fit(f"{caption} {data}", m, y + bars.h + 0.3, w - 2 * m, 3.2, size=7.5,
                   min_size=5, max_lines=1, align="center")
        items += [bars, text]
        y = text.y + text.h + 1.5
    return items


def _pallet(pallet: PalletLabel, dpi: int, w: float, h: float) -> list:
    m, inner = 5.0, w - 10.0
    items = []
    for x, caption, text in ((m, CAP_SENDER, pallet.sender),
                             (w / 2 + 1, CAP_RECEIVER, pallet.receiver)):
        items += [fit(caption, x, m, inner / 2 - 1, 3.5, size=7.5, max_lines=1),
                  fit(text, x, m + 3.5, inner / 2 - 1, 24, font=FONT_SEMIBOLD, size=10,
                      min_size=6)]
    items.append(Box(m, 34, inner, 0.4))
    rows = [("SSCC", pallet.sscc), (CAP_CONTENTS, pallet.contents),
            (CAP_COUNT, pallet.count), (CAP_LOT, pallet.batch)]
    details, _ = _caption_rows(rows, m, 37, inner, 24, 14)
    hri = fit(f"(00) {pallet.sscc}", m, 0, inner, 5, font=FONT_BOLD, size=12, min_size=9,
              max_lines=1, align="center")
    hri = _at(hri, m, h - m - hri.h)
    bars = symbol("gs1_128", "00" + pallet.sscc_digits, dpi, [symbols.GS1_128_X_DOTS],
                  bar_height=symbols.GS1_128_BAR_HEIGHT_MM, max_w=w)
    bars = _at(bars, (w - bars.w) / 2, hri.y - 0.8 - bars.h)
    return [*items, *details, Box(m, bars.y - 3, inner, 0.4), bars, hri]


def _badge(badge: WorkerBadge, dpi: int, w: float, h: float) -> list:
    photo = Picture((w - 26) / 2, 4, 26, 31, badge.photo_png)
    name = fit(badge.first_name, 3, photo.y + photo.h + 1.5, w - 6, 10, font=FONT_BOLD,
               size=26, min_size=10, max_lines=1, align="center")
    top = name.y + name.h + 0.5
    qr = symbol("qr", badge.url, dpi, [symbols.QR_LARGE_MODULE_DOTS, symbols.QR_MODULE_DOTS],
                max_w=w - 1, max_h=h - 0.5 - top)
    return [photo, Box(photo.x, photo.y, photo.w, photo.h, 0.3), name,
            _at(qr, (w - qr.w) / 2, top + (h - top - qr.h) / 2)]


_LAYOUTS = {BatchCard: _batch, ProductUnitLabel: _unit, GarmentTag: _garment,
            PalletLabel: _pallet, WorkerBadge: _badge}
