"""Forms of the retrospective: answering it, opening it, and the next cycle made from a
cycle (the cycle's own form with its phases and peer settings beside it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import PHASE_ORDER, ReviewCycle
from ..models.retrospectives import COMMENT_MAX_LENGTH
from ..retrospective_questions import COMMENT_PROMPT, QUESTIONS, SCORE_LABELS, SCORES
from ..services.cycles.next_cycle import NextCycle, next_cycle_proposal
from ..services.retrospectives import DEFAULT_DAYS, MOST_DAYS
from .cycles import GROUP_ROWS, PHASE_PARTS, CycleForm, PhasesForm
from .peers import PeerSettingsForm


class RetrospectiveAnswerForm(forms.Form):
    """One radio group per question (a fieldset with a legend on the page), and a comment."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(score), SCORE_LABELS[score]) for score in SCORES]
        for question in QUESTIONS:
            self.fields[question.key] = forms.ChoiceField(
                label=str(question.prompt), choices=choices, widget=forms.RadioSelect
            )
        self.fields["comment"] = forms.CharField(
            label=COMMENT_PROMPT,
            required=False,
            max_length=COMMENT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def scores(self) -> dict[str, str]:
        return {question.key: self.cleaned_data[question.key] for question in QUESTIONS}


class RetrospectiveOpenForm(forms.Form):
    days = forms.IntegerField(
        label=_("Open for this many days"),
        min_value=1,
        max_value=MOST_DAYS,
        initial=DEFAULT_DAYS,
        help_text=_("Counted in the organization's time zone, to the end of the last day."),
    )


def _next_initial(proposal: NextCycle) -> dict[str, Any]:
    rules = proposal.rules
    initial: dict[str, Any] = {
        "name": proposal.name,
        "description": proposal.description,
        "period_start": proposal.period_start,
        "period_end": proposal.period_end,
        "template": proposal.template.pk,
        "teams": [team.pk for team in rules.teams],
        "started_on_or_before": rules.started_on_or_before,
        "statuses": list(rules.statuses),
        "include": "\n".join(person.email for person in rules.include),
        "exclude": "\n".join(person.email for person in rules.exclude),
        "remind_days_before_close": proposal.remind_days_before_close,
        "peer_minimum": proposal.peer_settings.minimum,
        "peer_maximum": proposal.peer_settings.maximum,
        "anonymity_threshold": proposal.peer_settings.threshold,
        "peers_anonymous": "1" if proposal.peer_settings.anonymous else "0",
        "upward_reviews": proposal.peer_settings.upward,
    }
    for number, (team, template) in enumerate(rules.group_templates[:GROUP_ROWS], start=1):
        initial[f"group_{number}_team"] = team.pk
        initial[f"group_{number}_template"] = template.pk
    for phase in proposal.phases:
        for part in PHASE_PARTS:
            initial[f"{phase.kind}_{part}"] = getattr(phase, part)
    return initial


class NextCycleForm(CycleForm):
    """A new cycle pre-filled from `source` (see reviews.services.cycles.next_cycle)."""

    def __init__(self, *args: Any, source: ReviewCycle, **kwargs: Any) -> None:
        if not args or args[0] is None:
            kwargs.setdefault("initial", _next_initial(next_cycle_proposal(source)))
        super().__init__(*args, **kwargs)
        self.fields.update(PeerSettingsForm().fields)
        self.fields.update(PhasesForm().fields)

    @property
    def peer_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PeerSettingsForm.base_fields]

    @property
    def phase_rows(self) -> list[tuple[str, Any, list[forms.BoundField]]]:
        return PhasesForm.phase_rows.fget(self)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for kind in PHASE_ORDER:
            given = [data.get(f"{kind}_{part}") is not None for part in PHASE_PARTS]
            if any(given) and not all(given):
                self.add_error(f"{kind}_opens_on", gettext("Give both days and both times."))
        return data

    def next_cycle(self) -> NextCycle:
        arguments = self.service_arguments()
        return NextCycle(
            **arguments,
            peer_settings=PeerSettingsForm.settings(self),  # type: ignore[arg-type]
            phases=PhasesForm.phases(self),  # type: ignore[arg-type]
        )
