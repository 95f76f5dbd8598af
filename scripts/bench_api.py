"""Benchmark of the orders API over HTTP on the running server, against /healthz on the same
server in the same run.

What it measures: the time a partner's system waits for ``GET /api/v1/orders/?page=N`` (one
page of its orders, default page size) and for ``GET /api/v1/orders/<id>`` (one order with
its lines, progress and forecast) when the partner has ``--orders`` orders (default 5,000),
beside the time the same server takes to answer the trivial ``GET /healthz``. Both API calls
send ``Authorization: Bearer <read token>``, so they include what every API call costs: the
token lookup, the per-minute counter (one UPDATE and COMMIT) and the partner's scope.

How:

1. A fresh database (``bench_trace.prepare_database``: a SQLite file in a temporary folder by
   default, or an emptied PostgreSQL database whose name contains "bench" or "test",
   ``--database-url``), migrated, then bulk-inserted with SQLAlchemy Core: the bench partner
   with ``--orders`` orders and another partner with ``--others`` orders (so the partner's
   scope has something to leave out), 1 to 3 lines each over 20 products, statuses from
   draft to closed, batches (planned, in progress or done, with their allocations) on the
   lines of about half the orders past draft, and a stored forecast for every open line, as
   the scheduler would leave it; then ``ANALYZE``. A partner viewer account and its read
   token are made through the services (``create_token``).
2. ``shopfloor serve`` as a subprocess (``bench_scan.Server``: clean environment, waits for
   ``/healthz``, terminated at the end, also on errors), with ``config.toml`` in its instance
   folder raising ``api.rate_limit_per_minute`` out of the way.
3. One client, one keep-alive connection opened before the clock starts, requests back to
   back (``http.client``, timed from just before sending to the last byte read with
   ``time.perf_counter()``), after an untimed warm-up of each kind: ``--requests`` (default
   500) of each of ``GET /healthz``, list pages (pages spread from the first to the last,
   in a fixed shuffled order) and order details (random orders of the partner). Every answer
   is checked: 200, JSON, a full page of the partner's orders (the last page: the rest), the
   detail of the order asked for.

Output: the data sizes, then one line per figure (name, value, unit) with its ratio to the
healthz baseline of the same run, and the budget lines. Budgets (the issue): list page
p95 <= 60 ms, order detail p95 <= 30 ms.

Exit status: 0 when the budgets are met and every answer was as expected, 1 otherwise.

Run it from the repository root::

    .venv/bin/python scripts/bench_api.py --orders 200 --requests 50   # smoke test
    .venv/bin/python scripts/bench_api.py                              # 5,000 orders
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _load(name: str):
    """Import a sibling script (not a package) for its helpers."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # their dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


bench_scan = _load("bench_scan")
bench_trace = bench_scan.bench_trace

