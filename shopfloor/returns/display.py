"""How returned items' statuses, dispositions and reasons read, in the office and the portal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from shopfloor.lines.garments import REASONS
from shopfloor.returns.models import Disposition, ItemStatus, RepairStage

STATUS_NAMES = {
    ItemStatus.SET_ASIDE.value: _l("Set aside: no return number"),
    ItemStatus.RECEIVED.value: _l("Received"),
    ItemStatus.AWAITING_DECISION.value: _l("Waiting for your decision"),
    ItemStatus.DECIDED.value: _l("Decided"),
}
# The office says whose turn it is in its own words.
STAFF_STATUS_NAMES = {**STATUS_NAMES,
                      ItemStatus.AWAITING_DECISION.value: _l("Waiting for the partner")}
DISPOSITION_NAMES = {
    Disposition.RESTOCK.value: _l("Back to stock"),
    Disposition.REPAIR.value: _l("Repair"),
    Disposition.SECOND_QUALITY.value: _l("Second quality"),
    Disposition.RETURN_TO_MANUFACTURER.value: _l("Back to the manufacturer"),
    Disposition.RETURN_TO_PARTNER.value: _l("Sent back to the partner"),
    Disposition.WRITE_OFF.value: _l("Write off (recycle or donate)"),
    Disposition.RECYCLE.value: _l("Recycle"),
    Disposition.DONATE.value: _l("Donate"),
    Disposition.DESTROY.value: _l("Destroy"),
}
SEVERITY_NAMES = {"critical": _l("Critical: unsafe or illegal"),
                  "major": _l("Major: fails or cannot be sold"),
                  "minor": _l("Minor: workmanship")}
REASON_NAMES = dict(REASONS)
REPAIR_STAGE_NAMES = {
    RepairStage.TO_REPAIR.value: _l("Waiting for repair"),
    RepairStage.TO_REINSPECT.value: _l("Waiting for re-inspection"),
    RepairStage.PASSED.value: _l("Re-inspection passed"),
}
