"""Melt-and-pour soap: recipe version, melt and pour temperatures, mould, wrapping.

The ingredient lots and their actual weights are the batch's consumption rows, so they are
recorded once. Deeper rules (fragrance load, allergens, check weighing) come with the soap
line's own issue. Temperatures follow shared/domain.md section 1.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from shopfloor.errors import DomainError
from shopfloor.lines import fields as f
from shopfloor.lines.base import Findings, LinePlugin, RecordField

MELT_WARN_C = Decimal(63)   # above this the base starts to suffer
MELT_FLAG_C = Decimal(71)   # at or above this the batch goes to QC with a flag


class SoapRecordSchema(Schema):
    recipe_code = f.text(max_length=40)
    recipe_version = f.text(max_length=20)
    melt_temperature_c = f.number(minimum=20, maximum=120)
    pour_temperature_c = f.number(minimum=20, maximum=120)
    mould = f.text(max_length=80)
    wrapped_on = f.day()
    nominal_content = f.text(max_length=20)
    durability = f.text(max_length=40)
    ingredients = f.text(max_length=2000)
    responsible_person = f.text(max_length=300)


class SoapLine(LinePlugin):
    code = "soap"
    name = _l("Melt-and-pour soap")
    schema = SoapRecordSchema
    # The clear glycerin base is melted from 49 °C and poured at most at 63 °C (domain.md §1);
    # a step narrows this, e.g. to the 60-63 °C pour.
    measure_ranges = {"temperature": (Decimal(49), MELT_WARN_C)}
    fields = (
        RecordField("recipe_code", _l("Recipe")),
        RecordField("recipe_version", _l("Recipe version"),
                    hint=_l("The locked version covered by the safety report (CPSR).")),
        RecordField("melt_temperature_c", _l("Highest melt temperature"), "number", unit="°C"),
        RecordField("pour_temperature_c", _l("Pour temperature"), "number", unit="°C"),
        RecordField("mould", _l("Mould")),
        RecordField("wrapped_on", _l("Wrapped on"), "date"),
        RecordField("nominal_content", _l("Nominal content"),
                    hint=_l("As printed on the unit, for example 100 g.")),
        RecordField("durability", _l("Best before or PAO"),
                    hint=_l("A date, or the period after opening such as 12M.")),
        RecordField("ingredients", _l("Ingredients (INCI)"),
                    hint=_l("In descending order of weight, as on the safety report.")),
        RecordField("responsible_person", _l("Responsible person"),
                    hint=_l("Name and address of the responsible person in the EU.")),
    )

    def check_record(self, record, findings: Findings) -> None:
        melt = record.get("melt_temperature_c")
        if melt is not None and Decimal(melt) >= MELT_FLAG_C:
            findings.warn(_l("Melted at %(t)s °C: 71 °C or more. QC must look at this batch.",
                             t=melt))
        elif melt is not None and Decimal(melt) > MELT_WARN_C:
            findings.warn(_l("Melted at %(t)s °C: above 63 °C the base may sweat or yellow.",
                             t=melt))

    def release_gates(self, batch) -> list[str]:
        if not (batch.record or {}).get("recipe_version"):
            return [str(_l("Record the recipe version before release."))]
        return []

    def qc_gates(self, batch) -> list[str]:
        record = batch.record or {}
        missing = [str(label) for name, label in (
            ("melt_temperature_c", _l("melt temperature")),
            ("pour_temperature_c", _l("pour temperature"))) if record.get(name) in (None, "")]
        problems = []
        if missing:
            problems.append(str(_l("Record the %(what)s before QC sign-off.",
                                   what=", ".join(missing))))
        if not batch.consumptions:
            problems.append(str(_l("Record the ingredient lots used before QC sign-off.")))
        return problems

    def unit_label(self, batch) -> dict[str, str]:
        """Soap unit labels need nominal content, durability or PAO and the responsible
        person (Regulation 1223/2009 art. 19); without them printing is refused."""
        record = batch.record or {}
        missing = [str(label) for name, label in (
            ("nominal_content", _l("nominal content")), ("durability", _l("best before or PAO")),
            ("responsible_person", _l("responsible person"))) if not record.get(name)]
        if missing:
            raise DomainError(_l("Batch %(code)s cannot get unit labels: record the %(what)s "
                                 "first.", code=batch.code, what=", ".join(missing)),
                              field="codes")
        return {"nominal": record["nominal_content"], "durability": record["durability"],
                "ingredients": record.get("ingredients", ""),
                "responsible_person": record["responsible_person"]}

    def label_fields(self, batch) -> dict[str, str]:
        record = batch.record or {}
        return {"recipe": f"{record.get('recipe_code', '')} v{record.get('recipe_version', '')}"}
