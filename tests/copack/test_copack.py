"""Co-packing services: bill-of-materials versions (GTIN check digits, quantities, the GS1
rule that a changed kit needs a new GTIN), goods-in of the partner's material, the kit
build that uses components in the same transaction as the kits, scrap and returns, and the
reconciliation that decides whether the order may close."""

from __future__ import annotations

import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from shopfloor.copack import boms, reconcile, stock
from shopfloor.copack.models import MaterialReceipt, StockMove
from shopfloor.errors import DomainError
from tests.conftest import TODAY

TEA = "05901234123457"      # a valid GTIN-14 (check digit 7)
BOX = "04006381333931"      # GS1's GTIN-13 example 4006381333931, as 14 digits
TEA_ITEM = ("Herbata Assam", TEA, "3", True, False)
INSERT_ITEM = ("Ulotka", "", "1", True, True)       # a printed countable
FILLER_ITEM = ("Wypełniacz", "", "0.015", False, False)  # ours


def refused(call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as refusal:
        call(*args, **kwargs)
    return refusal.value


@pytest.fixture
def kit(make_partner, make_product, make_order, make_kit_bom, make_batch, manager):
    """A confirmed order for 200 kits of 3 tea bags, 1 insert and some of our filler."""
    from shopfloor.production.services import move_batch

    firm = make_partner(name="Paczkomat Smaków", lines=["copack"])
    product = make_product(line="copack", code="ZES-HERB6", unit="set")
    bom = make_kit_bom(product, (TEA_ITEM, INSERT_ITEM, FILLER_ITEM))
    order = make_order(partner=firm, product=product, quantity="200", reference="PS-77")
    batch = make_batch(order_line=order.lines[0], quantity="200", releasable=True)
    move_batch(batch, "released", manager)
    move_batch(batch, "in_progress", manager)
    return SimpleNamespace(partner=firm, product=product, bom=bom, order=order, batch=batch)


def receive(order, user, note="PS/WZ/3381", rows=None, photos=()):
    rows = rows if rows is not None else [stock.ReceiptRow(TEA, "A1", "600", "600"),
                                          stock.ReceiptRow("Ulotka", "", "200", "200")]
    return stock.record_receipt(order, stock.ReceiptData(note, TODAY, rows,
                                                         photos=list(photos)), user)


# ------------------------------------------------------------------ bills of materials


@pytest.mark.parametrize("typed, stored", [("4006381333931", BOX), ("0400 6381 3339 31", BOX),
                                           ("96385074", "00000096385074"), ("", "")])
def test_a_gtin_is_checked_by_its_check_digit_and_kept_as_14_digits(typed, stored):
    assert boms.check_gtin(typed) == stored


@pytest.mark.parametrize("typed", ["4006381333932", "400638133393", "40063813339311x",
                                   "123456789012345"])
def test_a_wrong_gtin_is_refused_naming_it(typed):
    assert "nie jest poprawny GTIN" in str(refused(boms.check_gtin, typed).message)


def test_a_draft_is_checked_row_by_row_and_nothing_is_saved_on_error(make_product, manager,
                                                                      db_session):
    product = make_product(line="copack")
    bom = boms.new_draft(product, manager)
    rows = [boms.BomRow("Herbata", TEA, "3"), boms.BomRow("Pudełko", "4006381333932", "1"),
            boms.BomRow("Ulotka", "", "0"), boms.BomRow("herbata ", "", "0.0001"),
            boms.BomRow("Herbata", TEA, "1"), boms.BomRow("Karton", "", "0.001")]
    error = refused(boms.save_draft, bom, rows, "", "", manager)
    assert sorted(error.problems) == [1, 2, 3, 4]
    assert "GTIN" in error.problems[1] and "więcej niż 0" in error.problems[2]
    assert "3 miejsca" in error.problems[3] and "dwa razy" in error.problems[4]
    db_session.refresh(bom)
    assert bom.items == []
    boms.save_draft(bom, [rows[0], rows[5]], "", "", manager)
    assert [(i.component, i.quantity_per_kit) for i in bom.items] == [
        ("Herbata", Decimal(3)), ("Karton", Decimal("0.001"))]


def test_an_active_version_never_changes_and_a_new_one_copies_it(make_product, manager,
                                                                 make_kit_bom):
    product = make_product(line="copack")
    first = make_kit_bom(product, (TEA_ITEM,), kit_gtin="4006381333931")
    refusal = refused(boms.save_draft, first, [], "", "", manager)
    assert "nigdy się nie zmienia" in str(refusal.message)
    second = boms.new_draft(product, manager)
    assert second.number == 2 and [i.component for i in second.items] == ["Herbata Assam"]
    assert "ma już szkic" in str(refused(boms.new_draft, product, manager).message)
    boms.activate(second, manager)  # the same kit, the same GTIN: allowed
    assert (first.status, second.status) == ("retired", "active")
    assert boms.usable_boms(product.id) == [second, first]


def test_a_changed_kit_needs_a_new_gtin(make_product, manager, make_kit_bom):
    product = make_product(line="copack")
    make_kit_bom(product, (TEA_ITEM,), kit_gtin="4006381333931")
    changed = boms.new_draft(product, manager)
    boms.save_draft(changed, [boms.BomRow("Herbata Assam", TEA, "4")], "4006381333931", "",
                    manager)
    error = refused(boms.activate, changed, manager)
    assert error.field == "kit_gtin" and "nowego GTIN" in str(error.message)
    boms.save_draft(changed, [boms.BomRow("Herbata Assam", TEA, "4")], "96385074", "", manager)
    boms.activate(changed, manager)
    assert changed.status == "active"


# ------------------------------------------------------------------ goods-in


def test_a_delivery_is_the_partners_stock_with_counted_not_declared_quantities(kit, manager):
    receipt = receive(kit.order, manager, rows=[
        stock.ReceiptRow("05901234123457", "A1", "600", "598", "2", "Rozerwane saszetki")])
    assert receipt.lines[0].component == "Herbata Assam" and receipt.partner_id == kit.partner.id
    assert stock.on_hand(kit.order.id) == {TEA: Decimal(598)}


@pytest.mark.parametrize("row, message", [
    (stock.ReceiptRow("Kawa", "", "10", "10"), "nie jest składnik"),
    (stock.ReceiptRow("Wypełniacz", "", "10", "10"), "nie jest składnik"),
    (stock.ReceiptRow(TEA, "", "10", ""), "deklarowaną i policzoną"),
    (stock.ReceiptRow(TEA, "", "10", "10", "11", "x"), "Więcej uszkodzonych niż policzonych"),
    (stock.ReceiptRow(TEA, "", "10", "10", "1", ""), "na czym polega uszkodzenie"),
    (stock.ReceiptRow(TEA, "", "10", "10.0001"), "3 miejsca"),
])
def test_a_wrong_receipt_line_is_refused_and_nothing_is_received(kit, manager, db_session,
                                                                  row, message):
    error = refused(receive, kit.order, manager,
                    rows=[stock.ReceiptRow("Ulotka", "", "1", "1"), row])
    assert message in error.problems[1] and 0 not in error.problems
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(MaterialReceipt)) == 0
    assert stock.on_hand(kit.order.id) == {}


