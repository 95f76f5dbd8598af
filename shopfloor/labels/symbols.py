"""Machine-readable symbols (QR, Code 128, GS1-128, EAN-13) and whole-label PNG/SVG output.

A symbol is a module matrix: rows of booleans (True = dark), quiet zone included; a linear
code is a matrix of one row whose modules are stretched to the bar height. We draw the
modules ourselves, one code path per output (Pillow, reportlab canvas, SVG), so a module
is exactly ``dots`` printer dots wide at 203 and 300 dpi and exactly that size in mm in the
vector outputs, which use the 300 dpi sizes (also whole dots at 600 and 1200 dpi).
"""

from __future__ import annotations

import base64
import functools
import io
from collections.abc import Iterator
from html import escape

import barcode
import font_source_sans_pro
import qrcode
from barcode.codex import Gs1_128
from barcode.errors import BarcodeError
from PIL import Image, ImageDraw, ImageFont, ImageOps

MM_PER_INCH = 25.4
PRINTER_DPIS = (203, 300)  # 8 and 12 dots/mm thermal printers
VECTOR_DPI = 300  # module sizes used by SVG and PDF

# Module widths in printer dots; 1 dot = 0.1251 mm at 203 dpi, 0.0847 mm at 300 dpi.
QR_MODULE_DOTS = {203: 4, 300: 6}  # 0.500 / 0.508 mm: minimum QR module (>= 0.5 mm)
QR_LARGE_MODULE_DOTS = {203: 7, 300: 10}  # 0.876 / 0.847 mm: batch card, phone camera at
# arm's length; 10 is also the largest ^BQ magnification ZPL accepts.
CODE128_X_DOTS = {203: 2, 300: 3}  # 0.250 / 0.254 mm: Code 128 X >= 0.25 mm
GS1_128_X_DOTS = {203: 4, 300: 6}  # 0.500 / 0.508 mm: SSCC on a logistic label, X >= 0.495 mm
GS1_128_BAR_HEIGHT_MM = 32.0  # GS1 logistic label: bar height >= 31.75 mm
QR_QUIET_MODULES = 4
LINEAR_QUIET_MODULES = 10  # Code 128 / GS1-128 need 10 X each side
EAN13_QUIET_MODULES = (11, 10)  # EAN-13 needs 11 X left, 7 X right; we give 10 right
FNC1 = "\xf1"  # python-barcode's FNC1 character inside Code 128 data
GS = "\x1d"  # how scanners and gs1.to_element_string() spell FNC1 between fields

FONT_FILES = {name: font_source_sans_pro.font_files_ttf[name]
              for name in ("SourceSansPro", "SourceSansProBold", "SourceSansProSemibold")}
SVG_WEIGHT = {"SourceSansPro": "normal", "SourceSansProBold": "bold",
              "SourceSansProSemibold": "600"}
SILHOUETTE_BACKGROUND, SILHOUETTE_FIGURE = 232, 160  # grey levels (0 black, 255 white)


def module_dots(table: dict[int, int], dpi: int) -> int:
    """The module width in dots for ``dpi`` from a table above (other dpi scale the 300 value)."""
    return table.get(dpi) or max(1, round(table[300] * dpi / 300))


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR Code (error correction M) of ``text`` with a 4-module quiet zone."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M,
                       border=QR_QUIET_MODULES, box_size=1)
    qr.add_data(text)
    qr.make(fit=True)
    return [list(row) for row in qr.get_matrix()]


