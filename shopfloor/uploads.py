"""Checked, re-encoded image and sound uploads stored outside static/ (in the instance
folder)."""

from __future__ import annotations

import io
import secrets
import struct
import sys
import wave
from array import array
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from shopfloor.errors import DomainError

MAX_EDGE = 1600
# A stored photo is at most this big (the worker step page's budget is 250 KB a photo).
MAX_STORED_BYTES = 240_000
JPEG_QUALITIES = (85, 78, 70, 62)


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
    (upload_dir(area) / name).write_bytes(_jpeg_within(clean, MAX_STORED_BYTES))
    return name


def _jpeg_within(image: Image.Image, budget: int) -> bytes:
    """The picture as a JPEG of at most ``budget`` bytes: lower quality first, then fewer
    pixels, so a worker's tablet loads every step photo quickly on workshop Wi-Fi."""
    while True:
        for quality in JPEG_QUALITIES:
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=quality, optimize=True)
            if buffer.tell() <= budget:
                return buffer.getvalue()
        image = image.resize((max(1, int(image.width * 0.8)), max(1, int(image.height * 0.8))),
                             Image.Resampling.LANCZOS)


def photo_path(area: str, name: str) -> Path | None:
    """The stored file for a name this module gave out, or None (never outside the folder)."""
    return stored_path(area, name, ".jpg")


def stored_path(area: str, name: str, suffix: str) -> Path | None:
    if not name or "/" in name or "\\" in name or not name.endswith(suffix):
        return None
    path = upload_dir(area) / name
    return path if path.is_file() else None


# ---------------------------------------------------------------- sound clips

AUDIO_RATE = 16_000
AUDIO_RATES = range(8_000, 96_001)
AUDIO_SECONDS = (0.3, 30.0)
_PCM, _EXTENSIBLE = 0x0001, 0xFFFE
# KSDATAFORMAT_SUBTYPE_PCM after its first two bytes (which repeat the format tag).
_PCM_GUID_TAIL = bytes.fromhex("000000001000800000aa00389b71")
_INT32 = "i" if array("i").itemsize == 4 else "l"
_FLIP_TOP_BIT = bytes(b ^ 0x80 for b in range(256))


def _audio_error(message) -> DomainError:
    return DomainError(message, field="audio")


def _not_wav() -> DomainError:
    return _audio_error(_l("This file is not a WAV sound clip. Record the clip or choose a "
                           "WAV file."))


def _damaged() -> DomainError:
    return _audio_error(_l("This WAV file is damaged. Record the clip again."))


