"""The managers' jobs page: what the scheduler runs, how it went, and "run now"."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from shopfloor.auth.access import require_role
from shopfloor.core.roles import MANAGER
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.scheduling.jobs import run_job
from shopfloor.scheduling.models import RunOutcome
from shopfloor.scheduling.queries import job_overview, lease_state

bp = Blueprint("scheduling", __name__)

# Outcome badges reuse the status colours: green, amber, red.
OUTCOME_CLASSES = {RunOutcome.OK: "done", RunOutcome.RUNNING: "awaiting_qc",
                   RunOutcome.FAILED: "rejected"}


def _last_line(error: str | None) -> str:
    lines = [line for line in (error or "").strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


@bp.get("/jobs")
@require_role(*MANAGER)
def job_list():
    """Every scheduled job with its schedule, last run, last error and next run."""
    return render_template(
        "scheduling/jobs.html", rows=job_overview(current_app.config["SHOPFLOOR"]),
        lease=lease_state(utcnow()), outcome_classes=OUTCOME_CLASSES,
        outcome_names={RunOutcome.OK: _("OK"), RunOutcome.RUNNING: _("Running"),
                       RunOutcome.FAILED: _("Failed")}, last_line=_last_line)


@bp.post("/jobs/<name>/run")
@require_role(*MANAGER)
def job_run(name: str):
    """Run one job now, recorded like a scheduled run (runner "manual")."""
    try:
        run = run_job(name, runner="manual")
    except DomainError as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("scheduling.job_list"))
    if run.outcome == RunOutcome.OK:
        flash(_("%(job)s finished: %(summary)s", job=name, summary=run.summary), "success")
    else:
        flash(_("%(job)s failed: %(error)s", job=name, error=_last_line(run.error)), "error")
    return redirect(url_for("scheduling.job_list", _anchor=f"job-{name}"))
