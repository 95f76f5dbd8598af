"""Units of measure, with their Polish and English names."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

UNITS = {
    "pcs": _l("pcs"),
    "set": _l("set"),
    "kg": _l("kg"),
    "g": _l("g"),
    "l": _l("l"),
    "ml": _l("ml"),
    "m": _l("m"),
}
UNIT_CODES = tuple(UNITS)


def unit_name(code: str) -> str:
    """The translated short name of a unit."""
    return str(UNITS.get(code, code))


def plain_quantity(value) -> str:
    """A quantity without trailing zeros or exponent, as in CSV files: 4, 2.5, 0.125."""
    from decimal import Decimal

    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_quantity(value, places: int | None = None) -> str:
    """A quantity for people, in their locale: 1 250,5 in Polish; ``places`` rounds it
    (half up) and shows at most that many decimals."""
    from decimal import ROUND_HALF_UP, Decimal

    from flask_babel import format_decimal

    if places is None:
        return format_decimal(value, format="#,##0.###")
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format_decimal(rounded, format="#,##0." + "#" * places if places else "#,##0")


def as_decimal(value):
    """``value`` as a finite Decimal, or None when it is missing or not a number; a decimal
    comma and spaces between digits ("1 250,5") are taken as people type them."""
    from decimal import Decimal, InvalidOperation

    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None
