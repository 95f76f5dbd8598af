"""The production-line plug-in interface (DESIGN rule 5).

A line says what a batch of that line records (a marshmallow schema plus the fields the
batch page shows), what it validates (errors block saving, warnings inform), which gates
a release and a QC sign-off must pass, and what its labels carry. The generic batch engine
only calls these methods; it never names a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from marshmallow import Schema, ValidationError


@dataclass(frozen=True)
class Column:
    """One column of a repeating part of a batch record (a table on the page)."""

    name: str
    label: Any
    kind: str = "text"  # text | number | date | datetime | choice | code (assigned, read-only)
    choices: tuple[tuple[str, Any], ...] = ()
    unit: str = ""


@dataclass(frozen=True)
class RecordField:
    """One field of a line's batch record, as the batch page shows and edits it."""

    name: str
    label: Any
    kind: str = "text"  # text | number | date | datetime | choice | table
    choices: tuple[tuple[str, Any], ...] = ()
    unit: str = ""
    hint: Any = ""
    columns: tuple[Column, ...] = ()


@dataclass
class Findings:
    """What a check found: errors block, warnings inform. Keys are record field names."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    to_qc: list[str] = field(default_factory=list)

    def error(self, field_name: str, message: Any) -> None:
        """Record a blocking problem on one field."""
        self.errors.setdefault(field_name, []).append(str(message))

    def warn(self, message: Any) -> None:
        """Record something worth knowing that does not block."""
        self.warnings.append(str(message))

    def send_to_qc(self, message: Any) -> None:
        """Record a finding that does not block saving but sends the batch to QC."""
        self.to_qc.append(str(message))

    @property
    def ok(self) -> bool:
        """Nothing blocks."""
        return not self.errors


class LinePlugin:
    """Base class of the four line plug-ins; subclasses fill in the class attributes."""

    code: str = ""
    name: Any = ""
    schema: type[Schema] = Schema
    fields: tuple[RecordField, ...] = ()

    # What a worker may measure on a step screen, and the range the line allows for it
    # (a step may narrow it): {"temperature": (low, high)}; units as in units.py.
    measure_ranges: dict[str, tuple[Decimal, Decimal]] = {}
    # Readings a measuring step may put into the batch record: ((key, label), ...); the
    # step keeps the key in settings["stage"] and measure_recorded() files the value.
    recorded_readings: tuple[tuple[str, Any], ...] = ()
    # Goods of the line leave only on SSCC-labelled pallets (every unit identified, the
    # contents of each SSCC known before arrival: domain.md section 4).
    ships_on_pallets: bool = False

    def measure_range(self, quantity: str) -> tuple[Decimal, Decimal] | None:
        """The allowed range of a measured quantity on this line, or None (the step sets it)."""
        return self.measure_ranges.get(quantity)

    def load_record(self, data: dict[str, Any]) -> tuple[dict[str, Any], Findings]:
        """Parse and check submitted record data: (clean record, findings)."""
        findings = Findings()
        try:
            record = self.schema().load(data)
        except ValidationError as exc:
            for name, messages in exc.messages.items():
                for message in _flatten_messages(messages):
                    findings.error(name, message)
            return data, findings
        self.check_record(record, findings)
        return record, findings

    def field_choices(self, spec: RecordField, batch) -> tuple[tuple[str, Any], ...]:
        """The choices of a ``choice`` field on this batch (a line may work them out)."""
        return spec.choices

    def dump_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """The stored form of a record (JSON-safe)."""
        return self.schema().dump(record)

    def check_record(self, record: dict[str, Any], findings: Findings) -> None:
        """Line rules beyond field types: add errors and warnings to ``findings``."""

    def check_for_batch(self, batch, record: dict[str, Any], findings: Findings) -> None:
        """Rules that need the batch and the database (a chosen recipe version exists...)."""

    def check_consumption(self, batch, lot, quantity: Decimal, findings: Findings) -> None:
        """Rules on a lot about to be used by ``batch``: errors refuse it, warnings are kept."""

    def closing_findings(self, batch, findings: Findings) -> None:
        """Warnings to keep when production of the batch ends (it goes to QC)."""

    def measure_recorded(self, batch, step, value: Decimal, at_local: str
                         ) -> dict[str, Any] | None:
        """A worker measured ``value`` on a step of this batch at ``at_local``
        (``YYYY-MM-DDTHH:MM``): the batch's new record when the reading belongs in it."""
        return None

    def guard_record_change(self, batch, record: dict[str, Any]) -> None:
        """Raise a DomainError when saving ``record`` on ``batch`` would lose something the
        line keeps outside the record (checked before anything changes)."""

    def record_saved(self, batch, user) -> None:
        """Keep the line's own tables in step with the batch's new record (in the caller's
        transaction; no commit)."""

    def scan_counts(self, batch, text: str) -> bool:
        """Whether a scan on a counting scan step (``scan: kit``) is one finished unit."""
        return False

    def output_changed(self, batch, delta: Decimal, user) -> None:
        """The good quantity moved by ``delta`` (a tablet count, or the office's figure):
        keep the line's own stock in step, in the caller's transaction; a DomainError
        refuses the change (nothing of it is saved)."""

    def batch_panel(self, batch) -> tuple[str, dict] | None:
        """A panel of the line's own records on the batch's page: (template, its values)."""
        return None

    def release_gates(self, batch) -> list[str]:
        """Messages that block releasing this batch to production."""
        return []

    def start_gates(self, batch) -> list[str]:
        """Messages that block starting production (released -> in progress)."""
        return []

    def work_refusal(self, batch) -> str | None:
        """Why the tablet must refuse steps on this batch now (worker-facing), or None."""
        return None

    def step_figure_choices(self, product_id: int | None) -> tuple[tuple[str, Any], ...]:
        """Figures a step of this product's instruction may show beside its photo (a
        harness connector's face): ((key, label), ...)."""
        return ()

    def step_figure(self, batch, step):
        """The figure (safe SVG markup) a step shows on the tablet, or None."""
        return None

    def qc_gates(self, batch) -> list[str]:
        """Messages that block the QC sign-off (awaiting QC -> done)."""
        return []

    def label_fields(self, batch) -> dict[str, str]:
        """Line-specific lines printed on the batch's labels."""
        return {}

    def unit_label(self, batch) -> dict[str, str]:
        """What a product unit label of this batch carries; DomainError says what is missing.

        Lines without unit labels refuse.
        """
        from flask_babel import lazy_gettext as _l

        from shopfloor.errors import DomainError

        raise DomainError(_l("This line has no product unit labels."), field="kind")


def _flatten_messages(messages) -> list[str]:
    if isinstance(messages, dict):
        out: list[str] = []
        for value in messages.values():
            out.extend(_flatten_messages(value))
        return out
    if isinstance(messages, list | tuple):
        out = []
        for value in messages:
            out.extend(_flatten_messages(value))
        return out
    return [str(messages)]
