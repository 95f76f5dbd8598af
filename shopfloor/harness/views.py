"""The harness line in the office: harness types (drawing, class, connectors, wire list)
and, on a harness batch's page, crimp set-ups, serial numbers, electrical tests, packing."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.auth.access import require_role
from shopfloor.core.roles import MANAGER, STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.harness import queries, rules, services
from shopfloor.harness.face import connector_face_svg
from shopfloor.harness.models import HarnessType
from shopfloor.production.models import Batch
from shopfloor.production.views import batch_page
from shopfloor.units import as_decimal

# Every POST here carries the page's CSRF token: the app checks it on every request
# (app_setup: csrf_unless_bearer), so these forms are plain HTML on the batch page.
bp = Blueprint("harness", __name__)
CONNECTOR_FIELDS = ("name", "part", "layout")
WIRE_FIELDS = ("wire", "from", "from_cavity", "to", "to_cavity", "colour", "gauge_awg",
               "length_mm", "tolerance_mm")
EXTRA_ROWS = 2


def _user():
    return current_user._get_current_object()


def _rows(prefix: str, names: tuple[str, ...]) -> list[dict]:
    rows, index = [], 0
    while any(f"{prefix}-{index}-{n}" in request.form for n in names):
        rows.append({n: request.form.get(f"{prefix}-{index}-{n}", "") for n in names})
        index += 1
    return rows


@bp.get("/harness-types/")
@require_role(*STAFF)
def type_list():
    """Harness types: part number, drawing and revision, class, connectors."""
    return render_template("harness/types.html", types=queries.harness_types())


def _type_page(harness_type: HarnessType | None, typed: dict | None = None,
               error: DomainError | None = None, status: int = 200):
    products = queries.harness_products()
    if typed is None and harness_type is not None:
        typed = {"product_id": str(harness_type.product_id),
                 "part_number": harness_type.part_number,
                 "drawing_number": harness_type.drawing_number,
                 "drawing_revision": harness_type.drawing_revision,
                 "ipc_class": harness_type.ipc_class or "",
                 "connectors": [{"name": c["name"], "part": c.get("part", ""),
                                 "layout": rules.layout_text(c["layout"])}
                                for c in harness_type.connectors],
                 "wires": [{k: str(w[k]) for k in WIRE_FIELDS} for w in harness_type.wires]}
    typed = typed or {"connectors": [], "wires": []}
    faces = [(c, connector_face_svg(c, harness_type.wires))
             for c in harness_type.connectors] if harness_type else []
    return render_template(
        "harness/type_form.html", harness_type=harness_type, products=products, typed=typed,
        connector_rows=typed["connectors"] + [{} for _ in range(EXTRA_ROWS)],
        wire_rows=typed["wires"] + [{} for _ in range(EXTRA_ROWS + 2)],
        colours=rules.COLOURS, gauges=sorted(rules.MIN_PULL_N), faces=faces,
        error=error), status


def _type_form(harness_type: HarnessType | None):
    if request.method == "GET":
        return _type_page(harness_type)
    typed = {name: request.form.get(name, "") for name in (
        "product_id", "part_number", "drawing_number", "drawing_revision", "ipc_class")}
    typed["connectors"] = _rows("connector", CONNECTOR_FIELDS)
    typed["wires"] = _rows("wire", WIRE_FIELDS)
    data = services.HarnessTypeData(
        product_id=int(typed["product_id"]) if typed["product_id"].isdigit() else None,
        part_number=typed["part_number"], drawing_number=typed["drawing_number"],
        drawing_revision=typed["drawing_revision"], ipc_class=typed["ipc_class"] or None,
        connectors=typed["connectors"], wires=typed["wires"])
    try:
        saved = services.save_harness_type(data, _user(), harness_type,
                                           expected_version=request.form.get("version"))
    except DomainError as exc:
        return _type_page(harness_type, typed, exc, exc.status_code if exc.status_code != 400
                          else 422)
    flash(_("Harness type %(part)s saved.", part=saved.part_number), "success")
    return redirect(url_for("harness.type_edit", type_id=saved.id))


@bp.route("/harness-types/new", methods=["GET", "POST"])
@require_role(*MANAGER)
def type_new():
    """Add a harness type for a harness product."""
    return _type_form(None)


@bp.route("/harness-types/<int:type_id>", methods=["GET", "POST"])
@require_role(*MANAGER)
def type_edit(type_id: int):
    """Change a harness type (its drawing revision, connectors, wires)."""
    return _type_form(db.session.get(HarnessType, type_id) or abort(404))


# ----------------------------------------------------------------- on a batch's page


def _batch(batch_id: int) -> Batch:
    batch = db.session.get(Batch, batch_id)
    if batch is None or batch.line != "harness":
        abort(404)
    return batch


def _refused(batch: Batch, exc: DomainError, typed: dict, field: str | None = None):
    """The batch page again, the refusal next to the field (``field`` when the panel's
    forms share a field name), with what was typed."""
    return batch_page(batch, panel_extra={"errors": {field or exc.field or "form":
                                                     str(exc.message)}, "typed": typed},
                      status=exc.status_code if exc.status_code != 400 else 422)


@bp.post("/batches/<int:batch_id>/harness/setup")
@require_role(*STAFF)
def record_setup(batch_id: int):
    """Record a crimp set-up check: crimp height and pull tests."""
    batch = _batch(batch_id)
    typed = dict(request.form)
    pulls = [p for p in (request.form.get("pulls_n") or "").replace(";", " ").split() if p]
    gauge = request.form.get("gauge_awg", "")
    data = services.SetupData(
        reason=request.form.get("reason", ""), tool_id=request.form.get("tool_id", ""),
        gauge_awg=int(gauge) if gauge.isdigit() else None,
        height_min_mm=as_decimal(request.form.get("height_min_mm", "")),
        height_max_mm=as_decimal(request.form.get("height_max_mm", "")),
        height_mm=as_decimal(request.form.get("height_mm", "")),
        pulls_n=[as_decimal(p) for p in pulls], wire_lot_code=request.form.get("wire_lot", ""),
        terminal_lot_code=request.form.get("terminal_lot", ""))
    try:
        setup = services.record_setup(batch, data, _user())
    except DomainError as exc:
        return _refused(batch, exc, typed)
    flash(_("Crimp set-up passed.") if setup.passed else
          _("Crimp set-up failed: production stops until a set-up passes."),
          "success" if setup.passed else "error")
    return redirect(url_for("production.batch_detail", batch_id=batch.id, _anchor="harness"))


@bp.post("/batches/<int:batch_id>/harness/units")
@require_role(*STAFF)
def register_units(batch_id: int):
    """Give the next harnesses their serial numbers (one label each)."""
    batch = _batch(batch_id)
    count = request.form.get("count", "1").strip()
    try:
        units = services.register_units(batch, int(count) if count.isdigit() else 0, _user())
    except DomainError as exc:
        return _refused(batch, exc, {"count": count}, field="register")
    flash(_("Serial numbers %(first)s to %(last)s given.", first=units[0].serial,
            last=units[-1].serial), "success")
    return redirect(url_for("production.batch_detail", batch_id=batch.id, _anchor="harness"))


@bp.post("/batches/<int:batch_id>/harness/tests")
@require_role(*STAFF)
def record_test(batch_id: int):
    """Record an electrical test of one serial (and the rework before a retest)."""
    batch = _batch(batch_id)
    typed = dict(request.form)
    try:
        unit = services.find_unit(batch, request.form.get("serial", ""))
        services.record_test(unit, request.form.get("result") == "pass",
                             request.form.get("failing_nets", ""),
                             request.form.get("tester_id", ""),
                             request.form.get("program_version", ""), _user(),
                             rework=request.form.get("rework", ""))
    except DomainError as exc:
        return _refused(batch, exc, typed)
    flash(_("Test of %(serial)s recorded.", serial=unit.serial), "success")
    return redirect(url_for("production.batch_detail", batch_id=batch.id, _anchor="harness"))


@bp.post("/batches/<int:batch_id>/harness/test-log")
@require_role(*STAFF)
def import_test_log(batch_id: int):
    """Record a tester's log of many harnesses at once."""
    batch = _batch(batch_id)
    typed = {"log": request.form.get("log", ""), "log_tester_id": request.form.get(
        "tester_id", ""), "log_program_version": request.form.get("program_version", "")}
    try:
        count = services.import_test_log(batch, typed["log"], typed["log_tester_id"],
                                         typed["log_program_version"], _user())
    except DomainError as exc:
        return _refused(batch, exc, typed, field=f"log_{exc.field}" if exc.field in (
            "tester_id", "program_version") else "log")
    flash(_("%(n)s test results recorded.", n=count), "success")
    return redirect(url_for("production.batch_detail", batch_id=batch.id, _anchor="harness"))


@bp.post("/batches/<int:batch_id>/harness/pack")
@require_role(*STAFF)
def pack(batch_id: int):
    """Pack a harness by its serial: refused without a passed electrical test."""
    batch = _batch(batch_id)
    try:
        unit = services.pack_unit(batch, request.form.get("serial", ""), _user())
    except DomainError as exc:
        return _refused(batch, exc, {"pack_serial": request.form.get("serial", "")},
                        field="pack_serial")
    flash(_("Harness %(serial)s packed.", serial=unit.serial), "success")
    return redirect(url_for("production.batch_detail", batch_id=batch.id, _anchor="harness"))

