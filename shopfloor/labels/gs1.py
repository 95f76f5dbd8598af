"""GS1 check digits (General Specifications §7.9.1), SSCC numbers and element strings.

Element strings are accepted as scanners and people send them: the parentheses form
``(01)04006381333931(10)ABC123`` (spaces ignored, as printed labels group digits), or the
raw form where FNC1 after a variable-length field arrives as the group separator GS
(``\\x1d``), or as the text ``<GS>`` (any case) or ``^]`` from keyboard-wedge scanners that
cannot type GS. ``~`` is not taken as a separator (some scanners use it as an escape); it
is refused with a hint about the scanner setting. A leading symbology identifier ``]C1``
(GS1-128), ``]d2`` (GS1 DataMatrix), ``]Q3`` (GS1 QR Code) or ``]e0`` (GS1 DataBar) is
dropped. Anything that does not parse completely raises Gs1Error: no partial data.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

GS = "\x1d"
SYMBOLOGY_IDS = {"]C1": "GS1-128", "]d2": "GS1 DataMatrix", "]Q3": "GS1 QR Code",
                 "]e0": "GS1 DataBar"}
SEPARATOR_ALIASES = ("<GS>", "^]")
# GS1 AI encodable character set 82 (General Specifications §7.11, figure 7.11-1).
CSET82 = frozenset("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
                   "abcdefghijklmnopqrstuvwxyz")


class Gs1Error(ValueError):
    """A GS1 number or element string is malformed; the message says what is wrong."""


class AiSpec(NamedTuple):
    """How one application identifier's data field looks."""

    length: int  # the exact length if ``fixed``, else the maximum
    fixed: bool
    numeric: bool
    description: str
    kind: str = ""  # "check" (last digit is a check digit), "date" (YYMMDD) or ""


APPLICATION_IDENTIFIERS: dict[str, AiSpec] = {
    "00": AiSpec(18, True, True, "SSCC", "check"),
    "01": AiSpec(14, True, True, "GTIN", "check"),
    "02": AiSpec(14, True, True, "GTIN of contained trade items", "check"),
    "10": AiSpec(20, False, False, "batch/lot number"),
    "11": AiSpec(6, True, True, "production date", "date"),
    "13": AiSpec(6, True, True, "packaging date", "date"),
    "15": AiSpec(6, True, True, "best before date", "date"),
    "17": AiSpec(6, True, True, "expiry date", "date"),
    "21": AiSpec(20, False, False, "serial number"),
    "37": AiSpec(8, False, True, "count of trade items"),
}
GTIN_LENGTHS = (8, 12, 13, 14)
SSCC_LENGTH = 18


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def check_digit(data: str) -> str:
    """The GS1 mod-10 check digit for ``data`` (the digits without their check digit)."""
    if not _is_digits(data):
        raise Gs1Error(f"check digit data must be digits, got {data!r}")
    total = sum(int(digit) * (3 if i % 2 == 0 else 1) for i, digit in enumerate(reversed(data)))
    return str((10 - total % 10) % 10)


def _has_valid_check_digit(code: str, lengths: tuple[int, ...]) -> bool:
    return (isinstance(code, str) and len(code) in lengths and _is_digits(code)
            and check_digit(code[:-1]) == code[-1])


def is_valid_gtin(code: str) -> bool:
    """True if ``code`` is a GTIN-8, -12, -13 or -14 whose last digit is its check digit."""
    return _has_valid_check_digit(code, GTIN_LENGTHS)


def is_valid_sscc(code: str) -> bool:
    """True if ``code`` is an 18-digit SSCC whose last digit is its check digit."""
    return _has_valid_check_digit(code, (SSCC_LENGTH,))


def complete_gtin(data: str) -> str:
    """The GTIN for 7, 11, 12 or 13 data digits: the data with its check digit appended."""
    if len(data) + 1 not in GTIN_LENGTHS:
        raise Gs1Error(f"GTIN data must have 7, 11, 12 or 13 digits, got {len(data)}")
    return data + check_digit(data)


def _check_company_prefix(company_prefix: str) -> None:
    if not _is_digits(company_prefix):
        raise Gs1Error(f"GS1 company prefix must be digits, got {company_prefix!r}")
    if not 7 <= len(company_prefix) <= 10:
        raise Gs1Error(f"GS1 company prefix must have 7 to 10 digits, "
                       f"got {len(company_prefix)}")


def sscc_capacity(company_prefix: str) -> int:
    """How many serial references fit in an SSCC after this company prefix."""
    _check_company_prefix(company_prefix)
    return 10 ** (SSCC_LENGTH - 2 - len(company_prefix))