def qr_size(text: str) -> int:
    """Modules per side of qr_matrix(text), quiet zone included, without building it."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M,
                       border=QR_QUIET_MODULES, box_size=1)
    qr.add_data(text)
    return qr.best_fit() * 4 + 17 + 2 * QR_QUIET_MODULES


def _linear(code: str, quiet: tuple[int, int]) -> list[list[bool]]:
    bars = [False] * quiet[0] + [ch == "1" for ch in code] + [False] * quiet[1]
    return [bars]


def code128_modules(data: str) -> list[list[bool]]:
    """Code 128 (subsets chosen by python-barcode) as a one-row matrix with quiet zones."""
    if not data:
        raise ValueError("Code 128 data is empty")
    try:
        code = barcode.get_barcode_class("code128")(data).build()[0]
    except BarcodeError as error:
        raise ValueError(f"cannot encode {data!r} in Code 128: {error}") from None
    return _linear(code, (LINEAR_QUIET_MODULES,) * 2)


def gs1_128_modules(element_string: str) -> list[list[bool]]:
    """GS1-128 of a raw element string ("00" + SSCC, GS between fields) with quiet zones.

    python-barcode's Gs1_128 prepends FNC1 itself; a GS separator becomes FNC1 too (left as
    GS it would be encoded as the ASCII control character from subset A).
    """
    try:
        code = Gs1_128(element_string.replace(GS, FNC1)).build()[0]
    except BarcodeError as error:
        raise ValueError(f"cannot encode {element_string!r} in GS1-128: {error}") from None
    return _linear(code, (LINEAR_QUIET_MODULES,) * 2)


def ean13_modules(digits: str) -> list[list[bool]]:
    """EAN-13 of 12 digits (check digit added) or 13 digits (check digit verified)."""
    try:
        ean = barcode.get_barcode_class("ean13")(digits)
    except BarcodeError as error:
        raise ValueError(f"invalid EAN-13 {digits!r}: {error}") from None
    if len(digits) == 13 and ean.get_fullcode() != digits:
        raise ValueError(f"EAN-13 {digits}: check digit should be {ean.get_fullcode()[-1]}")
    return _linear(ean.build()[0], EAN13_QUIET_MODULES)


SYMBOLOGIES = {"qr": qr_matrix, "code128": code128_modules, "gs1_128": gs1_128_modules,
               "ean13": ean13_modules}


def dark_runs(matrix: list[list[bool]]) -> Iterator[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules."""
    for r, row in enumerate(matrix):
        c, n = 0, len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                yield r, start, c - start
            else:
                c += 1


def draw_modules_pillow(draw: ImageDraw.ImageDraw, matrix: list[list[bool]], x: int, y: int,
                        module: int, row_height: int) -> None:
    """Draw the dark modules in black at pixel (x, y), ``module`` px wide, rows ``row_height``."""
    for r, c, n in dark_runs(matrix):
        left, top = x + c * module, y + r * row_height
        draw.rectangle((left, top, left + n * module - 1, top + row_height - 1), fill=0)


def draw_modules_canvas(canvas, matrix: list[list[bool]], x: float, top: float, module: float,
                        row_height: float) -> None:
    """Draw the dark modules as one filled path on a reportlab canvas (points, y up).

    ``top`` is the y of the symbol's upper edge; rows go down from it. The path is written
    in module units (whole numbers) under a transform: far faster than reportlab's rect().
    """
    canvas.saveState()
    canvas.transform(module, 0, 0, row_height, x, top)
    canvas.addLiteral("\n".join(f"{c} {-r - 1} {n} 1 re" for r, c, n in dark_runs(matrix))
                      + "\nf")
    canvas.restoreState()


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def modules_svg(matrix: list[list[bool]], x: float, y: float, module: float,
                row_height: float) -> str:
    """The dark modules as SVG ``<rect>`` elements (user units, y down)."""
    return "".join(
        f'<rect x="{_num(x + c * module)}" y="{_num(y + r * row_height)}" '
        f'width="{_num(n * module)}" height="{_num(row_height)}"/>'
        for r, c, n in dark_runs(matrix))


def silhouette_ellipses(x: float, y: float, w: float, h: float) -> list[tuple[float, ...]]:
    """(cx, cy, rx, ry) of the head and shoulders of the neutral portrait in a w x h box.

    Draw them in SILHOUETTE_FIGURE over a SILHOUETTE_BACKGROUND box, clipped to the box.
    """
    head = min(0.21 * w, 0.18 * h)
    return [(x + w / 2, y + 0.40 * h, head, head),
            (x + w / 2, y + 1.02 * h, 0.44 * w, 0.36 * h)]


def picture_image(png: bytes | None, width: int, height: int) -> Image.Image:
    """A greyscale ``width`` x ``height`` px image: the photo cropped to fill, or a silhouette."""
    if png is not None:
        with Image.open(io.BytesIO(png)) as photo:
            return ImageOps.fit(ImageOps.exif_transpose(photo).convert("L"), (width, height))
    image = Image.new("L", (width, height), SILHOUETTE_BACKGROUND)
    draw = ImageDraw.Draw(image)
    for cx, cy, rx, ry in silhouette_ellipses(0, 0, width, height):
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=SILHOUETTE_FIGURE)
    return image


@functools.lru_cache(maxsize=64)
def _pil_font(name: str, size_px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_FILES[name], size_px)


