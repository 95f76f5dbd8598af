"""Authoring instructions: drafts, steps, photos, the lint, publishing (which freezes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shopfloor.audit.services import apply_edits, check_version, commit, conflict_safe, write_audit
from shopfloor.catalog.models import Product
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.instructions.lint import LintProblem, caption_problems
from shopfloor.instructions.models import (
    Instruction,
    InstructionStep,
    InstructionVersion,
    StepKind,
    VersionStatus,
)
from shopfloor.lines import LINE_CODES
from shopfloor.pictograms import is_pictogram
from shopfloor.uploads import save_audio, save_photo
from shopfloor.video import save_video

PHOTO_AREA = "instructions"
# Clips sit beside the photos; their names end in .wav (see uploads.audio_path).
AUDIO_AREA = "instructions"
# Films too; their names end in .mp4 (see video.video_path).
VIDEO_AREA = "instructions"
SCAN_KINDS = ("lot", "item", "kit")  # kit: each scan of the kit's GTIN counts one kit
MEASURE_KINDS = ("weight", "temperature")


class PublishRefused(DomainError):
    """The lint found problems; ``problems`` lists them by step."""

    def __init__(self, problems: list[LintProblem]):
        super().__init__(_l("Fix these before publishing."), field="publish")
        self.problems = problems


@dataclass
class StepData:
    """A step as submitted by the authoring screen."""

    kind: str = StepKind.DO.value
    caption: str = ""
    photo_alt: str = ""
    pictogram: str = ""
    target_quantity: Decimal | None = None
    settings: dict[str, Any] = field(default_factory=dict)


def create_instruction(title: str, user, product_id: int | None = None,
                       line: str | None = None) -> Instruction:
    """A new instruction for a product or a line's process, with an empty draft version 1."""
    if not title.strip():
        raise DomainError(_l("Give the instruction a title."), field="title")
    if product_id is not None and db.session.get(Product, product_id) is None:
        raise DomainError(_l("Choose a product from the list."), field="product_id")
    if line is not None and line not in LINE_CODES:
        raise DomainError(_l("Choose a production line."), field="line")
    instruction = Instruction(title=title.strip(), product_id=product_id, line=line,
                              versions=[InstructionVersion(number=1)])
    db.session.add(instruction)
    write_audit(instruction, "created", user)
    commit([instruction])
    return instruction


