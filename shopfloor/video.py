"""Checked, re-encoded step video clips stored outside static/ (beside the photos).

A supervisor may film a step with the tablet (video prompting helps many workers more than
a photo, shared/accessibility.md A3). Whatever the camera or file gives, the stored clip is a
fresh H.264 MP4 made by ffmpeg (the binary the imageio-ffmpeg package carries): at most
``MAX_SECONDS`` long, at most ``MAX_EDGE`` pixels on its long side, at most 30 frames a
second, without sound (the step's own clip or the speech synthesis speaks; a film's sound may
hold bystanders' voices) and without metadata (place, device, date), ``faststart`` so it
plays while it loads.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from shopfloor.errors import DomainError
from shopfloor.uploads import stored_path, upload_dir

MAX_SECONDS = 60
MAX_EDGE = 1280
ENCODE_TIMEOUT_SECONDS = 300
_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_HAS_VIDEO = re.compile(r"Stream #\S+.*: Video: ")


def _error(message) -> DomainError:
    return DomainError(message, field="video")


def ffmpeg() -> str:
    """The ffmpeg binary of the imageio-ffmpeg package."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def probe(path: Path) -> tuple[bool, float | None]:
    """Whether ffmpeg finds a video stream in the file, and its duration in seconds."""
    # The arguments are ours; the file is only ever read by ffmpeg, never run.
    result = subprocess.run([ffmpeg(), "-hide_banner", "-nostdin", "-i", str(path)],  # noqa: S603
                            capture_output=True, text=True, timeout=60, check=False)
    info = result.stderr
    match = _DURATION.search(info)
    seconds = (int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3])) if match else None
    return bool(_HAS_VIDEO.search(info)), seconds


def save_video(data: bytes, area: str) -> str:
    """Check an uploaded film (any format ffmpeg reads, up to a minute) and store it
    re-encoded as described above; returns the stored file name (``.mp4``)."""
    settings = current_app.config["SHOPFLOOR"]
    if not data:
        raise _error(_l("Choose a film."))
    if len(data) > settings["uploads.max_video_bytes"]:
        raise _error(_l("The film is too large. Film a shorter one."))
    with tempfile.TemporaryDirectory(prefix="shopfloor-video-") as folder:
        source, encoded = Path(folder) / "upload", Path(folder) / "clip.mp4"
        source.write_bytes(data)
        has_video, seconds = probe(source)
        if not has_video or seconds is None:
            raise _error(_l("This file is not a film. Film the step again or choose an MP4 "
                            "or WebM file."))
        if seconds > MAX_SECONDS:
            raise _error(_l("The film is too long. Keep it under %(n)s seconds.",
                            n=MAX_SECONDS))
        fit = (f"scale='if(gte(iw,ih),min({MAX_EDGE},iw),-2)':"
               f"'if(gte(iw,ih),-2,min({MAX_EDGE},ih))',format=yuv420p")
        command = [ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(source),
                   "-map", "0:v:0", "-an", "-sn", "-dn", "-map_metadata", "-1",
                   "-map_chapters", "-1", "-vf", fit, "-fpsmax", "30",
                   "-c:v", "libx264", "-preset", "veryfast", "-crf", "28",
                   "-profile:v", "main", "-movflags", "+faststart", "-t", str(MAX_SECONDS),
                   "-threads", "2", str(encoded)]
        try:
            result = subprocess.run(command, capture_output=True,  # noqa: S603 - our arguments
                                    timeout=ENCODE_TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise _error(_l("The film could not be prepared in time. Film a shorter one."))\
                from None
        if result.returncode != 0 or not encoded.is_file() or encoded.stat().st_size == 0:
            raise _error(_l("This film is damaged or of a kind we cannot read. Film the step "
                            "again."))
        name = f"{secrets.token_hex(12)}.mp4"
        shutil.move(encoded, upload_dir(area) / name)
    return name


def video_path(area: str, name: str) -> Path | None:
    """The stored film for a name save_video gave out, or None (never outside the folder)."""
    return stored_path(area, name, ".mp4")
