"""The drawing pen and palette: logical pixels on a canvas twice the size, scaled down at the
end, which smooths the edges."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from PIL import Image, ImageDraw

SS = 2  # supersampling factor
STEP_SIZE = (1200, 900)
AVATAR_SIZE = (600, 600)
BENCH_TOP = 640

INK = "#1f2430"
WALL = "#e9f1f7"
WOOD, WOOD_EDGE = "#d39a5c", "#9c6733"
METAL, STEEL = "#b8c2cc", "#7d8a96"
WHITE, KRAFT = "#ffffff", "#c8995e"
RED, GREEN, BLUE, YELLOW = "#d7263d", "#1f9d55", "#2e5eaa", "#f4c430"
LAVENDER, COPPER = "#a98ee0", "#d9822b"
BARCODE = (3, 1, 2, 1, 1, 3, 2, 1, 1, 2, 3, 1, 2, 2, 1, 1, 3, 1, 2, 1)

Point = tuple[float, float]


class Pen:
    """Draws in logical pixels on a supersampled RGB canvas."""

    def __init__(self, size: tuple[int, int], background: str = WALL):
        self.size = size
        self.image = Image.new("RGB", (size[0] * SS, size[1] * SS), background)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _xy(points: Sequence[float]) -> list[float]:
        return [v * SS for v in points]

    def rect(self, box, fill, outline=INK, width=6, radius=0) -> None:
        """A (rounded) rectangle ``box`` = x0, y0, x1, y1."""
        self.draw.rounded_rectangle(self._xy(box), radius * SS, fill=fill,
                                    outline=outline, width=width * SS if outline else 0)

    def ellipse(self, box, fill, outline=INK, width=6) -> None:
        """An ellipse inside ``box``."""
        self.draw.ellipse(self._xy(box), fill=fill, outline=outline,
                          width=width * SS if outline else 0)

    def circle(self, x, y, r, fill, outline=INK, width=6) -> None:
        """A circle around x, y."""
        self.ellipse((x - r, y - r, x + r, y + r), fill, outline, width)

    def poly(self, points: Sequence[Point], fill, outline=INK, width=6) -> None:
        """A closed polygon."""
        self.draw.polygon([(x * SS, y * SS) for x, y in points], fill=fill,
                          outline=outline, width=width * SS if outline else 0)

    def line(self, points: Sequence[Point], fill=INK, width=6) -> None:
        """A polyline with round joints and ends."""
        scaled = [(x * SS, y * SS) for x, y in points]
        self.draw.line(scaled, fill=fill, width=width * SS, joint="curve")
        for x, y in (scaled[0], scaled[-1]):
            r = width * SS / 2
            self.draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)

    def band(self, points: Sequence[Point], fill, width) -> None:
        """A thick line with a dark outline (wires, handles)."""
        self.line(points, INK, width + 12)
        self.line(points, fill, width)

    def pie(self, x, y, r, start, end, fill) -> None:
        """A pie slice (angles in degrees, 0 = three o'clock, clockwise)."""
        self.draw.pieslice(self._xy((x - r, y - r, x + r, y + r)), start, end, fill=fill)

    def png(self) -> bytes:
        """The picture at its logical size, as PNG bytes."""
        out = io.BytesIO()
        self.image.reduce(SS).save(out, format="PNG", compress_level=1)
        return out.getvalue()


def rotated(points: Sequence[Point], cx, cy, degrees) -> list[Point]:
    """The points turned by ``degrees`` around cx, cy."""
    a = math.radians(degrees)
    return [(cx + (x - cx) * math.cos(a) - (y - cy) * math.sin(a),
             cy + (x - cx) * math.sin(a) + (y - cy) * math.cos(a)) for x, y in points]
