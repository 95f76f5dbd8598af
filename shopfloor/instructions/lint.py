"""The easy-to-read rules checked before an instruction version is published.

From shared/accessibility.md (checks B9 and B10) and the worker-screens issue: a caption has
at most two sentences of at most ten words each, and a Polish Gunning Fog index (textstat
with Pyphen's pl_PL hyphenation) of at most 6.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

MAX_SENTENCES = 2
MAX_WORDS_PER_SENTENCE = 10
MAX_FOG = 6.0

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True)
class LintProblem:
    """One thing that blocks publishing: which step (0 for the whole version), what, why."""

    position: int
    field: str
    message: str


def sentences(text: str) -> list[str]:
    """The sentences of a caption."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def words(sentence: str) -> list[str]:
    """The words of a sentence (numbers count as words)."""
    return re.findall(r"[\w’'-]+", sentence)


def gunning_fog(text: str) -> float:
    """Polish Gunning Fog index of a text (textstat with Polish hyphenation)."""
    import textstat

    textstat.set_lang("pl")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # textstat has no Polish easy-word list; Fog needs none
        return float(textstat.gunning_fog(text))


def caption_problems(caption: str) -> list[str]:
    """Why a caption is not easy to read, as short messages (empty when it is fine)."""
    from flask_babel import gettext as _

    text = caption.strip()
    if not text:
        return [_("Write a caption.")]
    problems = []
    parts = sentences(text)
    if len(parts) > MAX_SENTENCES:
        problems.append(_("Use at most %(n)s sentences.", n=MAX_SENTENCES))
    longest = max((len(words(s)) for s in parts), default=0)
    if longest > MAX_WORDS_PER_SENTENCE:
        problems.append(_("A sentence has %(count)s words; use at most %(n)s.", count=longest,
                          n=MAX_WORDS_PER_SENTENCE))
    fog = gunning_fog(text)
    if fog > MAX_FOG:
        problems.append(_("The text is hard to read (Fog %(fog)s, at most %(max)s). Use "
                          "shorter, common words.", fog=f"{fog:.1f}", max=f"{MAX_FOG:g}"))
    return problems
