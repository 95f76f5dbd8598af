"""Turning a line plug-in's record fields into form inputs and back (no per-line templates)."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

EXTRA_TABLE_ROWS = 2


def parse_record(plugin, form: MultiDict) -> dict[str, Any]:
    """Collect ``record-<field>`` and ``record-<field>-<row>-<column>`` inputs into a dict.

    Empty table rows are dropped; blank scalar inputs are left out so the schema applies
    its defaults.
    """
    data: dict[str, Any] = {}
    for spec in plugin.fields:
        if spec.kind == "table":
            rows = []
            index = 0
            kinds = {c.name: c.kind for c in spec.columns}
            while any(f"record-{spec.name}-{index}-{c.name}" in form for c in spec.columns):
                row = {c.name: _clean(form.get(f"record-{spec.name}-{index}-{c.name}", ""),
                                      c.kind) for c in spec.columns}
                if any(v for k, v in row.items() if kinds[k] != "code"):
                    rows.append({k: v for k, v in row.items() if v != ""})
                index += 1
            data[spec.name] = rows
        else:
            value = _clean(form.get(f"record-{spec.name}", ""), spec.kind)
            if value != "":
                data[spec.name] = value
    return data


def table_rows(spec, record: dict[str, Any], submitted: dict[str, Any] | None) -> list[dict]:
    """The rows to show for a table field: what was submitted or stored, plus empty rows."""
    rows = list((submitted if submitted is not None else record).get(spec.name) or [])
    return rows + [{} for _ in range(EXTRA_TABLE_ROWS)]


def _clean(value: str, kind: str) -> str:
    """Trim the input; numbers may be typed with a decimal comma, times with a space."""
    value = value.strip()
    if kind == "datetime":
        return value.replace(" ", "T", 1)
    return value.replace(",", ".").replace(" ", "") if kind == "number" else value
