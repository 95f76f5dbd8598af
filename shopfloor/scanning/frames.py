"""Decoding a camera frame on the server when the browser has no BarcodeDetector."""

from __future__ import annotations

import io

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from shopfloor.errors import DomainError

MAX_FRAME_PIXELS = 4096 * 4096


def decode_frame(data: bytes, max_bytes: int) -> str | None:
    """The text of the first barcode in an uploaded image, or None when none is readable.

    The upload is checked (size, real image, pixel count) and re-encoded to greyscale pixels
    before the decoder sees it.
    """
    import zxingcpp

    if not data:
        raise DomainError(_l("The picture is empty."), field="frame")
    if len(data) > max_bytes:
        raise DomainError(_l("The picture is too large."), field="frame")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_FRAME_PIXELS:
                raise DomainError(_l("The picture is too large."), field="frame")
            image.load()
            pixels = image.convert("L")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise DomainError(_l("This file is not a picture."), field="frame") from None
    results = zxingcpp.read_barcodes(pixels)
    return results[0].text if results else None
