"""Photo uploads: re-encoded, no bigger than a tablet can load quickly."""

from __future__ import annotations

import io
import random

from PIL import Image


def noisy_photo(width: int, height: int) -> bytes:
    """The hardest picture for JPEG: fine noise everywhere (a photo of fabric, of gravel)."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_detailed_photo_is_stored_within_the_tablet_budget(app):
    from shopfloor.uploads import MAX_EDGE, MAX_STORED_BYTES, photo_path, save_photo

    name = save_photo(noisy_photo(1800, 1350), "instructions")
    path = photo_path("instructions", name)
    assert path.stat().st_size <= MAX_STORED_BYTES <= 250_000
    with Image.open(path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) <= MAX_EDGE
        assert abs(stored.width / stored.height - 4 / 3) < 0.01  # shrunk, never distorted


def test_a_plain_photo_keeps_its_full_size(app):
    from shopfloor.uploads import MAX_EDGE, photo_path, save_photo

    buffer = io.BytesIO()
    Image.new("RGB", (3200, 2400), (200, 120, 60)).save(buffer, format="JPEG")
    with Image.open(photo_path("instructions", save_photo(buffer.getvalue(),
                                                           "instructions"))) as stored:
        assert stored.size == (MAX_EDGE, 1200)