def make_sscc(extension_digit: int, company_prefix: str, serial: int) -> str:
    """The 18-digit SSCC: extension digit, company prefix, zero-padded serial, check digit."""
    if type(extension_digit) is not int or not 0 <= extension_digit <= 9:
        raise Gs1Error(f"SSCC extension digit must be 0 to 9, got {extension_digit!r}")
    capacity = sscc_capacity(company_prefix)
    if type(serial) is not int or serial < 0:
        raise Gs1Error(f"SSCC serial reference must be a whole number >= 0, got {serial!r}")
    if serial >= capacity:
        raise Gs1Error(f"SSCC serial reference {serial} does not fit after company prefix "
                       f"{company_prefix}: at most {capacity - 1}")
    width = SSCC_LENGTH - 2 - len(company_prefix)
    data = f"{extension_digit}{company_prefix}{serial:0{width}d}"
    return data + check_digit(data)


def parse_gs1_date(yymmdd: str, today: date | None = None) -> date:
    """A GS1 YYMMDD date; day ``00`` means the last day of the month.

    The century follows GS1 §7.12: a year more than 50 years ahead of ``today`` (default:
    the system date) belongs to the previous century, one 50 or more behind to the next.
    """
    if len(yymmdd) != 6 or not _is_digits(yymmdd):
        raise Gs1Error(f"a GS1 date is six digits YYMMDD, got {yymmdd!r}")
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    current = (today or date.today()).year
    century, difference = current - current % 100, yy - current % 100
    if difference >= 51:
        century -= 100
    elif difference <= -50:
        century += 100
    year = century + yy
    if not 1 <= month <= 12:
        raise Gs1Error(f"date {yymmdd}: month {month:02d} does not exist")
    last_day = calendar.monthrange(year, month)[1]
    if day > last_day:
        raise Gs1Error(f"date {yymmdd}: day {day:02d} does not exist in "
                       f"{calendar.month_name[month]} {year}")
    return date(year, month, day or last_day)


def _check_element(ai: str, value: str, raw_form: bool = False) -> None:
    """Raise Gs1Error unless ``value`` is a valid data field for ``ai``."""
    spec = APPLICATION_IDENTIFIERS.get(ai)
    if spec is None:
        raise Gs1Error(f"unknown or unsupported application identifier ({ai})")
    name = f"({ai}) {spec.description}"
    if not value:
        raise Gs1Error(f"{name} is empty")
    bad = next((ch for ch in value if ch not in CSET82), None)
    if bad is not None:
        hint = (" (set the scanner to send the group separator as GS, <GS> or ^])"
                if bad == "~" else "")
        raise Gs1Error(f"{name}: character {bad!r} is not allowed in GS1 data{hint}")
    if spec.fixed and len(value) != spec.length:
        raise Gs1Error(f"{name} must have {spec.length} characters, got {len(value)}: "
                       f"{value!r}")
    if len(value) > spec.length:
        hint = " (a group separator may be missing)" if raw_form else ""
        raise Gs1Error(f"{name} has {len(value)} characters, at most {spec.length} "
                       f"allowed{hint}: {value!r}")
    if spec.numeric and not _is_digits(value):
        raise Gs1Error(f"{name} must be digits, got {value!r}")
    if spec.kind == "check" and check_digit(value[:-1]) != value[-1]:
        raise Gs1Error(f"{spec.description} {value}: check digit should be "
                       f"{check_digit(value[:-1])}")
    if spec.kind == "date":
        try:
            parse_gs1_date(value)
        except Gs1Error as error:
            raise Gs1Error(f"{name}: {error}") from None


@dataclass(frozen=True)
class Gs1Data:
    """The parsed elements of a GS1 element string, AI to value, in the scanned order."""

    elements: dict[str, str]

    def __hash__(self) -> int:
        return hash(frozenset(self.elements.items()))

    @property
    def sscc(self) -> str | None:
        """AI 00, the SSCC of a logistic unit."""
        return self.elements.get("00")

    @property
    def gtin(self) -> str | None:
        """AI 01, the GTIN of the trade item."""
        return self.elements.get("01")

    @property
    def batch(self) -> str | None:
        """AI 10, the batch or lot number."""
        return self.elements.get("10")

    @property
    def expiry(self) -> date | None:
        """AI 17, the expiry date (day 00 read as the last day of the month)."""
        value = self.elements.get("17")
        return parse_gs1_date(value) if value is not None else None

    @property
    def serial(self) -> str | None:
        """AI 21, the serial number."""
        return self.elements.get("21")


