"""Batch statuses and their transition table."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from shopfloor.statemachine import table


class BatchStatus(enum.StrEnum):
    """Where a batch stands."""

    PLANNED = "planned"
    RELEASED = "released"
    IN_PROGRESS = "in_progress"
    AWAITING_QC = "awaiting_qc"
    DONE = "done"
    ON_HOLD = "on_hold"
    SCRAPPED = "scrapped"


B = BatchStatus
BATCH_MACHINE = table("batch", B.PLANNED, {
    B.PLANNED: (B.RELEASED, B.ON_HOLD, B.SCRAPPED),
    B.RELEASED: (B.IN_PROGRESS, B.PLANNED, B.ON_HOLD, B.SCRAPPED),
    B.IN_PROGRESS: (B.AWAITING_QC, B.ON_HOLD, B.SCRAPPED),
    B.AWAITING_QC: (B.DONE, B.IN_PROGRESS, B.ON_HOLD, B.SCRAPPED),
    # From hold a batch goes back to where it was held (checked by the service).
    B.ON_HOLD: (B.PLANNED, B.RELEASED, B.IN_PROGRESS, B.AWAITING_QC, B.SCRAPPED),
    B.DONE: (),
    B.SCRAPPED: (),
})
# Once released, the batch record is evidence: edits need a reason and are audited.
UNRELEASED = frozenset({B.PLANNED})
ACTIVE = frozenset({B.RELEASED, B.IN_PROGRESS, B.AWAITING_QC})
NEEDS_REASON = frozenset({B.ON_HOLD, B.SCRAPPED})

BATCH_STATUS_NAMES = {
    B.PLANNED: _l("Planned"),
    B.RELEASED: _l("Released"),
    B.IN_PROGRESS: _l("In progress"),
    B.AWAITING_QC: _l("Awaiting QC"),
    B.DONE: _l("Done"),
    B.ON_HOLD: _l("On hold"),
    B.SCRAPPED: _l("Scrapped"),
}

# What the buttons say for each move.
BATCH_ACTION_NAMES = {
    B.PLANNED: _l("Back to planned"),
    B.RELEASED: _l("Release"),
    B.IN_PROGRESS: _l("Start the batch"),
    B.AWAITING_QC: _l("Send to QC"),
    B.DONE: _l("Sign off QC"),
    B.ON_HOLD: _l("Put on hold"),
    B.SCRAPPED: _l("Scrap"),
}
