"""Jinja filters for showing codes, quantities, units, lines and NIPs."""

from __future__ import annotations

from flask import Flask

from shopfloor.audit.labels import field_label
from shopfloor.codes import format_code
from shopfloor.lines import line_name
from shopfloor.partners.nip import format_nip
from shopfloor.units import format_quantity, unit_name


def register_filters(app: Flask) -> None:
    """Make the display helpers available to every template."""
    app.add_template_filter(format_code, "code")
    app.add_template_filter(format_quantity, "qty")
    app.add_template_filter(unit_name, "unit")
    app.add_template_filter(line_name, "line_name")
    app.add_template_filter(format_nip, "nip")
    app.add_template_filter(field_label, "field_label")
