"""The demo shop floor: a published, easy-to-read picture instruction per line using every
step kind, workers with avatars, two stations ready to work, and a second load that
changes nothing."""

from __future__ import annotations

import hashlib
import random
import time

import pytest
from PIL import Image
from sqlalchemy import func, select

from shopfloor.audit.models import AuditEntry
from shopfloor.auth.models import User
from shopfloor.catalog.models import Product
from shopfloor.core.demo import DemoRefused, load_demo_data
from shopfloor.core.demo.catalog import ensure_catalog
from shopfloor.core.demo.floor import INSTRUCTIONS
from shopfloor.core.demo.partners import ensure_partners, partner_ids
from shopfloor.core.demo.pictures import SCENES, draw_scene
from shopfloor.core.models import InstallationFact
from shopfloor.instructions.models import (
    Instruction,
    InstructionStep,
    InstructionVersion,
    StepKind,
    VersionStatus,
)
from shopfloor.instructions.services import (
    PHOTO_AREA,
    StepData,
    add_step,
    create_instruction,
    lint_version,
    published_version,
)
from shopfloor.lines import LINE_CODES
from shopfloor.pictograms import is_pictogram
from shopfloor.production.models import Batch
from shopfloor.production.services import move_batch
from shopfloor.stations.models import Station, StationWorker
from shopfloor.stations.services import (
    ASSIGNABLE,
    assign_batch,
    enrol_station,
    expected_workers,
)
from shopfloor.stations.signin import start_sign_in
from shopfloor.uploads import photo_path, upload_dir
from shopfloor.workers.models import Worker
from shopfloor.workers.services import PHOTO_AREA as WORKER_PHOTOS
from shopfloor.workers.services import WorkerData, save_worker

COUNTED = (Instruction, InstructionVersion, InstructionStep, Worker, Station, StationWorker,
           Batch, AuditEntry)


@pytest.fixture
def loaded(db_session):
    return load_demo_data()


def _published(db_session) -> list[InstructionVersion]:
    """The published instructions of the demo's products (the garments repair instruction,
    for a defect rather than a product, is checked in tests/returns)."""
    return [v for v in db_session.scalars(select(InstructionVersion).where(
        InstructionVersion.status == VersionStatus.PUBLISHED)).all()
        if v.instruction.product_id is not None]


def _step_photos(step: InstructionStep) -> list[str]:
    settings = step.settings or {}
    return [step.photo, *(settings[k] for k in ("good_photo", "bad_photo") if k in settings)]


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _each_line_has_one_published_instruction_that_passes_the_lint(db_session):
    versions = _published(db_session)
    by_line = {v.instruction.product.line: v for v in versions}
    assert len(versions) == 4 and set(by_line) == set(LINE_CODES)
    for version in versions:
        assert lint_version(version) == []
        assert 4 <= len(version.steps) <= 12  # melt-and-pour weighs and measures: 11
        assert version.materials and version.tools
        assert published_version(version.instruction.product_id) == version
    kinds = {step.kind for version in versions for step in version.steps}
    assert kinds == {kind.value for kind in StepKind}
    assert all(is_pictogram(step.pictogram) for version in versions for step in version.steps)


def _step_settings_carry_the_real_limits(db_session):
    steps = [s for v in _published(db_session) for s in v.steps]
    readings = {s.settings.get("stage"): s for s in steps
                if s.settings.get("measure") == "temperature"}
    # domain.md §1: the clear base melts at 49-60 °C and is poured at 60-63 °C; both
    # readings go into the batch record.
    assert (readings["melt"].settings["min"], readings["melt"].settings["max"]) == (49, 63)
    assert (readings["pour"].settings["min"], readings["pour"].settings["max"]) == (60, 63)
    assert next(s for s in steps if s.kind == "timer").settings["minutes"] == 60
    assert all(s.target_quantity > 0 for s in steps if s.kind == "count")
    assert {s.settings["scan"] for s in steps if s.kind == "scan"} == {"lot"}


def _every_step_picture_is_a_stored_photo_and_check_steps_differ(db_session):
    for version in _published(db_session):
        for step in version.steps:
            paths = [photo_path(PHOTO_AREA, name) for name in _step_photos(step)]
            assert all(paths), (version.instruction.title, step.position)
            for path in paths:
                with Image.open(path) as image:
                    assert image.format == "JPEG" and image.size == (1200, 900)
            if step.kind == StepKind.CHECK:
                assert len(paths) == 3 and len({_digest(p) for p in paths}) == 3
            assert step.photo_alt.strip()


def test_the_drawings_are_quick_and_repeatable():
    started = time.perf_counter()
    first = {name: draw_scene(name) for name in SCENES}
    assert time.perf_counter() - started < 5
    assert draw_scene("soap-bad") == first["soap-bad"]
    used = {scene for demo in INSTRUCTIONS for step in demo.steps
            for scene in (step.picture, step.good, step.bad) if scene}
    assert used <= set(SCENES)


