"""Returned items: one row per item of a garments batch record, photos, the question to the
partner and its answer in the portal, the office's own disposition, and what another firm
gets (404)."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from shopfloor.errors import DomainError
from tests.returns.conftest import ITEMS, defect_photo


def item_codes(db_session, batch) -> list[str]:
    from shopfloor.returns.models import ReturnedItem

    db_session.expire_all()
    return list(db_session.scalars(select(ReturnedItem.rma).where(
        ReturnedItem.batch_id == batch.id).order_by(ReturnedItem.id)))


# ------------------------------------------------------------------ kept in step with the record


def test_every_listed_item_becomes_a_record_of_the_partner_and_order(returns):
    first, second = returns.items
    assert [i.rma for i in returns.items] == ["MW-RMA-40001", "MW-RMA-40002"]
    assert first.item_code == returns.batch.record["items"][0]["item_code"]
    assert (first.partner_id, first.order_id) == (returns.moda.id, returns.order.id)
    assert (first.status, first.disposition) == ("received", None)
    assert (second.size, second.colour, second.reason) == ("M", "szary", "size")
    assert returns.other_item.partner_id == returns.tekstil.id


def test_editing_the_record_updates_adds_and_drops_items_without_history(returns, manager,
                                                                          db_session):
    from shopfloor.production.services import update_batch_record

    rows = [dict(row) for row in returns.batch.record["items"]]
    rows[0]["colour"] = "czarny"
    rows = [rows[0], {**ITEMS[1], "rma": "MW-RMA-40003", "sku": "KURTKA-09"}]
    update_batch_record(returns.batch, {"items": rows}, manager)
    assert item_codes(db_session, returns.batch) == ["MW-RMA-40001", "MW-RMA-40003"]
    assert returns.items[0].colour == "czarny"


def test_an_item_with_a_photo_cannot_be_dropped_from_the_record(returns, manager, db_session):
    from shopfloor.production.services import update_batch_record
    from shopfloor.returns.services import add_photo

    add_photo(returns.items[1], defect_photo(), manager)
    before = returns.batch.record
    with pytest.raises(DomainError) as refused:
        update_batch_record(returns.batch, {"items": [before["items"][0]]}, manager)
    assert refused.value.field == "record"
    assert returns.items[1].item_code in str(refused.value.message)
    db_session.rollback()
    assert item_codes(db_session, returns.batch) == ["MW-RMA-40001", "MW-RMA-40002"]
    assert len(returns.batch.record["items"]) == 2


# ------------------------------------------------------------------ photos, question, answer


def test_a_photo_is_re_encoded_small_and_without_its_metadata(returns, manager, app):
    from pathlib import Path

    from shopfloor.returns.services import PHOTO_AREA, add_photo

    image = Image.new("RGB", (4000, 3000), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    raw = io.BytesIO()
    image.save(raw, format="JPEG", exif=exif)
    photo = add_photo(returns.items[0], raw.getvalue(), manager, caption="Dziura w rękawie")
    with Image.open(Path(app.instance_path) / "uploads" / PHOTO_AREA / photo.name) as stored:
        assert max(stored.size) == 1600 and not stored.getexif()
    with pytest.raises(DomainError, match="nie jest zdjęciem"):
        add_photo(returns.items[0], b"%PDF-1.4", manager)
    assert len(returns.items[0].photos) == 1


def test_asking_needs_a_photo_and_a_partner_then_waits_for_the_answer(returns, manager):
    from shopfloor.returns.services import add_photo, ask_partner

    item = returns.items[0]
    with pytest.raises(DomainError) as refused:
        ask_partner(item, "Naprawa 25 zł czy spisać?", manager)
    assert refused.value.field == "photo" and item.status == "received"
    add_photo(item, defect_photo(), manager)
    with pytest.raises(DomainError) as refused:
        ask_partner(item, "  ", manager)
    assert refused.value.field == "question"
    ask_partner(item, "Zamek rozdarty. Naprawa 25 zł czy spisać?", manager)
    assert item.status == "awaiting_decision" and item.asked_at is not None
    with pytest.raises(DomainError):
        ask_partner(item, "Jeszcze raz?", manager)  # asked once is enough


def test_the_question_is_published_to_webhooks_and_e_mail_in_the_same_transaction(
        returns, manager, db_session, app, monkeypatch):
    from dataclasses import replace

    from shopfloor.notifications.models import OutboxEmail
    from shopfloor.returns.services import add_photo, ask_partner
    from shopfloor.webhooks.models import WebhookDelivery, WebhookEndpoint

    settings = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(settings, values={
        **settings.values, "smtp.host": "127.0.0.1"}))
    db_session.add(WebhookEndpoint(partner_id=returns.moda.id, url="https://erp.moda.example/h",
                                   description="ERP", events="return_item.needs_decision",
                                   secret_salt="salt"))
    db_session.commit()
    item = returns.items[0]
    add_photo(item, defect_photo(), manager)
    event_id = ask_partner(item, "Zamek rozdarty. Naprawa 25 zł czy spisać?", manager)

    [delivery] = db_session.scalars(select(WebhookDelivery)).all()
    assert (delivery.event, delivery.event_id) == ("return_item.needs_decision", event_id)
    import json

    data = json.loads(delivery.payload)["data"]["returned_item"]
    assert data["rma"] == "MW-RMA-40001" and data["answers"] == ["repair", "write_off"]
    assert data["question"].startswith("Zamek rozdarty")
    assert data["url"] == f"/api/v1/returned-items/{item.id}"
    assert data["portal_url"].endswith(f"/portal/returns/{item.id}")
    assert data["photos"][0].endswith(f"/portal/returns/{item.id}/photos/{item.photos[0].name}")
    assert data["order"]["partner_reference"] == "MW/2026/12"
    mails = {m.recipient: m for m in db_session.scalars(select(OutboxEmail))}
    assert set(mails) == {"ola@moda.example", "piotr@moda.example"}
    assert "MW-RMA-40001" in mails["ola@moda.example"].subject
    assert f"/portal/returns/{item.id}" in mails["ola@moda.example"].body


def test_the_office_decides_itself_unless_the_partner_is_asked(returns, manager):
    from shopfloor.returns.services import add_photo, ask_partner, set_disposition

    first, second = returns.items
    set_disposition(second, "restock", manager)
    assert (second.status, second.disposition) == ("decided", "restock")
    with pytest.raises(DomainError):
        set_disposition(second, "burn", manager)
    add_photo(first, defect_photo(), manager)
    ask_partner(first, "Naprawa czy spisać?", manager)
    with pytest.raises(DomainError, match="zapytany"):
        set_disposition(first, "repair", manager)


# ------------------------------------------------------------------ the portal


@pytest.fixture
def asked(returns, manager):
    """Moda's first item with a photo, put to the partner."""
    from shopfloor.returns.services import add_photo, ask_partner

    item = returns.items[0]
    add_photo(item, defect_photo(), manager, caption="Rozdarty zamek")
    ask_partner(item, "Zamek rozdarty. Naprawa 25 zł czy spisać?", manager)
    return item


