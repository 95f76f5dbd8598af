"""Authoring instructions: step kinds, the easy-to-read lint, publishing freezes a version."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image

from shopfloor.errors import DomainError
from shopfloor.instructions.lint import caption_problems, gunning_fog
from shopfloor.instructions.services import (
    PublishRefused,
    StepData,
    add_step,
    create_instruction,
    lint_version,
    move_step,
    new_draft,
    publish_version,
    published_version,
    remove_step,
    set_materials_and_tools,
    set_step_photo,
    update_step,
)


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1800), (90, 140, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_short_plain_captions_pass_and_official_language_does_not(app):
    assert caption_problems("Weź formę. Postaw ją na stole.") == []
    assert gunning_fog("Weź formę.") < 2
    hard = caption_problems("Należy przeprowadzić weryfikację zgodności parametrów "
                            "technologicznych z dokumentacją.")
    assert any("trudny do czytania" in p for p in hard)
    long_sentence = caption_problems("Weź tę dużą niebieską formę z górnej półki i postaw ją "
                                     "ostrożnie na stole.")
    assert any("ma 14 słów" in p for p in long_sentence)
    assert caption_problems("Jeden. Dwa. Trzy.") == ["Użyj najwyżej 2 zdań."]
    assert caption_problems("  ") == ["Napisz podpis."]


@pytest.fixture
def soap_instruction(make_product, manager):
    product = make_product(line="soap")
    instruction = create_instruction("Mydło lawendowe", manager, product_id=product.id)
    return instruction, product


def build_version(version, manager, with_photos=True):
    set_materials_and_tools(version, ["Baza glicerynowa", "Olejek lawendowy"],
                            ["Forma", "Waga"], manager)
    steps = [
        add_step(version, StepData("do", "Weź formę. Postaw ją na stole.", "Forma na stole",
                                   "take"), manager),
        add_step(version, StepData("measure", "Zważ bazę.", "Baza na wadze", "measure",
                                   settings={"measure": "weight", "min": "95", "max": "105"}),
                 manager),
        add_step(version, StepData("timer", "Poczekaj, aż mydło stwardnieje.", "Mydło w formie",
                                   "wait", settings={"minutes": 60}), manager),
        add_step(version, StepData("count", "Wyjmij kostki. Policz je.", "Kostki mydła", "count",
                                   target_quantity=Decimal(12)), manager),
        add_step(version, StepData("scan", "Zeskanuj etykietę olejku.", "Butelka olejku", "label",
                                   settings={"scan": "lot"}), manager),
    ]
    if with_photos:
        for step in steps:
            set_step_photo(step, photo(), manager)
    return steps


def test_publishing_needs_photos_and_freezes_the_version(soap_instruction, manager, app):
    instruction, product = soap_instruction
    draft = instruction.versions[0]
    steps = build_version(draft, manager, with_photos=False)
    with pytest.raises(PublishRefused) as refused:
        publish_version(draft, manager)
    assert {(p.position, p.field) for p in refused.value.problems} == {
        (s.position, "photo") for s in steps}
    for step in steps:
        set_step_photo(step, photo(), manager)
    publish_version(draft, manager)
    assert draft.status == "published" and published_version(product.id) == draft
    with pytest.raises(DomainError, match="zamrożona"):
        add_step(draft, StepData("do", "Umyj ręce.", "Ręce", "take"), manager)

    from pathlib import Path

    stored = Path(app.instance_path) / "uploads" / "instructions" / steps[0].photo
    with Image.open(stored) as image:
        assert max(image.size) == 1600


def test_the_lint_asks_for_a_pictogram_and_for_a_range_the_line_does_not_give(
        make_product, manager):
    """A soap line gives the melt temperature's range; a weight has none on any line, so the
    author must set both ends. And every step shows what to do as a pictogram."""
    from shopfloor.floor.services import measure_settings

    product = make_product(line="soap")
    version = create_instruction("Mydło", manager, product_id=product.id).versions[0]
    set_materials_and_tools(version, ["Baza"], ["Forma"], manager)
    no_picture = add_step(version, StepData("do", "Weź formę.", "Forma"), manager)
    heat = add_step(version, StepData("measure", "Zmierz ciepło bazy.", "Termometr", "measure",
                                      settings={"measure": "temperature"}), manager)
    weigh = add_step(version, StepData("measure", "Zważ bazę.", "Waga", "measure",
                                       settings={"measure": "weight", "min": "95"}), manager)
    for step in (no_picture, heat, weigh):
        set_step_photo(step, photo(), manager)
    problems = {(p.position, p.field): p.message for p in lint_version(version)}
    assert set(problems) == {(1, "pictogram"), (3, "measure")}
    assert problems[(1, "pictogram")] == "Wybierz piktogram tego, co robi pracownik."

    # The line's range reaches the tablet, narrowed (never widened) by the step's own.
    assert (measure_settings(heat, "soap")["min"], measure_settings(heat, "soap")["max"]) == (
        Decimal(49), Decimal(63))
    update_step(heat, StepData("measure", "Zmierz ciepło bazy.", "Termometr", "measure",
                               settings={"measure": "temperature", "min": "55", "max": "90"}),
                manager)
    bounds = measure_settings(heat, "soap")
    assert (bounds["min"], bounds["max"]) == (Decimal(55), Decimal(63))
    assert measure_settings(heat, "garments")["max"] == Decimal(90)  # no line range there

    update_step(no_picture, StepData("do", "Weź formę.", "Forma", "take"), manager)
    update_step(weigh, StepData("measure", "Zważ bazę.", "Waga", "measure",
                                settings={"measure": "weight", "min": "95", "max": "105"}),
                manager)
    assert lint_version(version) == []
    publish_version(version, manager)
    assert version.status == "published"


def test_a_new_draft_copies_the_steps_and_publishing_it_retires_the_old(
        soap_instruction, manager):
    instruction, product = soap_instruction
    first = instruction.versions[0]
    build_version(first, manager)
    publish_version(first, manager)
    second = new_draft(instruction, manager)
    assert second.number == 2 and [s.caption for s in second.steps] == [
        s.caption for s in first.steps]
    update_step(second.steps[0], StepData("do", "Weź czystą formę.", "Forma", "take"), manager)
    move_step(second.steps[-1], 1, manager)
    assert [s.kind for s in second.steps] == ["scan", "do", "measure", "timer", "count"]
    remove_step(second.steps[2], manager)
    assert [s.position for s in second.steps] == [1, 2, 3, 4]
    publish_version(second, manager)
    assert first.status == "retired" and published_version(product.id) == second
    assert first.steps[0].caption == "Weź formę. Postaw ją na stole."


@pytest.mark.parametrize(("data", "field"), [
    (StepData("count", "Policz.", "x", "count"), "target_quantity"),
    (StepData("timer", "Czekaj.", "x", "wait", settings={"minutes": 0}), "minutes"),
    (StepData("scan", "Skanuj.", "x", "label", settings={"scan": "pallet"}), "scan"),
    (StepData("measure", "Zmierz.", "x", "measure"), "measure"),
    (StepData("dance", "Tańcz.", "x", "take"), "kind"),
])
def test_each_step_kind_needs_its_settings(soap_instruction, manager, data, field):
    instruction, _ = soap_instruction
    with pytest.raises(DomainError) as error:
        add_step(instruction.versions[0], data, manager)
    assert error.value.field == field


def test_the_lint_asks_for_materials_alt_text_and_check_photos(soap_instruction, manager):
    instruction, _ = soap_instruction
    version = instruction.versions[0]
    step = add_step(version, StepData("check", "Czy kostka jest gładka?", "", "look"), manager)
    set_step_photo(step, photo(), manager)
    fields = {(p.position, p.field) for p in lint_version(version)}
    assert fields == {(0, "materials"), (1, "photo_alt"), (1, "check")}
    set_step_photo(step, photo(), manager, which="good_photo")
    set_step_photo(step, photo(), manager, which="bad_photo")
    assert (1, "check") not in {(p.position, p.field) for p in lint_version(version)}
