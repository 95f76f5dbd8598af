"""ZPL II for Zebra (and compatible) thermal printers at 203 or 300 dpi.

Each label becomes one ``^XA … ^XZ`` format laid out exactly like the PNG at that dpi: the
same positions, module sizes in whole dots, and line breaks. Text uses the printer's
scalable font 0 (narrower than Source Sans Pro, so our lines fit their ``^FB`` blocks) in
UTF-8 (``^CI28``); symbols are drawn by the printer from the data, pictures sent as bitmaps.
Send the result encoded as UTF-8.
"""

from __future__ import annotations

from PIL import Image, ImageOps

from shopfloor.labels import symbols
from shopfloor.labels.kinds import Box, Picture, Symbol, Text, layout
from shopfloor.labels.symbols import MM_PER_INCH, PRINTER_DPIS

ZPL_QR_ERROR_CORRECTION = "M"  # as qr_matrix(): the printer then picks the same QR version
_ALIGN = {"left": "L", "center": "C", "right": "R"}


def _escape(text: str) -> str:
    """Field data for ``^FH_``: the ZPL control characters as hexadecimal escapes."""
    return text.replace("_", "_5F").replace("^", "_5E").replace("~", "_7E")


def to_zpl(labels: list, dpi: int = 203) -> str:
    """ZPL II for ``labels``, one ``^XA … ^XZ`` block per label, for a ``dpi`` printer."""
    if dpi not in PRINTER_DPIS:
        raise ValueError(f"ZPL is made for {' or '.join(map(str, PRINTER_DPIS))} dpi, not {dpi}")
    return "".join(label_zpl(label, dpi) for label in labels)


def label_zpl(label, dpi: int) -> str:
    """The ``^XA … ^XZ`` block of one label."""
    placed = layout(label, dpi)

    def dots(mm: float) -> int:
        return round(mm * dpi / MM_PER_INCH)

    out = ["^XA", "^CI28", f"^PW{dots(placed.width)}", f"^LL{dots(placed.height)}", "^LH0,0"]
    for item in placed.items:
        origin = f"^FO{dots(item.x)},{dots(item.y)}"
        if isinstance(item, Box):
            w, h = max(1, dots(item.w)), max(1, dots(item.h))
            thickness = min(w, h) if item.line == 0 else max(1, dots(item.line))
            out.append(f"{origin}^GB{w},{h},{thickness},B,0^FS")
        elif isinstance(item, Text):
            height = round(item.size * dpi / 72)
            spacing = dots(item.leading) - height
            data = r"\&".join(_escape(line.replace("\\", "\\\\")) for line in item.lines)
            out.append(f"{origin}^A0N,{height},{height}^FB{dots(item.w)},{len(item.lines)},"
                       f"{spacing},{_ALIGN[item.align]},0^FH_^FD{data}^FS")
        elif isinstance(item, Symbol):
            out.append(_symbol(item, dots))
        elif isinstance(item, Picture):
            out.append(origin + _graphic_field(symbols.picture_image(
                item.png, dots(item.w), dots(item.h))) + "^FS")
    out.append("^PQ1")
    out.append("^XZ")
    return "\n".join(out) + "\n"


def _symbol(item: Symbol, dots) -> str:
    """The barcode command; ^FO is where the bars start, inside our quiet zone."""
    modules = symbols.QR_QUIET_MODULES if item.kind == "qr" else item.matrix[0].index(True)
    quiet = modules * item.dots
    x, y = dots(item.x) + quiet, dots(item.y)
    height = dots(item.row_height)
    if item.kind == "qr":
        # ^BQ normal orientation, model 2, magnification = module in dots (1-10).
        return (f"^FO{x},{y + quiet}^BQN,2,{item.dots}"
                f"^FH_^FD{ZPL_QR_ERROR_CORRECTION}A,{_escape(item.data)}^FS")
    bars = f"^FO{x},{y}^BY{item.dots},3,{height}"
    if item.kind == "code128":
        # Mode A: the printer picks subsets (C for runs of 4+ digits) as python-barcode does.
        return f"{bars}^BCN,{height},N,N,N,A^FH_^FD{_escape(item.data)}^FS"
    if item.kind == "gs1_128":
        data = item.data
        if not (data.isascii() and data.isdigit() and len(data) % 2 == 0):
            raise ValueError(f"ZPL GS1-128 needs an even number of digits (e.g. 00 + SSCC), "
                             f"got {data!r}")
        # >; starts subset C, >8 is FNC1: the same symbol as python-barcode's Gs1_128.
        return f"{bars}^BCN,{height},N,N,N^FD>;>8{data}^FS"
    if item.kind == "ean13":
        return f"{bars}^BEN,{height},N,N^FD{item.data[:12]}^FS"
    raise ValueError(f"no ZPL for {item.kind}")


def _graphic_field(image: Image.Image) -> str:
    """A greyscale image as ``^GFA`` hex data, dithered to black and white dots."""
    bitmap = ImageOps.invert(image.convert("L")).convert("1")  # set bits print black
    row_bytes = (bitmap.width + 7) // 8
    data = bitmap.tobytes()
    return f"^GFA,{len(data)},{len(data)},{row_bytes},{data.hex().upper()}"
