"""Benchmark of the scan API over HTTP on the running server, against /healthz on the same server.

What it measures: the time a scanning station waits for ``POST /api/v1/scans/`` (resolve the
code, log the scan, answer JSON) on a production-sized database, compared with the time the
same server takes to answer the trivial ``GET /healthz`` (``SELECT 1``) over the same kind of
connection in the same run. The difference is what the scan itself costs; what both share
(waitress, the WSGI stack, Flask, session cookie, the HTTP client) cancels out.

How:

1. Builds a fresh database with the data generator of ``scripts/bench_trace.py`` (imported,
   not copied): a SQLite file in a temporary folder by default, or an emptied PostgreSQL
   database whose name contains "bench" or "test" (``--database-url``). ``--batches``
   batches (default 100,000) with three consumption rows per batch and one shipment per
   five batches, orders, lots, partners... then ``ANALYZE``. The generated batch codes are
   checked to be valid codes (kind letter, six characters, check character).
2. Creates a supervisor ``bench`` in-process, then starts ``shopfloor serve`` (waitress,
   ``--threads`` worker threads, default 8) as a subprocess with a clean environment
   (only ``SHOPFLOOR_INSTANCE_PATH``, ``SHOPFLOOR_DATABASE_URL``, ``SHOPFLOOR_SECRET_KEY``
   and ``SHOPFLOOR_PUBLIC_BASE_URL`` of the ``SHOPFLOOR_*`` variables) and waits for
   ``GET /healthz`` to answer 200. The server is terminated at the end, also on errors.
3. Signs in over HTTP like a browser: ``GET /sign-in`` for the form's CSRF token, ``POST
   /sign-in``, then ``GET /scan`` (the scan screen, whose script sends the API calls) for the
   CSRF token of the signed-in session: sign-in starts a fresh session (no fixation), so the
   token of the sign-in page is no longer valid afterwards.
4. Times requests with ``http.client.HTTPConnection`` (standard library, HTTP/1.1
   keep-alive, one connection per client thread, opened before the clock starts), each
   from just before sending to the end of reading the full response, with
   ``time.perf_counter()``. Both endpoints are called with the session cookie and the same
   headers, so both load the signed-in user. After an untimed warm-up (100 requests of
   each kind):

   * concurrent: ``--clients`` threads (default 4) share ``--scans`` requests (default
     10,000) of ``GET /healthz``, then ``--scans`` scans;
   * sequential: one client, the same numbers again (the budgeted run, see below).

   The scans are random batches of the database in a fixed mix: 80 % bare codes (a third
   upper case ``B7KQ4M2X``, a third lower case, a third grouped ``B-7KQ4-M2X``), 10 % QR
   links ``http://127.0.0.1:<port>/s/<CODE>`` and 10 % codes with a wrong check character.
   Every answer is checked: a known batch must answer 200 with its code, a misread code
   422; any other status (or a wrong body) is an error.

Output: generation time and row counts, then one line per figure (name, value, unit) with
its ratio to the baseline of the same run: p50 and p95 of ``healthz`` and ``scan`` (and of
``scan_found`` / ``scan_misread``, the 200 and 422 answers), throughput, the answer counts,
and the budget verdict.

Budget: ``scan_p95 <= 1.5 x healthz_p95 + 5 ms``, applied to the sequential run by default
(``--budget-on concurrent`` applies it to the concurrent run instead). Why: the concurrent
clients send back to back with no pause, so they keep the server saturated. The server is
one process whose Python threads share the GIL, on a two-core machine it also shares with
the clients: concurrency adds no throughput (healthz answers about as many requests per second
with four clients as with one), only queueing, and a request's time becomes roughly
``clients x service time``. The ratio scan/healthz then stays the ratio of the service
times (about 2 in both runs), but the constant 5 ms of the budget is in effect divided by
the number of clients: with the same code the concurrent verdict passes with 2 or 4
clients and fails with 8 or 16. A verdict that depends on ``--clients`` rather than on the
scan is meaningless, so the budget is checked where the figure is the cost of one request:
one client, no queue. The concurrent run still matters and still counts: every answer of
it is checked (four clients writing the scan log at once, on SQLite a single writer, must
not produce a "database is locked" or any other error), and its figures and verdict are
printed for information, with the throughput of both endpoints.

Exit status: 0 when the budget is met and every answer was as expected; 1 when the budget
is exceeded or an answer was wrong (the line says which); 2 on a usage error.

Run it from the repository root::

    .venv/bin/python scripts/bench_scan.py --batches 2000 --scans 500    # smoke test
    .venv/bin/python scripts/bench_scan.py                               # full size, ~70 s
    .venv/bin/python scripts/bench_scan.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/shopfloor_bench_scan  # ~2 min
"""

