"""Layout primitives shared by every label kind and output: items placed in millimetres
(origin top-left, y down), text measured with reportlab's metrics of Source Sans Pro,
wrapped and shrunk to fit, and symbols sized in whole printer dots."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth

from shopfloor.labels import symbols
from shopfloor.labels.symbols import MM_PER_INCH, module_dots
from shopfloor.shipping.delivery_note import FONT

PT = MM_PER_INCH / 72  # millimetres per typographic point
LEADING = 1.2  # line pitch / font size
BASELINE = 0.85  # first baseline below the top of a text box / font size
EPS = 0.01  # mm of rounding slack


class LabelTooSmall(ValueError):
    """The content does not fit the label or sheet cell without going below a minimum size."""


@dataclass(frozen=True)
class Text:
    """Lines of text set at ``size`` pt in a box ``w`` mm wide whose top is at ``y``."""

    x: float
    y: float
    w: float
    lines: tuple[str, ...]
    size: float
    font: str = FONT
    align: str = "left"  # "left", "center" or "right"

    @property
    def leading(self) -> float:
        return self.size * PT * LEADING

    @property
    def h(self) -> float:
        return len(self.lines) * self.leading

    def baselines(self) -> list[tuple[float, float]]:
        """(x of the alignment point, baseline y) of each line, mm."""
        x = {"left": self.x, "center": self.x + self.w / 2, "right": self.x + self.w}[self.align]
        first = self.y + self.size * PT * BASELINE
        return [(x, first + i * self.leading) for i in range(len(self.lines))]


@dataclass(frozen=True)
class Symbol:
    """A barcode whose top-left corner (quiet zone included) is at (x, y) mm; ``dots`` is
    the module width at ``dpi``, ``module`` the same in mm; a QR row is one module high,
    a linear code's one row ``row_height`` (the bar height)."""

    kind: str  # a key of symbols.SYMBOLOGIES
    data: str
    x: float
    y: float
    dots: int
    dpi: int
    module: float
    row_height: float
    w: float
    h: float

    @functools.cached_property
    def matrix(self) -> list[list[bool]]:
        """The module matrix, computed when first drawn (ZPL never needs a QR's)."""
        return symbols.SYMBOLOGIES[self.kind](self.data)


@dataclass(frozen=True)
class Box:
    """A rectangle outlined with a ``line`` mm stroke inside its edges, or filled if line is 0."""

    x: float
    y: float
    w: float
    h: float
    line: float = 0.0


@dataclass(frozen=True)
class Picture:
    """A photo (PNG bytes) cropped to fill the box, or the neutral silhouette if None."""

    x: float
    y: float
    w: float
    h: float
    png: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Layout:
    """A label laid out at ``dpi``: its size in mm and its items."""

    width: float
    height: float
    dpi: int
    items: tuple[Text | Symbol | Box | Picture, ...]


def text_width(text: str, font: str, size: float) -> float:
    """Width of ``text`` set in ``font`` at ``size`` pt, mm."""
    return stringWidth(text, font, size) * PT


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines at most ``width`` mm wide (at newlines, spaces, or inside
    a word too long for a line)."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while len(word) > 1 and text_width(word, font, size) > width:
                cut = len(word) - 1
                while cut > 1 and text_width(word[:cut], font, size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def fit(text: str, x: float, y: float, w: float, h: float, *, font: str = FONT,
        size: float = 10, min_size: float = 6, max_lines: int = 0, align: str = "left",
        truncate: bool = True) -> Text:
    """Set ``text`` in the box at the largest size from ``size`` down to ``min_size`` pt.

    If it does not fit even at ``min_size``, the last line that fits ends in "…", or
    LabelTooSmall is raised when ``truncate`` is false (texts that must be complete).
    """
    while True:
        lines = wrap(text, font, size, w)
        limit = max(1, int(h / (size * PT * LEADING) + EPS))
        limit = min(limit, max_lines) if max_lines else limit
        if len(lines) <= limit:
            return Text(x, y, w, tuple(lines), size, font, align)
        if size - 0.5 < min_size:
            break
        size -= 0.5
    if not truncate:
        raise LabelTooSmall(f"text does not fit {w:.1f} x {h:.1f} mm even at {size:g} pt: "
                            f"{text[:40]!r}…")
    lines, last = lines[:limit], lines[limit - 1]
    while last and text_width(last + "…", font, size) > w:
        last = last[:-1].rstrip()
    return Text(x, y, w, (*lines[:-1], last + "…"), size, font, align)


def symbol(kind: str, data: str, dpi: int, tables: list[dict[int, int]], *,
           bar_height: float = 0.0, max_w: float = 999, max_h: float = 999) -> Symbol:
    """The symbol of ``data`` at (0, 0) with modules from the first dots table (largest
    first) that makes it fit max_w x max_h mm; LabelTooSmall if none does."""
    if kind == "qr":
        columns = rows = symbols.qr_size(data)
    else:
        columns, rows = len(symbols.SYMBOLOGIES[kind](data)[0]), 1
    for table in tables:
        dots = module_dots(table, dpi)
        module = dots * MM_PER_INCH / dpi
        row = module if kind == "qr" else bar_height
        w, h = columns * module, rows * row
        if w <= max_w + EPS and h <= max_h + EPS:
            return Symbol(kind, data, 0, 0, dots, dpi, module, row, w, h)
    raise LabelTooSmall(f"{kind} symbol of {data!r} needs {w:.1f} x {h:.1f} mm, "
                        f"only {max_w:.1f} x {max_h:.1f} mm free")