def _workers_have_distinct_avatars_and_can_sign_in_by_picture(db_session):
    workers = db_session.scalars(select(Worker).order_by(Worker.first_name)).all()
    assert [w.first_name for w in workers] == ["Bartek", "Kasia", "Ola", "Witek"]
    assert {w.sign_in_method for w in workers} == {"picture", "badge"}
    assert all(w.skills and w.working_time_rule == "8/40" for w in workers)
    paths = [photo_path(WORKER_PHOTOS, w.photo) for w in workers]
    assert all(paths) and len({_digest(p) for p in paths}) == 4

    soap = db_session.scalar(select(Station).where(Station.line == "soap"))
    kasia = next(w for w in workers if w.first_name == "Kasia")
    challenge = start_sign_in(soap, kasia.id, rng=random.Random(7))
    assert challenge.method == "picture"
    assert kasia.id in challenge.grid and len(challenge.grid) == 4


def _the_two_stations_are_ready_with_workers_and_a_batch(db_session):
    stations = db_session.scalars(select(Station).order_by(Station.name)).all()
    assert [(s.name, s.line, s.active) for s in stations] == [
        ("Stół mydlarski", "soap", True), ("Stół wiązek", "harness", True)]
    for station in stations:
        workers = expected_workers(station)
        assert len(workers) == 2 and all(station.line in w.skills for w in workers)
        batch = db_session.get(Batch, station.current_batch_id)
        assert batch.line == station.line and batch.status in ASSIGNABLE
        # The instruction was published first, so the batch follows it.
        assert batch.instruction_version_id == published_version(batch.product_id).id
    # Work has started on both, so the tablets' steps can be followed at once.
    assert {db_session.get(Batch, s.current_batch_id).status for s in stations} == {
        "in_progress"}


def test_loading_again_changes_nothing(loaded, db_session):
    def counts():
        rows = {m.__name__: db_session.scalar(select(func.count()).select_from(m))
                for m in COUNTED}
        rows["files"] = sum(1 for area in (PHOTO_AREA, WORKER_PHOTOS)
                            for _ in upload_dir(area).iterdir())
        return rows

    before = counts()
    assert "nothing changed" in load_demo_data()
    assert counts() == before


def test_a_stopped_load_is_finished_by_the_next_one(db_session):
    # A first run stopped after the catalogue and one step of the soap instruction.
    db_session.add(InstallationFact(name="demo_data", value="2026-01-01T00:00:00+00:00"))
    db_session.commit()
    ensure_partners(None)
    ensure_catalog(None, partner_ids())
    soap = INSTRUCTIONS[0]
    product_id = db_session.scalar(select(Product.id).where(Product.code == soap.product))
    instruction = create_instruction(soap.title, None, product_id=product_id, line="soap")
    step = soap.steps[0]
    add_step(instruction.versions[0], StepData(kind=step.kind, caption=step.caption,
                                               photo_alt=step.alt, pictogram=step.pictogram,
                                               settings=dict(step.settings)), None)
    load_demo_data()
    [version] = instruction.versions
    assert version.status == VersionStatus.PUBLISHED
    assert [s.caption for s in version.steps] == [s.caption for s in soap.steps]
    # The four product instructions and the garments repair instruction.
    assert db_session.scalar(select(func.count()).select_from(Instruction)) == 5
    assert published_version(product_id) == version


def test_a_worker_who_is_not_demo_data_makes_the_database_not_a_demo(loaded, db_session):
    save_worker(WorkerData(first_name="Janek", skills=["soap"]), None)
    with pytest.raises(DemoRefused):
        load_demo_data()


def test_an_empty_database_with_only_a_station_is_left_alone(db_session):
    enrol_station("Stanowisko przy oknie", None, None)
    with pytest.raises(DemoRefused):
        load_demo_data()
    assert db_session.scalar(select(func.count()).select_from(Worker)) == 0



def test_a_station_whose_work_ran_out_gets_a_fresh_batch_on_the_next_load(loaded, db_session):
    supervisor = db_session.scalar(select(User).where(User.username == "supervisor"))
    station = db_session.scalar(select(Station).where(Station.line == "harness"))
    old = db_session.get(Batch, station.current_batch_id)
    move_batch(old, "on_hold", supervisor, reason="Brak konektorów")
    assign_batch(station, None, supervisor)

    load_demo_data()
    batch = db_session.get(Batch, station.current_batch_id)
    assert batch.id != old.id and batch.status == "in_progress"
    assert batch.product.code == "WI-W214"
    assert batch.instruction_version_id == published_version(batch.product_id).id


def test_the_loaded_demo_floor_is_complete(loaded, db_session):
    """One load, every check of what it wrote (loading takes seconds)."""
    _each_line_has_one_published_instruction_that_passes_the_lint(db_session)
    _step_settings_carry_the_real_limits(db_session)
    _every_step_picture_is_a_stored_photo_and_check_steps_differ(db_session)
    _workers_have_distinct_avatars_and_can_sign_in_by_picture(db_session)
    _the_two_stations_are_ready_with_workers_and_a_batch(db_session)
