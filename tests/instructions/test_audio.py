"""Recorded sound clips for instruction steps: checked, re-encoded, stored, served."""

from __future__ import annotations

import io
import math
import re
import struct
import wave
from array import array
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from shopfloor.errors import DomainError
from shopfloor.instructions.models import Instruction, InstructionStep
from shopfloor.instructions.services import (
    AUDIO_AREA,
    StepData,
    add_step,
    create_instruction,
    new_draft,
    publish_version,
    remove_step_audio,
    set_step_audio,
)
from shopfloor.uploads import audio_path
from tests.instructions.test_authoring import build_version
from tests.instructions.test_authoring_screens import post

PEAK = 20_000


def wav_bytes(seconds: float, rate: int = 44_100, channels: int = 2, width: int = 2) -> bytes:
    """A PCM WAV: a 440 Hz tone on the first channel, silence on the second."""
    frames = int(rate * seconds)
    full = 2 ** (8 * width - 1) - 1
    tone = [round(PEAK / 32767 * full * math.sin(2 * math.pi * 440 * i / rate))
            for i in range(frames)]
    if width in (2, 4):
        samples = array("h" if width == 2 else "i", bytes(frames * channels * width))
        samples[0::channels] = array(samples.typecode, tone)
        raw = samples.tobytes()
    else:  # 8-bit WAV is unsigned (silence is 128); 24-bit is signed
        zero = 128 if width == 1 else 0
        raw = b"".join((v + zero).to_bytes(width, "little", signed=width > 1)
                       + zero.to_bytes(width, "little", signed=width > 1) * (channels - 1)
                       for v in tone)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as clip:
        clip.setnchannels(channels)
        clip.setsampwidth(width)
        clip.setframerate(rate)
        clip.writeframes(raw)
    return buffer.getvalue()


def extensible_24bit(seconds: float, rate: int = 48_000) -> bytes:
    """A 24-bit mono WAV with the WAVE_FORMAT_EXTENSIBLE header ffmpeg writes."""
    plain = wav_bytes(seconds, rate=rate, channels=1, width=3)
    data = plain[plain.index(b"data"):]
    fmt = struct.pack("<HHIIHHHHI", 0xFFFE, 1, rate, rate * 3, 3, 24, 22, 24, 4) + bytes.fromhex(
        "0100000000001000800000aa00389b71")
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def stored(name: str) -> tuple:
    path = audio_path(AUDIO_AREA, name)
    assert path is not None
    with wave.open(str(path)) as clip:
        return clip.getparams(), array("h", clip.readframes(clip.getnframes()))


def stored_clips(app) -> set[Path]:
    return set((Path(app.instance_path) / "uploads" / AUDIO_AREA).glob("*.wav"))


@pytest.fixture
def draft_step(make_product, manager):
    product = make_product(line="soap")
    instruction = create_instruction("Mydło lawendowe", manager, product_id=product.id)
    return add_step(instruction.versions[0], StepData("do", "Weź formę.", "Forma", "take"), manager)


def test_a_stereo_clip_is_stored_as_16_khz_mono_16_bit_of_the_same_length(draft_step, manager):
    set_step_audio(draft_step, wav_bytes(2.0), manager)
    assert draft_step.audio.endswith(".wav")
    params, samples = stored(draft_step.audio)
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, 16_000)
    assert params.nframes / params.framerate == pytest.approx(2.0, abs=0.001)
    # Tone on the left, silence on the right: the average is half as loud.
    assert max(samples) == pytest.approx(PEAK / 2, rel=0.02)


@pytest.mark.parametrize(("clip", "seconds"), [
    (wav_bytes(1.5, rate=8_000, channels=1, width=1), 1.5),
    (wav_bytes(0.5, rate=96_000, channels=1, width=4), 0.5),
    (wav_bytes(1.0, rate=22_050, channels=2, width=3), 1.0),
    (extensible_24bit(1.0), 1.0),
], ids=["8-bit 8 kHz", "32-bit 96 kHz", "24-bit stereo", "24-bit extensible header"])
def test_other_pcm_clips_are_accepted_and_converted(draft_step, manager, clip, seconds):
    set_step_audio(draft_step, clip, manager)
    params, samples = stored(draft_step.audio)
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, 16_000)
    assert params.nframes / params.framerate == pytest.approx(seconds, abs=0.001)
    assert max(samples) > PEAK * 0.45  # the tone survived the conversion