from __future__ import annotations

import argparse
import gc
import http.client
import importlib.util
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _load_bench_trace():
    """Import scripts/bench_trace.py (not a package) for its data generator and helpers."""
    spec = importlib.util.spec_from_file_location(
        "bench_trace", Path(__file__).with_name("bench_trace.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_trace"] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


bench_trace = _load_bench_trace()

HOST = "127.0.0.1"
USER = "bench"
PASSWORD = "bench-password-1"  # noqa: S105 - throwaway account in a throwaway db
SECRET_KEY = "bench-scan-secret-key-" + "0123456789" * 3  # noqa: S105 - throwaway server
STATION = "bench"
USER_AGENT = "shopfloor-bench-scan/1"
WARMUP = 100
BUDGET_FACTOR = 1.5
BUDGET_SLACK_MS = 5.0
SERVER_START_SECONDS = 60.0
CSRF_PATTERNS = (
    re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"'),
    re.compile(r'<meta name="csrf-token" content="([^"]+)"'),
)


class BenchError(Exception):
    """The benchmark could not run as intended (server, sign-in, unexpected answers)."""


# --------------------------------------------------------------------------- setup


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line: database, data size, number of scans and clients, port."""
    parser = argparse.ArgumentParser(
        description="Time POST /api/v1/scans/ against GET /healthz on the running server.")
    parser.add_argument("--database-url", default="",
                        help="SQLAlchemy URL (default: a fresh SQLite file in a temp dir). "
                             "A PostgreSQL database (name containing 'bench') is emptied.")
    parser.add_argument("--batches", type=int, default=100_000,
                        help="batches to generate (default 100000)")
    parser.add_argument("--scans", type=int, default=10_000,
                        help="timed scans, and timed /healthz requests, per run "
                             "(default 10000)")
    parser.add_argument("--clients", type=int, default=4,
                        help="concurrent client threads of the concurrent run (default 4)")
    parser.add_argument("--threads", type=int, default=8,
                        help="waitress worker threads of the server (default 8)")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--seed", type=int, default=20260101, help="random seed")
    parser.add_argument("--budget-on", choices=("sequential", "concurrent"),
                        default="sequential",
                        help="the run the budget applies to (default sequential; see the "
                             "module docstring)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (database, server log)")
    args = parser.parse_args(argv)
    for name in ("batches", "scans", "clients", "threads"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if not 0 <= args.port <= 65535:
        parser.error("--port must be between 1 and 65535 (0: a free port)")
    return args


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def build_database(url: str, batches: int, rng: random.Random) -> list[str]:
    """Migrate, create the bench supervisor, generate the data set; return the batch codes.

    Uses bench_trace's generator with three consumption rows per batch and one shipment per
    five batches (its defaults at 100k batches).
    """
    from sqlalchemy import select, text

    from shopfloor import create_app
    from shopfloor.auth.services import create_user
    from shopfloor.codes import InvalidCode, parse_code
    from shopfloor.database import migrate_to_head
    from shopfloor.extensions import db
    from shopfloor.production.models import Batch

    sizes = bench_trace.Sizes.from_args(argparse.Namespace(
        batches=batches, consumptions=3 * batches, shipments=max(1, batches // 5)))
    app = create_app({"database_url": url, "secret_key": SECRET_KEY})
    with app.app_context():
        engine = db.engine
        begin = time.perf_counter()
        migrate_to_head()
        user_id = create_user(USER, PASSWORD, "supervisor").id
        print(f"schema migrated in {time.perf_counter() - begin:.1f} s")

        begin = time.perf_counter()
        counts = bench_trace.generate(engine, sizes, rng, user_id, date.today())
        generated = time.perf_counter() - begin
        bench_trace.reset_sequences(engine, [t for t in counts if t not in (
            "partner_line", "document_counter")])
        begin = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        analyzed = time.perf_counter() - begin
        print(f"generated {sum(counts.values())} rows in {generated:.1f} s, "
              f"ANALYZE {analyzed:.2f} s")
        print("rows: " + ", ".join(f"{name}={n}" for name, n in counts.items()))

        codes = list(db.session.scalars(select(Batch.code).order_by(Batch.id)))
        db.session.close()
        engine.dispose()
    invalid = []
    for code in codes:
        try:
            if parse_code(code) != code:
                invalid.append(code)
        except InvalidCode:
            invalid.append(code)
    if invalid or len(set(codes)) != len(codes) or len(codes) != batches:
        raise BenchError(f"the generated batch codes are not usable: {len(codes)} codes, "
                         f"{len(set(codes))} distinct, {len(invalid)} invalid "
                         f"(e.g. {invalid[:3]})")
    print(f"batch codes: {len(codes)} valid, distinct (e.g. {codes[0]}, {codes[-1]})")
    return codes


# --------------------------------------------------------------------------- server


def server_command(port: int, threads: int) -> list[str]:
    """``shopfloor serve`` from the virtualenv of this interpreter."""
    script = Path(sys.executable).with_name("shopfloor")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "shopfloor"]
    return base + ["serve", "--host", HOST, "--port", str(port), "--threads", str(threads)]


def server_environment(work_dir: Path, url: str, port: int) -> dict[str, str]:
    """A clean environment: the few system variables plus the server's own settings."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
           if name in os.environ}
    env.update(SHOPFLOOR_INSTANCE_PATH=str(work_dir / "instance"),
               SHOPFLOOR_DATABASE_URL=url,
               SHOPFLOOR_SECRET_KEY=SECRET_KEY,
               SHOPFLOOR_PUBLIC_BASE_URL=f"http://{HOST}:{port}")
    return env