def render_png(label, dpi: int = 300) -> bytes:
    """The whole label as a greyscale PNG at ``dpi`` (module sizes from the tables above)."""
    from shopfloor.labels import kinds  # kinds builds on this module's matrices

    layout = kinds.layout(label, dpi)

    def px(mm: float) -> int:
        return round(mm * dpi / MM_PER_INCH)

    image = Image.new("L", (px(layout.width), px(layout.height)), 255)
    draw = ImageDraw.Draw(image)
    for item in layout.items:
        if isinstance(item, kinds.Box):
            fill = 0 if item.line == 0 else None
            width = 0 if item.line == 0 else max(1, px(item.line))
            left, top = px(item.x), px(item.y)
            right, bottom = max(left, px(item.x + item.w) - 1), max(top, px(item.y + item.h) - 1)
            draw.rectangle((left, top, right, bottom), fill=fill, outline=0, width=width)
        elif isinstance(item, kinds.Symbol):
            draw_modules_pillow(draw, item.matrix, px(item.x), px(item.y), item.dots,
                                item.dots if item.kind == "qr" else px(item.row_height))
        elif isinstance(item, kinds.Picture):
            image.paste(picture_image(item.png, px(item.w), px(item.h)), (px(item.x), px(item.y)))
        elif isinstance(item, kinds.Text):
            font = _pil_font(item.font, item.size * dpi / 72)
            anchor = {"left": "ls", "center": "ms", "right": "rs"}[item.align]
            for line, (x, baseline) in zip(item.lines, item.baselines(), strict=True):
                draw.text((px(x), px(baseline)), line, font=font, fill=0, anchor=anchor)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi), optimize=False)
    return out.getvalue()


def render_svg(label) -> str:
    """The whole label as an SVG document in millimetres; text set in Source Sans Pro."""
    from shopfloor.labels import kinds

    layout = kinds.layout(label, VECTOR_DPI)
    w, h = _num(layout.width), _num(layout.height)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" '
           f'viewBox="0 0 {w} {h}">', f'<rect width="{w}" height="{h}" fill="#fff"/>']
    for index, item in enumerate(layout.items):
        if isinstance(item, kinds.Box):
            line = item.line
            paint = ('fill="#000"' if line == 0 else
                     f'fill="none" stroke="#000" stroke-width="{_num(line)}"')
            out.append(f'<rect x="{_num(item.x + line / 2)}" y="{_num(item.y + line / 2)}" '
                       f'width="{_num(item.w - line)}" height="{_num(item.h - line)}" {paint}/>')
        elif isinstance(item, kinds.Symbol):
            row = item.module if item.kind == "qr" else item.row_height
            out.append(f'<g class="symbol" data-symbol="{item.kind}" '
                       f'data-content="{escape(item.data)}" fill="#000" shape-rendering='
                       f'"crispEdges">{modules_svg(item.matrix, item.x, item.y, item.module, row)}'
                       '</g>')
        elif isinstance(item, kinds.Picture):
            out.append(_svg_picture(item, f"picture{index}"))
        elif isinstance(item, kinds.Text):
            size = _num(item.size * MM_PER_INCH / 72)
            anchor = {"left": "start", "center": "middle", "right": "end"}[item.align]
            style = (f'font-family="\'Source Sans Pro\', sans-serif" font-size="{size}" '
                     f'font-weight="{SVG_WEIGHT[item.font]}" text-anchor="{anchor}"')
            for line, (x, baseline) in zip(item.lines, item.baselines(), strict=True):
                out.append(f'<text x="{_num(x)}" y="{_num(baseline)}" {style}>'
                           f'{escape(line, quote=False)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _svg_picture(item, clip_id: str) -> str:
    x, y, w, h = (_num(v) for v in (item.x, item.y, item.w, item.h))
    head = (f'<clipPath id="{clip_id}"><rect x="{x}" y="{y}" width="{w}" height="{h}"/>'
            f'</clipPath><g clip-path="url(#{clip_id})">')
    if item.png is not None:
        data = base64.b64encode(item.png).decode("ascii")
        return (head + f'<image x="{x}" y="{y}" width="{w}" height="{h}" '
                f'preserveAspectRatio="xMidYMid slice" href="data:image/png;base64,{data}"/></g>')
    grey = "#{0:02x}{0:02x}{0:02x}"
    shapes = "".join(f'<ellipse cx="{_num(cx)}" cy="{_num(cy)}" rx="{_num(rx)}" ry="{_num(ry)}"/>'
                     for cx, cy, rx, ry in silhouette_ellipses(item.x, item.y, item.w, item.h))
    return (head + f'<rect x="{x}" y="{y}" width="{w}" height="{h}" '
            f'fill="{grey.format(SILHOUETTE_BACKGROUND)}"/>'
            f'<g fill="{grey.format(SILHOUETTE_FIGURE)}">{shapes}</g></g>')
