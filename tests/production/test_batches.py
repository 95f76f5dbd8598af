"""Batches: planning, the status machine with the lines' gates, output, consumption."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from shopfloor.audit.services import history
from shopfloor.errors import DomainError
from shopfloor.production.services import (
    RecordInvalid,
    RejectData,
    consume_lot,
    move_batch,
    record_output,
    update_batch_record,
)
from tests.conftest import TODAY

SOAP_RECORD = {"mould": "M-12"}


def run_to_awaiting_qc(batch, manager, lot=None, good="95", complete=None):
    if lot is not None:
        consume_lot(batch, lot, Decimal("2.5"), manager, TODAY)
    move_batch(batch, "released", manager)
    move_batch(batch, "in_progress", manager)
    record_output(batch, Decimal(good), [RejectData("bubbles", Decimal(5))], manager)
    if complete is not None:
        complete(batch)
    move_batch(batch, "awaiting_qc", manager)


def test_a_soap_batch_runs_from_planned_to_done_and_its_order_follows(
        make_order, make_batch, make_lot, manager, complete_soap_record):
    order = make_order(quantity="95")
    batch = make_batch(order_line=order.lines[0], quantity="100", record=SOAP_RECORD,
                       releasable=True)
    assert batch.code.startswith("B") and batch.line == "soap"
    assert order.status == "confirmed"
    run_to_awaiting_qc(batch, manager, lot=make_lot(), complete=complete_soap_record)
    assert order.status == "in_production"
    move_batch(batch, "done", manager)
    assert batch.finished_at is not None and batch.rejected_quantity == Decimal(5)
    assert order.status == "ready"
    statuses = [(e.from_status, e.to_status) for e in reversed(history(batch))
                if e.action == "status"]
    assert statuses == [("planned", "released"), ("released", "in_progress"),
                        ("in_progress", "awaiting_qc"), ("awaiting_qc", "done")]


def test_release_is_blocked_by_the_lines_gate(make_batch, make_product, manager):
    harness = make_batch(product=make_product(line="harness"))
    with pytest.raises(DomainError, match="rewizję rysunku"):
        move_batch(harness, "released", manager)
    update_batch_record(harness, {"drawing_number": "D-1", "drawing_revision": "C",
                                  "ipc_class": "2"}, manager)
    move_batch(harness, "released", manager)
    assert harness.status == "released"


def test_release_is_blocked_when_a_consumed_lot_was_rejected_since(
        make_batch, make_lot, manager):
    from shopfloor.materials.services import set_lot_status

    batch = make_batch(record=SOAP_RECORD, releasable=True)
    lot = make_lot()
    consume_lot(batch, lot, Decimal(1), manager, TODAY)
    set_lot_status(lot, "rejected", manager, reason="supplier recall")
    with pytest.raises(DomainError, match=lot.code):
        move_batch(batch, "released", manager)
    assert batch.status == "planned"


@pytest.mark.parametrize(("status", "message"), [
    ("quarantine", "kwarantannie"), ("rejected", "odrzucona"),
])
def test_a_batch_cannot_consume_a_lot_that_is_not_approved(
        make_batch, make_lot, manager, status, message):
    batch = make_batch(record=SOAP_RECORD, releasable=True)
    with pytest.raises(DomainError, match=message):
        consume_lot(batch, make_lot(status=status), Decimal(1), manager, TODAY)
    assert batch.consumptions == []


def test_consumption_cannot_exceed_what_is_left_of_a_lot(make_batch, make_lot, manager):
    lot = make_lot(quantity="3")
    first, second = (make_batch(record=SOAP_RECORD, releasable=True) for _ in range(2))
    consume_lot(first, lot, Decimal(2), manager, TODAY)
    with pytest.raises(DomainError, match="Zostało tylko 1"):
        consume_lot(second, lot, Decimal(2), manager, TODAY)


def test_expired_lots_are_refused(make_batch, make_lot, manager):
    lot = make_lot(expires_on=TODAY - timedelta(days=1))
    with pytest.raises(DomainError, match="straciła ważność"):
        consume_lot(make_batch(record=SOAP_RECORD, releasable=True), lot, Decimal(1), manager,
                    TODAY)


def test_qc_sign_off_needs_the_lines_checks(make_batch, make_lot, manager,
                                            complete_soap_record):
    batch = make_batch(releasable=True)
    run_to_awaiting_qc(batch, manager, lot=make_lot())
    with pytest.raises(DomainError, match="temperaturę") as refused:
        move_batch(batch, "done", manager)
    assert "Clear soap base" in refused.value.message  # not weighed
    assert "ważenie kontrolne" in str(refused.value.message).lower()
    move_batch(batch, "in_progress", manager)
    complete_soap_record(batch)
    move_batch(batch, "awaiting_qc", manager)
    move_batch(batch, "done", manager)
    assert batch.status == "done"


def test_editing_a_released_record_needs_a_reason_and_keeps_old_and_new(
        make_batch, manager):
    batch = make_batch(record=SOAP_RECORD, releasable=True)
    move_batch(batch, "released", manager)
    with pytest.raises(DomainError) as error:
        update_batch_record(batch, {**batch.record, "mould": "M-13"}, manager)
    assert error.value.field == "reason"
    update_batch_record(batch, {**batch.record, "mould": "M-13"}, manager,
                        reason="mould swapped, cracked")
    edit = history(batch)[0]
    assert edit.reason == "mould swapped, cracked"
    assert edit.changes == {"record.mould": ["M-12", "M-13"]}


def test_a_bad_record_value_is_refused_naming_the_field(make_batch, manager):
    batch = make_batch()
    with pytest.raises(RecordInvalid) as error:
        update_batch_record(batch, {"temperatures": [
            {"stage": "melt", "temperature_c": "hot", "at": "2026-11-27T09:00"}]}, manager)
    assert "temperatures" in error.value.findings.errors
    assert batch.record == {}


def test_hold_returns_to_where_it_was_and_needs_a_reason(make_batch, manager):
    batch = make_batch(record=SOAP_RECORD, releasable=True)
    move_batch(batch, "released", manager)
    with pytest.raises(DomainError):
        move_batch(batch, "on_hold", manager)
    move_batch(batch, "on_hold", manager, reason="mould missing")
    with pytest.raises(DomainError, match="Zwolniona"):
        move_batch(batch, "in_progress", manager)
    move_batch(batch, "released", manager)
    assert batch.held_from is None


def test_finished_batches_cannot_move(make_batch, make_lot, manager):
    batch = make_batch(record=SOAP_RECORD, releasable=True)
    move_batch(batch, "scrapped", manager, reason="dropped")
    with pytest.raises(DomainError):
        move_batch(batch, "released", manager)


def test_negative_output_is_refused(make_batch, manager):
    batch = make_batch(record=SOAP_RECORD, releasable=True)
    move_batch(batch, "released", manager)
    move_batch(batch, "in_progress", manager)
    with pytest.raises(DomainError) as error:
        record_output(batch, Decimal(-1), [], manager)
    assert error.value.field == "good_quantity"
    with pytest.raises(DomainError) as error:
        record_output(batch, Decimal(1), [RejectData("", Decimal(1))], manager)
    assert error.value.field == "rejects"


def test_overage_goes_to_stock_and_a_full_allocation_makes_the_order_ready(
        make_order, make_batch, make_lot, manager, make_soap_version, complete_soap_record):
    from shopfloor.orders.queries import line_progress
    from shopfloor.production.services import AllocationData, plan_batch

    order = make_order(quantity="400")
    line = order.lines[0]
    # 420 planned to cover rejects, 400 of them for the order; 412 come out good.
    batch = plan_batch(line.product_id, Decimal(420), [AllocationData(line.id, Decimal(400))],
                       manager)
    update_batch_record(batch, {**SOAP_RECORD, "recipe_version_id": str(make_soap_version().id)},
                        manager)
    run_to_awaiting_qc(batch, manager, lot=make_lot(), good="412", complete=complete_soap_record)
    move_batch(batch, "done", manager)
    progress = line_progress(order)[line.id]
    assert progress.made == Decimal(400) and progress.planned == Decimal(400)
    assert order.status == "ready"


def test_an_allocation_larger_than_the_line_is_refused(make_order, manager):
    from shopfloor.production.services import AllocationData, plan_batch

    order = make_order(quantity="10")
    line = order.lines[0]
    with pytest.raises(DomainError, match="potrzebuje tylko 10"):
        plan_batch(line.product_id, Decimal(20), [AllocationData(line.id, Decimal(20))], manager)
