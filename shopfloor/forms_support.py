"""Helpers shared by the views: putting a service's DomainError next to the right field."""

from __future__ import annotations

from wtforms import DecimalField
from wtforms.widgets import TextInput

from shopfloor.errors import DomainError


def attach_error(form, exc: DomainError) -> int:
    """Show the error next to its field (or above the form); return the HTTP status to use."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None and hasattr(field, "errors"):
        if isinstance(field.errors, list):
            field.errors.append(str(exc.message))
        else:  # FieldList/FormField keep errors in other shapes
            form.form_errors.append(str(exc.message))
    else:
        form.form_errors.append(str(exc.message))
    return exc.status_code if exc.status_code != 400 else 422


def int_or_none(value):
    """Coerce a select's value: an id, or None for the empty choice."""
    return int(value) if value not in (None, "", "None") else None


def form_status(form, status: int = 200) -> int:
    """The status to answer with: one a service chose (409...), else 422 if the form has
    errors, else 200."""
    if status != 200:
        return status
    return 422 if form.errors or form.form_errors else 200


class LocalDecimalField(DecimalField):
    """A decimal input that also takes a Polish decimal comma and spaces: "1 250,5".

    Rendered as a text input with a numeric keyboard: type=number refuses the comma.
    """

    widget = TextInput()

    def __init__(self, *args, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **(kwargs.pop(
            "render_kw", None) or {})}
        super().__init__(*args, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
                         for value in valuelist]
        super().process_formdata(valuelist)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        from flask_babel import get_locale

        from shopfloor.units import plain_quantity

        text = plain_quantity(self.data)
        return text.replace(".", ",") if str(get_locale()) == "pl" else text


def safe_next(target: str | None, default: str) -> str:
    """A same-site path to go to after a form, or ``default``: never another site."""
    from urllib.parse import urlsplit

    if not target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(
            ("//", "/\\")) or "\\" in target:
        return default
    return target
