"""Forms of the 1:1 pages. Parsing only; the services decide what is allowed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.models import Membership, Organization
from perfmgmt.tenancy.person_search import PersonSearchField, person_source

from . import selectors
from .models import Cadence

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in the organization's time zone (not the server's)."""

    widget = DATETIME_INPUT

    def __init__(self, *, organization: Organization | None = None, **kwargs: Any) -> None:
        self.organization = organization
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime | None:
        parsed = super().to_python(value)
        if parsed is None or self.organization is None:
            return parsed
        naive = timezone.make_naive(parsed) if timezone.is_aware(parsed) else parsed
        return timezone.make_aware(naive, self.organization.zone)


def person_label(member: Membership) -> str:
    return member.display_name + (f" · {member.job_title}" if member.job_title else "")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


@person_source("meetings.partners")
def meeting_partners(actor: Membership) -> QuerySet[Membership]:
    """Whom one may start a 1:1 with (see `series_partner_choices`)."""
    return selectors.series_partner_choices(actor=actor)


class SeriesStartForm(forms.Form):
    """`other` is found by a search with a limit (perfmgmt/tenancy/person_search.py), never
    picked from a list of everyone; the field validates the id against the same people."""

    other = PersonSearchField(
        label=_("With"),
        help_text=_(
            "Your manager, a report, a skip-level or anyone else in the organization: "
            "find them by name, then choose them."
        ),
    )
    cadence = forms.ChoiceField(
        label=_("How often"), choices=Cadence.choices, initial=Cadence.WEEKLY
    )
    first_meeting_at = LocalDateTimeField(
        label=_("First meeting"),
        required=False,
        help_text=_("Optional; you can schedule it later."),
    )
    confirm_past = forms.BooleanField(
        label=_("It already took place (I am recording a past 1:1)"), required=False
    )

    def __init__(
        self, *args: Any, actor: Membership, organization: Organization, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].use_source("meetings.partners", actor)  # type: ignore[attr-defined]
        self.fields["first_meeting_at"].organization = organization  # type: ignore[attr-defined]


class CadenceForm(forms.Form):
    cadence = forms.ChoiceField(label=_("How often"), choices=Cadence.choices)


class MeetingScheduleForm(forms.Form):
    scheduled_for = LocalDateTimeField(label=_("Date and time"))
    confirm_past = forms.BooleanField(
        label=_("It already took place (I am recording a past 1:1)"), required=False
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheduled_for"].organization = organization  # type: ignore[attr-defined]


class TalkingPointForm(forms.Form):
    text = forms.CharField(
        label=_("Talking point"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the point you want to talk about.")},
    )
    goal = forms.TypedChoiceField(
        label=_("Link a goal"), required=False, coerce=int, empty_value=None, choices=[]
    )
    feedback = forms.TypedChoiceField(
        label=_("Link feedback"), required=False, coerce=int, empty_value=None, choices=[]
    )

    def __init__(
        self,
        *args: Any,
        goals: list[tuple[int, str]] = (),  # type: ignore[assignment]
        feedback: list[tuple[int, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "add-point-%s")
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", gettext("No goal")), *goals]  # type: ignore[attr-defined]
        self.fields["feedback"].choices = [("", gettext("No feedback")), *feedback]  # type: ignore[attr-defined]
        if not goals:
            del self.fields["goal"]
        if not feedback:
            del self.fields["feedback"]


class VersionedTextForm(forms.Form):
    """An edit that says which version it started from (a stale save gets a 409)."""

    text = forms.CharField(
        label=_("Text"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("This cannot be empty.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)


class SharedNotesForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "shared-%s")
        super().__init__(*args, **kwargs)

    shared_notes = forms.CharField(
        label=_("Shared notes"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Both of you can read and edit these notes."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)


class PrivateNoteForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "private-note-%s")
        super().__init__(*args, **kwargs)

    text = forms.CharField(
        label=_("Private note"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only you can ever read this: not the other side, not HR."),
        error_messages={"required": _("Write something to keep.")},
    )


class ActionItemForm(forms.Form):
    text = forms.CharField(
        label=_("Action item"),
        max_length=5000,
        error_messages={"required": _("Say what needs doing.")},
    )
    owner = PersonChoiceField(
        label=pgettext_lazy("action item", "Owner"),
        queryset=Membership.unscoped.none(),
        error_messages={"invalid_choice": _("Choose one of the two of you.")},
    )
    due_date = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, people: QuerySet[Membership], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "action-item-%s")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]
