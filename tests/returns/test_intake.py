"""Intake of returned parcels by scanning: the EAN's check digit, the complaint date, a parcel
without a return number set aside (never restocked) until authorised or sent back, and the
intake page: errors next to the fields, nothing half-saved, staff only."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from shopfloor.errors import DomainError
from tests.returns.conftest import defect_photo

GOOD_EAN = "5901234123457"  # GS1's own example: check digit 7


def parcel(**overrides):
    from shopfloor.returns.intake import IntakeData

    values = {"rma": "MW-RMA-40100", "order_no": "SKLEP-778", "sku": "KURTKA-01",
              "ean": GOOD_EAN, "size": "XL", "colour": "granat", "reason": "defect",
              "received_on": "2026-12-03", "complaint_on": "2026-11-28",
              "tracking_no": "INPOST-123"}
    return IntakeData(**{**values, **overrides})


@pytest.fixture
def open_batch(returns, manager):
    """Moda's garments batch, released (parcels are scanned in after release)."""
    from shopfloor.production.services import move_batch

    move_batch(returns.batch, "released", manager)
    return returns.batch


def count_items(db_session) -> int:
    from shopfloor.returns.models import ReturnedItem, ReturnedItemPhoto

    db_session.expire_all()
    return (db_session.scalar(select(func.count(ReturnedItem.id))),
            db_session.scalar(select(func.count(ReturnedItemPhoto.id))))


# ------------------------------------------------------------------ pure checks


@pytest.mark.parametrize(("ean", "problem"), [
    (GOOD_EAN, None), ("5901234123450", "ean"), ("96385074", None), ("96385075", "ean"),
    ("590123412345", "ean"), ("59012341234x7", "ean"), ("", None)])
def test_an_ean_must_pass_its_gs1_check_digit(ean, problem):
    from shopfloor.lines.garments import item_problems

    found = item_problems({"sku": "KURTKA-01", "ean": ean})
    assert (next(iter(found), None)) == problem


def test_a_sku_or_an_ean_is_needed_and_the_complaint_is_not_after_the_parcel():
    from shopfloor.lines.garments import item_problems

    assert item_problems({"sku": "", "ean": ""}) == {"sku": item_problems(
        {"sku": "", "ean": ""})["sku"]}
    assert item_problems({"ean": GOOD_EAN}) == {}
    assert item_problems({"sku": "S", "received_on": date(2026, 12, 3),
                          "complaint_on": date(2026, 12, 3)}) == {}
    assert "complaint_on" in item_problems({"sku": "S", "received_on": date(2026, 12, 3),
                                            "complaint_on": date(2026, 12, 4)})


# ------------------------------------------------------------------ the intake service


def test_a_scanned_parcel_joins_the_batch_record_with_its_photos(open_batch, manager,
                                                                 db_session):
    from shopfloor.audit.services import history
    from shopfloor.returns.intake import intake_item

    item = intake_item(open_batch, parcel(), [defect_photo(), defect_photo()], manager)
    assert (item.status, item.rma, item.ean, item.order_no, item.tracking_no) == (
        "received", "MW-RMA-40100", GOOD_EAN, "SKLEP-778", "INPOST-123")
    assert (item.received_on, item.complaint_on) == (date(2026, 12, 3), date(2026, 11, 28))
    assert len(item.photos) == 2 and item.partner_id == open_batch.allocations[
        0].order_line.order.partner_id
    db_session.expire_all()
    row = open_batch.record["items"][-1]
    assert (row["item_code"], row["complaint_on"]) == (item.item_code, "2026-11-28")
    # Saved through the production service: the batch's own audit names the intake.
    entry = next(e for e in history(open_batch) if e.changes and "record.items" in e.changes)
    assert item.item_code in entry.reason


def test_without_a_date_the_parcel_is_received_today(open_batch, manager):
    from shopfloor.returns.intake import intake_item
    from shopfloor.timeutil import local_today

    item = intake_item(open_batch, parcel(received_on="", complaint_on=""), [], manager)
    assert (item.received_on, item.complaint_on) == (local_today(), None)


