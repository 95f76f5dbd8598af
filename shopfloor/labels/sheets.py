"""PDF sheets of labels for office printers: A4 sticker stock or A6 cards, drawn as vectors.

Each label is laid out at its own size and centred in its cell. A label bigger than the
cell is scaled down (aspect ratio kept) unless that shrinks a module below what scanners
read (MIN_MODULE_MM): then LabelTooSmall. Batch cards and unit labels first try to lay
themselves out anew for the cell (a batch card as a sticker: QR on the left, text beside
it), since an A6 card shrunk to a 70 x 37 mm sticker would make its QR far too small.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from shopfloor.labels import symbols
from shopfloor.labels.kinds import (
    EPS,
    REFLOWING,
    Box,
    LabelTooSmall,
    Layout,
    Picture,
    Symbol,
    Text,
    layout,
)
from shopfloor.shipping.delivery_note import register_fonts

__all__ = ["A4", "A6", "PRESETS", "LabelTooSmall", "SheetGrid", "draw_layout", "pdf_sheet"]

A4 = (210.0, 297.0)  # mm
A6 = (105.0, 148.0)
# The smallest module (X dimension) a scaled label may keep, mm. QR: 0.4 mm still reads
# with phone cameras; Code 128: 0.2 mm for a hand scanner close up; GS1-128 for an SSCC:
# 0.495 mm, the minimum of the GS1 General Specifications for logistic labels;
# EAN-13: 0.264 mm (80 % magnification, the smallest GS1 allows).
MIN_MODULE_MM = {"qr": 0.4, "code128": 0.2, "gs1_128": 0.495, "ean13": 0.264}
PICTURE_DPI = 300  # resolution of a badge photo embedded in the PDF


@dataclass(frozen=True)
class SheetGrid:
    """A page of ``columns`` x ``rows`` equal cells (label_w x label_h), all in mm."""

    columns: int
    rows: int
    page: tuple[float, float] = A4
    margin_top: float = 0.0
    margin_left: float = 0.0
    gap_x: float = 0.0
    gap_y: float = 0.0
    label_w: float = 0.0
    label_h: float = 0.0

    def __post_init__(self) -> None:
        if self.columns < 1 or self.rows < 1 or self.label_w <= 0 or self.label_h <= 0:
            raise ValueError("a sheet needs at least one cell of positive size")
        right = self.margin_left + self.columns * self.label_w + (self.columns - 1) * self.gap_x
        bottom = self.margin_top + self.rows * self.label_h + (self.rows - 1) * self.gap_y
        if right > self.page[0] + EPS or bottom > self.page[1] + EPS:
            raise ValueError(f"the cells ({right:g} x {bottom:g} mm) overflow the page")

    def cell(self, index: int) -> tuple[float, float]:
        """Top-left corner (mm from the page's top-left) of the cell ``index`` on its page."""
        row, column = divmod(index % (self.columns * self.rows), self.columns)
        return (self.margin_left + column * (self.label_w + self.gap_x),
                self.margin_top + row * (self.label_h + self.gap_y))


# A4 sticker stock as sold in Poland (Avery Zweckform and compatible); the margins are the
# manufacturers' templates, also used by LibreOffice's label database:
PRESETS = {
    # 14 labels 99.1 x 38.1 mm, Avery L7163 / J8163: top 15.1 mm, side 4.65 mm, 2.5 mm
    # between the columns, rows touching.
    "2x7": SheetGrid(2, 7, A4, 15.1, 4.65, 2.5, 0.0, 99.1, 38.1),
    # 24 labels 70 x 37 mm, Avery Zweckform 3474: edge to edge across, 0.5 mm top margin.
    "3x8": SheetGrid(3, 8, A4, 0.5, 0.0, 0.0, 0.0, 70.0, 37.0),
    # 40 labels 48.5 x 25.4 mm, Avery Zweckform 3657: top 21.5 mm, side 8 mm, no gaps.
    "4x10": SheetGrid(4, 10, A4, 21.5, 8.0, 0.0, 0.0, 48.5, 25.4),
    # Four A6 cards per A4 page, the page's quarters (cut in half twice, or perforated
    # "4 x A6" A4 paper): any office printer takes A4, few take A6 card. Our A6 layouts keep
    # >= 5 mm clear of the edges, where office printers cannot print. For a printer loaded
    # with A6 use SheetGrid(1, 1, A6, label_w=105, label_h=148).
    "a6": SheetGrid(2, 2, A4, 0.0, 0.0, 0.0, 0.0, 105.0, 148.5),
}


def place(label, grid: SheetGrid) -> tuple[Layout, float]:
    """The layout of ``label`` for a cell of ``grid`` and the scale to draw it at."""
    width, height = label.size_mm
    if width <= grid.label_w + EPS and height <= grid.label_h + EPS:
        return layout(label), 1.0
    reflow_error = ""
    if isinstance(label, REFLOWING):
        try:
            return layout(label, size=(grid.label_w, grid.label_h)), 1.0
        except LabelTooSmall as error:  # try shrinking the whole label instead
            reflow_error = f"; laid out anew for the cell: {error}"
    scale = min(grid.label_w / width, grid.label_h / height)
    placed = layout(label)
    for item in placed.items:
        if isinstance(item, Symbol) and item.module * scale < MIN_MODULE_MM[item.kind] - 1e-6:
            raise LabelTooSmall(
                f"a {label.kind} label ({width:g} x {height:g} mm) shrunk into a "
                f"{grid.label_w:g} x {grid.label_h:g} mm cell would make its {item.kind} "
                f"module {item.module * scale:.2f} mm, below the {MIN_MODULE_MM[item.kind]} mm "
                f"scanners need{reflow_error}")
    return placed, scale


def draw_layout(canvas: Canvas, placed: Layout, x: float, top: float, scale: float = 1.0) -> None:
    """Draw a laid-out label on a reportlab canvas with its top-left corner at (x, top) mm
    from the page's bottom-left corner (``top`` is the y of the label's upper edge)."""
    register_fonts()
    canvas.saveState()
    canvas.translate(x * mm, top * mm)
    canvas.scale(scale, scale)  # from here on: points, y up from the label's top edge
    canvas.setFillGray(0)
    for item in placed.items:
        if isinstance(item, Box):
            if item.line == 0:
                canvas.rect(item.x * mm, -(item.y + item.h) * mm, item.w * mm, item.h * mm,
                            stroke=0, fill=1)
            else:
                half = item.line / 2
                canvas.setLineWidth(item.line * mm)
                canvas.rect((item.x + half) * mm, -(item.y + item.h - half) * mm,
                            (item.w - item.line) * mm, (item.h - item.line) * mm, stroke=1,
                            fill=0)
        elif isinstance(item, Symbol):
            symbols.draw_modules_canvas(canvas, item.matrix, item.x * mm, -item.y * mm,
                                        item.module * mm, item.row_height * mm)
        elif isinstance(item, Picture):
            _draw_picture(canvas, item)
        elif isinstance(item, Text):
            canvas.setFont(item.font, item.size)
            draw = {"left": canvas.drawString, "center": canvas.drawCentredString,
                    "right": canvas.drawRightString}[item.align]
            for line, (lx, baseline) in zip(item.lines, item.baselines(), strict=True):
                draw(lx * mm, -baseline * mm, line)
    canvas.restoreState()


def _draw_picture(canvas: Canvas, item: Picture) -> None:
    x, y, w, h = item.x * mm, -(item.y + item.h) * mm, item.w * mm, item.h * mm
    if item.png is not None:  # a photo stays a raster image, of course
        size = (round(item.w / 25.4 * PICTURE_DPI), round(item.h / 25.4 * PICTURE_DPI))
        image = symbols.picture_image(item.png, *size)
        canvas.drawImage(ImageReader(image), x, y, w, h)
        return
    canvas.saveState()
    clip = canvas.beginPath()
    clip.rect(x, y, w, h)
    canvas.clipPath(clip, stroke=0, fill=0)
    canvas.setFillGray(symbols.SILHOUETTE_BACKGROUND / 255)
    canvas.rect(x, y, w, h, stroke=0, fill=1)
    canvas.setFillGray(symbols.SILHOUETTE_FIGURE / 255)
    for cx, cy, rx, ry in symbols.silhouette_ellipses(item.x, item.y, item.w, item.h):
        canvas.ellipse((cx - rx) * mm, -(cy - ry) * mm, (cx + rx) * mm, -(cy + ry) * mm,
                       stroke=0, fill=1)
    canvas.restoreState()


def pdf_sheet(labels: list, grid: SheetGrid, title: str = "") -> bytes:
    """A PDF with ``labels`` in the cells of ``grid``, as many pages as needed.

    Every label is checked (LabelTooSmall) before anything is drawn.
    """
    if not labels:
        raise ValueError("no labels to print")
    placed = [place(label, grid) for label in labels]
    register_fonts()
    out = io.BytesIO()
    page_w, page_h = grid.page
    canvas = Canvas(out, pagesize=(page_w * mm, page_h * mm), pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("Shopfloor")
    per_page = grid.columns * grid.rows
    for index, (item, scale) in enumerate(placed):
        if index and index % per_page == 0:
            canvas.showPage()
        cell_x, cell_y = grid.cell(index)
        x = cell_x + (grid.label_w - item.width * scale) / 2
        top = cell_y + (grid.label_h - item.height * scale) / 2
        draw_layout(canvas, item, x, page_h - top, scale)
    canvas.showPage()
    canvas.save()
    return out.getvalue()

