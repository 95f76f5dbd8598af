"""Check the README's first command: ./scripts/demo serves the sign-in page and the demo
manager can sign in. Used by .ci/run on a fresh clone; stops the server when done."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("SMOKE_PORT", "5099"))
BASE = f"http://127.0.0.1:{PORT}"


def main() -> int:
    """Start the demo, sign in as the demo manager, stop the demo; 0 when all went well."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPFLOOR_")}
    demo = subprocess.Popen([str(ROOT / "scripts" / "demo"), "--port", str(PORT)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    output: list[str] = []
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            line = demo.stdout.readline()
            if not line and demo.poll() is not None:
                print("".join(output))
                print("scripts/demo stopped before serving", file=sys.stderr)
                return 1
            output.append(line)
            if "is running on" in line:
                break
        for _ in range(300):  # the line comes just before waitress listens
            try:
                urllib.request.urlopen(f"{BASE}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{BASE}/sign-in", timeout=10).read().decode()
        assert "Zaloguj się" in page, "sign-in page is not there"
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrf_token": token, "username": "manager",
                                       "password": "manager-demo"}).encode()
        home = opener.open(f"{BASE}/sign-in", data=form, timeout=10)
        body = home.read().decode()
        assert home.url.rstrip("/") == BASE, home.url
        assert "Dzień dobry" in body, "the demo manager did not reach the start page"
        printed = "".join(output)
        assert "manager-demo" in printed and "supervisor-demo" in printed
        print(f"scripts/demo OK: served {BASE}, demo manager signed in")
        return 0
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(timeout=20)


if __name__ == "__main__":
    sys.exit(main())
