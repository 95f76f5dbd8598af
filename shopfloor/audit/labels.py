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
    "skills": _l("Can work on"),
    "night_overtime_consent_on": _l("Doctor's consent date"),
    "crimp_setup": _l("Crimp set-up"),
    "serial": _l("Serial number"),
    "serials": _l("Serial numbers"),
    "electrical_test": _l("Electrical test"),
    "electrical_tests": _l("Electrical tests"),
    "packed": _l("Packed"),
    "defect_code": _l("Defect"),
    "defect_zone": _l("Zone"),
    "reinspection_passed": _l("Re-inspection passed"),
    "destroy_exemption": _l("Exemption that allows destroying it"),
    "items": _l("Components"),
    "kit_gtin": _l("Kit GTIN"),
    "note": _l("Note"),
    "material_received": _l("Partner's material received"),
    "material_scrapped": _l("Partner's material scrapped"),
    "material_returned": _l("Partner's material returned"),
    "material_counted": _l("Partner's material counted"),
}


def _record_field_label(key: str) -> str:
    """A batch-record key by the label a line plug-in gives it (the key if none does)."""
    from shopfloor.lines import all_lines

    for plugin in all_lines():
        for spec in plugin.fields:
            if spec.name == key:
                return str(spec.label)
    return key


def field_label(name: str) -> str:
    """The label of an audited field; batch-record keys by their line's label."""
    if name.startswith("record."):
        return f"{_l('Batch record')}: {_record_field_label(name.removeprefix('record.'))}"
    prefix, _dot, key = name.partition(".")
    if prefix in _KEYED_LABELS and key:
        return f"{_KEYED_LABELS[prefix]}: {_key_name(prefix, key)}"
    return str(FIELD_LABELS.get(name, name))


# Worker records audit availability, absences, skills and training one key at a time:
# "availability.0" is Monday, "skill.soap" the soap line, "absence.leave" a leave.
_KEYED_LABELS = {
    "availability": _l("Availability"),
    "absence": _l("Absence"),
    "skill": _l("Skill"),
    "training": _l("Training"),
}


def _key_name(prefix: str, key: str) -> str:
    # Imported here: the audit package must not import the areas at start-up.
    if prefix == "availability" and key.isdigit():
        from shopfloor.timeutil import weekday_name

        return weekday_name(int(key))
    if prefix == "absence":
        from shopfloor.workers.capacity import ABSENCE_KIND_NAMES

        return str(ABSENCE_KIND_NAMES.get(key, key))
    from shopfloor.lines import line_name

    return line_name(key)
