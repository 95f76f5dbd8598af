"""Single sampling plans for normal inspection by attributes, ISO 2859-1 (= ANSI/ASQ Z1.4).

How a plan is found, as the standard prescribes:

1. Table 1 gives the sample size code letter for the lot size and the inspection level
   (general levels I, II, III; special levels S-1 to S-4; level II is the usual one).
2. Table 2-A (single sampling plans for normal inspection, master table) gives, at the
   crossing of that letter's row and the AQL's column, the acceptance number Ac and the
   rejection number Re. Where the cell holds an arrow there is no plan for that letter:
   an arrow down means "use the first sampling plan below the arrow", an arrow up "use the
   first sampling plan above the arrow". The sample size is then the one of the row where
   the plan was found, not the one of the original letter.
3. If the sample size equals or exceeds the lot size, every item of the lot is inspected.

Table 2-A is kept below as it is printed, arrows included (``_TABLE_2A``), and the arrows are
followed at look-up time, so the table can be read against a copy of the standard cell by cell.

Where the tables come from, and how they were checked
------------------------------------------------------
The standard itself is copyrighted and was not available in readable form. The tables were
taken from, and cross-checked between, two independent public transcriptions:

* GitHub ``fjgonzalezmgt/AQLSchemesCust``, file ``R/AAZ14Single.R`` (commit c42ea7df), a fork
  of the CRAN package AQLSchemes (MIL-STD-105E / ANSI/ASQ Z1.4): Table 1 as a letter matrix
  and, for normal inspection, the sample size, Ac and Re of every letter x AQL cell with the
  arrows already followed.
* A public GitHub TypeScript module (``aql.ts``, constants ``MASTER_2A_RAW`` and
  ``CODE_LETTER_TABLE``; the code index did not name its repository) transcribing
  GB/T 2828.1-2012, the Chinese adoption identical to ISO 2859-1:1999, from a scan of the
  standard: Table 1 and every cell of Table 2-A as "final letter / n / Ac" after the arrows.

Cross-check: the two sources agree on all 16 x 26 = 416 cells of Table 2-A (final letter,
sample size, Ac, Re) and on all of Table 1. The arrow table below was then checked by
following its arrows for every cell: it reproduces both sources on all 416 cells (the unit
tests repeat part of this). Spot checks against further pages, all consistent:

* http://www.nibs.org/FMOC/DPW_AC/AC-TABLE.ASC: Table 2-A for level II and AQL 0.65 to 15,
  arrows drawn, taken from MIL-STD-105E; every Re and arrow agrees except letter A at
  AQL 10, where that page draws an up arrow. Nothing lies above row A, so an up arrow
  cannot be followed there. Both sources resolve the cell to letter C's plan (n = 5,
  Ac 1, Re 2), and so does http://aqlinspectorsrule.com/manual/notes.html ("AQL of 10 and
  Code Letter A ... for Normal ... inspection use Code Letter C"), so it is a down arrow here.
* Table 1 also matches https://pdfcoffee.com/aql-sampling-chart-pdf-free.html and
  http://www.wisetool.com/sampling.htm.
* The project's domain notes: lot 91-150 -> letter F, n = 20; AQL 2.5 -> Ac 1 / Re 2;
  AQL 4.0 -> Ac 2 / Re 3. A public AQL write-up (bdmeter/work on GitHub): lot 501-1200 ->
  letter J, n = 80; AQL 2.5 -> Ac 5 / Re 6.

Limits of that check: the sources give the plans an arrow leads to, not the printed arrow
glyphs. The arrow cells are therefore drawn so that they lead to the plans both sources give.
That is certain for the plans, but the layout of arrows whose meaning is fixed by their
neighbours (letter A at AQL 10, letter R at AQL 0.015) has been compared with a printed
table only through the nibs.org page above.

AQLs up to 10 may be percent nonconforming or nonconformities per 100 items. AQLs above 10
are only for nonconformities per 100 items, so the number found can exceed the sample size.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Final

__all__ = [
    "AQLS",
    "CODE_LETTERS",
    "LEVELS",
    "SAMPLE_SIZES",
    "Plan",
    "code_letter",
    "normalize_aql",
    "plan",
    "plan_for_letter",
    "verdict",
]

#: Sample size code letters in table order (the standard skips I and O).
CODE_LETTERS: Final[tuple[str, ...]] = tuple("ABCDEFGHJKLMNPQR")

#: Sample size for each code letter (Table 2-A, "sample size" column).
SAMPLE_SIZES: Final = MappingProxyType(dict(zip(
    CODE_LETTERS,
    (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000),
    strict=True,
)))

#: The standard's preferred AQLs, the columns of Table 2-A, lowest first.
AQLS: Final[tuple[Decimal, ...]] = tuple(Decimal(value) for value in (
    "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65",
    "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65",
    "100", "150", "250", "400", "650", "1000",
))

#: Inspection levels, in the column order of Table 1.
LEVELS: Final[tuple[str, ...]] = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")

# Table 1, sample size code letters: (largest lot size of the range, or None for "500001 and
# over"; the letters for S-1 S-2 S-3 S-4 I II III). Each range starts after the one above it;
# the first starts at 2.
_TABLE_1: Final[tuple[tuple[int | None, str], ...]] = (
    (8, "A A A A A A B"),
    (15, "A A A A A B C"),
    (25, "A A B B B C D"),
    (50, "A B B C C D E"),
    (90, "B B C C C E F"),
    (150, "B B C D D F G"),
    (280, "B C D E E G H"),
    (500, "B C D E F H J"),
    (1200, "C C E F G J K"),
    (3200, "C D E G H K L"),
    (10000, "C D F G J L M"),
    (35000, "C D F H K M N"),
    (150000, "D E G J L N P"),
    (500000, "D E G J M P Q"),
    (None, "D E H K N Q R"),
)

_DOWN: Final = "↓"  # use the first sampling plan below the arrow
_UP: Final = "↑"  # use the first sampling plan above the arrow

# Table 2-A, single sampling plans for normal inspection (master table), one row per code
# letter, one cell per AQL: "Ac/Re" or an arrow. Columns:
#     0.010 0.015 0.025 0.040 0.065 0.10  0.15  0.25  0.40  0.65  1.0   1.5   2.5
#     4.0   6.5   10    15    25    40    65    100   150   250   400   650   1000
_TABLE_2A_TEXT: Final[dict[str, str]] = {
    "A": ("↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     "
          "↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31"),
    "B": ("↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     "
          "0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31 44/45"),
    "C": ("↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   "
          "↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31 44/45 ↑"),
    "D": ("↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     "
          "↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31 44/45 ↑     ↑"),
    "E": ("↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     "
          "1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31 44/45 ↑     ↑     ↑"),
    "F": ("↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   "
          "2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑"),
    "G": ("↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   "
          "3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑"),
    "H": ("↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   "
          "5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑"),
    "J": ("↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   "
          "7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑"),
    "K": ("↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   "
          "10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑"),
    "L": ("↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 "
          "14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑"),
    "M": ("↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 "
          "21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑"),
    "N": ("↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 "
          "↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑"),
    "P": ("↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     "
          "↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑"),
    "Q": ("0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     "
          "↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑"),
    "R": ("↑     ↑     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     "
          "↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑"),
}

_Cell = tuple[int, int] | str


def _parse_table_2a(text: dict[str, str]) -> dict[str, tuple[_Cell, ...]]:
    """Turn the printed rows into cells, refusing a row of the wrong shape."""
    if tuple(text) != CODE_LETTERS:
        raise RuntimeError("Table 2-A must have one row per code letter, in order")
    table: dict[str, tuple[_Cell, ...]] = {}
    for letter, row in text.items():
        cells: list[_Cell] = []
        for token in row.split():
            if token in (_DOWN, _UP):
                cells.append(token)
                continue
            accept, reject = (int(part) for part in token.split("/"))
            if reject != accept + 1:
                raise RuntimeError(f"Table 2-A {letter}: Re must be Ac + 1, got {token}")
            cells.append((accept, reject))
        if len(cells) != len(AQLS):
            raise RuntimeError(f"Table 2-A {letter}: {len(cells)} cells, not {len(AQLS)}")
        table[letter] = tuple(cells)
    return table


_TABLE_2A: Final = _parse_table_2a(_TABLE_2A_TEXT)


@dataclass(frozen=True, slots=True)
class Plan:
    """A single sampling plan: inspect ``sample_size`` items, accept the lot with at most
    ``accept`` nonconforming items (or nonconformities), reject it with ``reject`` or more.

    ``code_letter`` is the letter whose row the plan was found in, after any arrows.
    ``inspect_all`` is true when the plan's sample size reached the lot size: then every item
    is inspected and ``sample_size`` is the lot size.
    """

    code_letter: str
    sample_size: int
    accept: int
    reject: int
    inspect_all: bool = False


def _normalize_level(level: str) -> str:
    """The level as Table 1 names it; "ii", " II " and "S1" are accepted too."""
    if not isinstance(level, str):
        raise TypeError(f"inspection level must be a string, got {level!r}")
    key = level.strip().upper().replace(" ", "")
    if len(key) == 2 and key[0] == "S" and key[1] in "1234":
        key = f"S-{key[1]}"
    if key not in LEVELS:
        raise ValueError(
            f"unknown inspection level {level!r}; expected one of {', '.join(LEVELS)}")
    return key


def normalize_aql(aql: str | Decimal | int | float) -> Decimal:
    """Return the standard AQL that ``aql`` names, as the Decimal listed in ``AQLS``.

    Accepts a string ("2.5", "4", "4.0", "0.01"), a Decimal, an int or a float; the value
    must equal one of the preferred AQLs. Raises ValueError naming the value otherwise.
    """
    if isinstance(aql, bool):
        raise ValueError(f"AQL {aql!r} is not a number")
    if isinstance(aql, Decimal):
        value = aql
    elif isinstance(aql, str):
        try:
            value = Decimal(aql.strip())
        except InvalidOperation:
            raise ValueError(f"AQL {aql!r} is not a number") from None
    elif isinstance(aql, int | float):
        value = Decimal(str(aql))
    else:
        raise TypeError(f"AQL must be a string, Decimal or number, got {aql!r}")
    if value.is_finite():
        for standard in AQLS:
            if value == standard:
                return standard
    raise ValueError(
        f"AQL {aql!r} is not one of the standard's preferred values: "
        + ", ".join(str(standard) for standard in AQLS))


def code_letter(lot_size: int, level: str = "II") -> str:
    """Return the sample size code letter of Table 1 for ``lot_size`` and ``level``.

    ``level`` is one of I, II (the default), III or S-1 to S-4. Raises ValueError for a lot
    of fewer than 2 items or an unknown level.
    """
    if isinstance(lot_size, bool) or not isinstance(lot_size, int):
        raise TypeError(f"lot size must be an integer, got {lot_size!r}")
    if lot_size < 2:
        raise ValueError(f"lot size must be at least 2, got {lot_size}")
    column = LEVELS.index(_normalize_level(level))
    for largest, letters in _TABLE_1:
        if largest is None or lot_size <= largest:
            return letters.split()[column]
    raise AssertionError("unreachable: the last range of Table 1 is open")


def plan_for_letter(letter: str, aql: str | Decimal | int | float) -> Plan:
    """Return the Table 2-A plan for a sample size code letter and an AQL, arrows followed.

    The returned plan's ``code_letter`` is the row the arrows led to, and its sample size is
    that row's. No lot size is involved, so ``inspect_all`` is false; see ``plan``.
    Raises ValueError for an unknown letter or AQL.
    """
    if letter not in SAMPLE_SIZES:
        raise ValueError(
            f"unknown code letter {letter!r}; expected one of {''.join(CODE_LETTERS)}")
    column = AQLS.index(normalize_aql(aql))
    row = CODE_LETTERS.index(letter)
    cell = _TABLE_2A[letter][column]
    if isinstance(cell, str):
        arrow = cell
        step = 1 if arrow == _DOWN else -1
        while isinstance(cell, str):
            if cell != arrow:
                raise RuntimeError(f"Table 2-A: arrows meet head on in column {aql}")
            row += step
            if not 0 <= row < len(CODE_LETTERS):
                raise RuntimeError(f"Table 2-A: an arrow leads off the table in column {aql}")
            cell = _TABLE_2A[CODE_LETTERS[row]][column]
    accept, reject = cell
    final = CODE_LETTERS[row]
    return Plan(code_letter=final, sample_size=SAMPLE_SIZES[final], accept=accept,
                reject=reject)


def plan(lot_size: int, aql: str | Decimal | int | float, level: str = "II") -> Plan:
    """Return the single sampling plan for normal inspection of a lot.

    Table 1 gives the code letter for ``lot_size`` and ``level``. Table 2-A then gives the
    plan for that letter and ``aql``, following any arrow to the first plan below or above
    it, and the sample size of the row it ends in. If that sample size equals or exceeds the
    lot size, the whole lot is inspected: ``inspect_all`` is true and ``sample_size`` is
    ``lot_size``, while Ac and Re stay those of the plan. Raises ValueError for a lot of
    fewer than 2 items, an unknown level or an AQL that is not a preferred value.
    """
    found = plan_for_letter(code_letter(lot_size, level), aql)
    if found.sample_size >= lot_size:
        return Plan(code_letter=found.code_letter, sample_size=lot_size, accept=found.accept,
                    reject=found.reject, inspect_all=True)
    return found


def verdict(plan: Plan, defects_found: int) -> bool:
    """Return True if the lot is accepted: ``defects_found`` is at most the plan's Ac.

    With ``reject`` (Re) or more the lot is not accepted; in single sampling Re is Ac + 1,
    so there is nothing in between. Raises ValueError for a negative count.
    """
    if isinstance(defects_found, bool) or not isinstance(defects_found, int):
        raise TypeError(f"number of defects must be an integer, got {defects_found!r}")
    if defects_found < 0:
        raise ValueError(f"number of defects cannot be negative, got {defects_found}")
    return defects_found <= plan.accept
