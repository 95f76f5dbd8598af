"""Benchmark of traceability and the order list at production scale, with same-run baselines.

What it does:

1. Builds a fresh database (default: a SQLite file in a temporary folder; a PostgreSQL URL
   gets its ``public`` schema dropped and recreated, the database created if missing; its
   name must contain "bench" or "test") and migrates it to head.
2. Generates a realistic data set with SQLAlchemy Core bulk inserts: ~50 partners with
   contacts, ~200 products over the four lines, ~2,000 materials, lots (about one per ten
   consumption rows), orders with 1-3 lines in mixed statuses, ``--batches`` batches each
   allocated to an order line of its product, ``--consumptions`` consumption rows (about
   three lots per batch; a lot feeds ~10 batches on average, bulk lots a few hundred) and
   ``--shipments`` shipments of done batches. Then it runs ``ANALYZE``.
3. Times, ``--samples`` times each after a short warm-up, with ``time.perf_counter()``:

   * ``select_1``: ``SELECT 1`` through the same session: the baseline of the traces and
     of the order-list query;
   * ``trace_forward``: load a random consumed lot and ``trace_forward([lot])``;
   * ``trace_forward_busiest``: the same for the lot used by the most batches (worst case,
     no budget);
   * ``trace_backward``: load a random shipment and ``trace_backward_shipment(shipment)``;
   * ``order_list_query`` (and ``_status`` / ``_search``): ``order_list_query`` plus
     ``page_of`` for page 1, rendering nothing;
   * when the app has a ``/orders`` route: ``healthz`` (``GET /healthz``, the page
     baseline) and ``order_list_page`` (and ``_status`` / ``_search``: ``?status=`` and
     ``?q=<partner reference>``): ``GET /orders/`` through the Flask test client, signed
     in as a manager, each request in its own app context and session as in the server.
     A list variant whose page does not answer 200 is reported as FAILED and budgeted
     on its query figure instead.

   Every figure (p50 and p95 of each measurement) is printed on one line (name, value,
   unit) with its ratio to the baseline of the same run, followed by the budget verdicts:
   trace p95 <= 50 ms and order list p95 <= 100 ms. The exit status is 1 when a budget is
   exceeded or the page fails, 2 on a usage error. Traces and queries run with a fresh
   session per call (``session.close()`` untimed before each), like one request each.

Run it from the repository root::

    .venv/bin/python scripts/bench_trace.py                      # full size, ~15 s
    .venv/bin/python scripts/bench_trace.py --batches 2000 --consumptions 6000 \\
        --shipments 400 --samples 50                             # smoke test, seconds
    .venv/bin/python scripts/bench_trace.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/shopfloor_bench  # ~30 s

``--explain`` also prints the query plans of the traces and of the order-list query.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import math
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

CHUNK = 10_000
TRACE_BUDGET_MS = 50.0
LIST_BUDGET_MS = 100.0
BENCH_USER = "bench"
BENCH_PASSWORD = "bench-password-1"  # noqa: S105 - throwaway account in a throwaway db
DAYS_OF_HISTORY = 730
THREE_PLACES = Decimal("0.001")


# --------------------------------------------------------------------------- setup


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line: database, data sizes, samples."""
    parser = argparse.ArgumentParser(
        description="Time forward/backward traces and the order list against a baseline.")
    parser.add_argument("--database-url", default="",
                        help="SQLAlchemy URL (default: a fresh SQLite file in a temp dir). "
                             "A PostgreSQL database is emptied first.")
    parser.add_argument("--batches", type=int, default=100_000)
    parser.add_argument("--consumptions", type=int, default=300_000)
    parser.add_argument("--shipments", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=200,
                        help="timed calls per figure (default 200)")
    parser.add_argument("--seed", type=int, default=20260101, help="random seed")
    parser.add_argument("--explain", action="store_true",
                        help="print the query plans of the traces and the order-list query")
    args = parser.parse_args(argv)
    for name in ("batches", "consumptions", "shipments", "samples"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    return args


def isolate_environment(work_dir: Path) -> None:
    """Keep the developer's SHOPFLOOR_* settings and instance folder out of the benchmark."""
    for name in [n for n in os.environ if n.startswith("SHOPFLOOR_")]:
        del os.environ[name]
    os.environ["SHOPFLOOR_INSTANCE_PATH"] = str(work_dir / "instance")


def prepare_database(url: str, work_dir: Path) -> str:
    """The URL to use: a new SQLite file, or an emptied PostgreSQL database.

    Refuses an existing SQLite file, so a real database is never overwritten.
    """
    if not url:
        return f"sqlite:///{work_dir / 'bench.db'}"
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if path and path != ":memory:" and Path(path).exists() and Path(path).stat().st_size:
            raise SystemExit(f"{path} exists; give the path of a new SQLite file.")
        return url
    if parsed.get_backend_name() != "postgresql":
        raise SystemExit(f"unsupported database {parsed.get_backend_name()!r}")
    if not any(word in (parsed.database or "") for word in ("bench", "test")):
        raise SystemExit(f"refusing to empty PostgreSQL database {parsed.database!r}: "
                         "its name must contain 'bench' or 'test'.")
    from shopfloor.database import empty_postgres_database

    return empty_postgres_database(url)


# --------------------------------------------------------------------------- data


def make_code(kind: str, number: int) -> str:
    """A valid, unique code (see shopfloor.codes) whose body spells ``number`` in base 31."""
    from shopfloor.codes import ALPHABET, BODY_LENGTH, check_character

    body = ""
    for _ in range(BODY_LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        body = ALPHABET[digit] + body
    return kind + body + check_character(kind + body)


def at(day: date, hour: int = 8, minute: int = 0) -> datetime:
    """A timezone-aware UTC timestamp on a day."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def qty(value: float) -> Decimal:
    """A quantity with three decimal places."""
    return Decimal(value).quantize(THREE_PLACES)


@dataclass
class OrderPlan:
    """An order in memory while the data set is generated."""

    id: int
    partner_id: int
    day: date
    status: str
    line_ids: list[int] = field(default_factory=list)


@dataclass
class LinePlan:
    """An order line in memory while the data set is generated."""

    id: int
    order_id: int
    line_no: int
    product_id: int
    quantity: Decimal
    due_date: date
    shipped: Decimal = Decimal(0)


@dataclass
class Sizes:
    """How many rows of each kind to generate."""

    batches: int
    consumptions: int
    shipments: int
    partners: int = 50
    products: int = 200
    materials: int = 2000
    lots: int = 30_000
    orders: int = 10_000

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Sizes:
        """Derive the master-data sizes from the three sizes on the command line."""
        lots = max(50, args.consumptions // 10)
        return cls(batches=args.batches, consumptions=args.consumptions,
                   shipments=args.shipments, lots=lots,
                   materials=min(2000, max(50, lots // 15)),
                   orders=max(20, args.batches // 10))


class Loader:
    """Bulk-inserts rows with Core ``insert()`` executemany in chunks, counting them."""

    def __init__(self, engine):
        self.engine = engine
        self.counts: Counter[str] = Counter()

    def load(self, model, rows: Iterable[dict]) -> None:
        """Insert ``rows`` into the model's table, CHUNK rows per statement and transaction."""
        table = model.__table__
        chunk: list[dict] = []
        with self.engine.begin() as conn:
            for row in rows:
                chunk.append(row)
                if len(chunk) >= CHUNK:
                    conn.execute(insert(table), chunk)
                    self.counts[table.name] += len(chunk)
                    chunk = []
            if chunk:
                conn.execute(insert(table), chunk)
                self.counts[table.name] += len(chunk)


def order_status(rng: random.Random, created: date, due: date, today: date) -> str:
    """A plausible status for an order created and due on these days."""
    def pick(weights: dict[str, int]) -> str:
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    if created > today - timedelta(days=10):
        return pick({"draft": 30, "confirmed": 40, "in_production": 30})
    if due >= today:
        return pick({"in_production": 50, "confirmed": 15, "ready": 15, "partly_shipped": 15,
                     "cancelled": 5})
    if due >= today - timedelta(days=30):
        return pick({"shipped": 40, "partly_shipped": 25, "ready": 10, "in_production": 20,
                     "cancelled": 5})
    return pick({"closed": 70, "shipped": 25, "cancelled": 3, "in_production": 2})


BATCH_STATUS_BY_ORDER = {
    "confirmed": {"planned": 1},
    "in_production": {"done": 40, "in_progress": 20, "released": 15, "planned": 10,
                      "awaiting_qc": 10, "on_hold": 5},
    "ready": {"done": 97, "scrapped": 3},
    "partly_shipped": {"done": 97, "scrapped": 3},
    "shipped": {"done": 97, "scrapped": 3},
    "closed": {"done": 97, "scrapped": 3},
    "cancelled": {"scrapped": 70, "done": 30},
}
CONSUMING = frozenset({"done", "in_progress", "awaiting_qc", "on_hold", "scrapped"})


def generate(engine, sizes: Sizes, rng: random.Random, user_id: int, today: date) -> Counter:
    """Fill every table the traces and the order list read; return the row counts."""
    from shopfloor.lines import LINE_CODES
    from shopfloor.models import (
        Batch,
        BatchAllocation,
        Consumption,
        DocumentCounter,
        Material,
        MaterialLot,
        Order,
        OrderLine,
        Partner,
        PartnerContact,
        PartnerLine,
        Product,
        Shipment,
        ShipmentLine,
    )
    from shopfloor.shipping.services import WZ_SERIES, format_wz

    loader = Loader(engine)
    start = today - timedelta(days=DAYS_OF_HISTORY)
    created = at(start)

    # Partners, their lines and contacts.
    partner_lines: dict[int, list[str]] = {}
    partners, lines, contacts = [], [], []
    for pid in range(1, sizes.partners + 1):
        partner_lines[pid] = sorted(rng.sample(LINE_CODES, rng.choice((1, 1, 2))))
        partners.append({"id": pid, "name": f"Partner {pid:03d} sp. z o.o.",
                         "nip": f"{5200000000 + pid * 7:010d}", "street": f"ul. Fabryczna {pid}",
                         "postal_code": "00-950", "city": "Warszawa",
                         "email": f"biuro{pid}@example.pl", "created_at": created})
        lines += [{"partner_id": pid, "line": code} for code in partner_lines[pid]]
        for n in range(rng.randint(1, 3)):
            contacts.append({"partner_id": pid, "name": f"Osoba {pid}-{n}",
                             "function": ("logistics", "quality", "purchasing")[n],
                             "email": f"osoba{pid}.{n}@example.pl", "phone": "+48 600 000 000"})
    loader.load(Partner, partners)
    loader.load(PartnerLine, lines)
    loader.load(PartnerContact, contacts)

    # Products over the four lines; most belong to a partner who orders from that line.
    units = {"soap": "pcs", "harness": "pcs", "garments": "pcs", "copack": "set"}
    partners_of_line = {code: [p for p, ls in partner_lines.items() if code in ls]
                        for code in LINE_CODES}
    product_line: dict[int, str] = {}
    products = []
    for pid in range(1, sizes.products + 1):
        code = LINE_CODES[pid % len(LINE_CODES)]
        owners = partners_of_line[code]
        owner = rng.choice(owners) if owners and rng.random() < 0.8 else None
        product_line[pid] = code
        products.append({"id": pid, "code": f"P-{pid:05d}", "name": f"{code} product {pid}",
                         "line": code, "unit": units[code],
                         "standard_minutes": qty(rng.uniform(0.5, 30)), "partner_id": owner})
    loader.load(Product, products)
    products_for: dict[int, list[int]] = {}
    for pid, ls in partner_lines.items():
        own = [p["id"] for p in products if p["partner_id"] == pid]
        common = [p["id"] for p in products if p["partner_id"] is None and p["line"] in ls]
        products_for[pid] = own or common or [p["id"] for p in products if p["line"] in ls]

    loader.load(Material, ({"id": m, "code": f"MAT-{m:05d}", "name": f"Material {m}",
                            "unit": rng.choice(("kg", "pcs", "m", "l"))}
                           for m in range(1, sizes.materials + 1)))

    # Lots, received in id order over the history; every 100th lot is a bulk lot.
    lot_days: list[int] = sorted(rng.randrange(-60, DAYS_OF_HISTORY + 1)
                                 for _ in range(sizes.lots))
    lot_status = ["approved"] * sizes.lots
    for i in range(sizes.lots):
        if lot_days[i] >= DAYS_OF_HISTORY - 3:
            lot_status[i] = "quarantine"
        elif i % 100 and rng.random() < 0.01:
            lot_status[i] = "rejected"

    def lot_rows():
        for i in range(sizes.lots):
            received = start + timedelta(days=lot_days[i])
            material = rng.randint(1, sizes.materials)
            yield {"id": i + 1, "code": make_code("M", i + 1), "material_id": material,
                   "owner_partner_id": (rng.randint(1, sizes.partners)
                                        if rng.random() < 0.2 else None),
                   "supplier": f"Supplier {material % 97}",
                   "supplier_lot": f"S{material}-{i // 7}", "received_on": received,
                   "quantity_received": qty(rng.uniform(10, 1000)),
                   "expires_on": received + timedelta(days=365), "status": lot_status[i],
                   "created_at": at(received)}
    loader.load(MaterialLot, lot_rows())

    # Orders and their lines, created in id order over the history.
    order_days = sorted(rng.randrange(0, DAYS_OF_HISTORY + 1) for _ in range(sizes.orders))
    partner_weights = [1 + (p % 7) ** 2 for p in range(1, sizes.partners + 1)]
    orders: list[OrderPlan] = []
    order_lines: dict[int, LinePlan] = {}
    line_id = 0
    for oid, offset in enumerate(order_days, start=1):
        day = start + timedelta(days=offset)
        partner = rng.choices(range(1, sizes.partners + 1), weights=partner_weights)[0]
        due_first = day + timedelta(days=rng.randint(14, 60))
        plan = OrderPlan(oid, partner, day, order_status(rng, day, due_first, today))
        for line_no in range(1, rng.choice((1, 1, 2, 2, 3)) + 1):
            line_id += 1
            order_lines[line_id] = LinePlan(
                line_id, oid, line_no, rng.choice(products_for[partner]),
                Decimal(rng.randrange(100, 5000, 50)),
                due_first + timedelta(days=7 * (line_no - 1)))
            plan.line_ids.append(line_id)
        orders.append(plan)
    order_by_id = {o.id: o for o in orders}

    # Batches: allocated to lines of orders past the draft stage, in time order.
    eligible = [lid for o in orders if o.status != "draft" for lid in o.line_ids]
    weights = [0.3 if order_by_id[order_lines[lid].order_id].status == "cancelled" else 1.0
               for lid in eligible]
    batch_lines = sorted(rng.choices(eligible, weights=weights, k=sizes.batches))
    per_line = Counter(batch_lines)
    batch_status: list[str] = []
    batch_planned: list[Decimal] = []
    batch_good: list[Decimal] = []
    batch_day: list[int] = []
    done_by_order: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for index, lid in enumerate(batch_lines):
        line = order_lines[lid]
        order = order_by_id[line.order_id]
        choices = BATCH_STATUS_BY_ORDER[order.status]
        status = rng.choices(list(choices), weights=list(choices.values()))[0]
        planned = max(Decimal(1), (line.quantity / per_line[lid]).quantize(Decimal(1)))
        batch_status.append(status)
        batch_planned.append(planned)
        batch_good.append(qty(float(planned) * rng.uniform(0.95, 1.0))
                          if status == "done" else Decimal(0))
        batch_day.append(min(DAYS_OF_HISTORY, (order.day - start).days + rng.randint(1, 12)))
        if status == "done":
            done_by_order[order.id].append((lid, index + 1))

    # Shipments of done batches, for orders that have shipped something; each batch is
    # shipped once while the order has unshipped ones.
    shipping_orders = [o.id for o in orders
                       if o.status in ("partly_shipped", "shipped", "closed")
                       and done_by_order.get(o.id)]
    if sizes.shipments <= len(shipping_orders):
        shipment_orders = rng.sample(shipping_orders, sizes.shipments)
    elif shipping_orders:
        shipment_orders = shipping_orders + rng.choices(
            shipping_orders, k=sizes.shipments - len(shipping_orders))
    else:
        shipment_orders = []
    unshipped = {oid: rng.sample(done, len(done)) for oid, done in done_by_order.items()}
    planned_shipments = []
    for oid in shipment_orders:
        count = rng.choice((1, 1, 2, 3))
        picks = {unshipped[oid].pop() if unshipped[oid] else rng.choice(done_by_order[oid])
                 for _ in range(count)}
        last_made = max(batch_day[bid - 1] for _, bid in picks)
        shipped_on = min(today, start + timedelta(days=last_made + rng.randint(0, 5)))
        planned_shipments.append((shipped_on, order_by_id[oid], sorted(picks)))
    planned_shipments.sort(key=lambda s: (s[0], s[1].id))
    sequences: Counter[int] = Counter()
    shipments, shipment_lines = [], []
    shipped_batches: set[int] = set()
    for sid, (shipped_on, order, picks) in enumerate(planned_shipments, start=1):
        sequences[shipped_on.year] += 1
        seq = sequences[shipped_on.year]
        shipments.append({"id": sid, "number": format_wz(shipped_on.year, seq),
                          "year": shipped_on.year, "sequence": seq, "order_id": order.id,
                          "partner_id": order.partner_id, "shipped_on": shipped_on,
                          "carrier": "DPD", "tracking": f"T{sid:09d}",
                          "created_at": at(shipped_on, 12), "user_id": user_id})
        for lid, bid in picks:
            # A batch shipped twice (an order with more shipments than batches) ships half.
            quantity = batch_good[bid - 1]
            if bid in shipped_batches:
                quantity = qty(float(quantity) / 2)
            shipped_batches.add(bid)
            order_lines[lid].shipped += quantity
            shipment_lines.append({"shipment_id": sid, "order_line_id": lid, "batch_id": bid,
                                   "quantity": quantity})
    for plan in orders:  # a fully shipped order shipped exactly what was asked for
        if plan.status in ("shipped", "closed"):
            for lid in plan.line_ids:
                if order_lines[lid].shipped > 0:
                    order_lines[lid].quantity = order_lines[lid].shipped

    loader.load(Order, ({"id": o.id, "code": make_code("Z", o.id), "partner_id": o.partner_id,
                         "partner_reference": (f"PO/{o.day.year}/{o.id:05d}"
                                               if o.id % 5 else ""),
                         "status": o.status,
                         "cancel_reason": "Partner withdrew" if o.status == "cancelled" else None,
                         "earliest_due": min(order_lines[lid].due_date for lid in o.line_ids),
                         "created_at": at(o.day, 10)} for o in orders))
    loader.load(OrderLine, ({"id": ln.id, "order_id": ln.order_id, "line_no": ln.line_no,
                             "product_id": ln.product_id, "quantity": ln.quantity,
                             "due_date": ln.due_date, "quantity_shipped": ln.shipped}
                            for ln in order_lines.values()))

    def batch_rows():
        for index, lid in enumerate(batch_lines):
            status = batch_status[index]
            product_id = order_lines[lid].product_id
            day = start + timedelta(days=batch_day[index])
            yield {"id": index + 1, "code": make_code("B", index + 1),
                   "line": product_line[product_id], "product_id": product_id,
                   "planned_quantity": batch_planned[index], "good_quantity": batch_good[index],
                   "status": status,
                   "held_from": "in_progress" if status == "on_hold" else None, "record": {},
                   "created_at": at(order_by_id[order_lines[lid].order_id].day, 9),
                   "released_at": at(day, 6) if status != "planned" else None,
                   "started_at": at(day, 7) if status in CONSUMING else None,
                   "finished_at": at(day, 15) if status == "done" else None}
    loader.load(Batch, batch_rows())
    loader.load(BatchAllocation, ({"id": i + 1, "batch_id": i + 1, "order_line_id": lid,
                                   "quantity": batch_planned[i]}
                                  for i, lid in enumerate(batch_lines)))

    # Consumption: ~3 lots per consuming batch, from lots received in the days before it,
    # and one pick in five from the few bulk lots of that time (used by hundreds of batches).
    consuming = [i for i, s in enumerate(batch_status) if s in CONSUMING]
    per_batch = Counter(consuming[:sizes.consumptions])
    if sizes.consumptions > len(consuming) and consuming:
        per_batch.update(rng.choices(consuming, k=sizes.consumptions - len(consuming)))
    window = max(1, sizes.lots // 100)
    bulk = [i for i in range(0, sizes.lots, 100) if lot_status[i] == "approved"] or [0]

    def usable(index: int) -> int:
        while index > 0 and lot_status[index] != "approved":
            index -= 1
        return index

    def consumption_rows():
        cid = 0
        for index in sorted(per_batch):
            newest = max(0, bisect.bisect_right(lot_days, batch_day[index]) - 1)
            used: set[int] = set()
            for _ in range(per_batch[index]):
                for _attempt in range(5):
                    if rng.random() < 0.2:
                        position = bisect.bisect_right(bulk, newest) - 1 - rng.randrange(3)
                        lot = bulk[max(0, position)]
                    else:
                        lot = usable(max(0, newest - rng.randrange(window)))
                    if lot not in used:
                        break
                used.add(lot)
                cid += 1
                yield {"id": cid, "lot_id": lot + 1, "batch_id": index + 1,
                       "quantity": qty(rng.uniform(0.5, 50)),
                       "recorded_at": at(start + timedelta(days=batch_day[index]), 10),
                       "user_id": user_id}
    loader.load(Consumption, consumption_rows())
    loader.load(Shipment, shipments)
    loader.load(ShipmentLine, shipment_lines)
    loader.load(DocumentCounter, ({"series": WZ_SERIES, "year": year, "last_number": last}
                                  for year, last in sorted(sequences.items())))
    return loader.counts


def reset_sequences(engine, table_names: Iterable[str]) -> None:
    """On PostgreSQL, move each id sequence past the explicitly inserted ids."""
    if engine.dialect.name != "postgresql":
        return
    from shopfloor.extensions import db

    with engine.begin() as conn:
        for name in table_names:
            table = db.metadata.tables[name]
            next_id = select(func.coalesce(func.max(table.c.id), 0) + 1).scalar_subquery()
            conn.execute(select(func.setval(func.pg_get_serial_sequence(name, "id"),
                                            next_id, False)))


# --------------------------------------------------------------------------- timing


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by the nearest-rank method."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def measure(call: Callable[[int], object], samples: int,
            before: Callable[[], object] | None = None, warmup: int = 5) -> list[float]:
    """Time ``call(i)`` ``samples`` times in milliseconds; ``before()`` runs untimed."""
    for i in range(min(warmup, samples)):
        if before:
            before()
        call(i)
    times = []
    for i in range(samples):
        if before:
            before()
        begin = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - begin) * 1000)
    return times


