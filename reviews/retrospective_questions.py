"""The retrospective's questions: the one place they are defined.

Each is answered on a 1-5 agreement scale; the answer stores its score under the key, so a
question can be reworded without touching stored answers (a new key starts counting from
nothing, a removed one is no longer shown).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RetrospectiveQuestion:
    key: str
    prompt: Promise


QUESTIONS: tuple[RetrospectiveQuestion, ...] = (
    RetrospectiveQuestion("goals_realistic", _("Goals were realistic")),
    RetrospectiveQuestion("feedback_useful", _("The feedback I received was useful")),
    RetrospectiveQuestion("enough_time", _("I had enough time for each phase")),
    RetrospectiveQuestion("clear_and_fair", _("The process was clear and fair")),
)
QUESTION_KEYS: tuple[str, ...] = tuple(question.key for question in QUESTIONS)

SCORES: tuple[int, ...] = (1, 2, 3, 4, 5)
SCORE_LABELS: dict[int, Promise] = {
    1: _("Strongly disagree"),
    2: _("Disagree"),
    3: _("Neither agree nor disagree"),
    4: _("Agree"),
    5: _("Strongly agree"),
}
COMMENT_PROMPT = _("What should change next time?")
