"""What the harness panel on a batch's page shows: the type's connectors drawn, the crimp
set-ups with their verdicts, and every serial with its electrical tests (read-only)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from shopfloor.extensions import db
from shopfloor.harness import rules, services
from shopfloor.harness.face import colour_name, connector_face_svg
from shopfloor.harness.models import CrimpSetup

SETUP_REASON_NAMES = {"run": _l("Start of the run"), "reel": _l("New reel"),
                      "tool": _l("Tool change")}
UNIT_STATUS_NAMES = {"built": _l("Built, not tested"), "passed": _l("Test passed"),
                     "failed": _l("Test failed"), "packed": _l("Packed")}
PROBLEM_NAMES = {"height": _l("crimp height outside the spec"),
                 "pull_count": _l("fewer than five pull tests"),
                 "pull": _l("a pull below the minimum"), "gauge": _l("gauge not in the table")}


def setup_rows(batch) -> list[dict]:
    """Each set-up with what its measurements say."""
    from sqlalchemy import select

    rows = []
    for setup in db.session.scalars(select(CrimpSetup).where(CrimpSetup.batch_id == batch.id)
                                    .order_by(CrimpSetup.id)):
        verdict = rules.judge_setup(setup.height_mm, setup.height_min_mm, setup.height_max_mm,
                                    setup.pulls_n, setup.gauge_awg)
        rows.append({"setup": setup, "verdict": verdict,
                     "problems": [str(PROBLEM_NAMES[p]) for p in verdict.problems]})
    return rows


def batch_panel(batch) -> dict:
    """The values of templates/harness/_batch_panel.html."""
    harness_type = services.harness_type_of(batch.product_id)
    faces = [(c, connector_face_svg(c, harness_type.wires))
             for c in harness_type.connectors] if harness_type else []
    return {"batch": batch, "harness_type": harness_type, "faces": faces,
            "wires": [{**w, "colour_name": colour_name(w["colour"])}
                      for w in (harness_type.wires if harness_type else [])],
            "setups": setup_rows(batch), "units": services.units_of(batch),
            "counts": services.unit_counts(batch), "reason_names": SETUP_REASON_NAMES,
            "unit_status_names": UNIT_STATUS_NAMES, "gauges": sorted(rules.MIN_PULL_N),
            "minimum_pulls": rules.MIN_PULL_N, "refusal": None, "errors": {}, "typed": {}}
