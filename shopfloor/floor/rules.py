"""Pure rules of step events and help calls (no Flask, no database)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from shopfloor.codes import KIND_ITEM, KIND_LOT
from shopfloor.stations.rules import code_in_scan
from shopfloor.units import as_decimal

COUNTING_KINDS = frozenset({"count", "undo"})
SCAN_CODE_KINDS = {"lot": KIND_LOT, "item": KIND_ITEM}


def count_total(events: Iterable[Any]) -> Decimal:
    """The running count of counting events: count (+1/-1) and undo (the opposite of the
    tap it took back) values summed.

    Events of other kinds are ignored, so a step's whole event list can be passed.
    """
    return sum((Decimal(e.value) for e in events
                if e.kind in COUNTING_KINDS and e.value is not None), Decimal(0))


def in_range(value: Decimal, settings: Mapping[str, Any] | None) -> bool | None:
    """Whether a measured value lies within the step's ``min``/``max`` (both inclusive).

    None when the step sets neither bound (nothing to check against).
    """
    settings = settings or {}
    low, high = as_decimal(settings.get("min")), as_decimal(settings.get("max"))
    if low is None and high is None:
        return None
    return (low is None or value >= low) and (high is None or value <= high)


def scan_result(text: str, expected: str | None) -> tuple[str | None, bool | None]:
    """The code a scan holds (None: not one of our codes) and whether it is the expected kind.

    ``expected`` is the step's ``settings["scan"]`` (``lot`` or ``item``); None or unknown
    means any scan goes (the match is then None). A scan that is not our code never matches.
    """
    code = code_in_scan(text)
    letter = SCAN_CODE_KINDS.get(expected or "")
    if letter is None:
        return code, None
    return code, code is not None and code[0] == letter


def time_to_answer(call: Any) -> timedelta | None:
    """How long the worker waited until a supervisor answered; None while nobody has."""
    if call.acknowledged_at is None:
        return None
    return call.acknowledged_at - call.created_at


def measure_bounds(step_settings: Mapping[str, Any] | None,
                   line_range: tuple[Decimal, Decimal] | None) -> dict[str, Any]:
    """The range a measured value must fall in: the line's range for that quantity,
    narrowed by the step's own ``min``/``max`` where the instruction sets them."""
    settings = dict(step_settings or {})
    low = high = None
    if line_range is not None:
        low, high = line_range
    if settings.get("min") not in (None, ""):
        step_low = Decimal(str(settings["min"]))
        low = step_low if low is None else max(low, step_low)
    if settings.get("max") not in (None, ""):
        step_high = Decimal(str(settings["max"]))
        high = step_high if high is None else min(high, step_high)
    return {**settings, "min": low, "max": high}
