"""Status machines as data (DESIGN rule 3): one transition table per status enum."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class StatusMachine:
    """The statuses of one kind of record and the moves allowed between them."""

    name: str
    initial: str
    transitions: Mapping[str, frozenset[str]]

    def __post_init__(self):
        unknown = {t for targets in self.transitions.values() for t in targets} - set(
            self.transitions)
        if unknown or self.initial not in self.transitions:
            raise ValueError(f"{self.name}: statuses without a row: {sorted(unknown)}")

    @property
    def statuses(self) -> tuple[str, ...]:
        """Every status, in table order."""
        return tuple(self.transitions)

    def can(self, from_status: str, to_status: str) -> bool:
        """Whether the table allows moving from one status to the other."""
        return to_status in self.transitions.get(from_status, frozenset())

    def next_statuses(self, from_status: str) -> tuple[str, ...]:
        """Where a record in ``from_status`` may go, in table order."""
        allowed = self.transitions.get(from_status, frozenset())
        return tuple(s for s in self.transitions if s in allowed)

    def is_final(self, status: str) -> bool:
        """A status with no way out."""
        return not self.transitions.get(status)


def table(name: str, initial: str, rows: Mapping[str, tuple[str, ...]]) -> StatusMachine:
    """Build a StatusMachine from a readable {from: (to, ...)} mapping."""
    return StatusMachine(name, initial, {k: frozenset(v) for k, v in rows.items()})
