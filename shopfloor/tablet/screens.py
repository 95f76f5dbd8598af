"""Pure rules of the worker screens (no Flask, no database): which steps share a screen,
where the worker is, the counter's blocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# Only plain "tap Done" steps can share a screen; every other kind needs its own.
GROUPABLE = "do"
MAX_BLOCKS = 50


@dataclass(frozen=True)
class Screen:
    """One screen of a task: the positions of the steps it shows (one, or a group)."""

    number: int
    positions: tuple[int, ...]

    @property
    def first(self) -> int:
        return self.positions[0]

    @property
    def last(self) -> int:
        return self.positions[-1]


def screens_for(steps: Sequence[Any], steps_per_screen: int = 1) -> list[Screen]:
    """Split a task's steps (objects with ``position`` and ``kind``, in order) into screens.

    With ``steps_per_screen`` above 1, up to that many consecutive "do" steps share a screen
    and one Done confirms them all (the job coach's step size for this worker).
    """
    size = max(1, steps_per_screen)
    groups: list[list[int]] = []
    for step in steps:
        last = groups[-1] if groups else None
        if (size > 1 and step.kind == GROUPABLE and last is not None and len(last) < size
                and last[-1] == step.position - 1 and last_kind(steps, last) == GROUPABLE):
            last.append(step.position)
        else:
            groups.append([step.position])
    return [Screen(number, tuple(group)) for number, group in enumerate(groups, start=1)]


def last_kind(steps: Sequence[Any], group: list[int]) -> str:
    """The kind of the group's steps (a group holds one kind only)."""
    return next(s.kind for s in steps if s.position == group[0])


@dataclass(frozen=True)
class Dot:
    """One step in the row of dots: done, current or pending."""

    position: int
    state: str


def dots(total_steps: int, screen: Screen) -> list[Dot]:
    """The position row: steps before the screen are done, its own are current."""
    return [Dot(p, "done" if p < screen.first else "current" if p <= screen.last
                else "pending") for p in range(1, total_steps + 1)]


def blocks(count: Decimal | int, target: Decimal | int | None) -> tuple[int, int]:
    """The counter as blocks: (filled, total). One block per piece up to ``MAX_BLOCKS``;
    a bigger target is drawn in ``MAX_BLOCKS`` blocks that each stand for several pieces."""
    count = max(0, int(count))
    if not target or target <= 0:
        return 0, 0
    target = int(target)
    if target <= MAX_BLOCKS:
        return min(count, target), target
    filled = (min(count, target) * MAX_BLOCKS) // target
    return filled, MAX_BLOCKS


def chosen_action(actions: list[str]) -> str:
    """A screen's answer from its form: a tapped Done wins over the step's own answer field
    (a counting scan step has both: each scan is an answer, Done ends the counting)."""
    return "done" if "done" in actions else (actions[0] if actions else "")
