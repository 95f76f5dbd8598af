"""How fast are labels made? 1,000 batch cards to one PDF and to ZPL, against budgets.

Baseline: generating the 1,000 QR matrices alone (qrcode, error correction M), the floor
under any PDF/PNG of the cards; ZPL needs no matrix (the printer draws the QR), only its
size. Prints one line per figure with its ratio to the baseline; exits 1 if a budget is
exceeded. Run: ``.venv/bin/python scripts/bench_labels.py [count]``.
"""

from __future__ import annotations

import sys
import time

from shopfloor.labels.kinds import BatchCard
from shopfloor.labels.sheets import PRESETS, pdf_sheet
from shopfloor.labels.symbols import qr_matrix
from shopfloor.labels.zpl import to_zpl

COUNT = 1000
BUDGETS = {"pdf": 5.0, "zpl": 1.0}  # seconds for COUNT cards


def cards(count: int) -> list[BatchCard]:
    """Distinct batch cards with Polish text, as the application makes them."""
    return [BatchCard(code=f"B-{n:04d}-M2X", url=f"https://shopfloor.example.org/s/B{n:04d}M2X",
                      product="Mydło lawendowe 100 g", line="Linia 2 – mydlarnia",
                      quantity=f"{n % 500 + 1} szt.", due="14 mar 2025",
                      partner="Zakład Łączeń Śląsk Sp. z o.o.")
            for n in range(count)]


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else COUNT
    batch = cards(count)
    pdf_sheet(batch[:4], PRESETS["a6"])  # load fonts and modules outside the timings
    scale = count / COUNT
    baseline, _ = timed(lambda: [qr_matrix(card.url) for card in batch])
    print(f"baseline  {count} QR matrices          {baseline:6.2f} s  ratio 1.00")
    failed = False
    for name, action, unit in (
            ("pdf", lambda: pdf_sheet(batch, PRESETS["a6"], title="bench"), "bytes"),
            ("zpl", lambda: to_zpl(batch, dpi=203), "characters")):
        seconds, output = timed(action)
        budget = BUDGETS[name] * scale
        verdict = "ok" if seconds <= budget else "OVER BUDGET"
        failed |= seconds > budget
        print(f"{name:<9} {count} batch cards {len(output):>10} {unit:<10} {seconds:6.2f} s  "
              f"ratio {seconds / baseline:4.2f}  budget {budget:.1f} s  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
