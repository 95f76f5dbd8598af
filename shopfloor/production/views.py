"""Batches: list, planning, detail with the line's record, moves, output and consumption."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.audit.services import history
from shopfloor.auth.access import require_role
from shopfloor.core.roles import STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status, safe_next
from shopfloor.lines import all_lines, get_line
from shopfloor.orders.models import OrderLine
from shopfloor.orders.queries import page_of
from shopfloor.production import queries
from shopfloor.production.forms import (
    BatchPlanForm,
    ConsumeForm,
    MoveForm,
    OutputForm,
    RecordForm,
)
from shopfloor.production.models import Batch
from shopfloor.production.record_form import parse_record, table_rows
from shopfloor.production.services import (
    CONSUMING_STATUSES,
    OUTPUT_STATUSES,
    AllocationData,
    RecordInvalid,
    RejectData,
    consume_lot,
    find_lot,
    move_batch,
    plan_batch,
    record_output,
    update_batch_record,
)
from shopfloor.production.status import (
    BATCH_ACTION_NAMES,
    BATCH_MACHINE,
    BATCH_STATUS_NAMES,
    UNRELEASED,
)
from shopfloor.timeutil import local_today

bp = Blueprint("production", __name__, url_prefix="/batches")


@bp.get("/")
@require_role(*STAFF)
def batch_list():
    """Batches by line and status, or one by its code."""
    line, status, search = (request.args.get("line", ""), request.args.get("status", ""),
                            request.args.get("q", ""))
    rows, total = page_of(queries.batches_query(line, status, search),
                          request.args.get("page", 1, int))
    return render_template("production/list.html", batches=rows, total=total, line=line,
                           status=status, search=search, lines=all_lines(),
                           status_names=BATCH_STATUS_NAMES)


@bp.route("/new", methods=["GET", "POST"])
@require_role(*STAFF)
def batch_new():
    """Plan a batch; from an order line, the product and quantity still needed are filled in."""
    order_line = db.session.get(OrderLine, request.values.get("order_line", type=int) or 0)
    form = BatchPlanForm()
    if request.method == "GET" and order_line is not None:
        form.product_id.data = order_line.product_id
        form.planned_quantity.data = order_line.quantity
        form.allocated_quantity.data = order_line.quantity
    status = 200
    if form.validate_on_submit():
        allocations = []
        if order_line is not None:
            allocations = [AllocationData(order_line.id, form.allocated_quantity.data
                                          or form.planned_quantity.data)]
        try:
            batch = plan_batch(form.product_id.data, form.planned_quantity.data, allocations,
                               current_user._get_current_object(), notes=form.notes.data or "")
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Batch %(code)s planned.", code=batch.code), "success")
            return redirect(url_for("production.batch_detail", batch_id=batch.id))
    return (render_template("production/new.html", form=form, order_line=order_line),
            form_status(form, status))


def batch_page(batch: Batch, *, move_form=None, record_form=None, output_form=None,
               consume_form=None, record_errors=None, submitted_record=None,
               panel_extra: dict | None = None, panel_forms: dict | None = None,
               status: int = 200):
    """The batch page; ``panel_extra`` (errors, what was typed) goes to the line's panel,
    for the line's own forms on it (their views live with the line's area);
    ``panel_forms`` to the pallet panel (its views live with the labels)."""
    from shopfloor.labels.views import pallet_panel

    plugin = get_line(batch.line)
    line_panel = plugin.batch_panel(batch)
    if line_panel is not None and panel_extra:
        line_panel = (line_panel[0], {**line_panel[1], **panel_extra})
    return render_template(
        "production/detail.html", batch=batch, plugin=plugin,
        moves=BATCH_MACHINE.next_statuses(batch.status),
        move_form=move_form or MoveForm(),
        record_form=record_form or RecordForm(),
        output_form=output_form or OutputForm(
            good_quantity=batch.good_quantity,
            rejects=[{"reason": r.reason, "quantity": r.quantity} for r in batch.rejects]),
        consume_form=consume_form or ConsumeForm(),
        record=batch.record or {}, submitted_record=submitted_record,
        record_errors=record_errors or {}, table_rows=table_rows,
        can_consume=batch.status in CONSUMING_STATUSES,
        can_record_output=batch.status in OUTPUT_STATUSES,
        record_needs_reason=batch.status not in UNRELEASED,
        editable=not BATCH_MACHINE.is_final(batch.status),
        status_names=BATCH_STATUS_NAMES, action_names=BATCH_ACTION_NAMES,
        label_kind={"soap": "unit", "garments": "garment", "copack": "pallet"}.get(
            batch.line, "batch"),
        line_panel=line_panel, pallet_panel=pallet_panel(batch, **(panel_forms or {})),
        entries=history(batch)), status


def _batch(batch_id: int) -> Batch:
    return db.session.get(Batch, batch_id) or abort(404)


def _back(batch: Batch):
    return redirect(url_for("production.batch_detail", batch_id=batch.id))


@bp.get("/<int:batch_id>")
@require_role(*STAFF)
def batch_detail(batch_id: int):
    """One batch: status, the line's record, output, lots used, history."""
    return batch_page(_batch(batch_id))


