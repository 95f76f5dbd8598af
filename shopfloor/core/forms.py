"""Small forms shared by every page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField

from shopfloor.config import LANGUAGES

LANGUAGE_NAMES = {"pl": "Polski", "en": "English"}


class LanguageForm(FlaskForm):
    """The language switch in the page header."""

    language = SelectField(choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in LANGUAGES])
    next = HiddenField()