def test_the_partner_sees_its_items_waiting_first_with_photos_and_answers(
        returns, asked, sign_in_as, db_session):
    client = sign_in_as(returns.orderer)
    listing = client.get("/portal/returns/").get_data(as_text=True)
    assert listing.index("MW-RMA-40001") < listing.index("MW-RMA-40002")
    assert "Czeka na Twoją decyzję" in listing and "TX-RMA-1" not in listing
    assert "MW-RMA-40002" not in client.get(
        "/portal/returns/?status=awaiting_decision").get_data(as_text=True)
    page = client.get(f"/portal/returns/{asked.id}").get_data(as_text=True)
    photo_url = f"/portal/returns/{asked.id}/photos/{asked.photos[0].name}"
    assert photo_url in page and "Zamek rozdarty. Naprawa 25 zł czy spisać?" in page
    assert client.get(photo_url).mimetype == "image/jpeg"
    order_page = client.get(f"/portal/orders/{returns.order.id}").get_data(as_text=True)
    assert f"/portal/returns/{asked.id}" in order_page

    answered = client.submit(f"/portal/returns/{asked.id}/decision",
                             {"answer": "repair", "note": "Proszę naprawić."},
                             page=f"/portal/returns/{asked.id}")
    assert answered.status_code == 302
    db_session.expire_all()
    assert (asked.status, asked.disposition, asked.answer_note) == (
        "decided", "repair", "Proszę naprawić.")
    assert asked.answered_by == returns.orderer.id
    again = client.submit(f"/portal/returns/{asked.id}/decision", {"answer": "write_off"},
                          page=f"/portal/returns/{asked.id}")
    assert again.status_code == 409 and asked.disposition == "repair"


