"""Workers' records: photo uploads checked and cleaned, the manager-only rule, badges."""

from __future__ import annotations

import io
import re
from pathlib import Path

import zxingcpp
from PIL import Image
from sqlalchemy import select

from shopfloor.workers.models import Worker


def jpeg_with_exif(size=(3000, 2000)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"     # Model
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def post_worker(client, data, url="/workers/new"):
    token = client.token(url)
    return client.client.post(url, data={**data, "csrf_token": token},
                              content_type="multipart/form-data")


def test_a_supervisor_adds_a_worker_with_a_photo_that_is_cleaned(signed_in, db_session, app):
    client = signed_in("supervisor")
    page = client.get("/workers/new").get_data(as_text=True)
    assert "working_time_rule" not in page  # the manager's field only
    response = post_worker(client, {
        "first_name": "Kasia", "sign_in_method": "picture", "skills": ["soap", "copack"],
        "active": "y", "photo": (io.BytesIO(jpeg_with_exif()), "kasia.jpg")})
    assert response.status_code == 302
    worker = db_session.scalar(select(Worker))
    assert worker.first_name == "Kasia" and worker.code.startswith("P")
    assert worker.working_time_rule == "8/40" and worker.skills == ["copack", "soap"]
    stored = Path(app.instance_path) / "uploads" / "workers" / worker.photo
    with Image.open(stored) as image:
        assert max(image.size) == 800
        assert not image.getexif()
    photo = client.get(f"/workers/{worker.id}/photo.jpg")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert "max-age=86400" in photo.headers["Cache-Control"]


def test_uploads_that_are_not_pictures_or_too_big_are_refused(signed_in, db_session, app):
    client = signed_in("manager")
    response = post_worker(client, {"first_name": "Ola", "sign_in_method": "badge",
                                    "working_time_rule": "7/35", "active": "y",
                                    "photo": (io.BytesIO(b"%PDF-1.4 not a photo"), "x.jpg")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ten plik nie jest zdjęciem." in page and 'value="Ola"' in page
    app.config["SHOPFLOOR"].values["uploads.max_bytes"] = 1000
    try:
        worker = db_session.scalar(select(Worker))
        response = post_worker(client, {
            "first_name": "Ola", "sign_in_method": "badge", "working_time_rule": "7/35",
            "active": "y", "version": str(worker.version),
            "photo": (io.BytesIO(jpeg_with_exif((200, 200))), "x.jpg")},
            url=f"/workers/{worker.id}")
    finally:
        app.config["SHOPFLOOR"].values["uploads.max_bytes"] = 10 * 1024 * 1024
    assert response.status_code == 422
    assert "Zdjęcie jest za duże" in response.get_data(as_text=True)


def test_only_the_manager_sees_and_sets_the_working_time_rule(signed_in, db_session):
    manager = signed_in("manager")
    response = post_worker(manager, {"first_name": "Ola", "sign_in_method": "badge",
                                     "working_time_rule": "7/35", "active": "y"})
    assert response.status_code == 302
    worker = db_session.scalar(select(Worker))
    assert worker.working_time_rule == "7/35"
    assert "7 godzin dziennie" in manager.get(f"/workers/{worker.id}").get_data(as_text=True)


def test_the_record_holds_no_health_data():
    columns = {c.name for c in Worker.__table__.columns}
    assert not columns & {"diagnosis", "disability", "degree", "certificate", "symbol",
                          "medication", "health"}


def test_a_printed_badge_scans_to_the_worker(signed_in, db_session):
    client = signed_in("manager")
    post_worker(client, {"first_name": "Kasia", "sign_in_method": "badge",
                         "working_time_rule": "8/40", "active": "y",
                         "photo": (io.BytesIO(jpeg_with_exif((600, 600))), "k.jpg")})
    worker = db_session.scalar(select(Worker))
    png = client.get(f"/labels/badge.png?codes={worker.code}")
    assert png.status_code == 200
    [text] = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))]
    assert re.fullmatch(rf"http://127\.0\.0\.1:5000/s/{worker.code}", text)
    assert client.get(f"/s/{worker.code}").headers["Location"] == f"/workers/{worker.id}"
    assert client.get("/labels/badge.pdf?codes=" + worker.code).data.startswith(b"%PDF")


def test_supervisors_do_not_see_the_rule_in_the_history(signed_in, db_session, app):
    from tests.conftest import FormClient

    manager = signed_in("manager")
    post_worker(manager, {"first_name": "Ola", "sign_in_method": "badge",
                          "working_time_rule": "8/40", "active": "y"})
    worker = db_session.scalar(select(Worker))
    post_worker(manager, {"first_name": "Ola", "sign_in_method": "badge",
                          "working_time_rule": "7/35", "active": "y",
                          "version": str(worker.version)}, url=f"/workers/{worker.id}")
    assert "7/35" in manager.get(f"/workers/{worker.id}").get_data(as_text=True)
    manager.submit("/sign-out", {}, page="/")
    supervisor = signed_in("supervisor", username="coach")
    page = supervisor.get(f"/workers/{worker.id}").get_data(as_text=True)
    assert "7/35" not in page and "8/40" not in page
    assert isinstance(supervisor, FormClient)