def test_a_delivery_note_is_received_once(kit, manager, db_session):
    receive(kit.order, manager)
    error = refused(receive, kit.order, manager)
    assert error.field == "delivery_note" and "jest już przyjęty" in str(error.message)
    assert stock.on_hand(kit.order.id) == {TEA: Decimal(600), "ulotka": Decimal(200)}


def test_material_is_received_only_for_an_order_with_a_kit(make_order, manager):
    order = make_order()  # a soap order
    assert refused(receive, order, manager).field == "order"


# ------------------------------------------------------------------ the kit build


def test_kits_counted_in_the_office_use_the_partners_components(kit, manager):
    from shopfloor.production.services import record_output

    receive(kit.order, manager)
    record_output(kit.batch, Decimal(150), [], manager)
    assert stock.on_hand(kit.order.id) == {TEA: Decimal(150), "ulotka": Decimal(50)}
    record_output(kit.batch, Decimal(140), [], manager)  # ten taken back
    assert stock.on_hand(kit.order.id) == {TEA: Decimal(180), "ulotka": Decimal(60)}


def test_a_kit_is_not_built_from_material_that_is_not_there(kit, manager, db_session):
    from shopfloor.production.services import record_output

    receive(kit.order, manager)
    record_output(kit.batch, Decimal(200), [], manager)  # exactly what was received
    assert stock.on_hand(kit.order.id) == {TEA: Decimal(0), "ulotka": Decimal(0)}
    error = refused(record_output, kit.batch, Decimal(201), [], manager)
    assert "Za mało: Herbata Assam na 1 zest.: zostało 0, potrzeba 3" in str(error.message)
    db_session.rollback()
    db_session.refresh(kit.batch)
    assert kit.batch.good_quantity == 200
    assert stock.on_hand(kit.order.id) == {TEA: Decimal(0), "ulotka": Decimal(0)}


