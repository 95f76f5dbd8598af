"""The four production lines and the registry of their plug-ins (DESIGN rule 5).

``LINE_CODES`` is fixed here because database constraints use it; each code has a plug-in
module (soap, harness, garments, copack) registered below.
"""

from __future__ import annotations

LINE_CODES = ("soap", "harness", "garments", "copack")

_REGISTRY: dict = {}


def register(plugin) -> None:
    """Add a line plug-in to the registry."""
    if plugin.code not in LINE_CODES:
        raise ValueError(f"unknown line {plugin.code!r}")
    _REGISTRY[plugin.code] = plugin


def get_line(code: str):
    """The plug-in of a line; KeyError for an unknown code."""
    _load()
    return _REGISTRY[code]


def all_lines() -> list:
    """Every line plug-in, in the fixed order."""
    _load()
    return [_REGISTRY[code] for code in LINE_CODES]


def line_name(code: str) -> str:
    """The translated name of a line, or the code itself when it is unknown."""
    _load()
    plugin = _REGISTRY.get(code)
    return str(plugin.name) if plugin else code


def _load() -> None:
    if len(_REGISTRY) == len(LINE_CODES):
        return
    from shopfloor.lines.copack import CopackLine
    from shopfloor.lines.garments import GarmentsLine
    from shopfloor.lines.harness import HarnessLine
    from shopfloor.lines.soap import SoapLine

    for plugin_class in (SoapLine, HarnessLine, GarmentsLine, CopackLine):
        register(plugin_class())