def _draft(version: InstructionVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise DomainError(_l("A published version is frozen. Start a new draft to change it."),
                          field="version")


def new_draft(instruction: Instruction, user) -> InstructionVersion:
    """A new draft copied from the newest version (there is at most one draft at a time)."""
    latest = instruction.versions[-1]
    if latest.status == VersionStatus.DRAFT:
        return latest
    draft = InstructionVersion(
        number=latest.number + 1, materials=list(latest.materials), tools=list(latest.tools),
        steps=[InstructionStep(position=s.position, kind=s.kind, caption=s.caption,
                               photo=s.photo, photo_alt=s.photo_alt, audio=s.audio,
                               video=s.video,
                               pictogram=s.pictogram, target_quantity=s.target_quantity,
                               settings=dict(s.settings or {})) for s in latest.steps])
    instruction.versions.append(draft)
    write_audit(instruction, "edited", user, changes={"draft": (None, draft.number)})
    commit([instruction])
    return draft


@conflict_safe
def set_materials_and_tools(version: InstructionVersion, materials: list[str],
                            tools: list[str], user,
                            expected_version: int | str | None = None) -> None:
    """What to fetch before step 1."""
    check_version(version, expected_version)
    _draft(version)
    apply_edits(version, {"materials": [m.strip() for m in materials if m.strip()],
                          "tools": [t.strip() for t in tools if t.strip()]}, user)
    commit([version])


def _check_step(data: StepData) -> None:
    if data.kind not in {k.value for k in StepKind}:
        raise DomainError(_l("Choose what the worker does on this step."), field="kind")
    if data.pictogram and not is_pictogram(data.pictogram):
        raise DomainError(_l("Choose a pictogram from the list."), field="pictogram")
    if data.kind == StepKind.COUNT and (data.target_quantity is None
                                        or data.target_quantity <= 0):
        raise DomainError(_l("A counting step needs a target above zero."),
                          field="target_quantity")
    if data.kind == StepKind.TIMER:
        minutes = data.settings.get("minutes")
        if not isinstance(minutes, int | float) or not 0 < minutes <= 24 * 60:
            raise DomainError(_l("A timer step needs the minutes to wait."), field="minutes")
    if data.kind == StepKind.SCAN and data.settings.get("scan") not in SCAN_KINDS:
        raise DomainError(_l("Choose what the worker scans."), field="scan")
    if data.kind == StepKind.MEASURE and data.settings.get("measure") not in MEASURE_KINDS:
        raise DomainError(_l("Choose what the worker measures."), field="measure")


@dataclass
class StepUploads:
    """Files sent with a step form. They are checked and stored before the step is saved,
    so a refused file leaves the step exactly as it was (nothing half-saved)."""

    photo: bytes | None = None
    good_photo: bytes | None = None
    bad_photo: bytes | None = None
    audio: bytes | None = None
    remove_audio: bool = False
    video: bytes | None = None
    remove_video: bool = False


STORED_SETTINGS = ("good_photo", "bad_photo")


def _store_uploads(uploads: StepUploads | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check, re-encode and store the uploaded files; returns the step columns and the
    settings to set. Raises before anything reaches the database."""
    columns: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    if uploads is None:
        return columns, settings
    if uploads.photo:
        columns["photo"] = save_photo(uploads.photo, PHOTO_AREA)
    for which in STORED_SETTINGS:
        if getattr(uploads, which):
            settings[which] = save_photo(getattr(uploads, which), PHOTO_AREA)
    if uploads.remove_audio:
        columns["audio"] = None
    if uploads.audio:
        columns["audio"] = save_audio(uploads.audio, AUDIO_AREA)
    if uploads.remove_video:
        columns["video"] = None  # the file stays: a published version may still show it
    if uploads.video:
        columns["video"] = save_video(uploads.video, VIDEO_AREA)
    return columns, settings


@conflict_safe
def add_step(version: InstructionVersion, data: StepData, user,
             uploads: StepUploads | None = None) -> InstructionStep:
    """Add a step (with its photos and clip) at the end of a draft."""
    _draft(version)
    _check_step(data)
    columns, stored = _store_uploads(uploads)
    step = InstructionStep(position=len(version.steps) + 1, kind=data.kind,
                           caption=data.caption.strip(), photo_alt=data.photo_alt.strip(),
                           pictogram=data.pictogram, target_quantity=data.target_quantity,
                           settings={**data.settings, **stored}, **columns)
    version.steps.append(step)
    write_audit(version, "edited", user, changes={"steps": (None, step.position)})
    commit([version])
    return step


@conflict_safe
def update_step(step: InstructionStep, data: StepData, user,
                uploads: StepUploads | None = None) -> None:
    """Change a step of a draft (with new photos or clip, if sent)."""
    _draft(step.instruction_version)
    _check_step(data)
    columns, stored = _store_uploads(uploads)
    # The good and bad photos live in the settings: keep them unless new ones came.
    kept = {k: v for k, v in (step.settings or {}).items() if k in STORED_SETTINGS}
    apply_edits(step, {"kind": data.kind, "caption": data.caption.strip(),
                       "photo_alt": data.photo_alt.strip(), "pictogram": data.pictogram,
                       "target_quantity": data.target_quantity,
                       "settings": {**data.settings, **kept, **stored}, **columns}, user)
    commit([step.instruction_version])


def _renumber(version: InstructionVersion, ordered: list[InstructionStep]) -> None:
    # Two passes so the unique (version, position) constraint holds at every flush.
    for offset, step in enumerate(ordered, start=1):
        step.position = 1000 + offset
    db.session.flush()
    for offset, step in enumerate(ordered, start=1):
        step.position = offset
    db.session.flush()


@conflict_safe
def move_step(step: InstructionStep, new_position: int, user) -> None:
    """Put a step of a draft at another place in the sequence."""
    version = step.instruction_version
    _draft(version)
    ordered = [s for s in version.steps if s.id != step.id]
    index = max(0, min(len(ordered), new_position - 1))
    ordered.insert(index, step)
    old = step.position
    _renumber(version, ordered)
    write_audit(version, "edited", user, changes={"step moved": (old, step.position)})
    commit([version])


@conflict_safe
def remove_step(step: InstructionStep, user) -> None:
    """Delete a step from a draft; the others close up."""
    version = step.instruction_version
    _draft(version)
    remaining = [s for s in version.steps if s.id != step.id]
    position = step.position
    version.steps.remove(step)
    db.session.flush()
    _renumber(version, remaining)
    write_audit(version, "edited", user, changes={"step removed": (position, None)})
    commit([version])


@conflict_safe
def set_step_photo(step: InstructionStep, data: bytes, user, which: str = "photo") -> None:
    """Store the step's photo (or a check step's good/bad photo), checked and re-encoded."""
    _draft(step.instruction_version)
    name = save_photo(data, PHOTO_AREA)
    if which == "photo":
        apply_edits(step, {"photo": name}, user)
    elif which in ("good_photo", "bad_photo"):
        apply_edits(step, {"settings": {**(step.settings or {}), which: name}}, user)
    else:
        raise DomainError(_l("Unknown photo."), field="photo")
    commit([step.instruction_version])


@conflict_safe
def set_step_audio(step: InstructionStep, data: bytes, user) -> None:
    """Store the step's recorded sound clip (a WAV file), checked and re-encoded."""
    _draft(step.instruction_version)
    name = save_audio(data, AUDIO_AREA)
    apply_edits(step, {"audio": name}, user)
    commit([step.instruction_version])


@conflict_safe
def remove_step_audio(step: InstructionStep, user) -> None:
    """Take the clip off a draft step; the tablet then reads the caption aloud instead."""
    _draft(step.instruction_version)
    # The file stays: an earlier (published) version may still play the same clip.
    apply_edits(step, {"audio": None}, user)
    commit([step.instruction_version])


def lint_version(version: InstructionVersion) -> list[LintProblem]:
    """Everything that blocks publishing, step by step."""
    problems: list[LintProblem] = []
    if not version.materials and not version.tools:
        problems.append(LintProblem(0, "materials", _("List the materials and tools shown "
                                                      "before step 1.")))
    if not version.steps:
        problems.append(LintProblem(0, "steps", _("Add at least one step.")))
    line = version.instruction.line or (version.instruction.product.line
                                        if version.instruction.product else None)
    for step in version.steps:
        if not step.photo:
            problems.append(LintProblem(step.position, "photo", _("Add a photo.")))
        if not step.pictogram:
            problems.append(LintProblem(step.position, "pictogram",
                                        _("Choose a pictogram for what the worker does.")))
        if step.kind == StepKind.MEASURE and not _has_range(step, line):
            problems.append(LintProblem(step.position, "measure", _(
                "Set the lowest and highest allowed value: this line gives no range for it.")))
        if not step.photo_alt.strip():
            problems.append(LintProblem(step.position, "photo_alt",
                                        _("Describe the photo in a few words.")))
        for message in caption_problems(step.caption):
            problems.append(LintProblem(step.position, "caption", message))
        if step.kind == StepKind.CHECK and not ((step.settings or {}).get("good_photo")
                                                and (step.settings or {}).get("bad_photo")):
            problems.append(LintProblem(step.position, "check",
                                        _("A check step needs a good and a bad photo.")))
    return problems


def _has_range(step: InstructionStep, line: str | None) -> bool:
    """Whether a measuring step's worker gets both ends of an allowed range (from the line
    plug-in, narrowed by the step), so the tablet can say whether the value is right."""
    from shopfloor.floor.services import measure_settings

    bounds = measure_settings(step, line)
    return bounds["min"] is not None and bounds["max"] is not None


@conflict_safe
def publish_version(version: InstructionVersion, user) -> None:
    """Freeze a draft after the lint passes; the version published before it retires."""
    _draft(version)
    problems = lint_version(version)
    if problems:
        raise PublishRefused(problems)
    for other in version.instruction.versions:
        if other.status == VersionStatus.PUBLISHED:
            other.status = VersionStatus.RETIRED
    version.status = VersionStatus.PUBLISHED
    version.published_at = utcnow()
    version.published_by = user.id if user else None
    write_audit(version, "status", user, from_status=VersionStatus.DRAFT,
                to_status=VersionStatus.PUBLISHED)
    _give_to_waiting_stations(version, user)
    commit([version])


def _give_to_waiting_stations(version: InstructionVersion, user) -> None:
    """A station already given a batch of this product that had no instruction yet gets
    this one now, so its workers need not wait for the supervisor to give the work again.
    Batches that follow a version keep it (a batch records what its workers followed)."""
    from shopfloor.production.models import Batch
    from shopfloor.stations.models import Station

    product_id = version.instruction.product_id
    if product_id is None:
        return
    waiting = db.session.scalars(
        select(Batch).join(Station, Station.current_batch_id == Batch.id)
        .where(Batch.product_id == product_id, Batch.instruction_version_id.is_(None),
               Station.revoked_at.is_(None))).unique().all()
    for batch in waiting:
        batch.instruction_version_id = version.id
        write_audit(batch, "edited", user, changes={
            "instruction": (None, f"{version.instruction.title} v{version.number}")})


def published_version(product_id: int) -> InstructionVersion | None:
    """The instruction version workers follow for a product now."""
    return db.session.scalar(
        select(InstructionVersion).join(Instruction)
        .where(Instruction.product_id == product_id,
               InstructionVersion.status == VersionStatus.PUBLISHED)
        .order_by(InstructionVersion.published_at.desc()).limit(1))
