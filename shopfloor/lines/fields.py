"""marshmallow fields with messages people understand, in their language."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate

REQUIRED = _l("Fill this in.")
NUMBER = _l("Enter a number, for example 12.5.")
DATE = _l("Enter a date as YYYY-MM-DD.")


def text(required: bool = False, max_length: int = 200) -> fields.String:
    """A line of text."""
    extra = {} if required else {"load_default": ""}
    return fields.String(required=required, **extra,
                         validate=validate.Length(max=max_length, error=_l(
                             "At most {max} characters.")),
                         error_messages={"required": REQUIRED, "null": REQUIRED})


def number(minimum: float | None = None, maximum: float | None = None,
           required: bool = False) -> fields.Decimal:
    """A decimal number, optionally bounded."""
    checks = []
    if minimum is not None or maximum is not None:
        checks.append(validate.Range(min=minimum, max=maximum, error=_l(
            "Enter a number between {min} and {max}.")))
    extra = {} if required else {"load_default": None}
    return fields.Decimal(required=required, allow_none=not required, **extra,
                          as_string=True, places=None, validate=checks,
                          error_messages={"required": REQUIRED, "invalid": NUMBER,
                                          "null": REQUIRED, "special": NUMBER})


def day(required: bool = False) -> fields.Date:
    """A calendar date."""
    extra = {} if required else {"load_default": None}
    return fields.Date(required=required, allow_none=not required, **extra,
                       error_messages={"required": REQUIRED, "invalid": DATE, "null": REQUIRED})


def choice(values: tuple[str, ...], required: bool = False) -> fields.String:
    """One of a fixed set of values."""
    extra = {} if required else {"load_default": None}
    return fields.String(required=required, allow_none=not required, **extra,
                         validate=validate.OneOf(values, error=_l("Choose from the list.")),
                         error_messages={"required": REQUIRED, "null": REQUIRED})


def rows(schema, required: bool = False) -> fields.List:
    """A table of rows, each checked by ``schema``."""
    extra = {} if required else {"load_default": list}
    return fields.List(fields.Nested(schema), required=required, **extra,
                       error_messages={"required": REQUIRED})



MOMENT = _l("Enter a date and time, for example 2026-12-06 14:30.")


def _check_moment(value: str) -> None:
    if value == "":
        return
    try:
        datetime.strptime(value.replace(" ", "T"), "%Y-%m-%dT%H:%M")
    except ValueError:
        raise ValidationError(str(MOMENT)) from None


def moment(required: bool = False) -> fields.String:
    """A local date and time to the minute, as a datetime-local input sends it
    (``YYYY-MM-DDTHH:MM``)."""
    extra = {} if required else {"load_default": ""}
    return fields.String(required=required, **extra, validate=_check_moment,
                         error_messages={"required": REQUIRED, "null": REQUIRED})