def _fake_header() -> bytes:
    """A WAV header that promises 2 seconds of sound, followed by only 100 bytes."""
    fmt = struct.pack("<HHIIHH", 1, 1, 16_000, 32_000, 2, 16)
    return (b"RIFF" + struct.pack("<I", 36 + 64_000) + b"WAVE" + b"fmt "
            + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", 64_000) + bytes(100))


def _compressed() -> bytes:
    """A WAV header announcing MP3 data (format tag 0x55)."""
    clip = bytearray(wav_bytes(1.0, rate=16_000, channels=1))
    clip[20:22] = struct.pack("<H", 0x55)
    return bytes(clip)


def _too_large() -> bytes:
    """A well-formed 14-second clip of 32-bit stereo at 96 kHz: 10.7 MB, above the limit."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as clip:
        clip.setnchannels(2)
        clip.setsampwidth(4)
        clip.setframerate(96_000)
        clip.writeframes(bytes(14 * 96_000 * 8))
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "message"), [
    (b"", "Choose a sound clip."),
    (b"\xff\xd8\xff\xe0 not a sound at all" * 50,
     "This file is not a WAV sound clip. Record the clip or choose a WAV file."),
    (_fake_header(), "This WAV file is damaged. Record the clip again."),
    (b"RIFF\x00\x10\x00\x00WAVE" + b"\xff\xd8\xff" * 200,
     "This WAV file is damaged. Record the clip again."),
    (_compressed(), "This kind of WAV file is not supported (it may be compressed). "
                    "Save it as a plain 16-bit WAV file."),
    (_too_large(), "The sound clip is too large. Make it shorter."),
    (wav_bytes(40, rate=8_000, channels=1, width=1),
     "The sound clip is too long. Keep it under 30 seconds."),
    (wav_bytes(0.1, rate=16_000, channels=1),
     "The sound clip is too short. Record it again and speak a little longer."),
], ids=["empty", "not a WAV", "fake header", "RIFF then garbage", "compressed", "too large",
        "40 seconds", "too short"])
def test_bad_clips_are_refused_and_the_step_keeps_its_clip(draft_step, manager, app, data,
                                                           message):
    set_step_audio(draft_step, wav_bytes(1.0), manager)
    kept = draft_step.audio
    clips_before = stored_clips(app)
    with pytest.raises(DomainError) as refused:
        set_step_audio(draft_step, data, manager)
    assert refused.value.field == "audio"
    with force_locale("en"):
        assert str(refused.value.message) == message
    assert draft_step.audio == kept
    assert stored_clips(app) == clips_before  # nothing was stored


def test_a_published_version_refuses_a_new_or_removed_clip(make_product, manager, db_session):
    product = make_product(line="soap")
    instruction = create_instruction("Mydło lawendowe", manager, product_id=product.id)
    version = instruction.versions[0]
    steps = build_version(version, manager)
    set_step_audio(steps[0], wav_bytes(1.0), manager)
    publish_version(version, manager)
    with pytest.raises(DomainError) as refused:
        set_step_audio(steps[0], wav_bytes(1.0), manager)
    assert refused.value.field == "version"
    with pytest.raises(DomainError):
        remove_step_audio(steps[0], manager)
    db_session.expire_all()
    assert db_session.get(InstructionStep, steps[0].id).audio == steps[0].audio is not None

    # A new draft starts with the same clip and may drop it; the published one keeps it.
    draft = new_draft(instruction, manager)
    assert draft.steps[0].audio == steps[0].audio
    remove_step_audio(draft.steps[0], manager)
    assert draft.steps[0].audio is None and steps[0].audio is not None


def test_a_supervisor_records_a_clip_in_the_editor_and_hears_it_back(
        signed_in, manager, db_session, app):
    client = signed_in("supervisor", language="en")
    instruction = create_instruction("Mydło lawendowe", manager)
    version_id = instruction.versions[0].id
    editor = f"/instructions/versions/{version_id}"

    page = client.get(editor).get_data(as_text=True)
    assert 'name="audio"' in page and 'accept="audio/wav"' in page
    assert "js/recorder.js" in page and ">Record</button>" in page
    assert "Without a clip, the tablet reads the caption aloud" in page

    response = post(client, f"{editor}/steps", {
        "kind": "do", "caption": "Weź formę.", "photo_alt": "Forma",
        "audio": (io.BytesIO(wav_bytes(1.0)), "recording.wav")}, editor)
    assert response.status_code == 302
    step = db_session.scalar(select(Instruction)).versions[0].steps[0]
    assert step.audio

    page = client.get(editor).get_data(as_text=True)
    url = re.search(r'<audio controls preload="none" src="([^"]+)"', page).group(1)
    served = client.get(url)
    assert served.status_code == 200 and served.mimetype == "audio/wav"
    assert served.headers["Cache-Control"] == "private, max-age=604800, immutable"
    with wave.open(io.BytesIO(served.get_data())) as clip:
        assert (clip.getnchannels(), clip.getframerate(), clip.getnframes()) == (1, 16_000, 16_000)

    assert client.get("/instructions/audio/0123456789abcdef01234567.wav").status_code == 404
    assert client.get("/instructions/audio/..%2Fsecret_key").status_code == 404

    # Not a WAV: the editor says why and the clip stays.
    refused = post(client, f"/instructions/steps/{step.id}", {
        "action": "save", "kind": "do", "caption": "Weź formę.", "photo_alt": "Forma",
        "audio": (io.BytesIO(b"just some text"), "notes.wav")}, editor)
    assert refused.status_code == 422
    assert "This file is not a WAV sound clip." in refused.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(InstructionStep, step.id).audio == step.audio

    # Ticking "Remove the clip" and saving takes it off the step.
    assert post(client, f"/instructions/steps/{step.id}", {
        "action": "save", "kind": "do", "caption": "Weź formę.", "photo_alt": "Forma",
        "remove_audio": "1"}, editor).status_code == 302
    db_session.expire_all()
    assert db_session.get(InstructionStep, step.id).audio is None
    assert "<audio controls preload" not in client.get(editor).get_data(as_text=True)


def test_a_clip_is_not_served_to_someone_who_is_not_signed_in(draft_step, manager, app):
    set_step_audio(draft_step, wav_bytes(1.0), manager)
    response = app.test_client().get(f"/instructions/audio/{draft_step.audio}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
