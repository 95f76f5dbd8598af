"""The step pictures as data: each scene is the list of object helpers that draw it."""

from __future__ import annotations

from shopfloor.core.demo.pictures.objects import (
    bag,
    bench,
    bottle,
    box,
    card,
    dial_thermometer,
    fabric,
    filler,
    film_roll,
    hand,
    hotplate,
    housing,
    jacket,
    label,
    mark,
    mould,
    needle,
    pot,
    reel,
    scale,
    scanner,
    soap_bar,
    tag,
    terminal,
    tester,
    time_timer,
    tool,
    wire,
)
from shopfloor.core.demo.pictures.pen import (
    BENCH_TOP,
    BLUE,
    GREEN,
    INK,
    LAVENDER,
    RED,
    STEP_SIZE,
    Pen,
)

B = BENCH_TOP + 60  # where objects stand on the bench
# scene name -> the helper calls that draw it, in order: (helper, *positional args)
SCENES: dict[str, tuple[tuple, ...]] = {
    # Melt-and-pour soap
    "soap-scan": ((box, 430, B, 360, 260, False, "#dff3f6"), (label, 430, B - 130),
                  (scanner, 520, B - 150)),
    "soap-melt": ((hotplate, 600), (pot, 600, B - 100, "#efe6fb", True),
                  (hand, 540, 300, BLUE)),
    "soap-weigh-base": ((scale, 600, B), (pot, 600, B - 120, "#efe6fb", True)),
    "soap-weigh-oil": ((scale, 600, B), (bottle, 600, B - 120, "#8a4b1c")),
    "soap-oil": ((hotplate, 600), (pot, 600, B - 100), (bottle, 520, 300, "#8a4b1c", 3)),
    "soap-temp": ((hotplate, 600), (dial_thermometer, 640, B - 200), (pot, 600, B - 100)),
    "soap-pour": ((mould, 760, B, 3, 2, 3), (bottle, 310, 300, "#8a4b1c", 2),
                  (pot, 310, B)),
    "soap-wait": ((mould, 430, B, 3, 2, 6), (time_timer, 900, 430, 60)),
    "soap-check": ((mould, 380, B, 3, 2, 3), (soap_bar, 860, B - 120, 190, 130),
                   (soap_bar, 860, B - 290, 190, 130)),
    "soap-good": ((soap_bar, 600, 470, 460, 320), (mark, True)),
    "soap-bad": ((soap_bar, 600, 470, 460, 320, LAVENDER, False, True), (mark, False)),
    "soap-wrap": ((film_roll, 300, B), *((soap_bar, 780, B - 70 - 110 * i, 260, 100,
                                          LAVENDER, True) for i in range(4))),
    # Wire harness
    "harness-scan": ((reel, 420, B, INK), (scanner, 500, B - 10)),
    "harness-strip": ((wire, [(80, 540), (560, 540)], INK), (wire, [(780, 600), (860, 600)],
                                                                 INK, False),
                      (tool, 330, 260, BLUE)),
    "harness-crimp": ((wire, [(60, 420), (440, 420)], INK, False), (tool, 520, 420, RED, True)),
    "harness-look": ((terminal, 600, 450, True), ),
    "harness-crimp-good": ((terminal, 600, 450, True), (mark, True)),
    "harness-crimp-bad": ((terminal, 600, 450, False), (mark, False)),
    "harness-insert": ((housing, 600, 520, (INK,) * 4, 3),
                       (hand, 765, 310, "#6b4c9a")),
    "harness-test": ((tester, 720, B), (housing, 300, B - 40), ),
    # Garment returns
    "garment-check": ((jacket, 600, B, "#2f4b7c", True), ),
    "garment-seam-good": ((fabric, 600, 450), (mark, True)),
    "garment-seam-bad": ((fabric, 600, 450, True), (mark, False)),
    "garment-sew": ((fabric, 600, 450, True), (needle, 520, 470)),
    "garment-fold": ((jacket, 600, B, "#2f4b7c", False, 1.3), ),
    "garment-tag": ((jacket, 540, B, "#2f4b7c", False, 1.3), (tag, 760, B - 250)),
    "garment-bag": ((jacket, 600, B - 30), (bag, 600, B)),
    # Co-packing
    "kit-scan": (*((box, 420, B - i * 40, 420, 40, False) for i in range(5)),
                 (label, 420, B - 130), (scanner, 510, B - 160)),
    "kit-filler": ((box, 600, B, 420, 220, True), (filler, 600, B - 220)),
    "kit-fill": ((box, 600, B, 420, 220, True), (filler, 600, B - 220),
                 (soap_bar, 470, B - 250, 150, 100), (soap_bar, 640, B - 250, 150, 100, "#f4d35e"),
                 (card, 800, B - 290), (hand, 470, 250, GREEN)),
    "kit-weigh": ((scale, 600, B), (box, 600, B - 120, 340, 200, False)),
    "kit-label": ((box, 600, B, 460, 300), (label, 600, B - 150, 180, 110)),
    "kit-label-good": ((box, 600, B, 600, 420), (label, 600, B - 210, 260, 160), (mark, True)),
    "kit-label-bad": ((box, 600, B, 600, 420), (label, 640, B - 240, 260, 160, 24),
                      (mark, False)),
    "kit-carton": (*((box, 420 + 180 * i, B - 120, 150, 240, False, "#f3e3c3")
                     for i in range(3)), (box, 600, B, 700, 260, True)),
}


def draw_scene(name: str) -> bytes:
    """The step picture ``name`` (a key of SCENES) as PNG bytes."""
    pen = Pen(STEP_SIZE)
    bench(pen)
    for helper, *args in SCENES[name]:
        helper(pen, *args)
    return pen.png()
