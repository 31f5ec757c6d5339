"""HTML forms for people pages. They parse input; the rules live in services.py.

Querysets are set in `__init__` (never at import): the tenant managers need an active
organization, which only exists during a request.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Membership, MembershipStatus, Role, Team
from .person_search import PersonSearchField, person_source


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.job_title:
            return f"{obj.display_name} — {obj.job_title}"
        return str(obj.display_name)


class PeopleForm(forms.Form):
    """Labels without a trailing colon (service errors: perfmgmt.web.forms.add_domain_error)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _team_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=None, required=False, label=_("Team"), empty_label=_("No team")
    )


@person_source("people.managers")
def _manager_choices(actor: Membership) -> Any:
    return selectors.manager_choices()


def _manager_field() -> PersonSearchField:
    # Found by searching, never a select of the whole organization.
    return PersonSearchField(required=False, label=_("Manager"), empty_label=_("No manager"))


class InviteForm(PeopleForm):
    email = forms.EmailField(label=_("Email"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EMPLOYEE)
    manager = _manager_field()
    team = _team_field()
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].use_source("people.managers", actor)  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.all()  # type: ignore[attr-defined]
        if not actor.is_owner:
            # Only owners grant HR admin or owner rights.
            self.fields["role"].choices = [(Role.EMPLOYEE.value, Role.EMPLOYEE.label)]  # type: ignore[attr-defined]


class MemberEditForm(PeopleForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    team = _team_field()
    manager = _manager_field()
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (MembershipStatus.ACTIVE.value, MembershipStatus.ACTIVE.label),
            (MembershipStatus.ON_LEAVE.value, MembershipStatus.ON_LEAVE.label),
        ],
    )
    external_id = forms.CharField(
        label=_("External id"),
        max_length=200,
        required=False,
        help_text=_("The person's id in your HR system, used by integrations."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, actor: Membership, member: Membership, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "full_name": member.full_name,
                "job_title": member.job_title,
                "team": member.team_id,
                "manager": member.manager_id,
                "start_date": member.start_date,
                "status": member.status,
                "external_id": member.external_id or "",
                "role": member.role,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["manager"].use_source("people.managers", actor, exclude=member)  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.all()  # type: ignore[attr-defined]
        if member.status not in (MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE):
            del self.fields["status"]
        if not actor.is_owner or actor.pk == member.pk:
            # Roles are granted by owners, and nobody changes their own.
            del self.fields["role"]

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned fields this form shows, as keyword arguments of `member_update`."""
        return {name: self.cleaned_data[name] for name in self.fields}


class InvitationAcceptForm(PeopleForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class TeamForm(PeopleForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Team.Kind.choices, initial=Team.Kind.TEAM)
    parent: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        queryset=Team.unscoped.none(),
        required=False,
        label=_("Part of"),
        empty_label=_("Nothing (top level)"),
    )

    def __init__(self, *args: Any, team: Team | None = None, **kwargs: Any) -> None:
        if team is not None:
            kwargs.setdefault(
                "initial", {"name": team.name, "kind": team.kind, "parent": team.parent_id}
            )
        super().__init__(*args, **kwargs)
        parents = Team.objects.all()
        if team is not None:
            parents = parents.exclude(pk=team.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
