"""Step films: whatever the camera gives is stored as a small, silent H.264 MP4 without
metadata; anything else is refused next to the film field and the step stays as it was."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from shopfloor.errors import DomainError
from shopfloor.instructions.services import (
    VIDEO_AREA,
    StepData,
    StepUploads,
    add_step,
    create_instruction,
    new_draft,
    publish_version,
    set_materials_and_tools,
    set_step_photo,
    update_step,
)
from shopfloor.video import ffmpeg, video_path
from tests.instructions.test_authoring import photo

STEP = StepData("do", "Weź formę.", "Forma na stole", "take")


def film(tmp_path: Path, seconds: float = 2, size: str = "1920x1080", rate: int = 60,
         container: str = "mp4") -> bytes:
    """A test film from ffmpeg's own test pattern, with sound and revealing metadata, as a
    phone would record it."""
    out = tmp_path / f"film-{seconds}-{size}.{container}"
    codec = ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"] if container == "mp4" \
        else ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-c:a", "libopus"]
    subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                    f"testsrc=size={size}:rate={rate}", "-f", "lavfi", "-i", "sine", "-t",
                    str(seconds), "-metadata", "title=Kasia przy stole",
                    "-metadata", "location=+52.2297+021.0122/", *codec, "-y", str(out)],
                   check=True, timeout=120)
    return out.read_bytes()


def described(path: Path) -> str:
    """What ffmpeg says about a stored film (its streams and metadata)."""
    return subprocess.run([ffmpeg(), "-hide_banner", "-i", str(path)], capture_output=True,
                          text=True, timeout=60, check=False).stderr


@pytest.fixture
def draft_step(make_product, manager):
    product = make_product(line="soap")
    instruction = create_instruction("Mydło lawendowe", manager, product_id=product.id)
    return add_step(instruction.versions[0], STEP, manager)


def test_a_phone_film_is_stored_small_silent_and_without_metadata(draft_step, manager,
                                                                   tmp_path):
    update_step(draft_step, STEP, manager, StepUploads(video=film(tmp_path)))
    assert draft_step.video.endswith(".mp4")
    info = described(video_path(VIDEO_AREA, draft_step.video))
    video = re.search(r"Video: (\w+).*?, (\d+)x(\d+).*?, ([\d.]+) fps", info)
    assert video is not None, info
    assert video[1] == "h264" and (int(video[2]), int(video[3])) == (1280, 720)
    assert float(video[4]) <= 30
    assert "Audio:" not in info  # the bystanders' voices are not kept
    assert "Kasia" not in info and "location" not in info and "+52.2297" not in info
    duration = re.search(r"Duration: 00:00:(\d\d\.\d+)", info)
    assert duration and float(duration[1]) == pytest.approx(2, abs=0.2)


def test_an_upright_webm_film_keeps_its_shape(draft_step, manager, tmp_path):
    update_step(draft_step, STEP, manager,
                StepUploads(video=film(tmp_path, 1, "720x1600", 25, "webm")))
    info = described(video_path(VIDEO_AREA, draft_step.video))
    assert re.search(r"Video: h264.*?, 576x1280", info), info


@pytest.mark.parametrize(("upload", "message"), [
    ("jpeg", "nie jest filmem"),
    ("text", "nie jest filmem"),
    ("long", "Film jest za długi"),
])
def test_what_is_not_a_short_film_is_refused_and_the_step_is_left_as_it_was(
        draft_step, manager, tmp_path, upload, message):
    data = {"jpeg": photo, "text": lambda: b"to nie jest film\n" * 100,
            "long": lambda: film(tmp_path, 61, "160x120", 5)}[upload]()
    changed = replace(STEP, caption="Weź czystą formę.")
    with pytest.raises(DomainError) as refused:
        update_step(draft_step, changed, manager, StepUploads(video=data))
    assert refused.value.field == "video" and message in str(refused.value.message)
    assert draft_step.caption == "Weź formę." and draft_step.video is None


def test_a_film_larger_than_allowed_is_refused_before_it_is_read(
        app, draft_step, manager, tmp_path, monkeypatch):
    settings = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(
        settings, values={**settings.values, "uploads.max_video_bytes": 1000}))
    with pytest.raises(DomainError, match="za duży"):
        update_step(draft_step, STEP, manager, StepUploads(video=film(tmp_path)))


def test_a_new_draft_keeps_the_film_and_may_drop_it_while_the_published_one_keeps_it(
        draft_step, manager, tmp_path):
    version = draft_step.instruction_version
    set_materials_and_tools(version, ["Baza"], ["Forma"], manager)
    set_step_photo(draft_step, photo(), manager)
    update_step(draft_step, STEP, manager, StepUploads(video=film(tmp_path, 1)))
    publish_version(version, manager)
    draft = new_draft(version.instruction, manager)
    assert draft.steps[0].video == draft_step.video
    update_step(draft.steps[0], STEP, manager, StepUploads(remove_video=True))
    assert draft.steps[0].video is None and draft_step.video is not None
    assert video_path(VIDEO_AREA, draft_step.video) is not None  # the file stays
