"""The harness line through its services and pages: the harness type and its connector
faces, crimp set-ups before production, serials, the electrical test with its rework loop,
packing, and QC (shared/domain.md section 2)."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from decimal import Decimal
from types import SimpleNamespace

import pytest

from shopfloor.errors import DomainError
from shopfloor.harness import services
from shopfloor.harness.face import connector_face_svg
from shopfloor.harness.rules import COLOURS
from shopfloor.production.services import move_batch, record_output, update_batch_record

SVG = "{http://www.w3.org/2000/svg}"
CONNECTORS = [{"name": "X1", "part": "ZT-H4P", "layout": "1 2\n3 -"},
              {"name": "X2", "part": "", "layout": "1 2 3"}]
WIRES = [{"wire": "W1", "from": "X1", "from_cavity": "1", "to": "X2", "to_cavity": "1",
          "colour": "RD", "gauge_awg": "20", "length_mm": "500", "tolerance_mm": "10"},
         {"wire": "W2", "from": "X1", "from_cavity": "2", "to": "X2", "to_cavity": "3",
          "colour": "GN/YE", "gauge_awg": "20", "length_mm": "500", "tolerance_mm": "10"}]


def type_data(product, **overrides):
    values = {"product_id": product.id, "part_number": "EW-1-0001", "drawing_number": "EW-1",
              "drawing_revision": "A", "ipc_class": "2", "connectors": CONNECTORS,
              "wires": WIRES, **overrides}
    return services.HarnessTypeData(**values)


@pytest.fixture
def harness(make_product, make_batch, make_lot, manager):
    """A harness product with its type, a released batch of 3 and lots of wire and terminals."""
    product = make_product(line="harness")
    harness_type = services.save_harness_type(type_data(product), manager)
    batch = make_batch(product=product, quantity="3", releasable=True)
    move_batch(batch, "released", manager)
    return SimpleNamespace(product=product, type=harness_type, batch=batch,
                           wire_lot=make_lot(unit="m", supplier_lot="KPK-05-24518"),
                           terminal_lot=make_lot(unit="pcs", supplier_lot="ZT-63F-11873"))


def setup(harness, manager, height="1.50", pulls=("60", "61", "62", "63", "64"), reason="run"):
    return services.record_setup(harness.batch, services.SetupData(
        reason=reason, tool_id="KT-0463", gauge_awg=20, height_min_mm=Decimal("1.45"),
        height_max_mm=Decimal("1.55"), height_mm=Decimal(height),
        pulls_n=[Decimal(p) for p in pulls], wire_lot_code=harness.wire_lot.code,
        terminal_lot_code=harness.terminal_lot.code), manager)


def test_the_connector_face_is_drawn_from_its_map(harness):
    x1 = harness.type.connector("X1")
    svg = str(connector_face_svg(x1, harness.type.wires, highlight_wire="W2"))
    root = ET.fromstring(svg)  # noqa: S314 - our own drawing
    cavities = {g.get("data-cavity"): g for g in root.iter(f"{SVG}g")}
    assert set(cavities) == {"1", "2", "3"}  # the dash in the map is no cavity
    one, two, three = cavities["1"], cavities["2"], cavities["3"]
    assert one.get("data-wire") == "W1" and one.find(f"{SVG}rect[@fill]") is not None
    assert [r.get("fill") for r in one.iter(f"{SVG}rect")][-1] == COLOURS["RD"][1]
    assert one.find(f"{SVG}text").text == "1"  # numbered as moulded
    # A green-yellow wire is green with a yellow stripe.
    assert [r.get("fill") for r in two.iter(f"{SVG}rect")][-1] == COLOURS["GN"][1]
    assert two.find(f"{SVG}path").get("fill") == COLOURS["YE"][1]
    assert "cavity-target" in two.get("class")  # the scanned wire's cavity
    assert three.get("data-wire") == "" and "pusta" in three.find(f"{SVG}title").text
    assert three.find(f"{SVG}rect[@stroke-dasharray]") is not None
    assert root.get("role") == "img" and "X1" in root.get("aria-label")


def test_a_wire_to_a_cavity_the_connector_lacks_is_refused(make_product, manager):
    product = make_product(line="harness")
    wrong = [{**WIRES[0], "from_cavity": "4"}]
    with pytest.raises(DomainError, match="W1") as refused:
        services.save_harness_type(type_data(product, wires=wrong), manager)
    assert refused.value.field == "wires"
    with pytest.raises(DomainError) as refused:
        services.save_harness_type(type_data(product, connectors=[
            {"name": "X1", "part": "", "layout": "1 x"}]), manager)
    assert refused.value.field == "connectors"


def test_release_needs_the_class_and_the_types_revision(make_product, make_batch, manager):
    product = make_product(line="harness")
    services.save_harness_type(type_data(product, drawing_revision="C", ipc_class=None),
                               manager)
    batch = make_batch(product=product)
    from shopfloor.production.services import RecordInvalid

    with pytest.raises(RecordInvalid) as refused:
        update_batch_record(batch, {"drawing_number": "EW-1", "drawing_revision": "B"}, manager)
    assert "drawing_revision" in refused.value.findings.errors
    update_batch_record(batch, {"drawing_number": "EW-1", "drawing_revision": "C"}, manager)
    with pytest.raises(DomainError, match="klasę IPC|IPC"):
        move_batch(batch, "released", manager)


def test_production_starts_only_after_a_passing_crimp_setup(harness, manager):
    with pytest.raises(DomainError, match="zaciskania|crimp"):
        move_batch(harness.batch, "in_progress", manager)
    failed = setup(harness, manager, height="1.56")
    assert not failed.passed
    with pytest.raises(DomainError):
        move_batch(harness.batch, "in_progress", manager)
    assert setup(harness, manager, pulls=("57.9", "60", "60", "60", "60")).passed
    move_batch(harness.batch, "in_progress", manager)
    assert harness.batch.status == "in_progress"


def test_a_failed_setup_after_a_reel_change_stops_the_tablet(harness, manager, floor,
                                                             db_session):
    from shopfloor.floor.services import record_step_event

    setup(harness, manager)
    move_batch(harness.batch, "in_progress", manager)
    floor.batch = harness.batch
    harness.batch.instruction_version_id = floor.version.id
    db_session.commit()
    record_step_event(floor.session, harness.batch, floor.steps["do"], "done", str(uuid.uuid4()))
    setup(harness, manager, pulls=("60", "61", "62", "63"), reason="reel")  # four pulls only
    with pytest.raises(DomainError, match="Sprawdzenie zaciskarki nie wyszło"):
        record_step_event(floor.session, harness.batch, floor.steps["do"], "done",
                          str(uuid.uuid4()))
    with pytest.raises(DomainError):
        services.register_units(harness.batch, 1, manager)


def test_serials_tests_rework_and_packing(harness, manager):
    setup(harness, manager)
    move_batch(harness.batch, "in_progress", manager)
    units = services.register_units(harness.batch, 3, manager)
    assert [u.serial for u in units] == ["EW-1-00001", "EW-1-00002", "EW-1-00003"]
    # The wire and terminal lots of the set-up in force are traced to each serial.
    assert units[0].setup.wire_lot.supplier_lot == "KPK-05-24518"
    assert units[0].setup.terminal_lot.supplier_lot == "ZT-63F-11873"

    first = units[0]
    with pytest.raises(DomainError, match="rewizji B|revision B") as refused:
        services.record_test(first, True, "", "TST-2", "B.4", manager)
    assert refused.value.field == "program_version"
    with pytest.raises(DomainError) as refused:
        services.record_test(first, False, "", "TST-2", "A.1", manager)
    assert refused.value.field == "failing_nets"
    services.record_test(first, False, "X1:2-X2:3 open", "TST-2", "A.1", manager)
    with pytest.raises(DomainError, match="nie ma zaliczonego|no passed"):
        services.pack_unit(harness.batch, first.serial, manager)
    with pytest.raises(DomainError) as refused:
        services.record_test(first, True, "", "TST-2", "A.1", manager)  # no rework said
    assert refused.value.field == "rework"
    services.record_test(first, True, "", "TST-2", "A.1", manager,
                         rework="W2 re-seated in X1:2")
    assert [(t.passed, t.rework) for t in first.tests] == [(False, "W2 re-seated in X1:2"),
                                                          (True, "")]
    services.pack_unit(harness.batch, first.serial.lower(), manager)
    assert first.status == "packed"

    # The tester's log: all or nothing.
    with pytest.raises(DomainError, match="2"):
        services.import_test_log(harness.batch, "EW-1-00002;PASS\nEW-1-99999;PASS", "TST-2",
                                 "A.1", manager)
    assert units[1].tests == []
    assert services.import_test_log(harness.batch, "EW-1-00002;PASS\nEW-1-00003;PASS",
                                    "TST-2", "A.1", manager) == 2

    record_output(harness.batch, Decimal(3), [], manager)
    move_batch(harness.batch, "awaiting_qc", manager)
    move_batch(harness.batch, "done", manager)


def test_qc_refuses_untested_harnesses_and_a_count_that_differs(harness, manager):
    setup(harness, manager)
    move_batch(harness.batch, "in_progress", manager)
    units = services.register_units(harness.batch, 2, manager)
    services.record_test(units[0], True, "", "TST-2", "A.1", manager)
    record_output(harness.batch, Decimal(3), [], manager)
    move_batch(harness.batch, "awaiting_qc", manager)
    with pytest.raises(DomainError) as refused:
        move_batch(harness.batch, "done", manager)
    assert units[1].serial in refused.value.message and "3" in refused.value.message


def test_the_batch_page_and_the_type_page_in_the_office(harness, signed_in, manager):
    setup(harness, manager)
    client = signed_in("manager")
    page = client.get(f"/batches/{harness.batch.id}").get_data(as_text=True)
    assert 'data-connector-face="X1"' in page and "KT-0463" in page
    # A set-up without enough pulls is kept, marked failed, and said why.
    response = client.submit(f"/batches/{harness.batch.id}/harness/setup", {
        "reason": "tool", "tool_id": "KT-0511", "gauge_awg": "20", "height_min_mm": "1,45",
        "height_max_mm": "1,55", "height_mm": "1,50", "pulls_n": "60 61 62",
        "wire_lot": "", "terminal_lot": ""}, page=f"/batches/{harness.batch.id}")
    assert response.status_code == 302
    page = client.get(f"/batches/{harness.batch.id}").get_data(as_text=True)
    assert "mniej niż pięć prób zrywania" in page
    # A mistyped type is refused next to the wire list, with what was typed kept.
    response = client.submit(f"/harness-types/{harness.type.id}", {
        "product_id": str(harness.product.id), "part_number": "EW-1-0001",
        "drawing_number": "EW-1", "drawing_revision": "A", "ipc_class": "2",
        "connector-0-name": "X1", "connector-0-part": "", "connector-0-layout": "1 2",
        "wire-0-wire": "W1", "wire-0-from": "X1", "wire-0-from_cavity": "1", "wire-0-to": "X1",
        "wire-0-to_cavity": "2", "wire-0-colour": "PURPLE", "wire-0-gauge_awg": "20",
        "wire-0-length_mm": "300", "wire-0-tolerance_mm": "5",
        "version": str(harness.type.version)}, page=f"/harness-types/{harness.type.id}")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'id="wires-error"' in text and 'value="PURPLE"' in text


def test_supervisors_cannot_change_harness_types(harness, signed_in):
    client = signed_in("supervisor")
    assert client.get("/harness-types/").status_code == 200
    assert client.get(f"/harness-types/{harness.type.id}").status_code == 403
    assert client.get("/harness-types/new").status_code == 403


def test_a_harness_step_shows_its_connector_on_the_tablet(harness, manager, floor, db_session,
                                                          client):
    from shopfloor.instructions.services import (
        StepData,
        add_step,
        new_draft,
        publish_version,
        set_step_photo,
    )
    from shopfloor.stations.services import assign_batch, enrol_station, set_expected_workers
    from tests.conftest import floor_photo
    from tests.tablet.test_tablet_screens import Tablet

    setup(harness, manager)
    move_batch(harness.batch, "in_progress", manager)
    draft = new_draft(floor.instruction, manager)
    step = add_step(draft, StepData("do", "Wsuń konektor do obudowy.", "Obudowa", "plug",
                                    settings={"figure": "X1"}), manager)
    set_step_photo(step, floor_photo(), manager)
    publish_version(draft, manager)
    harness.batch.instruction_version_id = draft.id
    db_session.commit()
    station, token = enrol_station("Stół wiązek", "harness", manager)
    set_expected_workers(station, [floor.worker.id], manager)
    assign_batch(station, harness.batch, manager)
    from shopfloor.stations.signin import sign_out_worker

    sign_out_worker(floor.session)  # Kasia leaves the soap table for the harness table
    tablet = Tablet(client, token)
    tablet.sign_in(floor.worker)
    page = tablet.get(f"/t/work/step/{step.position}").get_data(as_text=True)
    assert 'data-connector-face="X1"' in page and 'data-wire="W1"' in page
    assert "Zeskanuj etykietę przewodu" in page


def test_a_serial_traces_back_to_its_reel_and_the_reel_forward_to_its_serials(
        harness, manager, signed_in):
    setup(harness, manager)
    move_batch(harness.batch, "in_progress", manager)
    services.register_units(harness.batch, 2, manager)
    client = signed_in("supervisor")
    page = client.get("/trace/?q=ew-1-00002").get_data(as_text=True)
    assert "KPK-05-24518" in page and "ZT-63F-11873" in page
    page = client.get("/trace/?q=KPK-05-24518").get_data(as_text=True)
    assert "EW-1-00001" in page and "EW-1-00002" in page


def test_the_panels_forms_need_the_pages_csrf_token(harness, signed_in):
    client = signed_in("manager")
    response = client.client.post(f"/batches/{harness.batch.id}/harness/units",
                                  data={"count": "1"})
    assert response.status_code == 400
    assert services.units_of(harness.batch) == []
