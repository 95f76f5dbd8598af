"""Benchmark of the worker screens: 30 stations posting step events, the weight of a step
page and the size of its photo, on the running server.

What it measures, against the budgets of the issue:

1. Step events: the time a station tablet waits for ``POST /t/events`` (a count tap, a take
   back, a Done: store the event, move the batch's good quantity, answer JSON) while
   ``--stations`` stations (default 30) tap at once, compared with the time the same server
   takes to answer the trivial ``GET /healthz`` (``SELECT 1``) under the same load in the
   same run. The server has no Server-Timing header, so "server time" is the round trip
   on 127.0.0.1 (loopback, no network): from just before sending to the last byte read,
   with ``time.perf_counter()``, over a keep-alive connection opened before the clock
   starts, like ``scripts/bench_scan.py``. It includes the time a request waits in
   waitress's queue for a free worker thread (and, on SQLite, for the write lock).
   Budget: events p95 <= 50 ms in the paced run (see below; ``--budget-on saturated``
   applies it to the back-to-back run instead).
2. Page weight: every screen of the task (``GET /t/work/step/<n>``) as a tablet with an
   empty cache loads it: the HTML plus every same-origin stylesheet, script (and its module
   imports), image and pictogram it references, the ``url()`` and ``@import`` of its
   stylesheets, and ``/favicon.ico`` (which browsers ask for by themselves when a page names
   no icon), each counted once per page with its response headers. The instruction photos
   (``/t/media/instructions/...jpg``) are left out: they have their own budget. Requests
   say ``Accept-Encoding: gzip, deflate, br`` like a browser; the figure is what the server
   sends (raw bytes when it does not compress, which the output says). Budget: the
   heaviest screen <= 60 KB (61,440 bytes). Every URL a page would load or send to (any
   ``src``, ``srcset``, ``<link href>``, form ``action``, ``formaction``, ``data-*`` URLs
   the script fetches, CSS and module imports) must be on the server's own host: a
   reference to another host fails the run (a plain ``<a href>`` elsewhere is only listed).
3. Photo size: every instruction photo the screens show, as served, after the upload
   pipeline (``shopfloor.uploads.save_photo``) stored a 1600 x 1200 photo-like JPEG
   (gradient, shapes and sensor-like grain, deterministic seed). Budget: each <= 250 KB
   (256,000 bytes); the size of the upload is printed as the baseline.

How:

* A fresh database (``bench_trace.prepare_database``: a SQLite file in a temporary folder
  by default, or an emptied PostgreSQL database whose name contains "bench" or "test",
  ``--database-url``), migrated, then filled through the services in an app context: a
  manager ``bench``, a soap product, a published instruction of five steps (do, count,
  measure, scan, check: each with a photo and a pictogram, the check step with its good and
  bad photos), ``--stations`` badge workers, stations (each expecting its worker) and
  batches in progress, each station given its own batch (``assign_batch``).
* ``shopfloor serve`` as a subprocess (``bench_scan.Server``: clean environment, waits for
  ``/healthz``, terminated at the end, also on errors), ``--threads`` waitress threads
  (default 8, as ``shopfloor serve``).
* Every station signs its worker in over HTTP like the tablet's browser: the device cookie
  ``shopfloor_station``, ``GET /t/sign-in/<worker>`` for the CSRF token, ``POST`` with the
  badge code, then ``GET`` the count step's screen for the token its script uses.
* Timed runs, after an untimed warm-up, each station from its own thread over its own
  keep-alive connection and cookie jar, one request at a time (as ``tablet.js`` queues a
  tablet's taps). A station's taps go to the count step, per ten taps seven +1, one -1,
  one take back and one Done; 5 % of the taps are sent a second time with the same
  ``client_id`` as the next request of the station (a resend after a lost answer). Before
  the timed runs, each station's own batch gets ``--history`` earlier count taps of its
  worker (default 300, a Done after every twelve; bulk inserted), because a tap's work
  grows with the events its step already has on the batch:

  - ``events_seq`` (for information): one station, ``SEQUENTIAL_TAPS`` taps back to back,
    a ``GET /healthz`` after each (``healthz_seq``): the service time, with no queue;
  - ``events`` (budgeted): every station ``--paced-taps`` taps on its own batch, one every
    ``--pace`` seconds on average (0.5 to 1.5 x, at random), with a ``GET /healthz``
    halfway between two taps (``healthz``, the baseline under the same load). 30 workers
    all tapping once a second is more than a real floor sends, but it is a load people
    make;
  - ``events_saturated`` (for information): every station ``--taps`` taps on its own batch
    back to back with no pause, after the same number of ``GET /healthz`` back to back
    (``healthz_saturated``), with throughputs;
  - ``events_shared`` (for information; ``--share 0`` skips it): the saturated run again
    after the stations were given shared batches, ``--share`` stations (default 5) per
    batch, as at a big table where several workers count into one batch.

  Why the budget is on the paced run: the server is one process whose threads share the
  GIL, on two cores it shares with the clients. Thirty clients sending back to back keep it
  saturated, so a request's time becomes about ``stations / throughput`` (the queue), not
  what the request costs: the saturated p95 grows with ``--stations`` whatever the code
  does (see ``scripts/bench_scan.py`` for the same finding). The paced run keeps thirty
  stations at once, and its p95 says how long a worker waits for a tap on a busy floor.

  Every answer is checked: status 200, ``created`` true on a first send and false on a
  resend of a tap the server took, and the worker's count the tablet shows. Afterwards the
  database must hold each tap the server took exactly once and nothing else, and every
  batch's good quantity must be what those taps add up to.

Output: the setup and the load average of the machine (other work on it makes the times
longer), one line per figure (name, value, unit; p50, p95 and max, each against the same
figure of the baseline), throughputs, the weight of every screen with its parts, the
photos, one verdict line per budget, the unexpected answers grouped by message, then
"budgets met" or "budget missed: ...".

Exit status: 0 when every budget is met and every answer and stored total was as
expected; 1 otherwise (the last line says which); 2 on a usage error.

Run it from the repository root::

    .venv/bin/python scripts/bench_floor.py                      # SQLite, ~55 s
    .venv/bin/python scripts/bench_floor.py --stations 5 --taps 10 --paced-taps 5 \
        --share 0                                                # smoke test, ~15 s
    .venv/bin/python scripts/bench_floor.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/shopfloor_bench_floor  # ~60 s
"""

