"""The defect catalogue of returned garments and the rules of their dispositions, as pure
functions (shared/domain.md section 3): critical, major and minor defects rated by zone A
(front, upper sleeve, collar) or B (underarm, inside); repair needs a code and a zone; stock
only after a passed re-inspection when a major defect was found; nothing critical goes back
on sale or to a charity; destroying is refused where the EU ban applies, unless an exemption
is recorded; and the Pareto of defects the partner reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

CRITICAL, MAJOR, MINOR = "critical", "major", "minor"
SEVERITIES = (CRITICAL, MAJOR, MINOR)
ZONES = ("A", "B")
# code -> (severity, what it is)
DEFECTS = {
    "C01": (CRITICAL, _l("Broken needle or a metal part left in")),
    "C02": (CRITICAL, _l("Insects, mould or a bad smell")),
    "C03": (CRITICAL, _l("Missing or wrong safety marking")),
    "M01": (MAJOR, _l("Hole or tear")),
    "M02": (MAJOR, _l("Open or broken seam")),
    "M03": (MAJOR, _l("Stain that does not wash out")),
    "M04": (MAJOR, _l("Zip or fastener broken")),
    "M05": (MAJOR, _l("Wrong size or label")),
    "M06": (MAJOR, _l("Reflective tape damaged")),
    "N01": (MINOR, _l("Uncut thread")),
    "N02": (MINOR, _l("Slight puckering")),
    "N03": (MINOR, _l("Creased or badly folded")),
}
# Dispositions that put the garment in someone's hands again.
ON_SALE = frozenset({"restock", "second_quality"})


def severity(code: str | None) -> str | None:
    """The severity of a catalogue code, or None (no defect recorded)."""
    return DEFECTS[code][0] if code in DEFECTS else None


def disposition_problem(disposition: str, defect_code: str | None, zone: str | None,
                        destruction_ban: bool, exemption: str,
                        reinspection_passed: bool | None) -> str | None:
    """Why a disposition is not allowed for an item, as a key of ``PROBLEMS``; None if it is."""
    found = severity(defect_code)
    if disposition == "repair" and (found is None or zone not in ZONES):
        return "repair_needs_defect"
    if disposition == "destroy" and destruction_ban and not (exemption or "").strip():
        return "destroy_banned"
    if found == CRITICAL and (disposition in ON_SALE or disposition == "donate"):
        return "critical"
    if disposition == "restock" and found == MAJOR and not reinspection_passed:
        return "restock_needs_reinspection"
    return None


PROBLEMS = {
    "repair_needs_defect": _l("A repair needs the defect from the catalogue and its zone."),
    "destroy_banned": _l("This partner may not have unsold apparel destroyed (EU ESPR ban): "
                         "record the exemption, or recycle or donate it."),
    "critical": _l("A critical defect is unsafe: the item may not be sold or given away."),
    "restock_needs_reinspection": _l("A major defect goes back to stock only after a repair "
                                     "and a passed re-inspection."),
}


@dataclass(frozen=True)
class ParetoRow:
    """One (SKU, defect) pair of the Pareto: how many, its share and the running share."""

    sku: str
    code: str
    count: int
    share: Decimal
    cumulative: Decimal


def pareto(pairs: Iterable[tuple[str, str]]) -> list[ParetoRow]:
    """Defects counted by (SKU, code), most frequent first (ties by SKU, code), with each
    pair's share of all defects and the cumulative share in %, to one decimal."""
    counts = Counter((sku, code) for sku, code in pairs if code)
    total = sum(counts.values())
    rows, running = [], 0
    for (sku, code), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        running += count
        rows.append(ParetoRow(sku, code, count,
                              (Decimal(100) * count / total).quantize(Decimal("0.1")),
                              (Decimal(100) * running / total).quantize(Decimal("0.1"))))
    return rows


# ----------------------------------------------------------------- turnaround

DEFAULT_TURNAROUND_DAYS = 5  # domain.md §3: triage within 2, repair within 5 working days


def working_days(start, end) -> int:
    """Working days (Monday to Friday) after ``start`` up to and including ``end``: an item
    received on Friday and decided on Monday took 1 day. Public holidays are not known here."""
    from datetime import timedelta

    if end <= start:
        return 0
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


@dataclass(frozen=True)
class Turnaround:
    """How fast the partner's items were decided against its target (working days)."""

    target_days: int
    decided: int
    within: int
    median_days: Decimal | None

    @property
    def share_within(self) -> Decimal | None:
        """The share of decided items that met the target, in %."""
        if not self.decided:
            return None
        return (Decimal(100) * self.within / self.decided).quantize(Decimal("0.1"))


def turnaround(spans: Iterable[tuple], target_days: int) -> Turnaround:
    """Summarize (received_on, decided_on) pairs; pairs without both dates are skipped."""
    days = sorted(working_days(a, b) for a, b in spans if a is not None and b is not None)
    if not days:
        return Turnaround(target_days, 0, 0, None)
    middle = len(days) // 2
    median = (Decimal(days[middle]) if len(days) % 2
              else (Decimal(days[middle - 1]) + Decimal(days[middle])) / 2)
    return Turnaround(target_days, len(days), sum(1 for d in days if d <= target_days), median)