def _strip_symbology_id(text: str) -> str:
    if not text.startswith("]"):
        return text
    if text[:3] in SYMBOLOGY_IDS:
        return text[3:]
    known = ", ".join(f"{sid} {name}" for sid, name in SYMBOLOGY_IDS.items())
    raise Gs1Error(f"symbology identifier {text[:3]!r} is not a GS1 symbology ({known})")


def _add(elements: dict[str, str], ai: str, value: str) -> None:
    if elements.get(ai, value) != value:
        raise Gs1Error(f"({ai}) appears twice with different values: "
                       f"{elements[ai]!r} and {value!r}")
    elements[ai] = value


def _parse_parenthesised(text: str) -> dict[str, str]:
    parts = re.split(r"\(([0-9]{2,4})\)", "".join(text.split()))
    if parts[0]:
        raise Gs1Error(f"unexpected text before the first application identifier: "
                       f"{parts[0]!r}")
    elements: dict[str, str] = {}
    for ai, value in zip(parts[1::2], parts[2::2], strict=True):
        _check_element(ai, value)
        _add(elements, ai, value)
    return elements


def _parse_raw(text: str) -> dict[str, str]:
    for alias in SEPARATOR_ALIASES:
        text = re.sub(re.escape(alias), GS, text, flags=re.IGNORECASE)
    text = text.strip(GS)
    elements: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        ai = next((text[pos:pos + n] for n in (2, 3, 4)
                   if text[pos:pos + n] in APPLICATION_IDENTIFIERS), None)
        if ai is None:
            raise Gs1Error(f"unknown or unsupported application identifier at position "
                           f"{pos}: {text[pos:pos + 4]!r}")
        spec = APPLICATION_IDENTIFIERS[ai]
        pos += len(ai)
        if spec.fixed:
            value = text[pos:pos + spec.length].split(GS)[0]
            if len(value) < spec.length:
                raise Gs1Error(f"({ai}) {spec.description} is incomplete: {len(value)} of "
                               f"{spec.length} characters (half-read barcode? scan again)")
            pos += spec.length + (1 if text.startswith(GS, pos + spec.length) else 0)
        else:
            end = text.find(GS, pos)
            end = len(text) if end < 0 else end
            value, pos = text[pos:end], end + 1
        _check_element(ai, value, raw_form=True)
        _add(elements, ai, value)
    return elements


def parse_element_string(raw: str) -> Gs1Data:
    """Parse a scanned or typed GS1 element string; raise Gs1Error unless all of it is valid."""
    text = _strip_symbology_id(raw.strip())
    elements = _parse_parenthesised(text) if text.startswith("(") else _parse_raw(text)
    if not elements:
        raise Gs1Error("no GS1 data in the scanned text")
    return Gs1Data(elements)


def looks_like_gs1(raw: str) -> bool:
    """A cheap, conservative test whether a scan is meant as GS1 (not one of our own codes).

    True for a GS1 symbology identifier, the parentheses form opening with a known AI, or
    a raw string of 16+ leading digits starting with AI 00 or 01 that parses completely.
    """
    text = raw.strip()
    if text[:3] in SYMBOLOGY_IDS:
        return True
    match = re.match(r"\(([0-9]{2,4})\)", text)
    if match:
        return match.group(1) in APPLICATION_IDENTIFIERS
    if re.match(r"0[01][0-9]{14}", text):
        try:
            parse_element_string(text)
        except Gs1Error:
            return False
        return True
    return False


def _items(data: Gs1Data | Mapping[str, str]) -> list[tuple[str, str]]:
    elements = data.elements if isinstance(data, Gs1Data) else data
    if not elements:
        raise Gs1Error("no GS1 elements given")
    for ai, value in elements.items():
        _check_element(ai, value)
    return list(elements.items())


def to_human_readable(data: Gs1Data | Mapping[str, str]) -> str:
    """The parentheses form, ``(01)04006381333931(10)ABC123``, for printing under a symbol."""
    return "".join(f"({ai}){value}" for ai, value in _items(data))


def to_element_string(elements: Gs1Data | Mapping[str, str]) -> str:
    """The raw element string for an encoder, in the given order, FNC1 at the start implied.

    A GS (``\\x1d``, FNC1 in the symbol) follows each variable-length field but the last.
    """
    items = _items(elements)
    out = []
    for index, (ai, value) in enumerate(items):
        out.append(ai + value)
        if not APPLICATION_IDENTIFIERS[ai].fixed and index < len(items) - 1:
            out.append(GS)
    return "".join(out)