def test_a_tablet_count_builds_a_kit_in_one_transaction(kit, floor, manager, db_session):
    from shopfloor.floor.models import StepEvent
    from shopfloor.floor.services import record_step_event

    kit.batch.instruction_version_id = floor.version.id
    db_session.commit()
    step = floor.steps["count"]
    receive(kit.order, manager, rows=[stock.ReceiptRow(TEA, "", "6", "6"),
                                      stock.ReceiptRow("Ulotka", "", "5", "5")])

    def tap(value=1, kind="count"):
        return record_step_event(floor.session, kit.batch, step, kind, str(uuid.uuid4()),
                                 value=value)

    tap(), tap()
    assert stock.on_hand(kit.order.id) == {TEA: Decimal(0), "ulotka": Decimal(3)}
    error = refused(tap)
    assert str(error.message) == "Skończyło się: Herbata Assam. Zawołaj opiekuna."
    db_session.refresh(kit.batch)
    assert kit.batch.good_quantity == 2
    assert db_session.scalar(select(func.count()).select_from(StepEvent)) == 2
    tap(kind="undo")  # the last kit taken back gives its components back
    assert stock.on_hand(kit.order.id) == {TEA: Decimal(3), "ulotka": Decimal(4)}
    consumed = db_session.scalars(select(StockMove.quantity).where(
        StockMove.kind == "consumed", StockMove.key == TEA)).all()
    assert consumed == [3, 3, -3]


def test_kits_need_a_bill_of_materials_and_an_order(make_product, make_batch, manager):
    from shopfloor.production.services import move_batch

    batch = make_batch(product=make_product(line="copack"))
    assert "listy materiałów" in refused(move_batch, batch, "released", manager).message


# ------------------------------------------------------------------ scrap, returns, count


def test_scrap_and_returns_never_take_more_than_is_on_hand(kit, manager):
    receive(kit.order, manager)
    refusal = refused(stock.record_move, kit.order, TEA, "scrapped", "5", "", manager)
    assert refusal.field == "note"
    stock.record_move(kit.order, TEA, "scrapped", "5", "Zalane przy rozładunku", manager)
    refusal = refused(stock.record_move, kit.order, TEA, "returned", "595.001", "PS/ZW/1",
                      manager)
    assert refusal.field == "quantity" and "tylko 595: Herbata Assam" in str(refusal.message)
    stock.record_move(kit.order, TEA, "returned", "595", "PS/ZW/1", manager)
    assert stock.on_hand(kit.order.id)[TEA] == 0


def balance(received="600", used="450", scrapped="6", returned="30", counted=None,
            explanation="", countable=False, tolerance=5):
    return reconcile.ComponentBalance(
        key="k", component="Herbata", gtin="", countable=countable, received=Decimal(received),
        used=Decimal(used), scrapped=Decimal(scrapped), returned=Decimal(returned),
        counted=None if counted is None else Decimal(counted), explanation=explanation,
        tolerance_per_mille=tolerance)


def test_a_reconciliation_that_balances_and_one_that_does_not():
    assert balance().on_hand == 114 and balance().problem is not None  # not counted yet
    assert balance(counted="114").balanced and balance(counted="114").variance == 0
    # 0.5 % of 600 received is 3: a difference of 3 balances once explained, 3.001 never.
    assert not balance(counted="111").balanced
    assert balance(counted="111", explanation="Saszetki rozdarte").balanced
    assert balance(counted="117", explanation="Nadwyżka od partnera").balanced
    short = balance(counted="110.999", explanation="Zginęły")
    assert not short.balanced and "dopuszczalne 3" in str(short.problem)
    # A printed countable has no tolerance.
    assert not balance(counted="113", explanation="?", countable=True).balanced
    assert balance(counted="114", countable=True).balanced
    assert "Zużyto więcej" in str(balance(used="600", counted="0").problem)