@dataclass
class Figure:
    """One measured figure (p50 and p95 of its samples), with its baseline and budget."""

    name: str
    times: list[float]
    baseline: Figure | None = None
    budget_ms: float | None = None
    note: str = ""

    def p(self, q: int) -> float:
        """The q-th percentile in milliseconds."""
        return percentile(self.times, q)


def print_figures(figures: list[Figure]) -> None:
    """One line per figure and percentile: name, value, unit, ratio against its baseline."""
    for fig in figures:
        for q in (50, 95):
            name = f"{fig.name}_p{q}"
            value = fig.p(q)
            if fig.baseline is None:
                tail = "baseline"
            else:
                base = fig.baseline.p(q)
                ratio = value / base if base > 0 else float("inf")
                tail = f"x{ratio:.1f} baseline({fig.baseline.name} p{q} {base:.2f} ms)"
            print(f"{name:<30}{value:9.2f} ms   {tail}")
        if fig.note:
            print(f"{'':<30}({fig.note})")


def verdicts(figures: list[Figure]) -> list[str]:
    """Print OK / OVER for every figure with a budget; return the names over budget."""
    over = []
    print("\nbudgets (p95):")
    for fig in figures:
        if fig.budget_ms is None:
            continue
        value = fig.p(95)
        ok = value <= fig.budget_ms
        if not ok:
            over.append(f"{fig.name}_p95")
        print(f"  {fig.name + '_p95':<28}{value:9.2f} ms <= {fig.budget_ms:g} ms   "
              f"{'OK' if ok else 'OVER'}")
    return over


