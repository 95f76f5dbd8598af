"""State changes of partner firms."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shopfloor.audit.services import apply_edits, check_version, commit, write_audit
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.lines import LINE_CODES
from shopfloor.partners.models import Partner, PartnerContact, PartnerLine
from shopfloor.partners.nip import is_valid_nip, normalize_nip


@dataclass
class ContactData:
    """A contact person as submitted."""

    name: str
    function: str = ""
    email: str = ""
    phone: str = ""
    status_digest: bool = False  # receives the weekly status e-mail of open orders


@dataclass
class PartnerData:
    """A partner firm as submitted by a form or the API."""

    name: str
    nip: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "PL"
    email: str = ""
    phone: str = ""
    notes: str = ""
    active: bool = True
    destruction_ban: bool = True
    turnaround_days: int = 5
    lines: list[str] = field(default_factory=list)
    contacts: list[ContactData] = field(default_factory=list)


def _check(data: PartnerData, partner_id: int | None) -> str | None:
    name = data.name.strip()
    if not name:
        raise DomainError(_l("Enter the firm's name."), field="name")
    clash = db.session.scalar(select(Partner.id).where(Partner.name == name))
    if clash is not None and clash != partner_id:
        raise DomainError(_l("A partner with this name already exists."), field="name")
    nip = normalize_nip(data.nip) if data.nip.strip() else None
    if nip is not None:
        if not is_valid_nip(nip):
            raise DomainError(_l("This NIP is not valid: check the ten digits."), field="nip")
        clash = db.session.scalar(select(Partner.id).where(Partner.nip == nip))
        if clash is not None and clash != partner_id:
            raise DomainError(_l("Another partner has this NIP."), field="nip")
    unknown = set(data.lines) - set(LINE_CODES)
    if unknown or not data.lines:
        raise DomainError(_l("Choose at least one production line."), field="lines")
    for contact in data.contacts:
        if not contact.name.strip():
            raise DomainError(_l("Every contact needs a name."), field="contacts")
        if contact.email and "@" not in contact.email:
            raise DomainError(_l("%(email)s is not an e-mail address.", email=contact.email),
                              field="contacts")
        if contact.status_digest and not contact.email.strip():
            raise DomainError(_l("%(name)s has no e-mail address for the weekly status "
                                 "e-mail: add one or untick it.", name=contact.name.strip()),
                              field="contacts")
    return nip


def save_partner(data: PartnerData, user, partner: Partner | None = None,
                 expected_version: int | str | None = None) -> Partner:
    """Create a partner, or update one (audited, refused if someone saved it meanwhile)."""
    if partner is not None:
        check_version(partner, expected_version)
    nip = _check(data, partner.id if partner else None)
    if data.turnaround_days is None or not 1 <= data.turnaround_days <= 60:
        raise DomainError(_l("Give the target in working days, from 1 to 60."),
                          field="turnaround_days")
    values = {"name": data.name.strip(), "nip": nip, "street": data.street.strip(),
              "postal_code": data.postal_code.strip(), "city": data.city.strip(),
              "country": (data.country.strip() or "PL").upper()[:2],
              "email": data.email.strip(), "phone": data.phone.strip(),
              "notes": data.notes.strip(), "active": data.active,
              "destruction_ban": data.destruction_ban,
              "turnaround_days": data.turnaround_days}
    if partner is None:
        partner = Partner(**values)
        db.session.add(partner)
        write_audit(partner, "created", user)
    else:
        apply_edits(partner, values, user)
    old_lines = sorted(partner.line_codes)
    if old_lines != sorted(data.lines):
        partner.lines = [PartnerLine(line=code) for code in sorted(set(data.lines))]
        if old_lines:
            write_audit(partner, "edited", user, changes={"lines": (old_lines, sorted(data.lines))})
    partner.contacts = _contact_rows(partner, data.contacts)
    commit([partner])
    return partner


def _contact_key(email: str, name: str) -> tuple[str, str]:
    email = email.strip().lower()
    return ("email", email) if email else ("name", name.strip().lower())


def _contact_rows(partner: Partner, contacts: list[ContactData]) -> list[PartnerContact]:
    """The partner's contact rows as submitted. A person already listed (same e-mail, else
    same name) keeps their row and its id, which the weekly digest's once-a-week key
    uses: editing the partner does not make this week's e-mail go again."""
    existing: dict[tuple[str, str], list[PartnerContact]] = {}
    for row in partner.contacts:
        existing.setdefault(_contact_key(row.email, row.name), []).append(row)
    rows = []
    for c in contacts:
        matches = existing.get(_contact_key(c.email, c.name))
        row = matches.pop(0) if matches else PartnerContact()
        row.name, row.function = c.name.strip(), c.function.strip()
        row.email, row.phone = c.email.strip(), c.phone.strip()
        row.status_digest = bool(c.status_digest)
        rows.append(row)
    return rows