def test_a_viewer_sees_the_question_but_cannot_answer(returns, asked, sign_in_as, db_session):
    client = sign_in_as(returns.viewer)
    page = client.get(f"/portal/returns/{asked.id}").get_data(as_text=True)
    assert "Zamek rozdarty" in page and 'name="answer"' not in page
    refused = client.submit(f"/portal/returns/{asked.id}/decision", {"answer": "repair"},
                            page="/portal/returns/")
    assert refused.status_code == 403
    assert "ale nie decydować" in refused.get_data(as_text=True)
    db_session.expire_all()
    assert asked.status == "awaiting_decision"


def test_another_firm_gets_404_for_every_page_photo_and_answer(returns, asked, sign_in_as,
                                                               db_session):
    client = sign_in_as(returns.tekstil_user)
    photo = asked.photos[0].name
    for url in (f"/portal/returns/{asked.id}", f"/portal/returns/{asked.id}/photos/{photo}",
                f"/portal/returns/{asked.id}/photos/nope.jpg", "/portal/returns/999999",
                "/portal/returns/99999999999"):
        assert client.get(url).status_code == 404, url
    assert client.submit(f"/portal/returns/{asked.id}/decision", {"answer": "write_off"},
                         page="/portal/returns/").status_code == 404
    assert "MW-RMA" not in client.get("/portal/returns/").get_data(as_text=True)
    db_session.expire_all()
    assert asked.status == "awaiting_decision"


# ------------------------------------------------------------------ the office


def test_the_office_adds_a_photo_asks_and_sees_the_answer(returns, signed_in, db_session):
    from tests.instructions.test_authoring_screens import post

    client = signed_in("supervisor")
    item = returns.items[0]
    batch_page = client.get(f"/batches/{returns.batch.id}").get_data(as_text=True)
    assert f"/returns/{item.id}" in batch_page and "MW-RMA-40002" in batch_page
    page = f"/returns/{item.id}"
    refused = client.submit(f"/returns/{item.id}/ask", {"question": "Naprawa?",
                                                       "version": str(item.version)}, page=page)
    assert refused.status_code == 422
    assert "Najpierw dodaj zdjęcie" in refused.get_data(as_text=True)
    wrong = post(client, f"/returns/{item.id}/photos",
                 {"photo": (io.BytesIO(b"not a photo"), "x.jpg"), "caption": "Zamek"}, page)
    assert wrong.status_code == 422 and 'value="Zamek"' in wrong.get_data(as_text=True)
    assert post(client, f"/returns/{item.id}/photos",
                {"photo": (io.BytesIO(defect_photo()), "zamek.jpg"), "caption": "Zamek"},
                page).status_code == 302
    db_session.expire_all()
    assert client.submit(f"/returns/{item.id}/ask", {"question": "Naprawa 25 zł?",
                                                    "version": str(item.version)},
                         page=page).status_code == 302
    shown = client.get(page).get_data(as_text=True)
    assert "Czeka na partnera" in shown and "Naprawa 25 zł?" in shown
    photo_url = re.search(r'src="(/returns/photos/[^"]+)"', shown).group(1)
    assert client.get(photo_url).mimetype == "image/jpeg"
    from shopfloor.audit.models import AuditEntry

    assert db_session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.record_type == "returned_item", AuditEntry.record_id == item.id)) >= 3
