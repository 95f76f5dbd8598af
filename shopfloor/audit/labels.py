"""Human names for the fields the audit trail records (raw names are shown otherwise)."""

from flask_babel import lazy_gettext as _l

FIELD_LABELS = {
    "partner_reference": _l("Partner's order number"),
    "partner_id": _l("Partner"),
    "lines": _l("Lines"),
    "notes": _l("Notes"),
    "good_quantity": _l("Good quantity"),
    "rejects": _l("Rejects"),
    "consumed": _l("Material used"),
    "shipped": _l("Shipment"),
    "name": _l("Name"),
    "nip": _l("NIP (tax id)"),
    "active": _l("Active"),
    "code": _l("Code"),
    "unit": _l("Unit"),
    "standard_minutes": _l("Standard minutes per unit"),
    "workers": _l("Workers"),
    "sign_in_lock": _l("Sign-in lock"),
    "batch": _l("Batch"),
}


def field_label(name: str) -> str:
    """The label of an audited field; batch-record keys keep their key after the dot."""
    if name.startswith("record."):
        return f"{_l('Batch record')}: {name.removeprefix('record.')}"
    return str(FIELD_LABELS.get(name, name))