def test_a_wrong_parcel_is_refused_whole_and_nothing_is_stored(open_batch, manager,
                                                               db_session, app):
    from pathlib import Path

    from shopfloor.returns.intake import IntakeRefused, intake_item

    before = count_items(db_session)
    stored = Path(app.instance_path) / "uploads" / "returns"
    files = set(stored.glob("*.jpg")) if stored.exists() else set()
    with pytest.raises(IntakeRefused) as refused:
        intake_item(open_batch, parcel(ean="5901234123450", reason="", received_on="3.12.2026",
                                       complaint_on=(date.today() + timedelta(days=400))
                                       .isoformat()), [defect_photo()], manager)
    assert set(refused.value.problems) == {"ean", "reason", "received_on", "complaint_on"}
    with pytest.raises(IntakeRefused) as refused:  # a good photo, then a file that is not
        intake_item(open_batch, parcel(), [defect_photo(), b"%PDF-1.4"], manager)
    assert set(refused.value.problems) == {"photos"}
    with pytest.raises(IntakeRefused) as refused:
        intake_item(open_batch, parcel(rma="MW-RMA-40001", sku="KURTKA-01", ean=""), [],
                    manager)
    assert set(refused.value.problems) == {"rma"}  # already in the batch
    assert count_items(db_session) == before
    assert (set(stored.glob("*.jpg")) if stored.exists() else set()) == files
    assert len(open_batch.record["items"]) == 2


def test_a_planned_or_finished_batch_takes_no_parcels(returns, manager):
    from shopfloor.returns.intake import IntakeRefused, intake_item

    with pytest.raises(IntakeRefused) as refused:
        intake_item(returns.batch, parcel(), [], manager)  # still planned
    assert set(refused.value.problems) == {"batch_id"}


# ------------------------------------------------------------------ set aside


def test_a_parcel_without_an_rma_is_set_aside_and_never_restocked_blindly(open_batch,
                                                                         manager):
    from shopfloor.returns.intake import intake_item
    from shopfloor.returns.services import ask_partner, set_disposition

    first = intake_item(open_batch, parcel(rma="", ean="", sku="KURTKA-01"), [], manager)
    second = intake_item(open_batch, parcel(rma="", ean="", sku="KURTKA-01"), [], manager)
    assert (first.status, second.status) == ("set_aside", "set_aside")  # same SKU twice: fine
    for disposition in ("restock", "second_quality", "repair", "donate", "recycle"):
        with pytest.raises(DomainError, match="RMA") as refused:
            set_disposition(first, disposition, manager)
        assert refused.value.field == "disposition"
    with pytest.raises(DomainError, match="RMA"):
        ask_partner(first, "Co z tym?", manager)
    assert (first.status, first.disposition) == ("set_aside", None)
    set_disposition(second, "return_to_partner", manager)
    assert (second.status, second.disposition) == ("decided", "return_to_partner")


def test_authorising_records_the_rma_in_the_record_and_receives_the_item(open_batch, manager,
                                                                         db_session):
    from shopfloor.returns.intake import authorise_item, intake_item
    from shopfloor.returns.services import set_disposition

    item = intake_item(open_batch, parcel(rma="", sku="SPODNIE-02", ean=""), [], manager)
    with pytest.raises(DomainError) as refused:
        authorise_item(item, "   ", manager)
    assert refused.value.field == "rma"
    with pytest.raises(DomainError) as refused:
        authorise_item(item, "MW-RMA-40002", manager)  # that RMA and SKU are listed already
    assert refused.value.field == "rma"
    db_session.expire_all()
    assert item.status == "set_aside"
    authorise_item(item, "MW-RMA-40555", manager)
    db_session.expire_all()
    assert (item.status, item.rma) == ("received", "MW-RMA-40555")
    assert open_batch.record["items"][-1]["rma"] == "MW-RMA-40555"
    with pytest.raises(DomainError):
        authorise_item(item, "MW-RMA-40556", manager)  # authorised once
    with pytest.raises(DomainError, match="partner"):
        set_disposition(item, "return_to_partner", manager)  # only for a parcel set aside
    set_disposition(item, "restock", manager)
    assert item.disposition == "restock"


def test_an_item_being_handled_keeps_its_rma_in_the_record(returns, manager):
    from shopfloor.production.services import update_batch_record
    from shopfloor.returns.services import set_disposition

    set_disposition(returns.items[1], "restock", manager)
    rows = [dict(row) for row in returns.batch.record["items"]]
    rows[1]["rma"] = ""
    with pytest.raises(DomainError, match="RMA"):
        update_batch_record(returns.batch, {"items": rows}, manager)


# ------------------------------------------------------------------ the pages


def intake_form(batch, **overrides) -> dict:
    from dataclasses import asdict

    return {"batch_id": str(batch.id), **asdict(parcel()), **overrides}


def post_form(client, url, data, page):
    return client.client.post(url, data={**data, "csrf_token": client.token(page)},
                              content_type="multipart/form-data")