def _plain_pcm(data: bytes) -> bytes:
    """Check the format chunk: plain integer PCM of 8, 16, 24 or 32 bits. A PCM file with the
    WAVE_FORMAT_EXTENSIBLE header (24-bit files often have it) is relabelled as plain PCM,
    because the wave module of Python 3.11 reads only the plain tag."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise _not_wav()
    offset = 12
    while offset + 8 <= len(data):
        chunk, size = data[offset:offset + 4], int.from_bytes(data[offset + 4:offset + 8],
                                                              "little")
        body = offset + 8
        if chunk == b"fmt ":
            if size < 16 or body + size > len(data):
                raise _damaged()
            (tag,) = struct.unpack_from("<H", data, body)
            (bits,) = struct.unpack_from("<H", data, body + 14)
            if (tag == _EXTENSIBLE and size >= 40 and data[body + 24:body + 26] == b"\x01\x00"
                    and data[body + 26:body + 40] == _PCM_GUID_TAIL):
                data, tag = data[:body] + b"\x01\x00" + data[body + 2:], _PCM
            if tag != _PCM or bits not in (8, 16, 24, 32):
                raise _audio_error(_l("This kind of WAV file is not supported (it may be "
                                      "compressed). Save it as a plain 16-bit WAV file."))
            return data
        offset = body + size + (size & 1)  # chunks are padded to an even length
    raise _damaged()


def _signed_samples(raw: bytes, width: int) -> tuple[array, float]:
    """The interleaved samples as signed integers, and the factor to the 16-bit range."""
    if width == 1:  # 8-bit WAV is unsigned: flipping the top bit gives two's complement
        return array("b", raw.translate(_FLIP_TOP_BIT)), 256.0
    if width == 2:
        samples, scale = array("h", raw), 1.0
    elif width == 3:
        # Widen to 32 bits with slice copies (fast): each sample fills the top 3 bytes.
        wide = bytearray(len(raw) // 3 * 4)
        for byte in range(3):
            wide[byte + 1::4] = raw[byte::3]
        samples, scale = array(_INT32, wide), 1 / 65536
    else:
        samples, scale = array(_INT32, raw), 1 / 65536
    if sys.byteorder == "big":  # WAV is little-endian
        samples.byteswap()
    return samples, scale


def _mono_16k(samples: array, channels: int, rate: int, scale: float) -> array:
    """Average the channels and resample to AUDIO_RATE by linear interpolation."""
    frames = len(samples) // channels
    if channels == 1 and rate == AUDIO_RATE and samples.typecode == "h":
        return array("h", samples)
    if channels == 2:
        scale /= 2
    count = max(1, round(frames * AUDIO_RATE / rate))
    step, last = rate / AUDIO_RATE, frames - 1
    out = array("h", bytes(2 * count))
    for i in range(count):
        position = i * step
        j = int(position)
        if j >= last:
            j, fraction = last, 0.0
        else:
            fraction = position - j
        if channels == 2:
            a = samples[2 * j] + samples[2 * j + 1]
            b = samples[2 * j + 2] + samples[2 * j + 3] if fraction else a
        else:
            a = samples[j]
            b = samples[j + 1] if fraction else a
        value = round((a + (b - a) * fraction) * scale)
        out[i] = 32767 if value > 32767 else -32768 if value < -32768 else value
    return out


def save_audio(data: bytes, area: str) -> str:
    """Check an uploaded WAV clip (PCM, mono or stereo, 0.3 to 30 seconds) and store it
    re-encoded as a fresh 16-bit mono WAV at 16 kHz; returns the stored file name."""
    settings = current_app.config["SHOPFLOOR"]
    if not data:
        raise _audio_error(_l("Choose a sound clip."))
    if len(data) > settings["uploads.max_bytes"]:
        raise _audio_error(_l("The sound clip is too large. Make it shorter."))
    data = _plain_pcm(data)
    try:
        with wave.open(io.BytesIO(data)) as clip:
            channels, width = clip.getnchannels(), clip.getsampwidth()
            rate, frames = clip.getframerate(), clip.getnframes()
            if channels not in (1, 2):
                raise _audio_error(_l("The sound clip must be mono or stereo."))
            if rate not in AUDIO_RATES:
                raise _audio_error(_l("The sample rate of the clip must be between 8000 and "
                                      "96000 Hz."))
            if frames / rate > AUDIO_SECONDS[1]:
                raise _audio_error(_l("The sound clip is too long. Keep it under 30 seconds."))
            if frames / rate < AUDIO_SECONDS[0]:
                raise _audio_error(_l("The sound clip is too short. Record it again and "
                                      "speak a little longer."))
            raw = clip.readframes(frames)
    except (wave.Error, EOFError, struct.error):
        raise _damaged() from None
    if len(raw) != frames * channels * width:  # the header promises more sound than there is
        raise _damaged()
    samples, scale = _signed_samples(raw, width)
    clean = _mono_16k(samples, channels, rate, scale)
    if sys.byteorder == "big":
        clean.byteswap()
    name = f"{secrets.token_hex(12)}.wav"
    with wave.open(str(upload_dir(area) / name), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(AUDIO_RATE)
        out.writeframes(clean.tobytes())
    return name


def audio_path(area: str, name: str) -> Path | None:
    """The stored sound clip for a name save_audio gave out, or None (never outside the
    folder)."""
    return stored_path(area, name, ".wav")


def send_upload(path: Path | None, mimetype: str):
    """Answer with a stored upload, cached for a week: a stored name never gets new content
    (a new photo or clip gets a new name). 404 when there is no such file."""
    from flask import abort, send_file

    if path is None:
        abort(404)
    response = send_file(path, mimetype=mimetype, max_age=7 * 86400, conditional=True)
    response.headers["Cache-Control"] = "private, max-age=604800, immutable"
    return response