class Server:
    """``shopfloor serve`` as a subprocess; a context manager that always terminates it."""

    def __init__(self, work_dir: Path, url: str, port: int, threads: int):
        self.port = port
        self.command = server_command(port, threads)
        self.env = server_environment(work_dir, url, port)
        self.work_dir = work_dir
        self.log_path = work_dir / "server.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        log = self.log_path.open("wb")
        try:
            self.process = subprocess.Popen(self.command, env=self.env, cwd=self.work_dir,
                                            stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT)
        finally:
            log.close()
        try:
            self.wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def wait_until_healthy(self) -> None:
        """Poll ``GET /healthz`` until it answers 200; fail if the server exits or hangs."""
        deadline = time.monotonic() + SERVER_START_SECONDS
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"the server exited with status {self.process.returncode}:\n"
                                 f"{self.log_tail()}")
            conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
            try:
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    return
                last = f"status {response.status}"
            except OSError as exc:
                last = str(exc)
            finally:
                conn.close()
            time.sleep(0.2)
        raise BenchError(f"the server did not answer /healthz within {SERVER_START_SECONDS:g} "
                         f"s ({last}):\n{self.log_tail()}")

    def stop(self) -> None:
        """Terminate the server (kill it if it does not stop within ten seconds)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        """The last lines the server printed."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


# --------------------------------------------------------------------------- HTTP


