"""Demo orders in every status, and the batches, consumption and shipments behind them.

Every change goes through the services, so codes, statuses and the audit trail are what
real use would leave. Days are counted from today: negative is in the past.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select

from shopfloor.catalog.models import Product
from shopfloor.copack import reconcile
from shopfloor.core.demo.catalog import PRODUCTS_BY_CODE
from shopfloor.core.demo.harness import serials_and_tests, start_run
from shopfloor.core.demo.kits import Deliveries, count_at_the_end
from shopfloor.core.demo.partners import PARTNERS_BY_KEY
from shopfloor.core.demo.records import (
    PRODUCTION_REASON,
    Numbering,
    production_record,
    release_record,
)
from shopfloor.extensions import db
from shopfloor.materials.models import LotStatus, MaterialLot
from shopfloor.materials.services import remaining_quantity
from shopfloor.orders.models import Order, OrderLine
from shopfloor.orders.services import LineData, change_order_status, create_order
from shopfloor.production.models import Batch
from shopfloor.production.services import (
    AllocationData,
    RejectData,
    consume_lot,
    move_batch,
    plan_batch,
    record_output,
    update_batch_record,
)
from shopfloor.recipes.batches import GRAMS_PER, soap_batch
from shopfloor.shipping.services import ShipmentLineData, create_shipment


@dataclass(frozen=True)
class DemoOrder:
    """An order and how far the demo takes it (``stage``, see BATCH_TARGET)."""

    partner: str
    reference: str
    lines: tuple[tuple[str, int, int], ...]  # product code, quantity, due day
    entered: int  # the day the order was entered
    stage: str
    shipped: tuple[int, ...] = ()  # the days of its deliveries
    reason: str = ""  # why it was cancelled or its batch put on hold
    record: tuple[tuple[str, str], ...] = ()  # production record values that differ
    notes: str = ""


# How far an order's batches go for each stage the order is taken to.
BATCH_TARGET = {
    "draft": None, "cancelled": None, "confirmed": None, "planned": "planned",
    "released": "released", "in_progress": "in_progress", "on_hold": "on_hold",
    "awaiting_qc": "awaiting_qc", "ready": "done", "partly_shipped": "done",
    "shipped": "done", "closed": "done",
}
# line -> share made over the order, share rejected, reject reason
YIELDS = {
    "soap": ("0.05", "0.02", "Pęcherze powietrza na powierzchni"),
    "harness": ("0.02", "0.01", "Przerwa w teście ciągłości"),
    "garments": ("0", "0", ""),
    "copack": ("0.02", "0.01", "Pudełko zgniecione przy pakowaniu"),
}
HOLD_MELT = (("melt", "72"),)

ORDERS = (
    # Melt-and-pour soap. The first two orders are the traceable chain: both batches use
    # the lavender fragrance lot FO-LAW-2611 and ship to two partners.
    DemoOrder("mydlarnia", "ZK/2611/014", (("MYD-LAW-100", 400, -20),), -40, "closed", (-22,)),
    DemoOrder("hotel", "HSD/ZAM/0871", (("MYD-LAW-30H", 1200, -10),), -35, "shipped", (-12,)),
    DemoOrder("mydlarnia", "ZK/2611/021", (("MYD-LAW-100", 300, 4),), -14, "awaiting_qc"),
    DemoOrder("mydlarnia", "ZK/2611/025",
              (("MYD-CYT-100", 250, 10), ("MYD-KOZ-100", 150, 10)), -7, "ready"),
    DemoOrder("mydlarnia", "ZK/2612/002", (("MYD-KOZ-100", 200, 21),), -1, "draft"),
    DemoOrder("hotel", "HSD/ZAM/0902", (("MYD-LAW-30H", 2000, -2),), -21, "in_progress",
              notes="Mydełka do pokoi na sezon zimowy."),
    DemoOrder("hotel", "HSD/ZAM/0915", (("MYD-CYT-100", 300, 12),), -5, "confirmed"),
    DemoOrder("mydlarnia", "ZK/2611/009", (("MYD-CYT-100", 200, -30),), -45, "cancelled",
              reason="Partner wycofał mydło cytrynowe z oferty sezonowej."),
    DemoOrder("hotel", "HSD/ZAM/0840", (("MYD-KOZ-100", 500, -25),), -50, "closed", (-27,)),
    DemoOrder("mydlarnia", "ZK/2611/030", (("MYD-KOZ-100", 350, 6),), -3, "on_hold",
              reason="Temperatura topienia 72 °C – czeka na decyzję kontroli jakości.",
              record=HOLD_MELT),
    # Wire-harness assembly
    DemoOrder("elektro", "EW/ZK/26/311", (("WI-W214", 200, -28),), -45, "closed", (-35, -29)),
    DemoOrder("elektro", "EW/ZK/26/318", (("WI-W305", 150, -6),), -30, "shipped", (-8,)),
    DemoOrder("elektro", "EW/ZK/26/322", (("WI-W214", 300, -4), ("WI-K12", 80, 3)), -21,
              "partly_shipped", (-5,)),
    DemoOrder("elektro", "EW/ZK/26/327", (("WI-K12", 120, 5),), -10, "ready"),
    DemoOrder("elektro", "EW/ZK/26/330", (("WI-W214", 250, -1),), -18, "released"),
    DemoOrder("elektro", "EW/ZK/26/334", (("WI-W305", 200, 14),), -4, "planned"),
    DemoOrder("elektro", "EW/ZK/26/336", (("WI-W214", 400, 25),), 0, "draft"),
    DemoOrder("elektro", "EW/ZK/26/301", (("WI-K12", 100, -15),), -40, "cancelled",
              reason="Zmiana konstrukcji: klient przysłał rysunek K-12 rew. E."),
    # Garment returns and repairs
    DemoOrder("moda", "MW/RMA/2611-A", (("ZW-KURTKA", 40, -18),), -30, "closed", (-19,)),
    DemoOrder("moda", "MW/RMA/2611-B", (("ZW-KURTKA", 30, -3), ("ZW-SPODNIE", 25, -3)), -17,
              "partly_shipped", (-4,)),
    DemoOrder("moda", "MW/RMA/2612-A", (("NAP-ZAMEK", 35, 8),), -6, "in_progress"),
    DemoOrder("moda", "MW/RMA/2611-C", (("ZW-SPODNIE", 50, 2),), -12, "ready"),
    DemoOrder("moda", "MW/RMA/2612-B", (("ZW-KURTKA", 60, 18),), -1, "confirmed"),
    DemoOrder("moda", "MW/RMA/2612-C", (("NAP-ZAMEK", 20, 20),), 0, "draft"),
    DemoOrder("moda", "MW/RMA/2610-D", (("ZW-SPODNIE", 45, -20),), -38, "shipped", (-21,)),
    # Co-packing
    DemoOrder("paczkomat", "PS/ZAM/1187", (("ZES-HERB6", 300, -24),), -42, "closed", (-25,)),
    DemoOrder("paczkomat", "PS/ZAM/1203", (("ZES-GRZANIEC", 400, -5),), -26,
              "partly_shipped", (-6,)),
    DemoOrder("paczkomat", "PS/ZAM/1210", (("ZES-HERB6", 500, 5),), -9, "on_hold",
              reason="Czekamy na etykiety z nowym kodem EAN od klienta."),
    DemoOrder("hotel", "HSD/ZAM/0921", (("ZES-3MYD", 150, 9), ("MYD-LAW-30H", 600, 9)), -2,
              "confirmed", notes="Zestawy na kiermasz świąteczny, mydełka do pokoi."),
    DemoOrder("hotel", "HSD/ZAM/0888", (("ZES-3MYD", 200, -8),), -30, "shipped", (-9,)),
    DemoOrder("paczkomat", "PS/ZAM/1221", (("ZES-GRZANIEC", 250, 30),), 0, "draft"),
    DemoOrder("paczkomat", "PS/ZAM/1195", (("ZES-HERB6", 200, -10),), -30, "cancelled",
              reason="Klient przeniósł akcję promocyjną na przyszły sezon."),
    DemoOrder("hotel", "HSD/ZAM/0930", (("ZES-3MYD", 120, 4),), -8, "ready"),
)


def _share(quantity: int, share: str) -> int:
    return int((quantity * Decimal(share)).to_integral_value(ROUND_CEILING))


@dataclass
class _Delivery:
    shipped_on: date
    order: Order
    lines: list[ShipmentLineData]
    carrier: str


class OrderLoader:
    """Takes every demo order as far as its stage says; shipments go out in date order."""

    def __init__(self, user, today: date, partner_ids: dict[str, int],
                 lots: list[MaterialLot]):
        self.user, self.today, self.ids = user, today, partner_ids
        self.products = dict(db.session.execute(select(Product.code, Product.id)).all())
        self.numbering = Numbering()
        self.kits = Deliveries()
        self.deliveries: list[_Delivery] = []
        self.approved: dict[str, list[MaterialLot]] = {}
        for lot in sorted(lots, key=lambda lot: (lot.received_on, lot.id)):
            if lot.status == LotStatus.APPROVED:
                self.approved.setdefault(lot.material.code, []).append(lot)
        self.created = 0

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def run(self) -> int:
        """Create the demo orders with their batches and shipments; return how many rows."""
        from shopfloor.core.demo.pallets import demo_gs1_prefix, palletise, stack_ready_kits

        to_close = [self._order(demo) for demo in ORDERS]
        with demo_gs1_prefix():
            # Delivery-note numbers follow the shipping dates, as a real register would;
            # co-packing kits leave on SSCC pallets.
            for delivery in sorted(self.deliveries, key=lambda d: d.shipped_on):
                loose, pallet_ids = palletise(delivery.lines, self.user)
                create_shipment(delivery.order, delivery.shipped_on, loose, self.user,
                                carrier=delivery.carrier, pallet_ids=pallet_ids)
                self.created += 1 + len(pallet_ids)
            self.created += stack_ready_kits(self.user)
        for order in to_close:
            if order is not None:
                if reconcile.order_reconciliation(order) is not None:
                    count_at_the_end(order, self.user)  # the partner's material balances
                change_order_status(order, "closed", self.user)
        return self.created

    def _order(self, demo: DemoOrder) -> Order | None:
        """Create one order and take it to its stage; the order if it is to be closed."""
        order = create_order(
            self.ids[demo.partner], demo.reference,
            [LineData(self.products[code], Decimal(qty), self.day(due))
             for code, qty, due in demo.lines],
            self.user, today=self.day(demo.entered), notes=demo.notes)
        self.created += 1
        if demo.stage == "draft":
            return None
        change_order_status(order, "confirmed", self.user)
        if demo.stage == "cancelled":
            change_order_status(order, "cancelled", self.user, reason=demo.reason)
            return None
        target = BATCH_TARGET[demo.stage]
        if target is None:
            return None
        made_on = self.day(min(demo.shipped) - 2 if demo.shipped else -1)
        batches = [self._batch(line, target, demo, made_on) for line in order.lines]
        self._plan_deliveries(demo, order, batches)
        return order if demo.stage == "closed" else None

    def _batch(self, line: OrderLine, target: str, demo: DemoOrder, made_on: date) -> Batch:
        """Plan a batch for one order line and move it to ``target`` through the gates."""
        product = PRODUCTS_BY_CODE[line.product.code]
        extra, rejected, reject_reason = YIELDS[product.line]
        ordered = int(line.quantity)
        planned = ordered + _share(ordered, extra)
        # The overage absorbs rejects: the ordered quantity is allocated to the line and
        # the good output fills it first; what is left over goes to stock.
        batch = plan_batch(line.product_id, Decimal(planned),
                           [AllocationData(line.id, Decimal(ordered))], self.user)
        self.created += 1
        record = release_record(product.line, product.code, planned, self.day(demo.entered),
                                self.numbering)
        update_batch_record(batch, record, self.user)
        if target == "planned":
            return batch
        move_batch(batch, "released", self.user)
        if product.line == "copack":  # the partner's own components arrive for the kits
            self.kits.receive(line.order, product.code, planned,
                              self.day(demo.entered + 1), self.user)
        weighed = soap_weights(batch) if product.line == "soap" else {}
        for material, per_unit in product.uses:
            self._consume(batch, material, weighed.get(material, Decimal(per_unit) * planned))
        if target == "released":
            return batch
        if product.line == "harness":
            start_run(batch, self.user)
        move_batch(batch, "in_progress", self.user)
        good = None
        if target in ("awaiting_qc", "done"):
            rejects = _share(ordered, rejected)
            good = planned - rejects
            record_output(batch, Decimal(good),
                          [RejectData(reject_reason, Decimal(rejects))] if rejects else [],
                          self.user)
            if product.line == "harness":
                serials_and_tests(batch, good, self.user)
        added = production_record(product.line, product.code, good, made_on, self.numbering,
                                  dict(demo.record))
        if added:
            update_batch_record(batch, {**record, **added}, self.user, reason=PRODUCTION_REASON)
        if target == "on_hold":
            move_batch(batch, "on_hold", self.user, reason=demo.reason)
        if target in ("in_progress", "on_hold"):
            return batch
        move_batch(batch, "awaiting_qc", self.user)
        if target == "done":
            move_batch(batch, "done", self.user)
        return batch

    def _consume(self, batch: Batch, material: str, needed: Decimal) -> None:
        """Take the material from the oldest approved lots, as the store issues it."""
        needed = needed.quantize(Decimal("0.001"))
        for lot in self.approved.get(material, []):
            take = min(remaining_quantity(lot), needed)
            if take > 0:
                consume_lot(batch, lot, take, self.user, self.today)
                needed -= take
            if needed <= 0:
                return
        raise RuntimeError(f"The demo lots of {material} run short by {needed}.")

    def _plan_deliveries(self, demo: DemoOrder, order: Order, batches: list[Batch]) -> None:
        """Queue the order's shipments: half of its first line, or all in one or two."""
        if not demo.shipped:
            return
        pairs = list(zip(order.lines, batches, strict=True))
        if demo.stage == "partly_shipped":
            portions = [[(pairs[0][0], pairs[0][1], pairs[0][0].quantity // 2)]]
        elif len(demo.shipped) == 1:
            portions = [[(line, batch, line.quantity) for line, batch in pairs]]
        else:
            portions = [[(line, batch, line.quantity // 2) for line, batch in pairs],
                        [(line, batch, line.quantity - line.quantity // 2)
                         for line, batch in pairs]]
        carrier = PARTNERS_BY_KEY[demo.partner].carrier
        for day, portion in zip(demo.shipped, portions, strict=True):
            self.deliveries.append(_Delivery(
                self.day(day), order,
                [ShipmentLineData(line.id, batch.id, qty) for line, batch, qty in portion],
                carrier))


def soap_weights(batch: Batch) -> dict[str, Decimal]:
    """What the scales show for a soap batch: each recipe ingredient's planned mass, in the
    unit of its material."""
    return {row.ingredient.material.code: row.planned_g / GRAMS_PER[row.ingredient.material.unit]
            for row in soap_batch(batch).rows}


def load_orders(user, partner_ids: dict[str, int], today: date,
                lots: list[MaterialLot]) -> int:
    """Create the demo orders and everything behind them; return how many rows."""
    return OrderLoader(user, today, partner_ids, lots).run()