def test_the_intake_page_saves_a_parcel_and_offers_its_tag(open_batch, signed_in, db_session):
    client = signed_in("supervisor")
    page = client.get(f"/returns/intake?batch={open_batch.id}").get_data(as_text=True)
    assert f'<option value="{open_batch.id}" selected' in page
    assert 'accept="image/*" capture="environment"' in page and "js/intake.js" in page
    saved = post_form(client, "/returns/intake", {
        **intake_form(open_batch), "photos": (io.BytesIO(defect_photo()), "kurtka.jpg")},
        "/returns/intake")
    assert saved.status_code == 302
    assert f"batch={open_batch.id}" in saved.headers["Location"]
    next_page = client.get(saved.headers["Location"]).get_data(as_text=True)
    from shopfloor.returns.models import ReturnedItem

    item = db_session.scalar(select(ReturnedItem).where(ReturnedItem.rma == "MW-RMA-40100"))
    assert len(item.photos) == 1
    assert f"/returns/{item.id}/tag.pdf" in next_page
    assert f'<option value="{open_batch.id}" selected' in next_page  # ready for the next one
    assert 'name="rma" value=""' in next_page
    tag = client.get(f"/returns/{item.id}/tag.pdf")
    assert tag.status_code == 200 and tag.mimetype == "application/pdf"
    assert client.get(f"/returns/{item.id}/tag.zpl").get_data(as_text=True).startswith("^XA")


def test_the_intake_page_shows_each_problem_next_to_its_field_and_keeps_the_input(
        open_batch, signed_in, db_session):
    client = signed_in("supervisor")
    before = count_items(db_session)
    refused = post_form(client, "/returns/intake", intake_form(
        open_batch, ean="5901234123450", reason="", sku="SKU-ZOSTAJE"), "/returns/intake")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="ean-error"' in html and 'id="reason-error"' in html
    assert 'aria-describedby="ean-hint ean-error"' in html
    assert 'value="SKU-ZOSTAJE"' in html and 'value="MW-RMA-40100"' in html
    assert "ostatnia cyfra" in html or "last digit" in html
    assert count_items(db_session) == before


def test_the_returns_list_shows_parcels_set_aside_and_the_repair_queue(open_batch, manager,
                                                                       signed_in):
    from shopfloor.returns.intake import intake_item
    from shopfloor.returns.services import set_disposition

    aside = intake_item(open_batch, parcel(rma="", ean=""), [], manager)
    set_disposition(open_batch_item := open_batch_items(open_batch)[0], "repair", manager)
    client = signed_in("supervisor")
    listing = client.get("/returns/").get_data(as_text=True)
    set_aside_part = listing[listing.index('id="set-aside"'):listing.index('id="repair-queue"')]
    queue_part = listing[listing.index('id="repair-queue"'):listing.index('id="latest"')]
    assert f"/returns/{aside.id}" in set_aside_part
    assert f"/returns/{open_batch_item.id}" in queue_part
    batch_page = client.get(f"/batches/{open_batch.id}").get_data(as_text=True)
    assert f"/returns/intake?batch={open_batch.id}" in batch_page
    assert f"/returns/{aside.id}" in batch_page


def open_batch_items(batch):
    from shopfloor.returns.services import items_of_batch

    return items_of_batch(batch.id)


def test_only_staff_reach_the_intake_and_the_returns_pages(open_batch, returns, sign_in_as,
                                                           client, db_session):
    for url in ("/returns/intake", "/returns/", "/returns/repair-instructions"):
        assert client.get(url).status_code == 302  # to the sign-in page
    partner = sign_in_as(returns.orderer)
    before = count_items(db_session)
    for url in ("/returns/intake", "/returns/", f"/returns/{returns.items[0].id}/tag.pdf"):
        assert partner.get(url).status_code in (403, 404), url
    assert partner.client.post("/returns/intake", data=intake_form(open_batch)).status_code \
        in (400, 403, 404)
    assert count_items(db_session) == before


def test_the_office_authorises_a_parcel_set_aside_on_its_page(open_batch, manager, signed_in,
                                                              db_session):
    from shopfloor.returns.intake import intake_item

    item = intake_item(open_batch, parcel(rma="", ean=""), [], manager)
    client = signed_in("supervisor")
    page = f"/returns/{item.id}"
    refused = client.submit(f"/returns/{item.id}/disposition",
                            {"disposition": "restock", "version": str(item.version)}, page=page)
    assert refused.status_code == 422
    empty = client.submit(f"/returns/{item.id}/authorise",
                          {"rma": "", "version": str(item.version)}, page=page)
    assert empty.status_code == 422 and 'id="rma-error"' in empty.get_data(as_text=True)
    done = client.submit(f"/returns/{item.id}/authorise",
                         {"rma": "MW-RMA-49999", "version": str(item.version)}, page=page)
    assert done.status_code == 302
    db_session.expire_all()
    assert (item.status, item.rma) == ("received", "MW-RMA-49999")
