"""HTML forms for check-ins, feedback, feedback requests and coaching records.

They parse input; rules live in services.py. Querysets are set in `__init__` (the tenant
managers need an active organization, which only exists during a request).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.forms import PeopleForm, PersonChoiceField
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.person_search import PeopleSearchField, PersonSearchField, person_source

from .models import MAX_QUESTIONS, CheckIn, Frequency, Weekday
from .models import FeedbackVisibility as Visibility

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SCORE_CHOICES = [
    ("1", _("1 — rough")),
    ("2", "2"),
    ("3", _("3 — okay")),
    ("4", "4"),
    ("5", _("5 — great")),
]
TEXTAREA = {"rows": 3}


def _text(label: StrOrPromise, help_text: StrOrPromise = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=10_000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _people() -> Any:
    return Membership.objects.exclude(status=MembershipStatus.LEFT).select_related("user")


class CheckInForm(PeopleForm):
    """One text box per question of this check-in, and the 1-5 score."""

    score = forms.TypedChoiceField(
        label=_("How did this period feel?"),
        choices=SCORE_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, checkin: CheckIn, **kwargs: Any) -> None:
        initial: dict[str, Any] = {
            f"answer_{i}": answer for i, (_, answer) in enumerate(checkin.question_answers)
        }
        initial["score"] = checkin.score
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.checkin = checkin
        answers = {
            f"answer_{index}": _text(question, rows=3)
            for index, (question, _) in enumerate(checkin.question_answers)
        }
        score = self.fields.pop("score")
        self.fields.update(answers)
        self.fields["score"] = score

    def answers(self) -> list[str]:
        return [
            self.cleaned_data.get(f"answer_{index}", "")
            for index in range(len(self.checkin.questions))
        ]


class ReviewForm(PeopleForm):
    reply = _text(_("Your reply"), _("The person sees it with their check-in."), rows=4)


class CadenceForm(PeopleForm):
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices)
    due_weekday = forms.TypedChoiceField(
        label=_("Due on"), choices=Weekday.choices, coerce=int, initial=Weekday.FRIDAY
    )
    questions = forms.CharField(
        label=_("Questions"),
        help_text=format_lazy(_("One per line, at most {count}."), count=MAX_QUESTIONS),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    remind_again_after_days = forms.IntegerField(
        label=_("Remind again after (days)"),
        min_value=1,
        max_value=14,
        initial=2,
        help_text=_("If the check-in is still missing this many days after it was due."),
    )

    def question_list(self) -> list[str]:
        return [line for line in self.cleaned_data["questions"].splitlines() if line.strip()]


VISIBILITY_HELP = {
    Visibility.PRIVATE: _("Only they can read it (and you)."),
    Visibility.RECIPIENT_AND_MANAGER: _("They and their managers can read it (and you)."),
    Visibility.MANAGER_ONLY: _("Only their managers can read it (and you); they cannot."),
}


class SBIForm(PeopleForm):
    situation = _text(_("Situation"), _("When and where was it?"))
    behaviour = _text(_("Behaviour"), _("What did they do? Describe what you saw or heard."))
    impact = _text(_("Impact"), _("What did it lead to, for you, the team or the work?"))
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        help_text=_("Chosen before sending; HR admins do not read feedback."),
    )


@person_source("feedback.recipients")
def feedback_recipients(actor: Membership) -> Any:
    """Whom one may give feedback to: anyone who has not left, except oneself."""
    return _people().exclude(pk=actor.pk)


@person_source("feedback.askable")
def feedback_askable(actor: Membership) -> Any:
    """Whom one may ask for feedback: the active people, except oneself."""
    return _people().filter(status=MembershipStatus.ACTIVE).exclude(pk=actor.pk)


class FeedbackForm(SBIForm):
    recipient = PersonSearchField(label=_("To"))

    field_order = ["recipient", "situation", "behaviour", "impact", "visibility"]

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].use_source("feedback.recipients", actor)  # type: ignore[attr-defined]


class AnswerForm(SBIForm):
    def __init__(self, *args: Any, visibilities: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = [  # type: ignore[attr-defined]
            (value, Visibility(value).label) for value in visibilities
        ]


class DeclineForm(PeopleForm):
    reason = _text(_("Reason (optional)"), _("The person who asked sees it."), rows=2)


class FeedbackRequestForm(PeopleForm):
    subject = PersonChoiceField(queryset=None, label=_("About"), empty_label=None)
    # Found by searching, never a list of everyone (perfmgmt/tenancy/person_search.py).
    people = PeopleSearchField(
        label=_("Ask"), help_text=_("Find each person by name and tick them.")
    )
    prompt = forms.CharField(
        label=_("What would you like feedback on?"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due_on = forms.DateField(label=_("Answer by"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Oneself or a direct report, as one condition (no list of ids, however many).
        subjects = _people().filter(Q(pk=actor.pk) | Q(manager=actor))
        self.fields["subject"].queryset = subjects  # type: ignore[attr-defined]
        self.fields["subject"].initial = actor.pk
        self.fields["people"].use_source("feedback.askable", actor)  # type: ignore[attr-defined]


class CoachingRecordForm(PeopleForm):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.CharField(label=_("Topic"), max_length=200)
    observations = _text(_("Observations"), rows=4)
    agreed = _text(_("What was agreed"), rows=3)
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        required=False,
        help_text=_("It appears in the agenda of your next 1:1 before this date."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
