"""Forms of the batch page's pallet panel: build a pallet, void one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from shopfloor.forms_support import LocalDecimalField


class PalletForm(FlaskForm):
    """How many units of the batch go on the new pallet."""

    # Own ids: the batch page holds several forms with a quantity.
    quantity = LocalDecimalField(_l("Units on the pallet"), places=None, id="pallet-quantity",
                                 validators=[InputRequired(_l("Enter how many units go on "
                                                              "the pallet."))])


class VoidPalletForm(FlaskForm):
    """Why a pallet is unpacked (kept with the batch's history)."""

    reason = StringField(_l("Reason"), id="void-reason", validators=[Length(max=200)])