class StatementLog:
    """Collects the SQL statements an engine runs while it is active (for --explain)."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[tuple[str, object]] = []

    def _record(self, _conn, _cursor, statement, parameters, _context, _many):
        self.statements.append((statement, parameters))

    def __enter__(self) -> StatementLog:
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)


def explain(engine, title: str, run: Callable[[], object]) -> None:
    """Print the plan of every statement ``run`` executes."""
    with StatementLog(engine) as log:
        run()
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    print(f"\n-- plans: {title}")
    with engine.connect() as conn:
        for statement, parameters in log.statements:
            shown = re.sub(r"\((?:\?|%\(\w+\)s)(?:, (?:\?|%\(\w+\)s))+\)",
                           lambda m: f"(<{m.group(0).count(',') + 1} values>)",
                           " ".join(statement.split()))
            print(shown)
            for row in conn.exec_driver_sql(prefix + statement, parameters):
                line = " | ".join(str(v) for v in row)
                print("    " + (line if len(line) <= 160 else line[:157] + "..."))


# --------------------------------------------------------------------------- main


def measure_page(app, samples: int, reference: str | None,
                 figures: list[Figure]) -> list[str]:
    """Time GET /healthz and the order-list page through a signed-in test client.

    Appends the figures; returns what failed (e.g. the page answered 500), empty when the
    app has no order-list route yet.
    """
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    page_path = next((p for p in ("/orders", "/orders/") if p in rules), None)
    if page_path is None:
        return []
    client = app.test_client()
    form = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    response = client.post("/sign-in", data={"username": BENCH_USER, "password": BENCH_PASSWORD,
                                              "csrf_token": token.group(1) if token else ""})
    if response.status_code != 302:
        return [f"sign-in (status {response.status_code})"]
    healthz = Figure("healthz", measure(lambda i: client.get("/healthz"), samples))
    page_figures = [healthz]
    failures = []
    queries = {"": "", "_status": "?status=in_production",
               "_search": f"?q={quote(reference or 'PO')}"}
    for suffix, query in queries.items():
        url = page_path + query
        response = client.get(url)
        if response.status_code != 200:
            print(f"WARNING: GET {url} answered {response.status_code}; not timed", flush=True)
            failures.append(f"order_list_page{suffix} (GET {url}: {response.status_code})")
            continue
        times = measure(lambda i, url=url: client.get(url), samples)
        page_figures.append(Figure(f"order_list_page{suffix}", times, healthz, LIST_BUDGET_MS,
                                   f"GET {url}"))
    if len(page_figures) > 1:
        figures.extend(page_figures)
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the data, time everything, print figures and verdicts; 1 when over budget."""
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="shopfloor-bench-") as tmp:
        work_dir = Path(tmp)
        isolate_environment(work_dir)
        url = prepare_database(args.database_url, work_dir)
        return run(args, rng, url)