class Client:
    """One keep-alive HTTP/1.1 connection with its own cookie jar."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None):
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)
        self.cookies = dict(cookies or {})

    def connect(self) -> None:
        """Open the TCP connection now, so no timed request pays for it."""
        self.conn.connect()

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def send(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes, float]:
        """Send one request; return status, body and milliseconds from send to last byte."""
        all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json, text/html"}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        begin = time.perf_counter()
        self.conn.request(method, path, body=body, headers=all_headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - begin) * 1000
        for value in response.headers.get_all("Set-Cookie") or ():
            jar = SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return response.status, data, elapsed


def csrf_token(page: bytes) -> str:
    """The CSRF token in an HTML page (hidden form field or meta tag)."""
    text = page.decode("utf-8", errors="replace")
    for pattern in CSRF_PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(1)
    raise BenchError("no CSRF token in the page")


def sign_in(port: int) -> tuple[dict[str, str], str]:
    """Sign the bench supervisor in over HTTP; return the session cookies and CSRF token.

    One sign-in attempt only (failed attempts are rate limited per account).
    """
    client = Client(port)
    try:
        status, page, _ = client.send("GET", "/sign-in")
        if status != 200:
            raise BenchError(f"GET /sign-in answered {status}")
        form = urlencode({"username": USER, "password": PASSWORD, "next": "",
                          "csrf_token": csrf_token(page)}).encode()
        status, page, _ = client.send(
            "POST", "/sign-in", form, {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise BenchError(f"POST /sign-in answered {status}, not 302")
        # Sign-in clears the session, and the CSRF secret with it: take the token the scan
        # screen hands its script, as a real station does.
        status, page, _ = client.send("GET", "/scan")
        if status != 200:
            raise BenchError(f"GET /scan after sign-in answered {status}")
        return client.cookies, csrf_token(page)
    finally:
        client.close()


@dataclass(frozen=True)
class Request:
    """One request to time, with the answer it must get."""

    kind: str  # healthz, or the shape of the scan: upper, lower, grouped, url, misread
    method: str
    path: str
    expect_status: int
    expect_code: str | None = None
    body: bytes | None = None


SCAN_SHAPES = ("upper", "lower", "grouped")


def healthz_requests(count: int) -> list[Request]:
    """``count`` times ``GET /healthz``."""
    return [Request("healthz", "GET", "/healthz", 200)] * count


def scan_requests(count: int, codes: Sequence[str], port: int,
                  rng: random.Random) -> list[Request]:
    """``count`` scans of random batches: 80 % bare codes, 10 % links, 10 % misread codes."""
    from shopfloor.codes import ALPHABET, format_code

    misread = count // 10
    links = count // 10
    shapes = ["misread"] * misread + ["url"] * links
    shapes += [SCAN_SHAPES[i % len(SCAN_SHAPES)] for i in range(count - misread - links)]
    rng.shuffle(shapes)
    requests = []
    for shape in shapes:
        code = rng.choice(codes)
        expect_status, expect_code = 200, code
        if shape == "upper":
            raw = code
        elif shape == "lower":
            raw = code.lower()
        elif shape == "grouped":
            raw = format_code(code)
        elif shape == "url":
            raw = f"http://{HOST}:{port}/s/{code}"
        else:  # a wrong check character, from the code alphabet
            raw = code[:-1] + rng.choice([c for c in ALPHABET if c != code[-1]])
            expect_status, expect_code = 422, None
        body = json.dumps({"raw": raw, "station": STATION}).encode()
        requests.append(Request(shape, "POST", "/api/v1/scans/", expect_status, expect_code,
                                body))
    return requests


@dataclass
class RunResult:
    """Statuses and times (ms) of one series of requests, in request order."""

    requests: list[Request]
    times: list[float]
    statuses: list[int]
    wall_seconds: float
    problems: list[str] = field(default_factory=list)

    def times_where(self, predicate) -> list[float]:
        """The times of the requests ``predicate(request, status)`` selects."""
        return [t for r, s, t in zip(self.requests, self.statuses, self.times, strict=True)
                if predicate(r, s)]


def check_answer(request: Request, status: int, data: bytes) -> str | None:
    """None when the answer is the expected one, else what is wrong with it."""
    if status != request.expect_status:
        return (f"{request.kind} {request.body or request.path!r}: status {status}, "
                f"expected {request.expect_status}: {data[:200]!r}")
    if request.expect_code is not None:
        try:
            answer = json.loads(data)
        except ValueError:
            return f"{request.kind}: the answer is not JSON: {data[:200]!r}"
        if answer.get("kind") != "batch" or answer.get("code") != request.expect_code:
            return f"{request.kind} {request.body!r}: answered {answer}"
    return None


def run_requests(port: int, session: tuple[dict[str, str], str], requests: list[Request],
                 clients: int) -> RunResult:
    """Send ``requests`` from ``clients`` threads, each over its own keep-alive connection.

    Thread k sends requests k, k + clients, ...; all start together once connected.
    """
    cookies, token = session
    count = len(requests)
    times = [0.0] * count
    statuses = [0] * count
    problems: list[str] = []
    clients = max(1, min(clients, count))
    start = threading.Barrier(clients + 1)
    scan_headers = {"Content-Type": "application/json", "X-CSRFToken": token}

    def work(first: int) -> None:
        client = Client(port, cookies)
        try:
            client.connect()
        except OSError as exc:
            problems.append(f"client {first}: cannot connect: {exc}")
        start.wait()
        try:
            for i in range(first, count, clients):
                request = requests[i]
                headers = scan_headers if request.body is not None else None
                try:
                    status, data, elapsed = client.send(request.method, request.path,
                                                        request.body, headers)
                except (OSError, http.client.HTTPException) as exc:
                    statuses[i] = -1
                    problems.append(f"{request.kind}: {type(exc).__name__}: {exc}")
                    client.close()
                    continue
                times[i], statuses[i] = elapsed, status
                problem = check_answer(request, status, data)
                if problem:
                    problems.append(problem)
        finally:
            client.close()

    threads = [threading.Thread(target=work, args=(k,), daemon=True) for k in range(clients)]
    for thread in threads:
        thread.start()
    gc.collect()
    start.wait()
    begin = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - begin
    return RunResult(requests, times, statuses, wall, problems)


# --------------------------------------------------------------------------- report


def print_throughput(name: str, result: RunResult, baseline: RunResult | None) -> None:
    """One line: requests per second over the wall time of the series."""
    value = len(result.requests) / result.wall_seconds if result.wall_seconds else 0.0
    if baseline is None:
        tail = "baseline"
    else:
        base = len(baseline.requests) / baseline.wall_seconds if baseline.wall_seconds else 0.0
        tail = f"x{value / base:.2f} baseline(healthz {base:.0f} req/s)" if base else ""
    print(f"{name:<30}{value:9.0f} req/s {tail}")


def report_run(label: str, suffix: str, healthz: RunResult, scans: RunResult,
               clients: int) -> tuple[bool, list[str]]:
    """Print the figures and the budget line of one run; return (budget met, problems)."""
    Figure = bench_trace.Figure
    base = Figure(f"healthz{suffix}", healthz.times)
    figures = [base, Figure(f"scan{suffix}", scans.times, base)]
    found = scans.times_where(lambda r, s: s == 200)
    misread = scans.times_where(lambda r, s: s == 422)
    if found:
        figures.append(Figure(f"scan_found{suffix}", found, base))
    if misread:
        figures.append(Figure(f"scan_misread{suffix}", misread, base))
    print(f"\n{label}: {clients} client(s), {len(healthz.requests)} x GET /healthz, then "
          f"{len(scans.requests)} x POST /api/v1/scans/")
    bench_trace.print_figures(figures)
    print_throughput(f"healthz{suffix}_throughput", healthz, None)
    print_throughput(f"scan{suffix}_throughput", scans, healthz)

    got = Counter(scans.statuses)
    expected = Counter(r.expect_status for r in scans.requests)
    shapes = Counter(r.kind for r in scans.requests)
    print("scan answers: " + ", ".join(f"{s}={n}" for s, n in sorted(got.items()))
          + " (expected " + ", ".join(f"{s}={n}" for s, n in sorted(expected.items()))
          + "; shapes " + ", ".join(f"{k}={n}" for k, n in sorted(shapes.items())) + ")")
    healthz_got = Counter(healthz.statuses)
    if set(healthz_got) != {200}:
        print("healthz answers: " + ", ".join(f"{s}={n}" for s, n in sorted(healthz_got.items())))

    scan_p95, healthz_p95 = figures[1].p(95), base.p(95)
    limit = BUDGET_FACTOR * healthz_p95 + BUDGET_SLACK_MS
    ok = scan_p95 <= limit
    print(f"scan{suffix}_p95 {scan_p95:.2f} ms <= {BUDGET_FACTOR:g} x healthz{suffix}_p95 "
          f"({healthz_p95:.2f} ms) + {BUDGET_SLACK_MS:g} ms = {limit:.2f} ms  "
          f"{'OK' if ok else 'OVER'}")
    return ok, healthz.problems + scans.problems


def warm_up(port: int, session: tuple[dict[str, str], str], codes: Sequence[str],
            rng: random.Random, clients: int) -> None:
    """Untimed requests of each kind; stop early if the answers are wrong."""
    problems = []
    for requests in (healthz_requests(WARMUP), scan_requests(WARMUP, codes, port, rng)):
        problems += run_requests(port, session, requests, clients).problems
    if problems:
        raise BenchError(f"{len(problems)} wrong answers during the warm-up, e.g.:\n  "
                         + "\n  ".join(problems[:5]))


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Build the data, start the server, time both runs, print figures; 1 when over budget."""
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    work_dir = Path(tempfile.mkdtemp(prefix="shopfloor-bench-scan-"))
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

    rng = random.Random(args.seed)
    port = args.port or free_port()
    print(f"database: {make_url(url).render_as_string(hide_password=True)}")
    print(f"sizes: batches={args.batches} scans={args.scans} clients={args.clients} "
          f"server threads={args.threads} seed={args.seed}")
    codes = build_database(url, args.batches, rng)

    with Server(work_dir, url, port, args.threads) as server:
        print(f"server: {' '.join(server.command[-7:])} (pid {server.process.pid})")
        session = sign_in(port)
        print("signed in over HTTP as supervisor 'bench'")
        warm_up(port, session, codes, rng, args.clients)

        concurrent = (run_requests(port, session, healthz_requests(args.scans), args.clients),
                      run_requests(port, session,
                                   scan_requests(args.scans, codes, port, rng), args.clients))
        sequential = (run_requests(port, session, healthz_requests(args.scans), 1),
                      run_requests(port, session, scan_requests(args.scans, codes, port, rng), 1))
        if server.process.poll() is not None:
            raise BenchError(f"the server died during the benchmark:\n{server.log_tail()}")

    def label(run_name: str) -> str:
        return f"{run_name} ({'budgeted' if args.budget_on == run_name else 'for information'})"

    print(f"\n{'figure':<30}{'value':>9}      vs baseline of the same run")
    ok_con, problems = report_run(label("concurrent"), "", *concurrent, args.clients)
    ok_seq, problems_seq = report_run(label("sequential"), "_seq", *sequential, 1)
    problems += problems_seq

    failures = []
    ok, suffix = (ok_seq, "_seq") if args.budget_on == "sequential" else (ok_con, "")
    if not ok:
        failures.append(f"scan{suffix}_p95 over {BUDGET_FACTOR:g} x healthz{suffix}_p95 + "
                        f"{BUDGET_SLACK_MS:g} ms")
    other = "concurrent" if args.budget_on == "sequential" else "sequential"
    if not (ok_con if other == "concurrent" else ok_seq):
        print(f"\nnote: the {other} run is over the same budget (for information, not "
              "counted)")
    if problems:
        failures.append(f"{len(problems)} unexpected answers")
        print(f"\n{len(problems)} unexpected answers, e.g.:")
        for problem in problems[:10]:
            print(f"  {problem}")
    if failures:
        print("\nFAILED: " + "; ".join(failures))
        return 1
    print("\nbudget met, every answer as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
