"""Partner firms: list, detail, create and edit."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.audit.services import history
from shopfloor.auth.access import require_role
from shopfloor.core.roles import MANAGER, STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status
from shopfloor.orders.queries import page_of
from shopfloor.partners import queries
from shopfloor.partners.forms import PartnerForm
from shopfloor.partners.models import Partner
from shopfloor.partners.services import ContactData, PartnerData, save_partner

bp = Blueprint("partners", __name__, url_prefix="/partners")


def _data(form: PartnerForm) -> PartnerData:
    return PartnerData(
        name=form.name.data or "", nip=form.nip.data or "", street=form.street.data or "",
        postal_code=form.postal_code.data or "", city=form.city.data or "",
        email=form.email.data or "", phone=form.phone.data or "", notes=form.notes.data or "",
        active=bool(form.active.data), destruction_ban=bool(form.destruction_ban.data),
        turnaround_days=form.turnaround_days.data if form.turnaround_days.data is not None
        else 5,
        lines=list(form.lines.data or []),
        contacts=[ContactData(c["name"] or "", c["function"] or "", c["email"] or "",
                              c["phone"] or "", status_digest=bool(c.get("status_digest")))
                  for c in form.contacts.data if (c.get("name") or "").strip()
                  or (c.get("email") or "").strip() or (c.get("phone") or "").strip()])


@bp.get("/")
@require_role(*STAFF)
def partner_list():
    """Partners, searchable by name, NIP or city."""
    search = request.args.get("q", "")
    rows, total = page_of(queries.partners_query(search), request.args.get("page", 1, int))
    return render_template("partners/list.html", partners=rows, total=total, search=search)


@bp.get("/<int:partner_id>")
@require_role(*STAFF)
def partner_detail(partner_id: int):
    """One partner with contacts, portal accounts and history."""
    partner = db.session.get(Partner, partner_id) or abort(404)
    return render_detail(partner)


def render_detail(partner: Partner, invite_form=None, status: int = 200):
    """The partner page; ``invite_form`` carries a refused invitation back to its fields."""
    from shopfloor.portal.accounts import is_invited, partner_accounts
    from shopfloor.portal.forms import PARTNER_ROLE_NAMES, InviteForm
    from shopfloor.webhooks.queries import webhook_overview

    # Managers only: supervisors have no business with the partner's systems.
    webhooks = webhook_overview(partner.id) if current_user.role in MANAGER else None
    return render_template(
        "partners/detail.html", partner=partner, entries=history(partner),
        accounts=partner_accounts(partner), is_invited=is_invited,
        role_names=PARTNER_ROLE_NAMES, invite_form=invite_form or InviteForm(),
        webhooks=webhooks), status


@bp.route("/new", methods=["GET", "POST"])
@require_role(*MANAGER)
def partner_new():
    """Add a partner firm."""
    form = PartnerForm()
    status = 200
    if form.validate_on_submit():
        try:
            partner = save_partner(_data(form), current_user._get_current_object())
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Partner %(name)s saved.", name=partner.name), "success")
            return redirect(url_for("partners.partner_detail", partner_id=partner.id))
    return (render_template("partners/form.html", form=form, partner=None),
            form_status(form, status))


@bp.route("/<int:partner_id>/edit", methods=["GET", "POST"])
@require_role(*MANAGER)
def partner_edit(partner_id: int):
    """Change a partner firm (refused if someone else saved it meanwhile)."""
    partner = db.session.get(Partner, partner_id) or abort(404)
    form = PartnerForm(obj=partner)
    if request.method == "GET":
        form.lines.data = partner.line_codes
    status = 200
    if form.validate_on_submit():
        try:
            save_partner(_data(form), current_user._get_current_object(), partner,
                         expected_version=form.version.data)
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Partner %(name)s saved.", name=partner.name), "success")
            return redirect(url_for("partners.partner_detail", partner_id=partner.id))
    return (render_template("partners/form.html", form=form, partner=partner),
            form_status(form, status))