LIST_BUDGET_MS = 60.0
DETAIL_BUDGET_MS = 30.0
PAGE_SIZE = 10  # flask-smorest's default, what a client gets without asking
WARMUP = 50
PRODUCTS = 20
OPEN = ("confirmed", "in_production", "ready", "partly_shipped")
STATUS_WEIGHTS = {"draft": 5, "confirmed": 15, "in_production": 25, "ready": 10,
                  "partly_shipped": 10, "shipped": 15, "closed": 15, "cancelled": 5}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line: database, data size, number of requests, server threads, port."""
    parser = argparse.ArgumentParser(
        description="Time the orders API (list page, detail) against GET /healthz.")
    parser.add_argument("--database-url", default="",
                        help="SQLAlchemy URL (default: a fresh SQLite file in a temp dir). "
                             "A PostgreSQL database (name containing 'bench') is emptied.")
    parser.add_argument("--orders", type=int, default=5000,
                        help="orders of the bench partner (default 5000)")
    parser.add_argument("--others", type=int, default=2000,
                        help="orders of another partner (default 2000)")
    parser.add_argument("--requests", type=int, default=500,
                        help="timed requests of each kind (default 500)")
    parser.add_argument("--threads", type=int, default=8,
                        help="waitress worker threads of the server (default 8)")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--seed", type=int, default=20261127, help="random seed")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (database, server log)")
    args = parser.parse_args(argv)
    for name in ("orders", "requests", "threads"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.others < 0:
        parser.error("--others must not be negative")
    return args


# --------------------------------------------------------------------------- data


def _orders(rng: random.Random, partner_id: int, count: int, first_id: int, today: date,
            product_ids: list[int]) -> tuple[list[dict], list[dict]]:
    """Order and line rows of one partner, created one after another over two years."""
    orders, lines = [], []
    start = datetime.combine(today - timedelta(days=730), datetime.min.time(), tzinfo=UTC)
    step = timedelta(days=730) / max(count, 1)
    line_id = first_id * 4
    for n in range(count):
        oid = first_id + n
        created = start + step * n
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        due = (created + timedelta(days=rng.randint(14, 60))).date()
        for line_no in range(1, rng.randint(1, 3) + 1):
            line_id += 1
            quantity = Decimal(rng.randrange(100, 5000, 50))
            shipped = (quantity if status in ("shipped", "closed")
                       else (quantity / 2).quantize(Decimal(1)) if status == "partly_shipped"
                       else Decimal(0))
            lines.append({"id": line_id, "order_id": oid, "line_no": line_no,
                          "product_id": rng.choice(product_ids), "quantity": quantity,
                          "due_date": due + timedelta(days=7 * (line_no - 1)),
                          "quantity_shipped": shipped, "notes": ""})
        orders.append({"id": oid, "code": bench_trace.make_code("Z", oid),
                       "partner_id": partner_id, "partner_reference": f"PO/{oid}",
                       "status": status, "notes": "", "earliest_due": due,
                       "cancel_reason": "bench" if status == "cancelled" else None,
                       "created_at": created, "updated_at": created, "version": 1,
                       "source": "office"})
    return orders, lines


def _batches(rng: random.Random, orders: list[dict], lines: list[dict]):
    """Batches with their allocations on the lines of about half the orders past draft."""
    status_of = {o["id"]: o["status"] for o in orders}
    batches, allocations = [], []
    for line in lines:
        status = status_of[line["order_id"]]
        if status in ("draft", "confirmed") or rng.random() < 0.5:
            continue
        bid = len(batches) + 1
        batch_status = ("done" if status != "in_production"
                        else rng.choice(("planned", "in_progress", "done")))
        good = line["quantity"] if batch_status == "done" else Decimal(0)
        batches.append({"id": bid, "code": bench_trace.make_code("B", bid), "line": "soap",
                        "product_id": line["product_id"], "planned_quantity": line["quantity"],
                        "good_quantity": good, "status": batch_status, "record": {},
                        "notes": "", "created_at": datetime.now(UTC), "version": 1})
        allocations.append({"id": bid, "batch_id": bid, "order_line_id": line["id"],
                            "quantity": line["quantity"]})
    return batches, allocations


def build_database(url: str, args: argparse.Namespace, rng: random.Random) -> dict:
    """Migrate, bulk-insert the data set, make the partner's read token; return what the
    timed requests need (token, own order ids and codes, pages)."""
    from sqlalchemy import text
    from werkzeug.security import generate_password_hash

    from shopfloor import create_app
    from shopfloor.auth.models import User
    from shopfloor.auth.tokens import create_token
    from shopfloor.database import migrate_to_head
    from shopfloor.extensions import db
    from shopfloor.models import (
        Batch,
        BatchAllocation,
        LineForecast,
        Order,
        OrderLine,
        Partner,
        PartnerLine,
        Product,
    )

    app = create_app({"database_url": url, "secret_key": bench_scan.SECRET_KEY})
    today = date.today()
    with app.app_context():
        engine = db.engine
        begin = time.perf_counter()
        migrate_to_head()
        loader = bench_trace.Loader(engine)
        names = {1: "Bench Partner S.A.", 2: "Other Sp. z o.o."}
        loader.load(Partner, [{"id": pid, "name": name, "created_at": datetime.now(UTC)}
                              for pid, name in names.items()])
        loader.load(PartnerLine, [{"partner_id": 1, "line": "soap"},
                                  {"partner_id": 2, "line": "soap"}])
        loader.load(Product, [{"id": n, "code": f"P-{n:03d}", "name": f"Soap {n}", "line": "soap",
                               "unit": "pcs", "standard_minutes": Decimal("2.5")}
                              for n in range(1, PRODUCTS + 1)])
        product_ids = list(range(1, PRODUCTS + 1))
        own, own_lines = _orders(rng, 1, args.orders, 1, today, product_ids)
        other, other_lines = _orders(rng, 2, args.others, args.orders + 1, today, product_ids)
        loader.load(Order, own + other)
        loader.load(OrderLine, own_lines + other_lines)
        batches, allocations = _batches(rng, own + other, own_lines + other_lines)
        loader.load(Batch, batches)
        loader.load(BatchAllocation, allocations)
        status_of = {o["id"]: o["status"] for o in own + other}
        computed = datetime.now(UTC)
        loader.load(LineForecast, (
            {"order_line_id": line["id"], "remaining_minutes": Decimal("120.00"),
             "projected_on": line["due_date"] - timedelta(days=rng.randint(-3, 10)),
             "slack_days": rng.randint(-3, 10), "risk": rng.choice(("on_track", "at_risk")),
             "computed_at": computed}
            for line in own_lines + other_lines if status_of[line["order_id"]] in OPEN))
        bench_trace.reset_sequences(engine, ["partner", "product", "sales_order", "order_line",
                                             "batch", "batch_allocation"])
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        viewer = User(username="erp@bench.example", display_name="ERP",
                      password_hash=generate_password_hash("bench password 1"),
                      role="partner_viewer", partner_id=1, email="erp@bench.example",
                      language="en")
        db.session.add(viewer)
        db.session.commit()
        secret = create_token(viewer, "bench", "read").secret
        print(f"data: {len(own)} orders of the bench partner, {len(other)} of another, "
              f"{len(own_lines) + len(other_lines)} lines, {len(batches)} batches, "
              f"{loader.counts['line_forecast']} line forecasts; built in "
              f"{time.perf_counter() - begin:.1f} s")
        db.session.close()
        engine.dispose()
    return {"secret": secret, "orders": {o["id"]: o["code"] for o in own},
            "pages": -(-len(own) // PAGE_SIZE)}


# --------------------------------------------------------------------------- timing


def write_instance_config(work_dir: Path) -> None:
    """The server's config.toml: a rate limit the benchmark never reaches."""
    instance = work_dir / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "config.toml").write_text("[api]\nrate_limit_per_minute = 100000000\n")


