"""Checked, re-encoded image uploads stored outside static/ (in the instance folder)."""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from shopfloor.errors import DomainError

MAX_EDGE = 1600


def upload_dir(area: str) -> Path:
    """The folder for one area's uploads, created on first use."""
    path = Path(current_app.instance_path) / "uploads" / area
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_photo(data: bytes, area: str, max_edge: int = MAX_EDGE) -> str:
    """Check an uploaded picture, drop its metadata (EXIF, GPS), shrink it to ``max_edge``
    pixels and store it as a fresh JPEG; returns the stored file name."""
    settings = current_app.config["SHOPFLOOR"]
    if not data:
        raise DomainError(_l("Choose a photo."), field="photo")
    if len(data) > settings["uploads.max_bytes"]:
        raise DomainError(_l("The photo is too large. Choose a smaller one."), field="photo")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > settings["uploads.max_image_pixels"]:
                raise DomainError(_l("The photo has too many pixels."), field="photo")
            image = ImageOps.exif_transpose(image)  # keep the photo upright, then drop EXIF
            image.thumbnail((max_edge, max_edge))
            clean = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise DomainError(_l("This file is not a photo. Choose a JPEG or PNG picture."),
                          field="photo") from None
    name = f"{secrets.token_hex(12)}.jpg"
    clean.save(upload_dir(area) / name, format="JPEG", quality=85, optimize=True)
    return name


def photo_path(area: str, name: str) -> Path | None:
    """The stored file for a name this module gave out, or None (never outside the folder)."""
    if not name or "/" in name or "\\" in name or not name.endswith(".jpg"):
        return None
    path = upload_dir(area) / name
    return path if path.is_file() else None