def run(args: argparse.Namespace, rng: random.Random, url: str) -> int:
    """The benchmark proper, on a prepared, empty database."""
    from shopfloor import create_app
    from shopfloor.auth.services import create_user
    from shopfloor.database import migrate_to_head
    from shopfloor.extensions import db
    from shopfloor.materials.models import MaterialLot
    from shopfloor.orders.queries import OrderFilters, order_list_query, page_of
    from shopfloor.production.models import Consumption
    from shopfloor.shipping.models import Shipment, ShipmentLine
    from shopfloor.traceability.services import trace_backward_shipment, trace_forward

    app = create_app({"database_url": url, "secret_key": "x" * 40, "WTF_CSRF_ENABLED": False})
    sizes = Sizes.from_args(args)
    today = date.today()
    shown_url = make_url(url).render_as_string(hide_password=True)
    print(f"database: {shown_url}")
    print(f"sizes: batches={sizes.batches} consumptions={sizes.consumptions} "
          f"shipments={sizes.shipments} samples={args.samples} seed={args.seed}")

    figures: list[Figure] = []
    with app.app_context():
        engine = db.engine
        begin = time.perf_counter()
        migrate_to_head()
        user_id = create_user(BENCH_USER, BENCH_PASSWORD, "manager").id
        print(f"schema migrated in {time.perf_counter() - begin:.1f} s")

        begin = time.perf_counter()
        counts = generate(engine, sizes, rng, user_id, today)
        generated = time.perf_counter() - begin
        reset_sequences(engine, [t for t in counts if t not in ("partner_line",
                                                                "document_counter")])
        begin = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        analyzed = time.perf_counter() - begin
        print(f"generated {sum(counts.values())} rows in {generated:.1f} s, "
              f"ANALYZE {analyzed:.2f} s")
        print("rows: " + ", ".join(f"{name}={n}" for name, n in counts.items()))

        per_lot = dict(db.session.execute(
            select(Consumption.lot_id, func.count()).group_by(Consumption.lot_id)).all())
        lot_ids = sorted(per_lot)
        shipment_ids = list(db.session.scalars(select(ShipmentLine.shipment_id).distinct()))
        busiest = max(per_lot, key=per_lot.get)
        print(f"lots used: {len(lot_ids)} of {counts['material_lot']}, batches per lot: "
              f"mean {sum(per_lot.values()) / len(per_lot):.1f}, "
              f"max {per_lot[busiest]} (lot id {busiest})")
        lot_sample = [rng.choice(lot_ids) for _ in range(args.samples)]
        shipment_sample = [rng.choice(shipment_ids) for _ in range(args.samples)]
        gc.collect()

        def fresh_session():
            db.session.close()

        select_1 = Figure("select_1", measure(
            lambda i: db.session.execute(text("SELECT 1")).scalar(), args.samples,
            fresh_session))
        figures.append(select_1)

        reached: dict[str, list[int]] = defaultdict(list)

        def forward(lot_id: int):
            result = trace_forward([db.session.get(MaterialLot, lot_id)])
            reached["batches"].append(len(result.batches))
            reached["shipments"].append(len(result.shipments))
            reached["partners"].append(len(result.partners))

        def backward(shipment_id: int):
            reached["lots"].append(len(trace_backward_shipment(
                db.session.get(Shipment, shipment_id))))

        times = measure(lambda i: forward(lot_sample[i]), args.samples, fresh_session)
        n = len(times)
        note = (f"reached per trace: {sum(reached['batches'][-n:]) / n:.1f} batches, "
                f"{sum(reached['shipments'][-n:]) / n:.1f} shipments, "
                f"{sum(reached['partners'][-n:]) / n:.1f} partners")
        figures.append(Figure("trace_forward", times, select_1, TRACE_BUDGET_MS, note))
        times = measure(lambda i: forward(busiest), args.samples, fresh_session)
        figures.append(Figure("trace_forward_busiest", times, select_1, None,
                              f"worst case, no budget: lot used by {per_lot[busiest]} "
                              f"batches, {reached['shipments'][-1]} shipments"))
        times = measure(lambda i: backward(shipment_sample[i]), args.samples, fresh_session)
        figures.append(Figure("trace_backward", times, select_1, TRACE_BUDGET_MS,
                              f"reached per trace: {sum(reached['lots'][-n:]) / n:.1f} lots"))

        reference = db.session.scalar(text(
            "SELECT partner_reference FROM sales_order WHERE partner_reference <> '' "
            "ORDER BY id LIMIT 1 OFFSET :skip"), {"skip": counts["sales_order"] // 3})
        list_filters = {"": OrderFilters(), "_status": OrderFilters(status="in_production"),
                        "_search": OrderFilters(search=reference or "PO")}
        list_totals = {}
        for suffix, filters in list_filters.items():
            def list_call(_i, filters=filters, suffix=suffix):
                rows, total = page_of(order_list_query(filters, today), 1, per_page=25)
                list_totals[suffix] = (len(rows), total)

            figures.append(Figure(f"order_list_query{suffix}",
                                  measure(list_call, args.samples, fresh_session), select_1))
        if args.explain:
            explain(engine, f"trace_forward(lot {lot_sample[0]})", lambda: forward(lot_sample[0]))
            explain(engine, f"trace_forward(busiest lot {busiest})", lambda: forward(busiest))
            explain(engine, f"trace_backward_shipment({shipment_sample[0]})",
                    lambda: backward(shipment_sample[0]))
            explain(engine, "order list", lambda: list_call(0, OrderFilters(), ""))
        db.session.close()

    # The page goes through the test client outside any app context, so every request
    # gets its own app context and database session, as it would in the server.
    failures = measure_page(app, args.samples, reference, figures)
    page_names = {fig.name for fig in figures if fig.name.startswith("order_list_page")}
    for fig in figures:  # a list variant without a working page is budgeted on its query
        if fig.name.startswith("order_list_query") and \
                fig.name.replace("_query", "_page") not in page_names:
            fig.budget_ms = LIST_BUDGET_MS
    if len(page_names) == len(list_filters):
        list_measured = ("order_list_page (GET /orders/ through the Flask test client, signed "
                         "in; order_list_query figures are for reference)")
    elif page_names:
        list_measured = ("order_list_page where the page answered, else order_list_query "
                         "(query + page_of, nothing rendered)")
    else:
        list_measured = ("order_list_query (no /orders route: order_list_query + page_of, "
                         "nothing rendered)")
    for fig in figures:
        if fig.name.startswith("order_list_query"):
            rows, total = list_totals[fig.name.removeprefix("order_list_query")]
            fig.note = f"{rows} rows of {total}"

    print(f"\norder list measured as: {list_measured}")
    print(f"{'figure':<30}{'value':>9}      vs baseline of the same run")
    print_figures(figures)
    over = verdicts(figures)
    for failure in failures:
        print(f"  {failure}   FAILED")
    over += failures
    if over:
        print("OVER budget or failed: " + ", ".join(over))
        return 1
    print("all budgets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
