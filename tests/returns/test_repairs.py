"""Repair tasks: the picture instruction chosen for a defect, the sewer's steps on the station
tablet (scan the tag or tap the item), re-inspection failing back to repair with a note, then
passing and restocking; the repair queue in the office."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from shopfloor.errors import DomainError
from tests.conftest import csrf_from, floor_photo
from tests.tablet.test_tablet_screens import TYPING_INPUT, Tablet


@pytest.fixture
def sewing(returns, manager, db_session):
    """Moda's batch in progress on a garments station with Kasia signed in; the jacket (zip,
    M04) is for repair, and M04 has a published two-step repair instruction."""
    from shopfloor.instructions.services import (
        StepData,
        add_step,
        create_instruction,
        publish_version,
        set_materials_and_tools,
        set_step_photo,
    )
    from shopfloor.production.services import move_batch
    from shopfloor.returns.repairs import link_repair_instruction
    from shopfloor.returns.services import add_photo, set_disposition
    from shopfloor.stations.services import assign_batch, enrol_station, set_expected_workers
    from shopfloor.workers.services import WorkerData, save_worker
    from tests.returns.conftest import defect_photo

    instruction = create_instruction("Naprawa zamka", manager, line="garments")
    version = instruction.versions[0]
    set_materials_and_tools(version, ["Suwak 5 mm"], ["Szczypce"], manager)
    steps = [add_step(version, StepData("do", "Zdejmij stary suwak.", "Stary suwak", "tool"),
                      manager),
             add_step(version, StepData("check", "Sprawdź zamek.", "Zamek", "look"), manager)]
    for step in steps:
        set_step_photo(step, floor_photo(), manager)
    set_step_photo(steps[1], floor_photo(), manager, which="good_photo")
    set_step_photo(steps[1], floor_photo(), manager, which="bad_photo")
    publish_version(version, manager)
    link_repair_instruction("M04", instruction.id, manager)

    jacket = returns.items[0]
    add_photo(jacket, defect_photo(), manager)
    set_disposition(jacket, "repair", manager)
    move_batch(returns.batch, "released", manager)
    move_batch(returns.batch, "in_progress", manager)
    worker = save_worker(WorkerData(first_name="Kasia", sign_in_method="badge"), manager)
    station, token = enrol_station("Szwalnia 1", "garments", manager)
    set_expected_workers(station, [worker.id], manager)
    assign_batch(station, returns.batch, manager)
    return returns, jacket, version, worker, token


def test_a_repair_follows_the_instruction_chosen_for_its_defect(sewing, manager):
    from shopfloor.returns.repairs import (
        item_to_repair,
        link_repair_instruction,
        repair_queue,
        repair_version,
    )

    returns, jacket, version, _worker, _token = sewing
    assert repair_version(jacket).id == version.id
    assert repair_version(returns.items[1]) is None  # no defect, no instruction
    assert [i.id for i in repair_queue(returns.batch.id)] == [jacket.id]
    with pytest.raises(DomainError):
        link_repair_instruction("X99", version.instruction_id, manager)
    with pytest.raises(DomainError):
        item_to_repair(returns.batch.id, returns.items[1].item_code)  # not for repair
    with pytest.raises(DomainError):
        item_to_repair(returns.other_batch.id, jacket.item_code)  # another batch's item
    with pytest.raises(DomainError):
        item_to_repair(returns.batch.id, jacket.item_code[:-1] + "2")  # mistyped check char
    assert item_to_repair(returns.batch.id, jacket.item_code).id == jacket.id
    link_repair_instruction("M04", None, manager)
    assert repair_version(jacket) is None


def test_the_sewer_repairs_on_the_tablet_and_the_supervisor_reinspects(sewing, client, app,
                                                                       make_user, db_session):
    from shopfloor.returns.models import ReturnedItem

    returns, jacket, version, worker, token = sewing
    tablet = Tablet(client, token)
    assert tablet.sign_in(worker).status_code == 302
    work = tablet.get("/t/work").get_data(as_text=True)
    assert "/t/repair/" in work
    queue = tablet.get("/t/repair/")
    html = queue.get_data(as_text=True)
    assert jacket.item_code in html and returns.items[1].item_code not in html
    assert f"/t/repair/{jacket.id}/photo/{jacket.photos[0].name}" in html
    wrong = tablet.client.post("/t/repair/", data={"answer": returns.items[1].item_code,
                                                   "csrf_token": csrf_from(html)})
    assert wrong.status_code == 422
    assert "nie potrzebuje teraz naprawy" in wrong.get_data(as_text=True) or \
        "does not need a repair" in wrong.get_data(as_text=True)
    scanned = tablet.client.post("/t/repair/", data={"answer": jacket.item_code.lower(),
                                                     "csrf_token": csrf_from(html)})
    assert scanned.headers["Location"] == f"/t/repair/{jacket.id}"
    start = tablet.get(f"/t/repair/{jacket.id}").get_data(as_text=True)
    assert "Suwak 5 mm" in start and "Szczypce" in start
    first = tablet.get(f"/t/repair/{jacket.id}/step/1").get_data(as_text=True)
    assert "Zdejmij stary suwak." in first and "1 z 2" in first.replace("Krok ", "")
    assert not TYPING_INPUT.search(first)
    step_two = tablet.client.post(f"/t/repair/{jacket.id}/step/1", data={
        "action": "done", "csrf_token": csrf_from(first)})
    assert step_two.headers["Location"] == f"/t/repair/{jacket.id}/step/2"
    second = tablet.get(f"/t/repair/{jacket.id}/step/2").get_data(as_text=True)
    bad = tablet.client.post(f"/t/repair/{jacket.id}/step/2", data={
        "action": "check:bad", "csrf_token": csrf_from(second)})
    assert bad.status_code == 200 and 'value="done"' in bad.get_data(as_text=True)
    db_session.expire_all()
    assert jacket.repaired_at is None  # a bad look alone finishes nothing
    finished = tablet.client.post(f"/t/repair/{jacket.id}/step/2", data={
        "action": "check:good", "csrf_token": csrf_from(second)})
    assert finished.headers["Location"] == f"/t/repair/{jacket.id}/done"
    db_session.expire_all()
    jacket = db_session.get(ReturnedItem, jacket.id)
    assert (jacket.repair_stage, jacket.repaired_by, jacket.repair_version_id) == (
        "to_reinspect", worker.id, version.id)
    assert tablet.get(f"/t/repair/{jacket.id}/step/1").status_code == 302  # done already

    from tests.conftest import FormClient

    office = FormClient(app.test_client())  # the supervisor's own computer
    make_user(username="ola", role="supervisor")
    assert office.sign_in("ola", "correct horse battery").status_code == 302
    page = f"/returns/{jacket.id}"
    shown = office.get(page).get_data(as_text=True)
    assert "Czeka na ponowną kontrolę" in shown or "re-inspection" in shown
    refused = office.submit(f"/returns/{jacket.id}/reinspection",
                            {"result": "fail", "reinspection_note": "",
                             "version": str(jacket.version)}, page=page)
    assert refused.status_code == 422
    assert 'id="reinspection_note-error"' in refused.get_data(as_text=True)
    failed = office.submit(f"/returns/{jacket.id}/reinspection",
                           {"result": "fail", "reinspection_note": "Suwak się zacina.",
                            "version": str(jacket.version)}, page=page)
    assert failed.status_code == 302
    db_session.expire_all()
    assert (jacket.repair_stage, jacket.reinspection_note) == ("to_repair", "Suwak się zacina.")
    again = tablet.get(f"/t/repair/{jacket.id}").get_data(as_text=True)
    assert "Suwak się zacina." in again  # the sewer reads what is still wrong
    for number in (1, 2):
        html = tablet.get(f"/t/repair/{jacket.id}/step/{number}").get_data(as_text=True)
        tablet.client.post(f"/t/repair/{jacket.id}/step/{number}", data={
            "action": "done" if number == 1 else "check:good", "csrf_token": csrf_from(html)})
    db_session.expire_all()
    assert jacket.repair_stage == "to_reinspect"
    assert office.submit(f"/returns/{jacket.id}/reinspection",
                         {"result": "pass", "version": str(jacket.version)},
                         page=page).status_code == 302
    db_session.expire_all()
    assert office.submit(f"/returns/{jacket.id}/disposition",
                         {"disposition": "restock", "version": str(jacket.version)},
                         page=page).status_code == 302
    db_session.expire_all()
    assert (jacket.disposition, jacket.reinspection_passed) == ("restock", True)
    assert jacket.id not in [i.id for i in db_session.scalars(select(ReturnedItem).where(
        ReturnedItem.disposition == "repair"))]


def test_a_repair_without_picture_steps_sends_the_sewer_to_the_supervisor(sewing, client,
                                                                          manager):
    from shopfloor.returns.repairs import link_repair_instruction

    _returns, jacket, _version, worker, token = sewing
    link_repair_instruction("M04", None, manager)
    tablet = Tablet(client, token)
    tablet.sign_in(worker)
    page = tablet.get(f"/t/repair/{jacket.id}").get_data(as_text=True)
    assert "/step/1" not in page and ("picture steps" in page or "kroków" in page)
    assert tablet.get(f"/t/repair/{jacket.id}/step/1").status_code == 404


def test_the_office_chooses_repair_instructions_and_sees_the_queue(sewing, signed_in, returns):
    _returns, jacket, version, _worker, _token = sewing
    client = signed_in("supervisor")
    page = client.get("/returns/repair-instructions").get_data(as_text=True)
    assert re.search(rf'<option value="{version.instruction_id}" selected>Naprawa zamka', page)
    assert client.submit("/returns/repair-instructions",
                         {"defect_code": "M02", "instruction_id": "999999"},
                         page="/returns/repair-instructions").status_code == 422
    assert client.submit("/returns/repair-instructions",
                         {"defect_code": "M02", "instruction_id": str(version.instruction_id)},
                         page="/returns/repair-instructions").status_code == 302
    queue = client.get("/returns/").get_data(as_text=True)
    part = queue[queue.index('id="repair-queue"'):queue.index('id="latest"')]
    assert f"/returns/{jacket.id}" in part
    from tests.portal.conftest import make_partner_user  # noqa: F401


def test_a_station_of_another_batch_cannot_open_the_repair(sewing, client, manager,
                                                           make_product, make_batch):
    from shopfloor.stations.services import assign_batch, enrol_station, set_expected_workers

    _returns, jacket, _version, worker, _token = sewing
    from shopfloor.production.services import move_batch

    other = make_batch(product=make_product(line="garments", code="INNY"), quantity="1")
    move_batch(other, "released", manager)
    move_batch(other, "in_progress", manager)
    station, token = enrol_station("Szwalnia 2", "garments", manager)
    set_expected_workers(station, [worker.id], manager)
    assign_batch(station, other, manager)
    tablet = Tablet(client, token)
    tablet.sign_in(worker)
    assert tablet.client.get(f"/t/repair/{jacket.id}").status_code == 404
    assert tablet.client.get(f"/t/repair/{jacket.id}/photo/{jacket.photos[0].name}") \
        .status_code == 404