def test_an_order_closes_only_when_its_material_balances(kit, manager, db_session):
    from shopfloor.orders.services import change_order_status
    from shopfloor.production.services import move_batch, record_output

    receive(kit.order, manager)
    record_output(kit.batch, Decimal(180), [], manager)
    move_batch(kit.batch, "awaiting_qc", manager)
    move_batch(kit.batch, "done", manager)
    kit.order.status = "shipped"  # shipping on pallets is tested with the pallets
    db_session.commit()
    rec = reconcile.order_reconciliation(kit.order)
    assert [(c.component, c.on_hand) for c in rec.components] == [
        ("Herbata Assam", Decimal(60)), ("Ulotka", Decimal(20))]
    error = refused(change_order_status, kit.order, "closed", manager)
    assert "Herbata Assam: Nie policzono." in str(error.message)
    reconcile.record_count(kit.order, TEA, "60", "", manager)
    assert "wyjaśnij dlaczego" in str(refused(reconcile.record_count, kit.order, "ulotka", "19", "",
                                        manager).message)
    reconcile.record_count(kit.order, "ulotka", "19", "Jedna pognieciona", manager)
    error = refused(change_order_status, kit.order, "closed", manager)
    assert "Ulotka: Druk liczony co do sztuki musi się zgadzać dokładnie." in str(error.message)
    stock.record_move(kit.order, "Ulotka", "scrapped", "1", "Pognieciona", manager)
    change_order_status(kit.order, "closed", manager)
    assert kit.order.status == "closed"


def test_an_order_without_a_kit_has_nothing_to_reconcile(make_order):
    order = make_order()
    assert reconcile.order_reconciliation(order) is None
    assert reconcile.closing_problems(order) == []


def test_each_scan_of_the_kits_barcode_counts_one_kit(kit, floor, manager, db_session):
    """Counting by scans: on a scan step for finished kits, the kit's own GTIN counts a kit
    (and uses its components); another code is the wrong label and counts nothing."""
    from shopfloor.copack.models import KitBom
    from shopfloor.floor.services import record_step_event
    from shopfloor.instructions.services import (
        StepData,
        add_step,
        create_instruction,
        publish_version,
        set_materials_and_tools,
        set_step_photo,
    )
    from shopfloor.tablet.services import answer_screen
    from tests.conftest import floor_photo

    bom = db_session.get(KitBom, kit.bom.id)
    bom.kit_gtin = BOX  # the kit's own GTIN
    db_session.commit()
    instruction = create_instruction("Zestaw herbat", manager, product_id=kit.product.id)
    version = instruction.versions[0]
    set_materials_and_tools(version, ["Zestaw herbat"], ["Skaner"], manager)
    step = add_step(version, StepData("scan", "Zeskanuj gotowy zestaw.", "Zestaw", "scan",
                                      settings={"scan": "kit"}), manager)
    set_step_photo(step, floor_photo(), manager)
    publish_version(version, manager)
    kit.batch.instruction_version_id = version.id
    db_session.commit()
    receive(kit.order, manager)
    work = SimpleNamespace(session=floor.session, batch=kit.batch, worker=floor.worker)

    outcomes = [answer_screen(work, [step], "scan", str(uuid.uuid4()), answer=code)
                for code in ("4006381333931", "(01)04006381333931", "4006381333948")]
    assert [(o.done, o.kind, o.measured) for o in outcomes] == [
        (False, "counted", 1), (False, "counted", 2), (False, "wrong_label", None)]
    db_session.refresh(kit.batch)
    assert kit.batch.good_quantity == 2
    assert stock.on_hand(kit.order.id) == {TEA: Decimal(594), "ulotka": Decimal(198)}
    assert answer_screen(work, [step], "done", str(uuid.uuid4())).done
    assert record_step_event(floor.session, kit.batch, step, "scan", str(uuid.uuid4()),
                             text="ABC").matched is False


def test_damage_photos_are_kept_and_a_bad_one_refuses_the_delivery(kit, manager, db_session):
    from tests.conftest import floor_photo

    error = refused(receive, kit.order, manager, photos=[floor_photo(), b"not a picture"])
    assert error.field == "photos"
    db_session.rollback()
    assert stock.on_hand(kit.order.id) == {}
    receipt = receive(kit.order, manager, photos=[floor_photo()])
    assert len(receipt.photos) == 1
