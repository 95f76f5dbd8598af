"""What the line plug-ins add to a worker's taps: a reading the batch record keeps (a soap
melt temperature) and a line's reason to stop work (a failed crimp set-up)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from shopfloor.audit.services import apply_edits
from shopfloor.errors import DomainError
from shopfloor.lines import get_line
from shopfloor.timeutil import local_minute

# Audit reason of a reading a tablet put into a released batch record.
MSG_MEASURED_ON_TABLET = _l("Measured on the station tablet.")


def refuse_if_line_says_so(batch) -> None:
    """Raise the line's worker-facing reason when work on the batch may not go on."""
    refusal = get_line(batch.line).work_refusal(batch)
    if refusal:
        raise DomainError(refusal, field="batch")


def measure_into_record(batch, step, event) -> None:
    """Put a reading the line keeps (a soap melt temperature) into the batch record, with
    the line's findings kept, in the event's transaction. The worker is not stopped: a
    warning is for the office, and a finding for QC moves the batch to QC by itself."""
    from shopfloor.production.services import keep_findings

    plugin = get_line(batch.line)
    record = plugin.measure_recorded(batch, step, event.value, local_minute(event.occurred_at))
    if record is None:
        return
    # Only what the line's record holds now (a record kept from before a schema change may
    # carry keys the line no longer has; they must not stop the reading).
    known = plugin.schema().fields
    loaded, findings = plugin.load_record({k: v for k, v in record.items() if k in known})
    if not findings.ok:  # a reading the record cannot hold stays a step event only
        return
    apply_edits(batch, {"record": plugin.dump_record(loaded)}, None,
                reason=str(MSG_MEASURED_ON_TABLET))
    keep_findings(batch, findings, None)
