"""Wire-harness rules as pure functions (shared/domain.md section 2): IEC 60757 colour codes,
the minimum pull force per wire gauge, the crimp set-up verdict, the tester program version
against the drawing revision, and a connector's cavity map checked against the wire list."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

# IEC 60757 colour codes -> (English name, a fill for drawing the cavity)
COLOURS: dict[str, tuple[str, str]] = {
    "BK": ("black", "#1a1a1a"), "BN": ("brown", "#7b4a1e"), "RD": ("red", "#d22b2b"),
    "OG": ("orange", "#f08c00"), "YE": ("yellow", "#ffd500"), "GN": ("green", "#2e9a44"),
    "BU": ("blue", "#1c5fd1"), "VT": ("violet", "#7f3fbf"), "GY": ("grey", "#8a8a8a"),
    "WH": ("white", "#ffffff"), "PK": ("pink", "#f49ac1"), "TQ": ("turquoise", "#27c3c3"),
    "GD": ("gold", "#c9a227"), "SR": ("silver", "#c0c0c0"),
}
# TE Connectivity 114-2157 commercial minimum pull force (N) per AWG (domain.md §2).
MIN_PULL_N: dict[int, Decimal] = {
    26: Decimal("13.4"), 24: Decimal("22.3"), 22: Decimal("35.6"), 20: Decimal("57.9"),
    18: Decimal("89.0"), 16: Decimal("133.5"), 14: Decimal("222.5"), 12: Decimal("311.5"),
}
MIN_PULLS = 5  # pull tests per set-up (Molex: at least five)


def colour_parts(code: str) -> list[str]:
    """The colours of a wire's code: ``RD`` -> [RD]; a striped wire ``GN/YE`` -> [GN, YE]."""
    return [part.strip().upper() for part in (code or "").split("/") if part.strip()]


def valid_colour(code: str) -> bool:
    """An IEC 60757 code, or two of them for a base colour with a stripe."""
    parts = colour_parts(code)
    return 1 <= len(parts) <= 2 and all(p in COLOURS for p in parts)


def minimum_pull(gauge_awg: int) -> Decimal | None:
    """The lowest pull force a crimp on this gauge must hold, or None if not in the table."""
    return MIN_PULL_N.get(int(gauge_awg))


@dataclass
class SetupVerdict:
    """What a crimp set-up's measurements say."""

    height_ok: bool
    pulls_enough: bool
    lowest_pull: Decimal | None
    minimum_pull: Decimal | None
    problems: list[str] = field(default_factory=list)  # keys: height, pull_count, pull, gauge

    @property
    def passed(self) -> bool:
        """Height within spec, enough pulls, the lowest at or above the minimum."""
        return not self.problems


def judge_setup(height: Decimal, height_min: Decimal, height_max: Decimal, pulls: Sequence,
                gauge_awg: int) -> SetupVerdict:
    """Crimp height against the terminal's spec and the pull tests against the minimum for
    the gauge: at least five pulls, judged by the lowest (domain.md §2)."""
    values = [Decimal(p) for p in pulls]
    minimum = minimum_pull(gauge_awg)
    lowest = min(values) if values else None
    height_ok = Decimal(height_min) <= Decimal(height) <= Decimal(height_max)
    problems = []
    if not height_ok:
        problems.append("height")
    if len(values) < MIN_PULLS:
        problems.append("pull_count")
    if minimum is None:
        problems.append("gauge")
    elif lowest is not None and lowest < minimum:
        problems.append("pull")
    return SetupVerdict(height_ok=height_ok, pulls_enough=len(values) >= MIN_PULLS,
                        lowest_pull=lowest, minimum_pull=minimum, problems=problems)


class BadProgramVersion(ValueError):
    """A tester program version not written as ``<drawing revision>.<number>``."""


def program_revision(version: str) -> str:
    """The drawing revision a tester program was written for: ``C.3`` -> ``C``."""
    text = (version or "").strip()
    revision, dot, number = text.rpartition(".")
    if not dot or not revision or not number.isdigit():
        raise BadProgramVersion(text)
    return revision


def program_matches(version: str, drawing_revision: str) -> bool:
    """Whether a tester program was written for this drawing revision."""
    return program_revision(version).upper() == (drawing_revision or "").strip().upper()


# ----------------------------------------------------------------- connectors and wires


def parse_layout(text: str) -> list[list[int | None]]:
    """A connector face as moulded, one row per line: ``1 2 3 / 4 5 -`` (``-`` no cavity).
    ValueError names the first thing that is not a cavity number."""
    rows = []
    for line in (text or "").replace("/", "\n").splitlines():
        cells = line.split()
        if not cells:
            continue
        row: list[int | None] = []
        for cell in cells:
            if cell == "-":
                row.append(None)
            elif cell.isdigit() and int(cell) > 0:
                row.append(int(cell))
            else:
                raise ValueError(cell)
        rows.append(row)
    return rows


def layout_text(layout: Iterable[Iterable[int | None]]) -> str:
    """A layout as the form shows it."""
    return "\n".join(" ".join("-" if c is None else str(c) for c in row) for row in layout)


def cavities(layout: Iterable[Iterable[int | None]]) -> list[int]:
    """The cavity numbers of a layout, in reading order."""
    return [c for row in layout for c in row if c is not None]


@dataclass(frozen=True)
class WireEnd:
    """One end of a wire in a connector's cavity."""

    wire: str
    colour: str
    gauge_awg: int
    cavity: int


def ends_in(connector: str, wires: Iterable[dict]) -> dict[int, WireEnd]:
    """The wire ends in each cavity of a connector, from the wire list."""
    found: dict[int, WireEnd] = {}
    for wire in wires:
        for side in ("from", "to"):
            if wire.get(side) == connector:
                cavity = int(wire[f"{side}_cavity"])
                found[cavity] = WireEnd(wire["wire"], wire["colour"], int(wire["gauge_awg"]),
                                        cavity)
    return found


def wire_list_problems(connectors: Sequence[dict],
                       wires: Sequence[dict]) -> list[tuple[str, str]]:
    """What is wrong with a harness's wire list against its connectors' cavity maps, as
    (problem, wire or connector) pairs such as ``("colour", "W3")``; empty when right."""
    problems: list[tuple[str, str]] = []
    faces: dict[str, set[int]] = {}
    for connector in connectors:
        numbers = cavities(connector["layout"])
        if len(numbers) != len(set(numbers)):
            problems.append(("cavity twice", connector["name"]))
        faces[connector["name"]] = set(numbers)
    seen_wires: set[str] = set()
    used: set[tuple[str, int]] = set()
    for wire in wires:
        name = wire["wire"]
        if name in seen_wires:
            problems.append(("wire twice", name))
        seen_wires.add(name)
        if not valid_colour(wire["colour"]):
            problems.append(("colour", name))
        if minimum_pull(wire["gauge_awg"]) is None:
            problems.append(("gauge", name))
        if Decimal(wire["length_mm"]) <= 0 or Decimal(wire["tolerance_mm"]) < 0:
            problems.append(("length", name))
        for side in ("from", "to"):
            connector, cavity = wire[side], int(wire[f"{side}_cavity"])
            if connector not in faces:
                problems.append(("connector", name))
            elif cavity not in faces[connector]:
                problems.append(("cavity", name))
            elif (connector, cavity) in used:
                problems.append(("occupied", name))
            used.add((connector, cavity))
    return problems
