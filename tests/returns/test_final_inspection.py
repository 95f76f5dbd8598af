"""Workwear sewing: the final inspection of a lot by AQL sampling (ISO 2859-1, level II)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shopfloor.errors import DomainError
from shopfloor.production.services import (
    RecordInvalid,
    move_batch,
    record_output,
    update_batch_record,
)


@pytest.fixture
def sewing(make_product, make_batch, manager):
    """120 work jackets sewn for an order agreed at AQL 2.5."""
    product = make_product(line="garments", code="SZ-KURTKA")
    batch = make_batch(product=product, quantity="120", record={"aql": "2.5"})
    move_batch(batch, "released", manager)
    move_batch(batch, "in_progress", manager)
    record_output(batch, Decimal(120), [], manager)
    return batch


def test_a_garments_batch_is_released_empty_but_not_signed_off_without_items_or_aql(
        make_product, make_batch, manager):
    # Returned parcels are scanned in after release; QC still needs items or an AQL.
    batch = make_batch(product=make_product(line="garments"), quantity="10")
    move_batch(batch, "released", manager)
    move_batch(batch, "in_progress", manager)
    record_output(batch, Decimal(10), [], manager)
    move_batch(batch, "awaiting_qc", manager)
    with pytest.raises(DomainError, match="AQL"):
        move_batch(batch, "done", manager)
    assert batch.status == "awaiting_qc"


def test_the_plan_follows_the_lot_and_qc_takes_only_an_accepted_lot(sewing, manager,
                                                                     signed_in):
    # 120 made: lot 91-150, letter F, 20 items; AQL 2.5 accepts 1, rejects 2.
    page = signed_in("supervisor").get(f"/batches/{sewing.id}").get_data(as_text=True)
    assert "20 szt. (litera kodowa F)" in page
    move_batch(sewing, "awaiting_qc", manager)
    with pytest.raises(DomainError, match="próbkę 20 szt"):
        move_batch(sewing, "done", manager)
    update_batch_record(sewing, {**sewing.record, "sample_defects": "2"}, manager,
                        reason="kontrola końcowa")
    with pytest.raises(DomainError, match="najwyżej 1"):
        move_batch(sewing, "done", manager)
    update_batch_record(sewing, {**sewing.record, "sample_defects": "1"}, manager,
                        reason="po sortowaniu")
    move_batch(sewing, "done", manager)
    assert sewing.status == "done"


def test_a_sample_count_is_whole_and_needs_an_aql(make_product, make_batch, manager):
    batch = make_batch(product=make_product(line="garments"), quantity="10")
    with pytest.raises(RecordInvalid) as refused:
        update_batch_record(batch, {"aql": "4", "sample_defects": "1.5"}, manager)
    assert "sample_defects" in refused.value.findings.errors
    with pytest.raises(RecordInvalid) as refused:
        update_batch_record(batch, {"sample_defects": "1"}, manager)
    assert "aql" in refused.value.findings.errors
