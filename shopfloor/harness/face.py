"""The face of a connector as an SVG drawing, generated from its cavity map and the wire list:
each cavity in its wire's colour (a striped wire striped), numbered as moulded, empty cavities
left white with a dashed edge. The tablet shows one connector per step; a scanned wire label
highlights its cavity (``data-wire`` on each cavity, ``static/js/tablet.js``)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from shopfloor.harness import rules

CELL = 96
GAP = 18
MARGIN = 12
EDGE = "#1a1a1a"
COLOUR_NAMES = {
    "BK": _l("black"), "BN": _l("brown"), "RD": _l("red"), "OG": _l("orange"),
    "YE": _l("yellow"), "GN": _l("green"), "BU": _l("blue"), "VT": _l("violet"),
    "GY": _l("grey"), "WH": _l("white"), "PK": _l("pink"), "TQ": _l("turquoise"),
    "GD": _l("gold"), "SR": _l("silver"),
}


def colour_name(code: str) -> str:
    """A wire's colour in words: ``GN/YE`` -> "green with a yellow stripe"."""
    parts = [str(COLOUR_NAMES.get(p, p)) for p in rules.colour_parts(code)]
    if len(parts) == 2:
        return _("%(base)s with a %(stripe)s stripe", base=parts[0], stripe=parts[1])
    return parts[0] if parts else ""


def _ink(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    red, green, blue = (int(fill[i:i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return "#000000" if luminance > 0.179 else "#ffffff"


def _cavity(x: int, y: int, number: int, end: rules.WireEnd | None, connector: str,
            highlight: bool) -> str:
    if end is None:
        label = _("Cavity %(n)s: empty", n=number)
        shape = (f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="14" fill="#ffffff" '
                 f'stroke="#595959" stroke-width="3" stroke-dasharray="8 6"/>')
        ink, wire, fill = "#595959", "", "#ffffff"
    else:
        parts = rules.colour_parts(end.colour)
        fill = rules.COLOURS[parts[0]][1]
        label = _("Cavity %(n)s: wire %(wire)s, %(colour)s", n=number, wire=end.wire,
                  colour=colour_name(end.colour))
        shape = (f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="14" fill="{fill}" '
                 f'stroke="{EDGE}" stroke-width="3"/>')
        if len(parts) == 2:
            stripe = rules.COLOURS[parts[1]][1]
            shape += (f'<path d="M{x + CELL * 0.62} {y} L{x + CELL * 0.82} {y} '
                      f'L{x + CELL * 0.38} {y + CELL} L{x + CELL * 0.18} {y + CELL} Z" '
                      f'fill="{stripe}"/>')
        ink, wire = _ink(fill), end.wire
    halo = "#ffffff" if ink == "#000000" else "#000000"
    shown = "" if highlight else ' visibility="hidden"'
    ring = (f'<rect class="cavity-ring" x="{x - 8}" y="{y - 8}" width="{CELL + 16}" '
            f'height="{CELL + 16}" rx="20" fill="none" stroke="#0b57d0" stroke-width="8"'
            f'{shown}/>')
    text = (f'<text x="{x + CELL / 2}" y="{y + CELL / 2 + 14}" text-anchor="middle" '
            f'font-size="40" font-weight="700" fill="{ink}" stroke="{halo}" stroke-width="1.5" '
            f'paint-order="stroke">{number}</text>')
    return (f'<g class="cavity{" cavity-target" if highlight else ""}" data-cavity="{number}" '
            f'data-connector={quoteattr(connector)} data-wire={quoteattr(wire)} '
            f'data-fill="{fill}"><title>{escape(label)}</title>{ring}{shape}{text}</g>')


def connector_face_svg(connector: dict, wires: list[dict], highlight_wire: str = "") -> Markup:
    """The SVG of one connector's face (``connector``: ``{"name", "part", "layout"}``)."""
    layout = connector["layout"]
    ends = rules.ends_in(connector["name"], wires)
    columns = max((len(row) for row in layout), default=0)
    width = MARGIN * 2 + columns * CELL + max(columns - 1, 0) * GAP
    height = MARGIN * 2 + len(layout) * CELL + max(len(layout) - 1, 0) * GAP
    title = _("Connector %(name)s seen from the wire side", name=connector["name"])
    if connector.get("part"):
        title += f" ({connector['part']})"
    parts = []
    for r, row in enumerate(layout):
        for c, number in enumerate(row):
            if number is None:
                continue
            end = ends.get(number)
            parts.append(_cavity(MARGIN + c * (CELL + GAP), MARGIN + r * (CELL + GAP), number,
                                 end, connector["name"],
                                 bool(highlight_wire and end and end.wire == highlight_wire)))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="connector-face" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           f'aria-label={quoteattr(title)} data-connector-face={quoteattr(connector["name"])}>'
           f'<title>{escape(title)}</title>'
           f'<rect x="0" y="0" width="{width}" height="{height}" rx="18" fill="#eef1f4"/>'
           f'{"".join(parts)}</svg>')
    # Every text in it is escaped above (names, labels); colours come from the code table.
    return Markup(svg)  # noqa: S704
