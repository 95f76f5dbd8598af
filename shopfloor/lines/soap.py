"""Melt-and-pour soap (solid and liquid), following shared/domain.md section 1.

A batch names a locked recipe version that has a safety report and a CPNP notification
(``shopfloor.recipes``); the ingredient lots and their actual weights are the batch's
consumption rows, compared with the weights the version plans. The record adds melt and
pour temperatures with their times, the mould, the wrapping time and a check-weighing
sample. Unit labels take nominal content, durability, INCI list and responsible person from
the version, so nothing on a label is typed by hand.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from shopfloor.errors import DomainError
from shopfloor.lines import fields as f
from shopfloor.lines.base import Column, Findings, LinePlugin, RecordField
from shopfloor.production.status import UNRELEASED, BatchStatus
from shopfloor.recipes import batches, figures, queries, rules

MELT_WARN_C = Decimal(63)   # above this the base starts to suffer
MELT_FLAG_C = Decimal(71)   # at or above this the batch goes to QC
STAGES = ("melt", "pour", "second_pour")
STAGE_NAMES = (("melt", _l("Melt")), ("pour", _l("Pour")), ("second_pour", _l("Second pour")))
READINGS = (("melt", _l("Melt temperature")), ("pour", _l("Pour temperature")),
            ("second_pour", _l("Second pour temperature")))


class TemperatureSchema(Schema):
    stage = f.choice(STAGES, required=True)
    temperature_c = f.number(minimum=0, maximum=150, required=True)
    at = f.moment(required=True)


class WeightSchema(Schema):
    mass = f.number(minimum=0, maximum=100000, required=True)


class SoapRecordSchema(Schema):
    recipe_version_id = f.text(max_length=12)
    mould = f.text(max_length=80)
    temperatures = f.rows(TemperatureSchema)
    wrapped_at = f.moment()
    check_weights = f.rows(WeightSchema)


def usable(batch, raw: str) -> bool:
    """Whether ``raw`` names a version this batch may use (locked and registered, of a
    recipe for its product)."""
    return raw in {str(v.id) for v in queries.usable_versions(batch.product_id)}


def temperature_findings(readings, findings: Findings) -> None:
    """Melt above 63 °C warns; at or above 71 °C the batch goes to QC (domain.md rule 4)."""
    for reading in readings:
        if reading.get("stage") != "melt" or reading.get("temperature_c") in (None, ""):
            continue
        value = Decimal(str(reading["temperature_c"]))
        when = str(reading.get("at", "")).replace("T", " ")
        if value >= MELT_FLAG_C:
            findings.send_to_qc(_l("Melted at %(t)s °C (%(at)s): 71 °C or more. QC must look "
                                   "at this batch.", t=f"{value.normalize():f}", at=when))
        elif value > MELT_WARN_C:
            findings.warn(_l("Melted at %(t)s °C (%(at)s): above 63 °C the base may sweat or "
                             "yellow.", t=f"{value.normalize():f}", at=when))


class SoapLine(LinePlugin):
    code = "soap"
    name = _l("Melt-and-pour soap")
    schema = SoapRecordSchema
    # The clear glycerin base is melted from 49 °C and poured at most at 63 °C (domain.md §1);
    # a step narrows this, e.g. to the 60-63 °C pour.
    measure_ranges = {"temperature": (Decimal(49), MELT_WARN_C)}
    recorded_readings = READINGS
    fields = (
        RecordField("recipe_version_id", _l("Recipe version"), "choice",
                    hint=_l("Only locked versions with a safety report and a CPNP "
                            "notification can be chosen.")),
        RecordField("mould", _l("Mould")),
        RecordField("temperatures", _l("Temperatures"), "table", columns=(
            Column("stage", _l("Stage"), "choice", choices=STAGE_NAMES),
            Column("temperature_c", _l("Temperature"), "number", unit="°C"),
            Column("at", _l("Time"), "datetime"))),
        RecordField("wrapped_at", _l("Wrapped at"), "datetime"),
        RecordField("check_weights", _l("Check weighing"), "table",
                    hint=_l("The mass of each weighed unit, in grams (ml for liquid soap)."),
                    columns=(Column("mass", _l("Mass"), "number", unit="g"),)),
    )

    def field_choices(self, spec, batch):
        if spec.name != "recipe_version_id":
            return spec.choices
        return tuple((str(v.id), f"{v.label} · {v.recipe.name}")
                     for v in queries.usable_versions(batch.product_id))

    def check_record(self, record, findings: Findings) -> None:
        temperature_findings(record.get("temperatures") or [], findings)

    def check_for_batch(self, batch, record, findings: Findings) -> None:
        raw = str(record.get("recipe_version_id") or "")
        if raw and not usable(batch, raw):
            findings.error("recipe_version_id", _l(
                "Choose a locked recipe version of this product that has a safety report and "
                "a CPNP notification."))
        weighed = any(queries.is_cosmetic_ingredient(c.lot.material_id)
                      for c in batch.consumptions)
        if weighed and raw != str((batch.record or {}).get("recipe_version_id") or ""):
            findings.error("recipe_version_id", _l(
                "Ingredients were weighed for the recipe version chosen before: it cannot "
                "change now."))

    def check_consumption(self, batch, lot, quantity, findings: Findings) -> None:
        # Packaging (film, labels) is traced too but is no cosmetic ingredient: not checked.
        if not queries.is_cosmetic_ingredient(lot.material_id):
            return
        version = batches.version_of(batch)
        if version is None:
            findings.error("lot", _l("Choose the recipe version first: the weights are "
                                     "checked against it."))
            return
        item = next((i for i in version.items
                     if i.ingredient.material_id == lot.material_id), None)
        if item is None:
            findings.error("lot", _l("%(material)s is not in recipe %(label)s: check the "
                                     "label of the lot.", material=lot.material.name,
                                     label=version.label))
            return
        mine, total, planned_total = batches.load_after(batch, version, lot, quantity)
        if item.ingredient.is_fragrance:
            load = rules.fragrance_load(mine, max(total, planned_total))
            breach = figures.cap_breach(item.ingredient, load, version)
            if breach is not None:
                findings.error("quantity", breach.message)
        planned = rules.planned_masses({0: item.percent}, planned_total)[0]
        if mine > planned and rules.off_plan(planned, mine, batches.weight_tolerance_percent()):
            findings.warn(_l("%(material)s: %(actual)s g weighed for %(planned)s g planned.",
                             material=lot.material.name, actual=f"{mine.normalize():f}",
                             planned=f"{planned.normalize():f}"))

    def closing_findings(self, batch, findings: Findings) -> None:
        soap = batches.soap_batch(batch)
        if soap is None:
            return
        for row in soap.rows:
            if row.weighed and row.off_plan and row.actual_g < row.planned_g:
                findings.warn(_l("%(material)s: %(actual)s g weighed for %(planned)s g "
                                 "planned.", material=row.ingredient.material.name,
                                 actual=f"{row.actual_g.normalize():f}",
                                 planned=f"{row.planned_g.normalize():f}"))

    def measure_recorded(self, batch, step, value, at_local: str) -> dict | None:
        settings = step.settings or {}
        stage = settings.get("stage")
        if settings.get("measure") != "temperature" or stage not in STAGES:
            return None
        readings = list((batch.record or {}).get("temperatures") or [])
        readings.append({"stage": stage, "temperature_c": f"{Decimal(value).normalize():f}",
                         "at": at_local})
        return {**(batch.record or {}), "temperatures": readings}

    def batch_panel(self, batch):
        soap = batches.soap_batch(batch)
        inci = rules.inci_text(figures.version_inci(soap.version)) if soap else ""
        return "recipes/_batch_panel.html", {"soap": soap, "inci": inci}

    def release_gates(self, batch) -> list[str]:
        raw = str((batch.record or {}).get("recipe_version_id") or "")
        if not raw:
            return [str(_l("Choose the recipe version before release."))]
        if not usable(batch, raw):
            return [str(_l("The recipe version needs a safety report and a CPNP notification "
                           "before release."))]
        return []

    def qc_gates(self, batch) -> list[str]:
        record = batch.record or {}
        problems = []
        stages = {r.get("stage") for r in record.get("temperatures") or []}
        missing = [str(label) for stage, label in (("melt", _l("melt temperature")),
                                                   ("pour", _l("pour temperature")))
                   if stage not in stages]
        if missing:
            problems.append(str(_l("Record the %(what)s before QC sign-off.",
                                   what=", ".join(missing))))
        if not record.get("wrapped_at") and batch.good_quantity > 0:
            problems.append(str(_l("Record when the bars were wrapped.")))
        soap = batches.soap_batch(batch)
        if soap is None:
            return problems + [str(_l("Choose the recipe version."))]
        for row in soap.rows:
            if not row.weighed:
                problems.append(str(_l("Record the lot and weight of %(material)s.",
                                       material=row.ingredient.material.name)))
        problems += [breach.message for breach in soap.breaches]
        if soap.weighing is None:
            problems.append(str(_l("Weigh a sample of units (check weighing) before QC "
                                   "sign-off.")))
        elif not soap.weighing.passed:
            problems.append(str(_l("The check weighing failed: the units are short of their "
                                   "nominal content.")))
        return problems

    def unit_label(self, batch) -> dict[str, str]:
        """Soap unit labels print only for a released batch; nominal content, durability
        or PAO, the INCI list and the responsible person come from the recipe version
        (Regulation 1223/2009 art. 19); without them printing is refused."""
        if batch.status in UNRELEASED or batch.status == BatchStatus.SCRAPPED or (
                batch.status == BatchStatus.ON_HOLD and batch.held_from in UNRELEASED):
            raise DomainError(_l("Batch %(code)s is not released: unit labels print only "
                                 "after release.", code=batch.code), field="codes")
        version = batches.version_of(batch)
        if version is None or not version.responsible_person:
            raise DomainError(_l("Batch %(code)s cannot get unit labels: its recipe version "
                                 "needs the responsible person first.", code=batch.code),
                              field="codes")
        return {"nominal": f"{version.nominal_quantity.normalize():f} {version.content_unit}",
                "durability": version.durability,
                "ingredients": rules.inci_text(figures.version_inci(version)),
                "responsible_person": version.responsible_person}

    def label_fields(self, batch) -> dict[str, str]:
        version = batches.version_of(batch)
        return {"recipe": version.label} if version else {}
