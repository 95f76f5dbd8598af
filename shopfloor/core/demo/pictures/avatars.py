"""Friendly drawn avatars for the demo workers: distinct colours and hair, easy to tell apart."""

from __future__ import annotations

from collections.abc import Callable

from shopfloor.core.demo.pictures.pen import AVATAR_SIZE, INK, SS, WHITE, Pen

HairDrawer = Callable[[Pen, float, float, str], None]


def _hair_long(p: Pen, x, y, colour) -> None:
    p.rect((x - 155, y - 155, x + 155, y + 230), colour, radius=120)


def _hair_short(p: Pen, x, y, colour) -> None:
    p.poly([(x - 135, y - 20), (x - 120, y - 120), (x - 40, y - 160), (x + 60, y - 155),
            (x + 130, y - 110), (x + 135, y - 20), (x + 90, y - 90), (x - 90, y - 90)], colour)


def _hair_bun(p: Pen, x, y, colour) -> None:
    p.circle(x, y - 170, 60, colour)
    _hair_short(p, x, y, colour)


def _hair_curly(p: Pen, x, y, colour) -> None:
    for dx, dy in ((-120, -40), (-95, -110), (-40, -150), (30, -155), (95, -115), (125, -45)):
        p.circle(x + dx, y + dy, 52, colour)


HAIR: dict[str, tuple[HairDrawer, bool]] = {  # style -> drawer, drawn behind the face
    "long": (_hair_long, True), "short": (_hair_short, False),
    "bun": (_hair_bun, False), "curly": (_hair_curly, False),
}


def draw_avatar(background: str, skin: str, hair: str, style: str, shirt: str,
                glasses: bool = False) -> bytes:
    """A friendly face (head, hair, eyes, smile, shirt) on a coloured disc, as PNG bytes."""
    p = Pen(AVATAR_SIZE, WHITE)
    x, y = 300, 260
    p.circle(300, 300, 290, background, None)
    drawer, behind = HAIR[style]
    if behind:
        drawer(p, x, y, hair)
    p.poly([(120, 600), (140, 470), (220, 430), (380, 430), (460, 470), (480, 600)], shirt)
    p.rect((265, 360, 335, 450), skin)
    p.ellipse((x - 125, y - 140, x + 125, y + 150), skin)
    if behind:  # a fringe over the forehead
        p.poly([(x - 122, y - 20), (x - 100, y - 120), (x, y - 148), (x + 100, y - 120),
                (x + 122, y - 20), (x + 40, y - 90), (x - 60, y - 75)], hair, None)
    else:
        drawer(p, x, y, hair)
    for ex in (x - 50, x + 50):
        p.circle(ex, y + 10, 16, INK, None)
        if glasses:
            p.circle(ex, y + 10, 40, None, INK, 8)
    if glasses:
        p.line([(x - 10, y + 8), (x + 10, y + 8)], INK, 8)
    p.draw.arc(Pen._xy((x - 60, y + 20, x + 60, y + 100)), 20, 160, fill=INK, width=10 * SS)
    p.circle(x - 85, y + 60, 18, "#f29e9e", None)
    p.circle(x + 85, y + 60, 18, "#f29e9e", None)
    return p.png()
