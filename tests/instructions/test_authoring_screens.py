"""The authoring screens: a supervisor builds a draft on the tablet and publishes it."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from shopfloor.instructions.models import Instruction


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (30, 160, 90)).save(buffer, format="JPEG")
    return buffer.getvalue()


def post(client, url, data, page):
    token = client.token(page)
    return client.client.post(url, data={**data, "csrf_token": token},
                              content_type="multipart/form-data")


def test_a_supervisor_builds_and_publishes_an_instruction(signed_in, make_product, db_session):
    client = signed_in("supervisor")
    product = make_product(line="soap")
    response = client.submit("/instructions/new", {"title": "Mydło lawendowe",
                                                   "product_id": str(product.id), "line": ""})
    assert response.status_code == 302
    editor = response.headers["Location"]
    version_id = int(re.search(r"/versions/(\d+)", editor).group(1))

    page = client.get(editor).get_data(as_text=True)
    assert "Wypisz materiały i narzędzia" in page and "Dodaj co najmniej jeden krok." in page

    client.submit(f"/instructions/versions/{version_id}/materials", {
        "materials": "Baza glicerynowa\nOlejek", "tools": "Forma", "version": "1"}, page=editor)
    response = post(client, f"/instructions/versions/{version_id}/steps", {
        "kind": "do", "caption": "Należy przeprowadzić weryfikację zgodności parametrów.",
        "photo_alt": "Forma na stole", "photo": (io.BytesIO(jpeg()), "a.jpg")}, editor)
    assert response.status_code == 302
    response = post(client, f"/instructions/versions/{version_id}/steps", {
        "kind": "count", "caption": "Policz kostki.", "photo_alt": "Kostki",
        "photo": (io.BytesIO(jpeg()), "b.jpg")}, editor)
    assert response.status_code == 422
    assert "Krok liczenia potrzebuje celu" in response.get_data(as_text=True)
    assert post(client, f"/instructions/versions/{version_id}/steps", {
        "kind": "count", "caption": "Policz kostki.", "photo_alt": "Kostki",
        "pictogram": "count", "target_quantity": "12", "photo": (io.BytesIO(jpeg()), "b.jpg")},
        editor).status_code == 302

    refused = client.submit(f"/instructions/versions/{version_id}/publish", {}, page=editor)
    assert refused.status_code == 422
    assert "Tekst jest trudny do czytania" in refused.get_data(as_text=True)
    # The first step has no pictogram yet: the lint says so too.
    assert "Wybierz piktogram" in refused.get_data(as_text=True)

    instruction = db_session.scalar(select(Instruction))
    step = instruction.versions[0].steps[0]
    assert post(client, f"/instructions/steps/{step.id}", {
        "action": "save", "kind": "do", "caption": "Weź formę. Postaw ją na stole.",
        "photo_alt": "Forma na stole", "pictogram": "take"}, editor).status_code == 302
    assert post(client, f"/instructions/steps/{step.id}", {"action": "down"},
                editor).status_code == 302
    published = client.submit(f"/instructions/versions/{version_id}/publish", {}, page=editor)
    assert published.status_code == 302
    page = client.get(editor).get_data(as_text=True)
    assert "Opublikowana" in page and "Zacznij nowy szkic" in page
    db_session.expire_all()
    version = db_session.scalar(select(Instruction)).versions[0]
    assert [s.kind for s in version.steps] == ["count", "do"]
    photo = client.get(f"/instructions/photos/{version.steps[0].photo}")
    assert photo.status_code == 200 and "immutable" in photo.headers["Cache-Control"]
    assert client.get("/instructions/photos/..%2Fsecret_key").status_code == 404


def _draft_for(client, make_product) -> tuple[int, str]:
    product = make_product(line="harness")
    response = client.submit("/instructions/new", {"title": "Wiązka W-214",
                                                   "product_id": str(product.id), "line": ""})
    editor = response.headers["Location"]
    return int(re.search(r"/versions/(\d+)", editor).group(1)), editor


def test_a_refused_photo_leaves_no_half_saved_step(signed_in, make_product, db_session):
    from shopfloor.instructions.models import InstructionStep

    client = signed_in("supervisor")
    version_id, editor = _draft_for(client, make_product)
    response = post(client, f"/instructions/versions/{version_id}/steps", {
        "kind": "do", "caption": "Weź przewód.", "photo_alt": "Przewód",
        "photo": (io.BytesIO(b"not a picture"), "a.jpg")}, editor)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ten plik nie jest zdjęciem" in page
    assert "Weź przewód." in page  # what was typed is still in the form
    assert db_session.scalar(select(InstructionStep)) is None


def test_saving_a_check_step_keeps_its_good_and_bad_photos(signed_in, make_product,
                                                           db_session):
    from shopfloor.instructions.models import InstructionStep

    client = signed_in("supervisor")
    version_id, editor = _draft_for(client, make_product)
    post(client, f"/instructions/versions/{version_id}/steps", {
        "kind": "check", "caption": "Sprawdź zacisk.", "photo_alt": "Zacisk",
        "photo": (io.BytesIO(jpeg()), "a.jpg"), "good_photo": (io.BytesIO(jpeg()), "g.jpg"),
        "bad_photo": (io.BytesIO(jpeg()), "b.jpg")}, editor)
    step = db_session.scalar(select(InstructionStep))
    photos = (step.settings["good_photo"], step.settings["bad_photo"])
    assert all(photos)
    response = post(client, f"/instructions/steps/{step.id}", {
        "action": "save", "kind": "check", "caption": "Sprawdź zacisk. Patrz z bliska.",
        "photo_alt": "Zacisk"}, editor)
    assert response.status_code == 302
    db_session.refresh(step)
    assert step.caption == "Sprawdź zacisk. Patrz z bliska."
    assert (step.settings["good_photo"], step.settings["bad_photo"]) == photos


def test_a_measuring_step_gets_its_range_from_the_editor(signed_in, make_product, db_session):
    from shopfloor.instructions.models import InstructionStep

    client = signed_in("supervisor")
    version_id, editor = _draft_for(client, make_product)
    wrong = post(client, f"/instructions/versions/{version_id}/steps", {
        "kind": "measure", "measure": "weight", "measure_min": "400", "measure_max": "370",
        "caption": "Zważ zestaw.", "photo_alt": "Waga"}, editor)
    assert wrong.status_code == 422
    assert "nie może być mniejsza od najmniejszej" in wrong.get_data(as_text=True)
    assert post(client, f"/instructions/versions/{version_id}/steps", {
        "kind": "measure", "measure": "weight", "measure_min": "370", "measure_max": "400,5",
        "caption": "Zważ zestaw.", "photo_alt": "Waga"}, editor).status_code == 302
    step = db_session.scalar(select(InstructionStep))
    assert (step.settings["min"], step.settings["max"]) == ("370", "400.5")
    page = client.get(editor).get_data(as_text=True)
    assert 'value="400,5"' in page


def test_a_film_is_uploaded_with_the_step_form_and_a_wrong_file_is_refused_next_to_it(
        app, signed_in, make_product, db_session, tmp_path, monkeypatch):
    from dataclasses import replace

    from shopfloor.instructions.models import InstructionStep
    from tests.instructions.test_video import film

    # Photos and clips may be 50 KB here; a film may be bigger, on the step forms only.
    settings = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(
        settings, values={**settings.values, "uploads.max_bytes": 50_000}))
    monkeypatch.setattr("shopfloor.app_setup.FORM_HEADROOM", 0)  # the limits exactly
    client = signed_in("supervisor")
    product = make_product(line="soap")
    editor = client.submit("/instructions/new", {"title": "Mydło", "product_id": str(product.id),
                                                 "line": ""}).headers["Location"]
    version_id = int(re.search(r"/versions/(\d+)", editor).group(1))
    fields = {"kind": "do", "caption": "Weź formę.", "photo_alt": "Forma", "pictogram": "take"}
    refused = post(client, f"/instructions/versions/{version_id}/steps", {
        **fields, "video": (io.BytesIO(b"nie film" * 50), "film.mp4")}, editor)
    assert refused.status_code == 422
    assert "Ten plik nie jest filmem" in refused.get_data(as_text=True)
    assert db_session.scalar(select(InstructionStep)) is None  # nothing half-saved
    big = film(tmp_path, 2)
    assert len(big) > 50_000
    added = post(client, f"/instructions/versions/{version_id}/steps", {
        **fields, "video": (io.BytesIO(big), "film.mp4")}, editor)
    assert added.status_code == 302
    step = db_session.scalar(select(InstructionStep))
    assert step.video.endswith(".mp4")
    page = client.get(editor).get_data(as_text=True)
    assert f"/instructions/video/{step.video}" in page and "Usuń film przy zapisie" in page
    assert client.client.get(f"/instructions/video/{step.video}").mimetype == "video/mp4"
    # Elsewhere the usual limit holds.
    assert client.client.post("/scan/frame", data=b"\0" * 60_000,
                              content_type="application/octet-stream").status_code == 413
