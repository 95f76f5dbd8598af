"""The four production lines. Each line's plug-in module registers what its batches record."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class LineInfo:
    """A production line's code and human name."""

    code: str
    name: object  # lazy translated string


LINES: tuple[LineInfo, ...] = (
    LineInfo("soap", _l("Melt-and-pour soap")),
    LineInfo("harness", _l("Wire-harness assembly")),
    LineInfo("garments", _l("Garment returns and repairs")),
    LineInfo("copack", _l("Co-packing")),
)
LINE_CODES = tuple(line.code for line in LINES)


def line_name(code: str) -> str:
    """The translated name of a line, or the code itself when it is unknown."""
    return next((str(line.name) for line in LINES if line.code == code), code)
