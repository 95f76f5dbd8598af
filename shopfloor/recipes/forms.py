"""Forms of the recipe pages: ingredients, a new recipe, a draft, the registration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from shopfloor.catalog.queries import active_products
from shopfloor.forms_support import LocalDecimalField, int_or_none
from shopfloor.recipes.models import IngredientKind, RecipeForm

KIND_NAMES = {
    IngredientKind.BASE: _l("Soap base"),
    IngredientKind.FRAGRANCE: _l("Fragrance oil"),
    IngredientKind.ESSENTIAL_OIL: _l("Essential oil"),
    IngredientKind.COLOURANT: _l("Colourant"),
    IngredientKind.ADDITIVE: _l("Additive"),
}
FORM_NAMES = {RecipeForm.SOLID: _l("Solid bars (g)"), RecipeForm.LIQUID: _l("Liquid soap (ml)")}


def _percent(label):
    return LocalDecimalField(label, places=None, validators=[Optional()])


class IngredientForm(FlaskForm):
    """What the cosmetics rules need of one material."""

    material_id = SelectField(_l("Material"), coerce=int_or_none,
                              validators=[InputRequired(_l("Choose a material from the list."))])
    kind = SelectField(_l("What it is"), choices=[SelectChoice(k.value, n)
                                                  for k, n in KIND_NAMES.items()])
    composition = TextAreaField(_l("INCI composition"), validators=[
        DataRequired(_l("Give at least one INCI name with its share."))])
    allergens = TextAreaField(_l("Allergens in the fragrance"))
    ifra_cat9_max_percent = _percent(_l("IFRA category 9 limit in the product (%)"))
    ifra_certificate = StringField(_l("IFRA certificate"), validators=[Length(max=120)])
    supplier_max_percent = _percent(_l("Supplier's maximum in the product (%)"))
    version = HiddenField()

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.material_id.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(str(m.id), f"{m.code} · {m.name}") for m in materials]


class NewRecipeForm(FlaskForm):
    """A new recipe and what its first version says besides the ingredients."""

    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter a code.")),
                                               Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")),
                                               Length(max=200)])
    form = SelectField(_l("Form"), choices=[SelectChoice(k.value, n)
                                            for k, n in FORM_NAMES.items()])
    product_id = SelectField(_l("Product"), coerce=int_or_none)
    nominal_quantity = LocalDecimalField(_l("Nominal content"), places=None, validators=[
        InputRequired(_l("Enter the nominal content (more than 0)."))])
    fill_mass_g = LocalDecimalField(_l("Each unit filled to (g)"), places=None, validators=[
        InputRequired(_l("Enter the mass each unit is filled to (more than 0)."))])
    mould = StringField(_l("Mould"), validators=[Length(max=80)])
    durability = StringField(_l("Best before or PAO"), validators=[Length(max=40)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.product_id.choices = [SelectChoice("", _l("Any soap product"))] + [
            SelectChoice(str(p.id), f"{p.code} · {p.name}") for p in active_products()
            if p.line == "soap"]


class DraftForm(FlaskForm):
    """A draft version; its ingredient rows are read from ``item-<n>-*`` inputs."""

    nominal_quantity = LocalDecimalField(_l("Nominal content"), places=None, validators=[
        InputRequired(_l("Enter the nominal content (more than 0)."))])
    fill_mass_g = LocalDecimalField(_l("Each unit filled to (g)"), places=None, validators=[
        InputRequired(_l("Enter the mass each unit is filled to (more than 0)."))])
    mould = StringField(_l("Mould"), validators=[Length(max=80)])
    durability = StringField(_l("Best before or PAO"), validators=[Length(max=40)])
    fragrance_max_percent = _percent(_l("Safety report's fragrance maximum in the product (%)"))
    notes = TextAreaField(_l("Notes"))
    version = HiddenField()


class LockForm(FlaskForm):
    """Lock a draft."""

    version = HiddenField()


class RegistrationForm(FlaskForm):
    """The safety report, the CPNP notification and the responsible person."""

    safety_report_ref = StringField(_l("Safety report (CPSR) reference"),
                                    validators=[Length(max=120)])
    safety_report_date = DateField(_l("Safety report date"), validators=[Optional()])
    cpnp_number = StringField(_l("CPNP notification number"), validators=[Length(max=40)])
    responsible_person = TextAreaField(_l("Responsible person"))
    version = HiddenField()