from __future__ import annotations

import argparse
import gc
import html.parser
import http.client
import importlib.util
import io
import json
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _load_bench_scan():
    """Import scripts/bench_scan.py (not a package) for its server and HTTP client."""
    spec = importlib.util.spec_from_file_location(
        "bench_scan", Path(__file__).with_name("bench_scan.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_scan"] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


bench_scan = _load_bench_scan()
bench_trace = bench_scan.bench_trace
BenchError = bench_scan.BenchError
Client = bench_scan.Client
HOST = bench_scan.HOST

USER = "bench"
PASSWORD = "bench-password-1"  # noqa: S105 - throwaway account in a throwaway db
STATION_COOKIE = "shopfloor_station"
EVENT_BUDGET_MS = 50.0
PAGE_BUDGET_BYTES = 60 * 1024
PHOTO_BUDGET_BYTES = 250 * 1024
PHOTO_SIZE = (1600, 1200)
# Per-pixel grain (+- levels): with 4 the picture takes ~1.2 bits per pixel as a JPEG of
# quality 85, an ordinary photo; 0 gives ~0.6 (a flat drawing), 8 ~1.9 (a busy, noisy scene).
PHOTO_GRAIN = 4
RESEND_SHARE = 0.05
WARMUP_TAPS = 2
SEQUENTIAL_TAPS = 100
# A tap's work grows with the events its step already has on the batch: time it on a batch
# part done, not on an empty one. 300 pieces: 25 moulds of twelve bars, each ended by Done.
HISTORY = 300
MOULD = 12
# One cycle of ten taps on the count step: mostly +1, and never below zero for the worker.
TAP_CYCLE = (("count", 1), ("count", 1), ("count", 1), ("count", 1), ("count", -1),
             ("count", 1), ("count", 1), ("undo", -1), ("count", 1), ("done", None))
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br",
                   "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


# --------------------------------------------------------------------------- setup


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line: database, stations, taps, sharing, server threads, port."""
    parser = argparse.ArgumentParser(
        description="Time POST /t/events from many stations against GET /healthz; weigh "
                    "the step pages and their photos.")
    parser.add_argument("--database-url", default="",
                        help="SQLAlchemy URL (default: a fresh SQLite file in a temp dir). "
                             "A PostgreSQL database (name containing 'bench') is emptied.")
    parser.add_argument("--stations", type=int, default=30,
                        help="simulated stations, one client thread each (default 30)")
    parser.add_argument("--taps", type=int, default=20,
                        help="taps per station in the saturated runs, resends not counted "
                             "(default 20)")
    parser.add_argument("--history", type=int, default=HISTORY,
                        help="count taps each station's own batch already holds from its "
                             f"worker before the timed runs (default {HISTORY})")
    parser.add_argument("--paced-taps", type=int, default=20,
                        help="taps per station in the paced run (default 20)")
    parser.add_argument("--pace", type=float, default=1.0,
                        help="seconds between a station's taps in the paced run, on "
                             "average (default 1.0)")
    parser.add_argument("--budget-on", choices=("paced", "saturated"), default="paced",
                        help="the run the events budget applies to (default paced; see the "
                             "module docstring)")
    parser.add_argument("--share", type=int, default=5,
                        help="stations per batch in the shared run (default 5; 0 skips it)")
    parser.add_argument("--threads", type=int, default=8,
                        help="waitress worker threads of the server (default 8)")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--seed", type=int, default=20260101, help="random seed")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (database, uploads, server log)")
    args = parser.parse_args(argv)
    for name in ("stations", "taps", "paced_taps", "threads"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.history < 0:
        parser.error("--history must be 0 or more")
    if not 0 < args.pace <= 60:
        parser.error("--pace must be more than 0 and at most 60 seconds")
    if args.share < 0:
        parser.error("--share must be 0 (no shared run) or more")
    if not 0 <= args.port <= 65535:
        parser.error("--port must be between 1 and 65535 (0: a free port)")
    return args


def step_photo(seed: int) -> bytes:
    """A 1600 x 1200 photo-like JPEG as a phone would upload it (quality 92).

    Smooth light, a few objects with edges and thin lines, and per-pixel grain: flat
    synthetic pictures compress far better than photos, white noise far worse.
    """
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    rng = random.Random(seed)
    width, height = PHOTO_SIZE
    light = Image.new("RGB", (width // 8, height // 8))
    draw = ImageDraw.Draw(light)
    top = [rng.randint(120, 200) for _ in range(3)]
    bottom = [rng.randint(40, 110) for _ in range(3)]
    for y in range(light.height):
        t = y / light.height
        draw.line([(0, y), (light.width, y)],
                  fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    picture = light.resize(PHOTO_SIZE, Image.BICUBIC)
    draw = ImageDraw.Draw(picture)
    for _ in range(14):
        x0, y0 = rng.randint(0, width - 200), rng.randint(0, height - 200)
        box = [x0, y0, x0 + rng.randint(80, 600), y0 + rng.randint(80, 500)]
        colour = tuple(rng.randint(20, 240) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse(box, fill=colour)
        else:
            draw.rounded_rectangle(box, radius=24, fill=colour)
    for _ in range(60):
        draw.line([(rng.randint(0, width), rng.randint(0, height)),
                   (rng.randint(0, width), rng.randint(0, height))],
                  fill=tuple(rng.randint(0, 255) for _ in range(3)), width=rng.randint(1, 4))
    picture = picture.filter(ImageFilter.GaussianBlur(1.2))
    grain = Image.frombytes("L", PHOTO_SIZE, rng.randbytes(width * height))
    grain = grain.point(lambda v: 128 + (v - 128) * PHOTO_GRAIN // 128)
    picture = ImageChops.add(picture, Image.merge("RGB", (grain, grain, grain)), offset=-128)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


@dataclass
class StationSetup:
    """One simulated station: its device token, its worker and the batches it works on."""

    name: str
    token: str
    worker_id: int
    worker_code: str
    station_id: int
    own_batch_id: int
    shared_batch_id: int | None = None


@dataclass
class Floor:
    """What the setup made, for the HTTP clients and the checks afterwards."""

    stations: list[StationSetup]
    upload_sizes: list[int]
    batch_ids: list[int]
    history_events: int = 0


def registered_recipe(user, product) -> str:
    """A locked soap recipe version with its safety report and notification: what a soap
    batch needs before release. Returns its id as the batch record names it."""
    from datetime import date

    from shopfloor.catalog.services import save_material
    from shopfloor.recipes import services as recipes

    base = recipes.save_ingredient(recipes.IngredientData(
        save_material("BAZA", "Baza glicerynowa", "kg", user).id, "base",
        "Glycerin; 30\nAqua; 25\nSodium Stearate; 45"), user)
    oil = recipes.save_ingredient(recipes.IngredientData(
        save_material("OLEJ", "Olejek lawendowy", "kg", user).id, "fragrance", "Parfum; 100",
        "Linalool; 5", ifra_cat9_max_percent=Decimal(3)), user)
    data = recipes.VersionData(Decimal(100), Decimal(102), durability="24M")
    version = recipes.create_recipe("R-LAW", "Mydło lawendowe", "solid", product.id, data,
                                    user).versions[0]
    recipes.save_draft(version, data, [recipes.ItemData(base.id, Decimal(98)),
                                       recipes.ItemData(oil.id, Decimal(2))], user)
    recipes.lock_version(version, user)
    today = date.today()
    recipes.register_version(version, "CPSR/1", today, "3461207", "Spółdzielnia", user, today)
    return str(version.id)


def build_floor(app, stations: int, share: int, seed: int) -> Floor:
    """Migrate and fill the database through the services (as the floor fixture does)."""
    from shopfloor.auth.services import create_user
    from shopfloor.catalog.services import ProductData, save_product
    from shopfloor.database import migrate_to_head
    from shopfloor.extensions import db
    from shopfloor.instructions.services import (
        StepData,
        add_step,
        create_instruction,
        publish_version,
        set_materials_and_tools,
        set_step_photo,
    )
    from shopfloor.production.services import move_batch, plan_batch, update_batch_record
    from shopfloor.stations.services import assign_batch, enrol_station, set_expected_workers
    from shopfloor.workers.services import WorkerData, save_worker

    with app.app_context():
        begin = time.perf_counter()
        migrate_to_head()
        user = create_user(USER, PASSWORD, "manager")
        product = save_product(ProductData(code="MYD-LAW-100", name="Mydło lawendowe 100 g",
                                           line="soap", unit="pcs",
                                           standard_minutes=Decimal("2.5")), user)
        recipe_version_id = registered_recipe(user, product)
        instruction = create_instruction("Mydło lawendowe", user, product_id=product.id)
        version = instruction.versions[0]
        set_materials_and_tools(version, ["Baza glicerynowa", "Olejek lawendowy"],
                                ["Forma", "Waga"], user)
        steps = [
            add_step(version, StepData("do", "Weź formę. Postaw ją na stole.", "Forma na stole",
                                       pictogram="take"), user),
            add_step(version, StepData("count", "Wyjmij kostki. Policz je.", "Kostki mydła",
                                       pictogram="count", target_quantity=Decimal(12)), user),
            add_step(version, StepData("measure", "Zważ bazę.", "Baza na wadze",
                                       pictogram="scale",
                                       settings={"measure": "weight", "min": 90, "max": "110"}),
                     user),
            add_step(version, StepData("scan", "Zeskanuj etykietę olejku.", "Butelka olejku",
                                       pictogram="label", settings={"scan": "lot"}), user),
            add_step(version, StepData("check", "Sprawdź kostkę.", "Kostka mydła",
                                       pictogram="look"), user),
        ]
        uploads = [(step, "photo") for step in steps]
        uploads += [(steps[-1], "good_photo"), (steps[-1], "bad_photo")]
        upload_sizes = []
        for n, (step, which) in enumerate(uploads):
            data = step_photo(seed + n)
            upload_sizes.append(len(data))
            set_step_photo(step, data, user, which=which)
        publish_version(version, user)

        def batch_in_progress():
            batch = plan_batch(product.id, Decimal(1000), [], user)
            update_batch_record(batch, {"recipe_version_id": recipe_version_id}, user)
            move_batch(batch, "released", user)
            move_batch(batch, "in_progress", user)
            return batch

        shared = [batch_in_progress() for _ in range(-(-stations // share))] if share else []
        setups = []
        for n in range(1, stations + 1):
            worker = save_worker(WorkerData(first_name=f"Osoba {n:02d}"), user)
            station, token = enrol_station(f"Stół {n:02d}", "soap", user)
            set_expected_workers(station, [worker.id], user)
            batch = batch_in_progress()
            assign_batch(station, batch, user)
            setups.append(StationSetup(station.name, token, worker.id, worker.code, station.id,
                                       batch.id, shared[(n - 1) // share].id if share else None))
        batch_ids = [s.own_batch_id for s in setups] + [b.id for b in shared]
        db.session.close()
        db.engine.dispose()
    print(f"setup in {time.perf_counter() - begin:.1f} s: 1 instruction of {len(steps)} "
          f"steps, {len(uploads)} photos uploaded ({min(upload_sizes) // 1024}-"
          f"{max(upload_sizes) // 1024} KB, {PHOTO_SIZE[0]} x {PHOTO_SIZE[1]}), {stations} "
          f"workers, stations and own batches, {len(shared)} shared batches")
    return Floor(setups, upload_sizes, batch_ids)


def give_shared_batches(app, floor: Floor) -> None:
    """A supervisor gives every station its shared batch (in-process, server running)."""
    from shopfloor.auth.models import User
    from shopfloor.extensions import db
    from shopfloor.production.models import Batch
    from shopfloor.stations.models import Station
    from shopfloor.stations.services import assign_batch

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == USER))
        for setup in floor.stations:
            assign_batch(db.session.get(Station, setup.station_id),
                         db.session.get(Batch, setup.shared_batch_id), user)
        db.session.close()
        db.engine.dispose()


# --------------------------------------------------------------------------- tablets


@dataclass
class Tablet:
    """A signed-in station over HTTP: its connection and cookie jar, and the page state."""

    setup: StationSetup
    client: Client
    csrf: str = ""
    count_step_id: int = 0
    batch_id: int = 0
    # The tablet's model of the server, checked against the answers and the database: the
    # worker's count this round, the taps the server took, how far they moved each batch.
    round_count: int = 0
    accepted: set[str] = field(default_factory=set)
    moved: Counter[int] = field(default_factory=Counter)


def sign_in(port: int, setup: StationSetup) -> Tablet:
    """Sign the station's worker in with the badge, as the tablet's browser does."""
    client = Client(port, {STATION_COOKIE: setup.token})
    path = f"/t/sign-in/{setup.worker_id}"
    status, page, _ = client.send("GET", path)
    if status != 200:
        raise BenchError(f"{setup.name}: GET {path} answered {status}")
    form = urlencode({"csrf_token": bench_scan.csrf_token(page),
                      "answer": setup.worker_code}).encode()
    status, page, _ = client.send("POST", path, form,
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        raise BenchError(f"{setup.name}: POST {path} answered {status}, not 302")
    return Tablet(setup, client, batch_id=setup.own_batch_id)


def add_history(app, floor: Floor, tablets: list[Tablet], count: int) -> None:
    """Each own batch gets ``count`` earlier +1 taps of its worker, a Done after every
    MOULD of them, in bulk (Core inserts, like bench_trace): the batch's good quantity and
    the tablet's model move with them. No audit rows: only the taps' own tables matter."""
    from datetime import timedelta

    from sqlalchemy import insert, select, update

    from shopfloor.database import utcnow
    from shopfloor.extensions import db
    from shopfloor.floor.models import StepEvent
    from shopfloor.production.models import Batch
    from shopfloor.stations.models import WorkerSession

    if not count:
        return
    begin = time.perf_counter()
    now = utcnow()
    rows = []
    with app.app_context():
        for tablet in tablets:
            setup = tablet.setup
            session_id = db.session.scalar(select(WorkerSession.id).where(
                WorkerSession.station_id == setup.station_id, WorkerSession.ended_at.is_(None)))
            kinds = []
            for n in range(1, count + 1):
                kinds.append("count")
                if n % MOULD == 0:
                    kinds.append("done")
            for i, kind in enumerate(kinds):
                moment = now - timedelta(seconds=5 * (len(kinds) - i))
                rows.append({"client_id": str(uuid.uuid4()), "kind": kind,
                             "batch_id": setup.own_batch_id,
                             "instruction_step_id": tablet.count_step_id,
                             "worker_id": setup.worker_id, "station_id": setup.station_id,
                             "session_id": session_id,
                             "value": Decimal(1) if kind == "count" else None,
                             "occurred_at": moment, "received_at": moment})
            tablet.round_count = count % MOULD
            tablet.moved[setup.own_batch_id] += count
        with db.engine.begin() as conn:
            for i in range(0, len(rows), 5000):
                conn.execute(insert(StepEvent.__table__), rows[i:i + 5000])
            conn.execute(update(Batch.__table__)
                         .where(Batch.__table__.c.id.in_([s.own_batch_id for s in floor.stations]))
                         .values(good_quantity=Batch.__table__.c.good_quantity + count))
        db.session.close()
        db.engine.dispose()
    floor.history_events = len(rows)
    print(f"history: {len(rows)} earlier step events ({count} counts a batch, a Done every "
          f"{MOULD}) in {time.perf_counter() - begin:.1f} s")


COUNTER = re.compile(r'data-counter data-step-id="(\d+)"')
STATION_PREFIX = re.compile(r"^Stół \d+ ")


def discover_screens(tablet: Tablet) -> tuple[list[str], int]:
    """The task's screens (``/t/work/step/1`` until 404) and the one with the counter."""
    paths, count_screen = [], 0
    for number in range(1, 100):
        path = f"/t/work/step/{number}"
        status, page, _ = tablet.client.send("GET", path)
        if status == 404:
            break
        if status != 200:
            raise BenchError(f"GET {path} answered {status}")
        paths.append(path)
        match = COUNTER.search(page.decode("utf-8", errors="replace"))
        if match and not count_screen:
            count_screen, tablet.count_step_id = number, int(match.group(1))
    if not count_screen:
        raise BenchError(f"no count step among the {len(paths)} screens of the task")
    return paths, count_screen


def open_count_screen(tablet: Tablet, count_screen: int, count_step_id: int) -> None:
    """Load the count screen: its CSRF token is the one its script sends taps with."""
    path = f"/t/work/step/{count_screen}"
    status, page, _ = tablet.client.send("GET", path)
    if status != 200:
        raise BenchError(f"{tablet.setup.name}: GET {path} answered {status}")
    tablet.csrf = bench_scan.csrf_token(page)
    tablet.count_step_id = count_step_id
    tablet.round_count = 0


@dataclass(frozen=True)
class Tap:
    """One request of a station: a step event (a resend repeats the one before) or healthz."""

    kind: str  # count, undo, done or healthz
    value: int | None = None
    client_id: str = ""
    resend: bool = False

    @property
    def label(self) -> str:
        """The kind of request as the figures name it."""
        if self.resend:
            return "resend"
        if self.kind == "count":
            return "count_plus" if self.value == 1 else "count_minus"
        return self.kind


def tap_plan(taps: int, rng: random.Random, probes: bool = False) -> list[Tap]:
    """``taps`` taps in the TAP_CYCLE order; RESEND_SHARE of them sent twice in a row.

    ``probes``: a ``GET /healthz`` after every tap (the baseline under the same load).
    """
    resent = set(rng.sample(range(taps), round(taps * RESEND_SHARE)))
    plan = []
    for i in range(taps):
        kind, value = TAP_CYCLE[i % len(TAP_CYCLE)]
        tap = Tap(kind, value, str(uuid.uuid4()))
        plan.append(tap)
        if i in resent:
            plan.append(Tap(kind, value, tap.client_id, resend=True))
        if probes:
            plan.append(Tap("healthz"))
    return plan


@dataclass
class Run:
    """Times (ms) and kinds of every request of one run, all stations together."""

    name: str
    labels: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    wall_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def times_of(self, label: str) -> list[float]:
        """The times of the requests of one kind."""
        return [t for lab, t in zip(self.labels, self.times, strict=True) if lab == label]

    @property
    def event_times(self) -> list[float]:
        """The times of every ``POST /t/events`` (first sends and resends)."""
        return [t for lab, t in zip(self.labels, self.times, strict=True) if lab != "healthz"]


def check_event_answer(tablet: Tablet, tap: Tap, status: int, data: bytes) -> str | None:
    """None when the answer is what the tablet expects, else what is wrong with it.

    A tap the server takes (``created``) updates the tablet's model; a resend of a taken
    tap must change nothing, a resend of a refused one is a first send.
    """
    where = f"{tablet.setup.name} {tap.label}"
    if status != 200:
        try:
            message = json.loads(data).get("message", "")
        except (ValueError, AttributeError):
            message = data[:120].decode("utf-8", errors="replace")
        return f"{where}: status {status}: {message}"
    try:
        answer = json.loads(data)
    except ValueError:
        return f"{where}: the answer is not JSON: {data[:200]!r}"
    first = tap.client_id not in tablet.accepted
    if answer.get("created") is not first:
        return f"{where}: created={answer.get('created')}, expected {first}"
    if first:
        tablet.accepted.add(tap.client_id)
        if tap.kind == "done":
            tablet.round_count = 0
        else:
            tablet.round_count += tap.value
            tablet.moved[tablet.batch_id] += tap.value
    if answer.get("count") != tablet.round_count:
        return f"{where}: count {answer.get('count')}, the tablet expects {tablet.round_count}"
    return None


def send_tap(tablet: Tablet, tap: Tap) -> tuple[float, int, str | None]:
    """Send one request of a station; return its time (ms), status and what was wrong."""
    if tap.kind == "healthz":
        status, data, elapsed = tablet.client.send("GET", "/healthz")
        return elapsed, status, None if status == 200 else f"healthz: status {status}"
    body = {"client_id": tap.client_id, "kind": tap.kind, "step_id": tablet.count_step_id,
            "batch_id": tablet.batch_id}
    if tap.value is not None:
        body["value"] = tap.value
    status, data, elapsed = tablet.client.send(
        "POST", "/t/events", json.dumps(body).encode(),
        {"Content-Type": "application/json", "X-CSRFToken": tablet.csrf})
    return elapsed, status, check_event_answer(tablet, tap, status, data)


def run_stations(name: str, tablets: list[Tablet], plans: list[list[Tap]],
                 gap: float = 0.0, seed: int = 0) -> Run:
    """Every tablet sends its plan from its own thread; all start together.

    ``gap`` 0: back to back. Otherwise a station sends a request every ``gap`` seconds on
    average (uniformly 0.5 to 1.5 x ``gap`` apart, the first within ``gap`` of the start,
    at once when the one before took longer), as a person tapping at a steady pace.
    """
    results: list[list[tuple[str, float, int]]] = [[] for _ in tablets]
    problems: list[str] = []
    start = threading.Barrier(len(tablets) + 1)

    def work(k: int) -> None:
        tablet = tablets[k]
        pace = random.Random(seed * 1000 + k)
        try:
            tablet.client.connect()
        except OSError as exc:
            problems.append(f"{tablet.setup.name}: cannot connect: {exc}")
        start.wait()
        due = time.perf_counter() + pace.uniform(0, gap)
        try:
            for tap in plans[k]:
                if gap:
                    time.sleep(max(0.0, due - time.perf_counter()))
                    due += pace.uniform(0.5, 1.5) * gap
                try:
                    elapsed, status, problem = send_tap(tablet, tap)
                except (OSError, http.client.HTTPException) as exc:
                    problems.append(f"{tablet.setup.name} {tap.label}: "
                                    f"{type(exc).__name__}: {exc}")
                    tablet.client.close()
                    continue
                results[k].append((tap.label, elapsed, status))
                if problem:
                    problems.append(problem)
        finally:
            tablet.client.close()

    threads = [threading.Thread(target=work, args=(k,), daemon=True)
               for k in range(len(tablets))]
    for thread in threads:
        thread.start()
    gc.collect()
    start.wait()
    begin = time.perf_counter()
    for thread in threads:
        thread.join()
    run = Run(name, wall_seconds=time.perf_counter() - begin, problems=problems)
    for station in results:
        for label, elapsed, status in station:
            run.labels.append(label)
            run.times.append(elapsed)
            run.statuses.append(status)
    return run


# --------------------------------------------------------------------------- page weight


URL_ATTRIBUTES = {"src", "href", "srcset", "action", "formaction", "poster", "data"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
JS_IMPORT = re.compile(r"""(?:\bimport\b\s*(?:[\w*{}\s,$]+\s*from\s*)?|\bimport\s*\(\s*)"""
                       r"""['"]([^'"]+)['"]""")


class PageParser(html.parser.HTMLParser):
    """The URLs an HTML page loads (``resources``) or may send to (``references``)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.resources: list[tuple[str, str]] = []  # (kind, url) loaded with the page
        self.references: list[tuple[str, str]] = []  # (where, url) any URL in the page
        self.links: list[str] = []  # <a href>: followed only on a tap
        self._style = False
        self.inline_css: list[str] = []

    def handle_starttag(self, tag, attrs):
        """Collect the URL-valued attributes of one element."""
        attrs = dict(attrs)
        for name, value in attrs.items():
            if not value:
                continue
            is_url = name in URL_ATTRIBUTES or (
                name.startswith("data-") and value.startswith(("/", "http:", "https:", "//")))
            if name == "style":
                self.inline_css.append(value)
            if not is_url:
                continue
            urls = [part.split()[0] for part in value.split(",") if part.strip()] \
                if name == "srcset" else [value]
            for url in urls:
                if tag == "a" and name == "href":
                    self.links.append(url)
                else:
                    self.references.append((f"<{tag} {name}>", url))
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and attrs.get("href") and not {"preconnect", "dns-prefetch"} & set(rel):
            self.resources.append(("stylesheet" if "stylesheet" in rel else "link",
                                   attrs["href"]))
        elif tag == "script" and attrs.get("src"):
            self.resources.append(("script", attrs["src"]))
        elif tag in ("img", "source") and attrs.get("src"):
            self.resources.append(("image", attrs["src"]))
        elif tag in ("video", "audio") and attrs.get("poster"):
            self.resources.append(("image", attrs["poster"]))
        self._style = tag == "style"

    def handle_endtag(self, tag):
        """The end of an element."""
        if tag == "style":
            self._style = False

    def handle_data(self, data):
        """Text: only the content of ``<style>`` matters."""
        if self._style:
            self.inline_css.append(data)


def fetch(port: int, cookies: dict[str, str], path: str) -> tuple[int, bytes, int, dict]:
    """GET ``path`` as a browser; return status, body, bytes on the wire and the headers."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        headers = dict(BROWSER_HEADERS)
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        pairs = response.getheaders()
        head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + 2 + sum(
            len(f"{name}: {value}\r\n") for name, value in pairs)
        return response.status, body, head + len(body), {k.lower(): v for k, v in pairs}
    finally:
        conn.close()


@dataclass
class PageWeight:
    """One screen as loaded with an empty cache: what it weighs and what it refers to."""

    path: str
    parts: list[tuple[str, str, int, str]] = field(default_factory=list)  # kind, path, B, enc
    photos: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    foreign_links: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Bytes on the wire: headers and bodies of the page and everything it loads."""
        return sum(size for _kind, _path, size, _enc in self.parts)

    def of_kind(self, kind: str) -> tuple[int, int]:
        """How many parts of a kind and their bytes."""
        sizes = [size for k, _path, size, _enc in self.parts if k == kind]
        return len(sizes), sum(sizes)


def is_photo(path: str) -> bool:
    """An instruction photo: budgeted on its own, not in the page weight."""
    return path.startswith("/t/media/instructions/") and path.endswith(".jpg")


def weigh_page(port: int, cookies: dict[str, str], path: str) -> PageWeight:
    """Load a page and everything it loads, each URL once, as a browser with no cache."""
    origin = f"http://{HOST}:{port}"
    weight = PageWeight(path)
    status, body, size, headers = fetch(port, cookies, path)
    if status != 200:
        weight.problems.append(f"GET {path} answered {status}")
        return weight
    weight.parts.append(("html", path, size, headers.get("content-encoding", "")))
    parser = PageParser()
    parser.feed(body.decode("utf-8", errors="replace"))

    def local(url: str, base: str) -> str | None:
        """The same-origin path of ``url``, or None (and noted) when it is another host."""
        if url.startswith(("data:", "blob:", "#", "mailto:", "tel:", "javascript:")):
            return None
        absolute = urljoin(origin + base, url)
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            weight.foreign.append(f"{url} (in {base})")
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    for _where, url in parser.references:
        local(url, path)
    for url in parser.links:
        if urlsplit(urljoin(origin + path, url)).netloc not in ("", f"{HOST}:{port}"):
            weight.foreign_links.append(url)

    queue = [(kind, local(url, path)) for kind, url in parser.resources]
    queue += [("css-url", local(m.group(1) or m.group(2), path))
              for css in parser.inline_css for m in CSS_URL.finditer(css)]
    queue.append(("favicon", "/favicon.ico"))
    seen = {path}
    while queue:
        kind, target = queue.pop(0)
        if target is None or target in seen:
            continue
        seen.add(target)
        if is_photo(target):
            weight.photos.append(target)
            continue
        status, body, size, headers = fetch(port, cookies, target)
        weight.parts.append((kind if status == 200 else f"{kind} ({status})", target, size,
                             headers.get("content-encoding", "")))
        if status != 200 and kind != "favicon":
            weight.problems.append(f"GET {target} answered {status}")
            continue
        if kind in ("stylesheet", "css-url") and body and "css" in headers.get(
                "content-type", ""):
            text = body.decode("utf-8", errors="replace")
            queue += [("css-url", local(m.group(1) or m.group(2), target))
                      for m in CSS_URL.finditer(text)]
        elif kind in ("script", "module") and body:
            text = body.decode("utf-8", errors="replace")
            queue += [("module", local(url, target)) for url in JS_IMPORT.findall(text)]
    return weight


def report_pages(pages: list[PageWeight]) -> tuple[bool, list[str]]:
    """Print every screen's weight and parts; return (budget met, problems)."""
    problems = []
    print(f"\npage weight, empty cache (photos left out), {len(pages)} screens:")
    for page in pages:
        kinds = Counter(kind for kind, *_ in page.parts)
        parts = ", ".join(f"{kind} {n}x {page.of_kind(kind)[1]} B" if n > 1
                          else f"{kind} {page.of_kind(kind)[1]} B"
                          for kind, n in kinds.items())
        print(f"{'page ' + page.path:<30}{page.total:9d} B   {page.total / 1024:6.1f} KB "
              f"({parts})")
        problems += page.problems
        problems += [f"{page.path} refers to another host: {url}" for url in page.foreign]
        if page.foreign_links:
            print(f"{'':<30}(links to other hosts, not loaded: {', '.join(page.foreign_links)})")
    encodings = {enc or "none" for page in pages for _k, _p, _s, enc in page.parts}
    print(f"{'':<30}(Content-Encoding: {', '.join(sorted(encodings))}; "
          f"{'raw bytes as served' if encodings == {'none'} else 'as transferred'}, "
          "response headers included)")
    heaviest = max(pages, key=lambda p: p.total)
    ok = heaviest.total <= PAGE_BUDGET_BYTES and not problems
    print(f"page_weight_max {heaviest.total} B ({heaviest.path}) <= {PAGE_BUDGET_BYTES} B  "
          f"{'OK' if heaviest.total <= PAGE_BUDGET_BYTES else 'OVER'}")
    foreign = sum(len(p.foreign) for p in pages)
    print(f"requests to other hosts: {foreign}  {'OK' if not foreign else 'FOUND'}")
    return ok, problems


def report_photos(port: int, cookies: dict[str, str], pages: list[PageWeight],
                  uploads: list[int]) -> tuple[bool, list[str]]:
    """Fetch every photo the screens show; print sizes against the upload; check the budget."""
    from PIL import Image

    paths = sorted({photo for page in pages for photo in page.photos})
    if not paths:
        return False, ["the screens show no instruction photo"]
    sizes, problems = [], []
    upload = max(uploads)
    for path in paths:
        status, body, _wire, headers = fetch(port, cookies, path)
        if status != 200:
            problems.append(f"GET {path} answered {status}")
            continue
        with Image.open(io.BytesIO(body)) as image:
            shape = f"{image.width} x {image.height} {image.format}"
        sizes.append(len(body))
        bits = len(body) * 8 / (image.width * image.height)
        print(f"{'photo ' + path[-16:]:<30}{len(body):9d} B   {len(body) / 1024:6.1f} KB "
              f"x{len(body) / upload:.2f} baseline(largest upload {upload} B) ({shape}, "
              f"{bits:.2f} bits/pixel)")
    largest = max(sizes, default=0)
    ok = bool(sizes) and largest <= PHOTO_BUDGET_BYTES and not problems
    print(f"photo_max {largest} B <= {PHOTO_BUDGET_BYTES} B  "
          f"{'OK' if largest <= PHOTO_BUDGET_BYTES else 'OVER'}")
    return ok, problems


# --------------------------------------------------------------------------- report


def machine_load() -> str:
    """Cores and load average: other work on the machine lengthens every time measured."""
    one, five, fifteen = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.1f} {five:.1f} {fifteen:.1f}"


def print_figure(name: str, times: list[float], base: list[float] | None,
                 base_name: str = "") -> None:
    """Lines name_p50, name_p95 and name_max: value in ms and ratio against the baseline."""
    for q, suffix in ((50, "p50"), (95, "p95"), (100, "max")):
        value = bench_trace.percentile(times, q)
        if base is None:
            tail = "baseline"
        else:
            ref = bench_trace.percentile(base, q)
            ratio = value / ref if ref > 0 else float("inf")
            tail = f"x{ratio:.1f} baseline({base_name} {suffix} {ref:.2f} ms)"
        print(f"{name + '_' + suffix:<30}{value:9.2f} ms   {tail}")


def report_run(run: Run, base: list[float], base_name: str,
               base_seconds: float | None = None) -> None:
    """Print the figures of one run's events against its baseline, in all and by kind.

    ``base_seconds``: the wall time of a separate baseline run, for the throughputs.
    """
    events = run.event_times
    kinds = Counter(label for label in run.labels if label != "healthz")
    print(f"{run.name}: {len(events)} x POST /t/events "
          f"({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})")
    print_figure(run.name, events, base, base_name)
    for label in ("count_plus", "count_minus", "undo", "done", "resend"):
        times = run.times_of(label)
        if times:
            print_figure(f"{run.name}_{label}", times, base, base_name)
    if base_seconds:
        rate, base_rate = len(events) / run.wall_seconds, len(base) / base_seconds
        print(f"{run.name + '_throughput':<30}{rate:9.0f} req/s x{rate / base_rate:.2f} "
              f"baseline({base_name} {base_rate:.0f} req/s)")
    answers = Counter(s for lab, s in zip(run.labels, run.statuses, strict=True)
                      if lab != "healthz")
    if set(answers) != {200}:
        print(f"{'':<30}(answers: {', '.join(f'{s} x {n}' for s, n in sorted(answers.items()))}"
              f"; {len(run.problems)} not as expected)")


def check_database(app, floor: Floor, tablets: list[Tablet]) -> list[str]:
    """Each tap the server took stored once, nothing else; every batch's good quantity what
    those taps add up to."""
    from sqlalchemy import func, select

    from shopfloor.extensions import db
    from shopfloor.floor.models import StepEvent
    from shopfloor.production.models import Batch

    accepted = [client_id for tablet in tablets for client_id in tablet.accepted]
    earlier = floor.history_events
    expected: Counter[int] = Counter({batch_id: 0 for batch_id in floor.batch_ids})
    for tablet in tablets:
        expected.update(tablet.moved)
    problems = []
    with app.app_context():
        stored = 0
        for i in range(0, len(accepted), 500):
            stored += db.session.scalar(
                select(func.count()).select_from(StepEvent)
                .where(StepEvent.client_id.in_(accepted[i:i + 500])))
        total = db.session.scalar(select(func.count()).select_from(StepEvent))
        quantities = dict(db.session.execute(
            select(Batch.id, Batch.good_quantity).where(Batch.id.in_(floor.batch_ids))).all())
        db.session.close()
        db.engine.dispose()
    print(f"\nstored step events: {stored} of the {len(accepted)} taps the server took, "
          f"{total} in the database with the {earlier} of the history")
    if not stored == total - earlier == len(accepted):
        problems.append(f"{stored} step events stored for {len(accepted)} taps taken "
                        f"({total} in the database, {earlier} of them history)")
    wrong = {bid: (quantities.get(bid), want) for bid, want in expected.items()
             if quantities.get(bid) != Decimal(want)}
    print(f"batch good quantities as the taps add up: {len(expected) - len(wrong)} of "
          f"{len(expected)}")
    problems += [f"batch {bid}: good quantity {got}, the taps add up to {want}"
                 for bid, (got, want) in sorted(wrong.items())]
    return problems


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Set up the floor, start the server, measure, print figures; 1 when over budget."""
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    work_dir = Path(tempfile.mkdtemp(prefix="shopfloor-bench-floor-"))
    try:
        bench_trace.isolate_environment(work_dir)
        url = bench_trace.prepare_database(args.database_url, work_dir)
        return run(args, url, work_dir)
    except BenchError as exc:
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

    from shopfloor import create_app

    rng = random.Random(args.seed)
    port = args.port or bench_scan.free_port()
    print(f"database: {make_url(url).render_as_string(hide_password=True)}")
    print(f"sizes: stations={args.stations} history={args.history} taps={args.taps} "
          f"paced taps={args.paced_taps} "
          f"pace={args.pace:g} s share={args.share} server threads={args.threads} "
          f"seed={args.seed}")
    print(f"machine: {machine_load()}")
    app = create_app({"database_url": url, "secret_key": bench_scan.SECRET_KEY})
    floor = build_floor(app, args.stations, args.share, args.seed)

    with bench_scan.Server(work_dir, url, port, args.threads) as server:
        print(f"server: {' '.join(server.command[-7:])} (pid {server.process.pid})")
        tablets = [sign_in(port, setup) for setup in floor.stations]
        screens, count_screen = discover_screens(tablets[0])
        for tablet in tablets:
            open_count_screen(tablet, count_screen, tablets[0].count_step_id)
        print(f"{len(tablets)} workers signed in over HTTP with their badges; the task has "
              f"{len(screens)} screens, the counter on screen {count_screen}")
        pages = [weigh_page(port, tablets[0].client.cookies, path) for path in screens]
        add_history(app, floor, tablets, args.history)

        warm = [tap_plan(WARMUP_TAPS, rng, probes=True) for _ in tablets]
        problems = run_stations("warmup", tablets, warm).problems
        if problems:
            raise BenchError(f"{len(problems)} wrong answers during the warm-up, e.g.:\n  "
                             + "\n  ".join(problems[:5]))

        sequential_plan = [tap_plan(SEQUENTIAL_TAPS, rng, probes=True)]
        sequential = run_stations("events_seq", tablets[:1], sequential_plan)

        paced_plans = [tap_plan(args.paced_taps, rng, probes=True) for _ in tablets]
        paced = run_stations("events", tablets, paced_plans, gap=args.pace / 2, seed=args.seed)

        plans = [tap_plan(args.taps, rng) for _ in tablets]
        healthz = run_stations("healthz_saturated", tablets,
                               [[Tap("healthz")] * len(plan) for plan in plans])
        saturated = run_stations("events_saturated", tablets, plans)
        shared = None
        if args.share:
            give_shared_batches(app, floor)
            for tablet in tablets:
                tablet.batch_id = tablet.setup.shared_batch_id
                tablet.round_count = 0  # a new batch: the worker's count starts again
            shared_plans = [tap_plan(args.taps, rng) for _ in tablets]
            shared = run_stations("events_shared", tablets, shared_plans)
        if server.process.poll() is not None:
            raise BenchError(f"the server died during the benchmark:\n{server.log_tail()}")

        budgeted = paced if args.budget_on == "paced" else saturated
        base_of = {paced.name: paced.times_of("healthz"), saturated.name: healthz.times}

        def label(one: Run) -> str:
            return "budgeted" if one is budgeted else "for information"

        print(f"\nserver time = round trip on {HOST} (no Server-Timing header), "
              f"{args.threads} server threads; machine after the runs: {machine_load()}")
        print(f"{'figure':<30}{'value':>9}      vs baseline of the same run")
        print("\nsequential (service time, for information): 1 station, back to back, "
              "a GET /healthz after every tap")
        print_figure("healthz_seq", sequential.times_of("healthz"), None)
        report_run(sequential, sequential.times_of("healthz"), "healthz_seq")
        print(f"\npaced ({label(paced)}): {len(tablets)} stations at once, each tapping every "
              f"{args.pace:g} s on average (0.5-1.5 x), a GET /healthz halfway between taps")
        print_figure("healthz", paced.times_of("healthz"), None)
        report_run(paced, paced.times_of("healthz"), "healthz")
        print(f"\nsaturated ({label(saturated)}): {len(tablets)} stations at once, back to "
              f"back, each on its own batch; first {len(healthz.times)} x GET /healthz")
        print_figure(healthz.name, healthz.times, None)
        print(f"{healthz.name + '_throughput':<30}"
              f"{len(healthz.times) / healthz.wall_seconds:9.0f} req/s baseline")
        report_run(saturated, healthz.times, healthz.name, healthz.wall_seconds)
        if shared is not None:
            print(f"\nshared (for information): the same, {args.share} stations per batch")
            report_run(shared, healthz.times, healthz.name, healthz.wall_seconds)
        for one in (sequential, paced, healthz, saturated, shared):
            problems += one.problems if one is not None else []

        pages_ok, page_problems = report_pages(pages)
        print()
        photos_ok, photo_problems = report_photos(port, tablets[0].client.cookies, pages,
                                                  floor.upload_sizes)
    problems += check_database(app, floor, tablets)

    failures = []
    events_p95 = bench_trace.percentile(budgeted.event_times, 95)
    base_p95 = bench_trace.percentile(base_of[budgeted.name], 95)
    print(f"\nbudgets:\n  {budgeted.name}_p95 {events_p95:.2f} ms <= {EVENT_BUDGET_MS:g} ms  "
          f"{'OK' if events_p95 <= EVENT_BUDGET_MS else 'OVER'} (healthz p95 {base_p95:.2f} ms "
          f"in the same run)")
    if events_p95 > EVENT_BUDGET_MS:
        failures.append(f"{budgeted.name}_p95 {events_p95:.1f} ms > {EVENT_BUDGET_MS:g} ms")
    if not pages_ok:
        heaviest = max(pages, key=lambda p: p.total)
        if heaviest.total > PAGE_BUDGET_BYTES:
            failures.append(f"page weight {heaviest.total} B > {PAGE_BUDGET_BYTES} B "
                            f"({heaviest.path})")
        failures += page_problems
    if not photos_ok:
        failures += photo_problems or [f"photo over {PHOTO_BUDGET_BYTES} B"]
    if problems:
        failures.append(f"{len(problems)} unexpected answers or totals")
        # The same refusal at thirty stations is one finding: group by what went wrong.
        grouped = Counter(STATION_PREFIX.sub("", problem) for problem in problems)
        print(f"\n{len(problems)} unexpected answers or totals:")
        for problem, n in grouped.most_common(10):
            print(f"  {n:5d} x {problem}")
    if failures:
        print("\nbudget missed: " + "; ".join(failures))
        return 1
    print("\nbudgets met, every answer and total as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
