"""The objects of the step pictures, one small helper each (x, y: where it stands)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from shopfloor.core.demo.pictures.pen import (
    BARCODE,
    BENCH_TOP,
    BLUE,
    COPPER,
    GREEN,
    INK,
    KRAFT,
    LAVENDER,
    METAL,
    RED,
    STEEL,
    WALL,
    WHITE,
    WOOD,
    WOOD_EDGE,
    YELLOW,
    Pen,
    Point,
    rotated,
)


def bench(p: Pen) -> None:
    """The plain workbench every step picture stands on."""
    p.rect((-10, BENCH_TOP, 1210, 910), WOOD, WOOD_EDGE, 10)
    p.rect((-10, BENCH_TOP, 1210, BENCH_TOP + 26), "#e2b27a", WOOD_EDGE, 6)


def barcode(p: Pen, x0, y0, x1, y1) -> None:
    """Black bars of a label (a fixed pattern, not a readable code)."""
    unit = (x1 - x0) / (sum(BARCODE) * 2)
    x = x0
    for i, w in enumerate(BARCODE * 2):
        if i % 2 == 0:
            p.rect((x, y0, x + w * unit, y1), INK, None)
        x += w * unit


def label(p: Pen, x, y, w=150, h=100, angle=0.0, fill=WHITE) -> None:
    """A white label with a barcode, centred on x, y (tilted by ``angle`` degrees)."""
    corners = [(x - w / 2, y - h / 2), (x + w / 2, y - h / 2), (x + w / 2, y + h / 2),
               (x - w / 2, y + h / 2)]
    p.poly(rotated(corners, x, y, angle), fill)
    if angle == 0:
        barcode(p, x - w / 2 + 16, y - h / 2 + 16, x + w / 2 - 16, y + h / 2 - 16)
    else:  # a crooked label shows its bars as tilted strokes
        for i in range(7):
            bx = x - w / 2 + 22 + i * (w - 44) / 6
            p.line(rotated([(bx, y - h / 2 + 18), (bx, y + h / 2 - 18)], x, y, angle),
                   INK, 6 if i % 2 else 10)


def scanner(p: Pen, x, y) -> None:
    """A hand-held scanner aimed left, its red beam touching x, y."""
    p.line([(x + 30, y), (x + 200, y - 50)], RED, 8)
    p.line([(x + 30, y), (x + 200, y + 10)], RED, 8)
    p.poly([(x + 190, y - 90), (x + 380, y - 110), (x + 380, y + 20), (x + 190, y + 40)],
           "#3d4552")
    p.poly([(x + 290, y + 10), (x + 370, y), (x + 410, y + 190), (x + 330, y + 200)],
           "#3d4552")
    p.rect((x + 270, y + 20, x + 300, y + 80), YELLOW, radius=10)


def hand(p: Pen, x, y, sleeve=BLUE, skin="#f1c27d") -> None:
    """A hand reaching down from the top edge, fingertips at y."""
    p.rect((x - 70, -20, x + 70, y - 170), sleeve, radius=20)
    p.rect((x - 75, y - 190, x + 75, y - 150), "#f7f7f7", radius=14)
    for dx in (-45, -15, 15, 45):
        p.rect((x + dx - 16, y - 90, x + dx + 16, y), skin, radius=16)
    p.rect((x - 65, y - 160, x + 65, y - 60), skin, radius=36)
    p.rect((x + 50, y - 140, x + 105, y - 100), skin, radius=20)


def hotplate(p: Pen, x, y=BENCH_TOP + 20) -> None:
    """An electric hot plate with a glowing ring."""
    p.rect((x - 190, y - 70, x + 190, y), "#4a505a", radius=14)
    p.ellipse((x - 150, y - 95, x + 150, y - 55), "#2b2f36")
    p.ellipse((x - 110, y - 88, x + 110, y - 62), None, "#ff6b35", 8)
    p.circle(x + 150, y - 35, 16, WHITE)


def pot(p: Pen, x, y, contents=LAVENDER, cubes=False) -> None:
    """A steel pot standing on y; its contents show at the top."""
    p.rect((x - 175, y - 190, x - 125, y - 160), STEEL, radius=10)
    p.rect((x + 125, y - 190, x + 175, y - 160), STEEL, radius=10)
    p.rect((x - 140, y - 230, x + 140, y), METAL, radius=24)
    p.ellipse((x - 140, y - 255, x + 140, y - 205), STEEL)
    p.ellipse((x - 118, y - 246, x + 118, y - 214), contents, None)
    if cubes:
        for dx in (-70, 0, 60):
            p.rect((x + dx - 28, y - 270, x + dx + 28, y - 222), "#efe6fb", radius=6)


def dial_thermometer(p: Pen, x, y) -> None:
    """A cooking thermometer: a dial on a long probe (probe tip at x, y), needle in green."""
    p.rect((x - 8, y - 330, x + 8, y), METAL)
    p.circle(x, y - 380, 80, WHITE, INK, 8)
    p.pie(x, y - 380, 64, 200, 250, "#9fd8cf")
    p.pie(x, y - 380, 64, 250, 300, GREEN)
    p.pie(x, y - 380, 64, 300, 340, "#f29e9e")
    p.circle(x, y - 380, 42, WHITE, None)
    p.line([(x, y - 380), (x + 12, y - 440)], INK, 8)
    p.circle(x, y - 380, 10, INK)


def bottle(p: Pen, x, y, fill="#8a4b1c", drops=0, cap=INK) -> None:
    """A small amber bottle standing on y (or held over something, drops falling below)."""
    p.rect((x - 55, y - 190, x + 55, y), fill, radius=18)
    p.rect((x - 25, y - 240, x + 25, y - 185), fill)
    p.rect((x - 32, y - 290, x + 32, y - 235), cap, radius=8)
    p.rect((x - 40, y - 140, x + 40, y - 60), WHITE, radius=6)
    p.circle(x, y - 100, 22, LAVENDER, None)
    for i in range(drops):
        drop(p, x, y + 60 + i * 70)


def drop(p: Pen, x, y) -> None:
    """A falling drop with its tip up."""
    p.poly([(x, y - 40), (x - 18, y - 4), (x + 18, y - 4)], "#8a4b1c", None)
    p.circle(x, y, 19, "#8a4b1c", None)


def soap_bar(p: Pen, x, y, w=130, h=90, fill=LAVENDER, wrapped=False, flaw=False) -> None:
    """A bar of soap centred on x, y; ``wrapped`` in film, or with a ``flaw`` (bubbles)."""
    p.rect((x - w / 2, y - h / 2, x + w / 2, y + h / 2), fill, radius=22)
    p.rect((x - w / 2 + 16, y - h / 2 + 14, x + w / 2 - 16, y + h / 2 - 14), None,
           "#8066c2", 4, radius=14)
    if wrapped:
        p.rect((x - w / 2 - 8, y - h / 2 - 8, x + w / 2 + 8, y + h / 2 + 8), None,
               "#5fb3d9", 5, radius=26)
        p.line([(x - w / 2 + 14, y + h / 2 - 20), (x - w / 2 + 44, y - h / 2 + 18)], WHITE, 8)
    if flaw:
        for dx, dy, r in ((-30, -10, 12), (5, 12, 9), (30, -16, 15), (-8, -24, 7),
                          (38, 18, 8), (-40, 20, 10)):
            p.circle(x + dx * w / 130, y + dy * h / 90, r * w / 130, "#f4efff", INK, 3)


def mould(p: Pen, x, y, cols=4, rows=2, filled=0, fill=LAVENDER) -> None:
    """A silicone soap mould lying on y; the first ``filled`` cavities hold soap."""
    cw, ch, gap = 110, 80, 26
    width = cols * cw + (cols + 1) * gap
    height = rows * ch + (rows + 1) * gap
    top = y - height
    p.rect((x - width / 2, top, x + width / 2, y), "#e2487a", radius=20)
    for i in range(cols * rows):
        cx = x - width / 2 + gap + (i % cols) * (cw + gap)
        cy = top + gap + (i // cols) * (ch + gap)
        p.rect((cx, cy, cx + cw, cy + ch), fill if i < filled else "#a82d58", radius=16)


def time_timer(p: Pen, x, y, minutes=60) -> None:
    """A visual timer: a red disc whose size shows the time left (a full disc is 1 hour)."""
    p.rect((x - 150, y - 150, x + 150, y + 150), WHITE, radius=30)
    p.circle(x, y, 120, WHITE, INK, 4)
    p.pie(x, y, 112, -90, -90 + 360 * min(minutes, 60) / 60 - 0.01, RED)
    for i in range(12):
        a = math.radians(i * 30)
        p.line([(x + 124 * math.cos(a), y + 124 * math.sin(a)),
                (x + 138 * math.cos(a), y + 138 * math.sin(a))], INK, 5)
    p.circle(x, y, 22, "#3d4552")
    p.rect((x - 20, y - 190, x + 20, y - 150), "#3d4552", radius=6)


def film_roll(p: Pen, x, y) -> None:
    """A roll of shrink film lying on y."""
    p.rect((x - 160, y - 110, x + 160, y), "#cfeaf7", "#3a8fb7", 6, radius=20)
    p.ellipse((x + 120, y - 110, x + 200, y), "#e8f6fc", "#3a8fb7", 6)
    p.circle(x + 160, y - 55, 18, "#3a8fb7", None)


def reel(p: Pen, x, y, colour=INK) -> None:
    """A reel of wire standing on y, with a supplier label on its flange."""
    p.circle(x, y - 170, 170, "#e6e9ee")
    p.circle(x, y - 170, 120, colour, INK, 6)
    for r in (95, 70):
        p.circle(x, y - 170, r, None, "#59606b", 4)
    p.circle(x, y - 170, 40, "#e6e9ee")
    label(p, x, y - 10, 150, 70)


def wire(p: Pen, points: Sequence[Point], colour=INK, stripped=True) -> None:
    """A wire along ``points``; a stripped end shows bare copper past the last point."""
    if stripped:
        (x0, y0), (x1, y1) = points[-2], points[-1]
        d = math.hypot(x1 - x0, y1 - y0) or 1
        end = (x1 + (x1 - x0) / d * 110, y1 + (y1 - y0) / d * 110)
        p.band([(x1, y1), end], COPPER, 16)
    p.band(points, colour, 34)


def tool(p: Pen, x, y, grips=RED, holds=False) -> None:
    """A crimping or stripping tool lying flat, jaws at x, y, handles to the right;
    ``holds``: a small terminal sits in its jaws."""
    p.poly([(x - 90, y - 70), (x + 60, y - 70), (x + 120, y - 16), (x - 90, y - 16)], STEEL)
    p.poly([(x - 90, y + 16), (x + 120, y + 16), (x + 60, y + 70), (x - 90, y + 70)], STEEL)
    if holds:
        p.rect((x - 70, y - 16, x + 10, y + 16), COPPER, INK, 4)
    for dy in (-150, 170):
        p.band([(x + 110, y), (x + 260, y + dy * 0.4)], METAL, 34)
        p.band([(x + 260, y + dy * 0.4), (x + 520, y + dy)], grips, 44)
    p.circle(x + 110, y, 30, METAL)


def terminal(p: Pen, x, y, good=True, colour=INK) -> None:
    """A flat crimp terminal on a wire, seen from above (close up)."""
    p.band([(x - 480, y), (x - 170, y)], colour, 84)
    p.rect((x - 200, y - 70, x - 20, y + 70), METAL, radius=14)  # insulation crimp
    p.rect((x - 20, y - 60, x + 150, y + 60), METAL, radius=10)  # wire barrel
    p.rect((x + 150, y - 80, x + 440, y + 80), "#dfe4ea", radius=16)  # the flat tab
    p.rect((x + 270, y - 20, x + 340, y + 20), STEEL, radius=10)
    if good:  # copper visible in the window, ends flush with the barrel
        p.rect((x - 20, y - 28, x + 160, y + 28), COPPER, None)
    else:  # insulation in the barrel, strands sticking out past it
        p.rect((x - 20, y - 40, x + 90, y + 40), colour, None)
        for dy, dx in ((-30, 110), (-8, 150), (14, 120), (34, 160)):
            p.line([(x + 90, y + dy / 2), (x + 90 + dx, y + dy * 2)], COPPER, 9)


def housing(p: Pen, x, y, wires=(INK,) * 4, inserted=4) -> None:
    """A 4-cavity connector housing lying on y, wires leaving it towards the viewer."""
    p.rect((x - 230, y - 170, x + 230, y - 40), "#3d4552", radius=18)
    for i, colour in enumerate(wires):
        cx = x - 165 + i * 110
        p.rect((cx - 36, y - 140, cx + 36, y - 70), "#161a20", radius=8)
        if i < inserted:
            p.rect((cx - 26, y - 132, cx + 26, y - 80), METAL, None)
            p.band([(cx, y - 50), (cx + (i - 1.5) * 30, y + 180)], colour, 26)


def tester(p: Pen, x, y, light=GREEN) -> None:
    """A harness tester standing on y, its big lamp lit."""
    p.rect((x - 200, y - 300, x + 200, y), "#f0f2f5", radius=24)
    p.circle(x, y - 190, 80, light, INK, 8)
    for a in range(0, 360, 45):
        r = math.radians(a)
        p.line([(x + 100 * math.cos(r), y - 190 + 100 * math.sin(r)),
                (x + 130 * math.cos(r), y - 190 + 130 * math.sin(r))], light, 10)
    p.rect((x - 120, y - 70, x + 120, y - 30), "#3d4552", radius=8)


def jacket(p: Pen, x, y, colour="#2f4b7c", flat=False, k=1.0) -> None:
    """A work jacket lying on y: ``flat`` spread out, otherwise folded; ``k`` scales it."""
    def at(points):
        return [(x + dx * k, y + dy * k) for dx, dy in points]

    if flat:
        p.poly(at([(-150, -380), (-330, -240), (-290, -60), (-200, -90), (-200, 0), (200, 0),
                   (200, -90), (290, -60), (330, -240), (150, -380)]), colour)
        p.line(at([(0, -330), (0, -10)]), "#9fb3d1", 6)
    else:
        (x0, y0), (x1, y1) = at([(-220, -190), (220, 0)])
        p.rect((x0, y0, x1, y1), colour, radius=12)
        p.line(at([(-170, -150), (170, -150)]), "#9fb3d1", 5)
    top = -380 if flat else -190
    p.poly(at([(-80, top), (0, top + 90), (80, top), (40, top - 20), (0, top + 40),
               (-40, top - 20)]), "#1d2f4f")
    pocket = -120 if flat else 0
    (x0, y0), (x1, y1) = at([(70, pocket - 110), (160, pocket - 40)])
    p.rect((x0, y0, x1, y1), "#26406b", radius=8)


def fabric(p: Pen, x, y, torn=False, colour="#2f4b7c") -> None:
    """A close-up of a seam on a piece of fabric centred on x, y; ``torn`` seams gape."""
    p.rect((x - 420, y - 230, x + 420, y + 230), colour, radius=20)
    p.line([(x - 420, y), (x + 420, y)], "#1d2f4f", 8)
    for i in range(14):
        sx = x - 390 + i * 58
        if torn and 3 <= i <= 9:
            continue
        p.line([(sx, y - 40), (sx + 36, y - 40)], YELLOW, 10)
    if torn:
        p.poly([(x - 220, y - 6), (x - 60, y - 60), (x + 120, y - 50), (x + 210, y - 6),
                (x + 100, y + 40), (x - 80, y + 34)], "#0e1626")
        for fx in (-150, -40, 70, 160):
            p.line([(x + fx, y - 40), (x + fx + 14, y - 90)], "#9fb3d1", 5)


def needle(p: Pen, x, y) -> None:
    """A needle pointing down-left to x, y, grey thread from its eye."""
    p.line([(x, y), (x + 260, y - 200)], "#59606b", 14)
    p.circle(x + 245, y - 188, 7, WHITE, None)
    p.line([(x + 250, y - 190), (x + 330, y - 170), (x + 400, y - 240), (x + 470, y - 200)],
           "#8e96a3", 6)


def tag(p: Pen, x, y) -> None:
    """A swing tag hanging from a string at x, y."""
    p.line([(x, y), (x + 30, y + 80)], INK, 5)
    p.poly([(x + 30, y + 60), (x + 110, y + 100), (x + 110, y + 300), (x - 50, y + 300),
            (x - 50, y + 100)], "#fdf3c4")
    p.circle(x + 30, y + 95, 12, WALL)
    barcode(p, x - 25, y + 190, x + 85, y + 270)


def bag(p: Pen, x, y) -> None:
    """A clear plastic bag standing on y (drawn over what it holds)."""
    p.rect((x - 260, y - 300, x + 260, y), None, "#3a8fb7", 8, radius=16)
    p.line([(x - 260, y - 250), (x + 260, y - 250)], "#3a8fb7", 6)
    p.line([(x - 210, y - 200), (x - 150, y - 60)], WHITE, 10)


def box(p: Pen, x, y, w=420, h=220, open_=False, fill=KRAFT) -> None:
    """A cardboard box standing on y, open with flaps up or closed with tape."""
    if open_:
        p.poly([(x - w / 2, y - h), (x - w / 2 - 50, y - h - 90), (x - w / 2 + 70, y - h - 90),
                (x - w / 2 + 110, y - h)], "#b3864f")
        p.poly([(x + w / 2, y - h), (x + w / 2 + 50, y - h - 90), (x + w / 2 - 70, y - h - 90),
                (x + w / 2 - 110, y - h)], "#b3864f")
        p.rect((x - w / 2, y - h - 20, x + w / 2, y - h + 20), "#7a5a33")
    p.rect((x - w / 2, y - h, x + w / 2, y), fill)
    if not open_:
        p.rect((x - 30, y - h, x + 30, y - h + 80), "#e8d7b5", None)


def filler(p: Pen, x, y, w=380) -> None:
    """Crinkled paper filler showing at the top of an open box (y is its top)."""
    for i in range(9):
        fx = x - w / 2 + 20 + i * (w - 40) / 8
        p.line([(fx - 30, y + 10), (fx, y - 20), (fx + 30, y + 10)],
               "#f3d9a4" if i % 2 else "#e9c27d", 14)


def card(p: Pen, x, y, angle=-8) -> None:
    """A small greeting card (a heart on it), centred on x, y."""
    corners = [(x - 70, y - 50), (x + 70, y - 50), (x + 70, y + 50), (x - 70, y + 50)]
    p.poly(rotated(corners, x, y, angle), "#fde2ea")
    p.circle(x - 12, y - 6, 14, RED, None)
    p.circle(x + 12, y - 6, 14, RED, None)
    p.poly([(x - 26, y), (x + 26, y), (x, y + 28)], RED, None)


def scale(p: Pen, x, y) -> None:
    """A kitchen scale on y with a lit display (no digits)."""
    p.rect((x - 230, y - 90, x + 230, y), "#f0f2f5", radius=18)
    p.rect((x - 250, y - 120, x + 250, y - 90), METAL, radius=10)
    p.rect((x - 80, y - 70, x + 80, y - 20), "#b5e8a4", INK, 5, radius=8)
    for i in range(3):
        p.rect((x - 60 + i * 44, y - 58, x - 30 + i * 44, y - 32), "#2d5a27", None)


def mark(p: Pen, good: bool) -> None:
    """A corner badge: a green tick (good example) or a red cross (bad example)."""
    x, y = 1090, 110
    p.circle(x, y, 70, GREEN if good else RED, INK, 6)
    if good:
        p.line([(x - 35, y + 2), (x - 8, y + 30), (x + 38, y - 28)], WHITE, 18)
    else:
        p.line([(x - 30, y - 30), (x + 30, y + 30)], WHITE, 18)
        p.line([(x - 30, y + 30), (x + 30, y - 30)], WHITE, 18)