def timed(port: int, requests: list[tuple[str, object]], headers: dict,
          check) -> tuple[list[float], list[str]]:
    """Send the requests one after another over one connection; return the times (ms) and
    the problems ``check(expected, status, body)`` found."""
    client = bench_scan.Client(port)
    client.connect()
    times, problems = [], []
    try:
        for path, expected in requests:
            status, body, elapsed = client.send("GET", path, None, headers)
            times.append(elapsed)
            problem = check(expected, status, body)
            if problem:
                problems.append(f"GET {path}: {problem}")
    finally:
        client.close()
    return times, problems


def check_healthz(_expected, status: int, _body: bytes) -> str | None:
    return None if status == 200 else f"status {status}"


def check_page(expected: tuple[int, set[str]], status: int, body: bytes) -> str | None:
    """A page: 200, the right number of rows, all of them the partner's own orders."""
    if status != 200:
        return f"status {status}: {body[:200]!r}"
    rows = json.loads(body)
    size, own = expected
    if len(rows) != size:
        return f"{len(rows)} rows, expected {size}"
    strangers = [row["code"] for row in rows if row["code"] not in own]
    return f"orders of another partner: {strangers[:3]}" if strangers else None


def check_detail(expected: str, status: int, body: bytes) -> str | None:
    """A detail: 200 and the order asked for, with its lines."""
    if status != 200:
        return f"status {status}: {body[:200]!r}"
    answer = json.loads(body)
    if answer.get("code") != expected or not answer.get("lines"):
        return f"answered {answer.get('code')!r} with {len(answer.get('lines') or [])} lines"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Build the data, start the server, time the three kinds, print figures and verdicts."""
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    work_dir = Path(tempfile.mkdtemp(prefix="shopfloor-bench-api-"))
    try:
        bench_trace.isolate_environment(work_dir)
        url = bench_trace.prepare_database(args.database_url, work_dir)
        return run(args, url, work_dir)
    except bench_scan.BenchError as exc:
        print(f"ERROR: {exc}")
        return 1
    finally:
        if args.keep:
            print(f"kept {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)


def run(args: argparse.Namespace, url: str, work_dir: Path) -> int:
    """The benchmark proper, on a prepared, empty database."""
    from sqlalchemy.engine import make_url

    rng = random.Random(args.seed)
    port = args.port or bench_scan.free_port()
    print(f"database: {make_url(url).render_as_string(hide_password=True)}")
    print(f"sizes: orders={args.orders} others={args.others} requests={args.requests} "
          f"page_size={PAGE_SIZE} server threads={args.threads} seed={args.seed}")
    data = build_database(url, args, rng)
    write_instance_config(work_dir)
    own = set(data["orders"].values())
    pages, total = data["pages"], len(data["orders"])
    # Pages spread over the whole list, the first and the last included, in a fixed order.
    spread = sorted({1, pages, *(1 + round(k * (pages - 1) / 24) for k in range(25))})
    page_requests = []
    for n in range(args.requests + WARMUP):
        page = spread[n % len(spread)]
        size = min(PAGE_SIZE, total - (page - 1) * PAGE_SIZE)
        page_requests.append((f"/api/v1/orders/?page={page}", (size, own)))
    rng.shuffle(page_requests)
    ids = list(data["orders"])
    detail_requests = [(f"/api/v1/orders/{oid}", data["orders"][oid])
                       for oid in (rng.choice(ids) for _ in range(args.requests + WARMUP))]
    healthz_requests = [("/healthz", None)] * (args.requests + WARMUP)
    bearer = {"Authorization": f"Bearer {data['secret']}"}

    with bench_scan.Server(work_dir, url, port, args.threads) as server:
        print(f"server: {' '.join(server.command[-7:])} (pid {server.process.pid})")
        results, problems = {}, []
        for name, requests, headers, check in (
                ("healthz", healthz_requests, {}, check_healthz),
                ("orders_list", page_requests, bearer, check_page),
                ("order_detail", detail_requests, bearer, check_detail)):
            _warm, warm_problems = timed(port, requests[:WARMUP], headers, check)
            times, found = timed(port, requests[WARMUP:], headers, check)
            results[name] = times
            problems += warm_problems + found
        if server.process.poll() is not None:
            raise bench_scan.BenchError(f"the server died:\n{server.log_tail()}")

    Figure = bench_trace.Figure
    base = Figure("healthz", results["healthz"])
    figures = [base,
               Figure("orders_list", results["orders_list"], base, LIST_BUDGET_MS,
                      note=f"GET /api/v1/orders/?page=N, {len(spread)} pages of {pages}"),
               Figure("order_detail", results["order_detail"], base, DETAIL_BUDGET_MS,
                      note="GET /api/v1/orders/<id>, random orders of the partner")]
    print(f"\n{'figure':<30}{'value':>9}      vs baseline of the same run "
          f"({args.requests} sequential requests each)")
    bench_trace.print_figures(figures)
    over = bench_trace.verdicts(figures)
    if problems:
        print(f"\n{len(problems)} unexpected answers, e.g.:")
        for problem in problems[:10]:
            print(f"  {problem}")
    if over or problems:
        print("\nFAILED: " + "; ".join(
            ([f"over budget: {', '.join(over)}"] if over else [])
            + ([f"{len(problems)} unexpected answers"] if problems else [])))
        return 1
    print("\nbudgets met, every answer as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