@bp.post("/<int:batch_id>/move")
@require_role(*STAFF)
def batch_move(batch_id: int):
    """Release, start, send to QC, sign off, hold or scrap."""
    batch = _batch(batch_id)
    form = MoveForm()
    if form.validate_on_submit():
        try:
            move_batch(batch, form.status.data, current_user._get_current_object(),
                       reason=form.reason.data or "", expected_version=form.version.data)
        except DomainError as exc:
            return batch_page(batch, move_form=form, status=attach_error(form, exc))
        flash(_("Batch %(code)s is now: %(status)s.", code=batch.code,
                status=BATCH_STATUS_NAMES[batch.status]), "success")
        # From the scan screen: scan, tap, and back to scan the next one.
        return redirect(safe_next(request.form.get("next"),
                                  url_for("production.batch_detail", batch_id=batch.id)))
    return batch_page(batch, move_form=form, status=form_status(form))


@bp.post("/<int:batch_id>/record")
@require_role(*STAFF)
def batch_record(batch_id: int):
    """Save the line's batch record (a reason is needed once released)."""
    batch = _batch(batch_id)
    form = RecordForm()
    submitted = parse_record(get_line(batch.line), request.form)
    if form.validate_on_submit():
        try:
            findings = update_batch_record(batch, submitted, current_user._get_current_object(),
                                           reason=form.reason.data or "",
                                           expected_version=form.version.data)
        except RecordInvalid as exc:
            return batch_page(batch, record_form=form, record_errors=exc.findings.errors,
                           submitted_record=submitted, status=422)
        except DomainError as exc:
            return batch_page(batch, record_form=form, submitted_record=submitted,
                           status=attach_error(form, exc))
        for warning in findings.warnings:
            flash(warning, "warning")
        flash(_("Batch record saved."), "success")
        return _back(batch)
    return batch_page(batch, record_form=form, submitted_record=submitted,
                   status=form_status(form))


@bp.post("/<int:batch_id>/output")
@require_role(*STAFF)
def batch_output(batch_id: int):
    """Record the good quantity and the rejects with their reasons."""
    batch = _batch(batch_id)
    form = OutputForm()
    if form.validate_on_submit():
        rejects = [RejectData(row.form.reason.data or "", row.form.quantity.data)
                   for row in form.rejects
                   if (row.form.reason.data or "").strip() or row.form.quantity.data]
        try:
            record_output(batch, form.good_quantity.data, rejects,
                          current_user._get_current_object(), reason=form.reason.data or "",
                          expected_version=form.version.data)
        except DomainError as exc:
            return batch_page(batch, output_form=form, status=attach_error(form, exc))
        flash(_("Output saved."), "success")
        return _back(batch)
    return batch_page(batch, output_form=form, status=form_status(form))


@bp.post("/<int:batch_id>/consume")
@require_role(*STAFF)
def batch_consume(batch_id: int):
    """Record a lot used by this batch (code typed or scanned)."""
    batch = _batch(batch_id)
    form = ConsumeForm()
    if form.validate_on_submit():
        try:
            lot = find_lot(form.lot.data)
            consume_lot(batch, lot, form.quantity.data or Decimal(0),
                        current_user._get_current_object(), local_today())
        except DomainError as exc:
            return batch_page(batch, consume_form=form, status=attach_error(form, exc))
        flash(_("Lot %(code)s recorded for this batch.", code=lot.code), "success")
        return _back(batch)
    return batch_page(batch, consume_form=form, status=form_status(form))
