"""People pages: directory, profiles, invitations and teams (the org chart is in
chart_views; the audit log in perfmgmt/audit).

Thin views over services and selectors. A page taking an object id looks it up with a
selector that answers 404 for another organization's id; role checks answer 403.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from perfmgmt.ids import optional_id
from perfmgmt.web import person_page
from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView, Outcome, attempt
from perfmgmt.web.keyset import InvalidCursor, Keyset, broken_page_link

from . import person_search, policies, selectors, services
from .forms import InvitationAcceptForm, InviteForm, MemberEditForm, TeamForm
from .models import Invitation, Membership, MembershipStatus, Team

_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,60}")
DIRECTORY_PAGE_SIZE = 100
# By name, on the people's (organization, full_name, id) index, without a count.
PEOPLE_PAGES = Keyset(name="people", order=("full_name", "id"))
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class PeopleView(OrgView):
    def profile_url(self, member: Membership) -> str:
        return reverse("people:profile", args=[self.organization.slug, member.pk])

    def member(self, member_id: int) -> Membership:
        """A person of this organization; people who left are shown only to HR (to
        reactivate them), everyone else gets the same 404 as for a stranger."""
        return selectors.member_get(member_id=member_id, actor=self.membership)


class PersonSearchView(OrgView):
    """htmx: the people a form's search box finds (see perfmgmt/tenancy/person_search.py).
    The source decides whom the reader may choose; an unknown source is a 404."""

    def get(self, request: HttpRequest) -> HttpResponse:
        name, field_id = request.GET.get("name", ""), request.GET.get("id", "")
        if not (_FIELD_NAME.fullmatch(name) and _FIELD_NAME.fullmatch(field_id)):
            raise Http404
        people = person_search.source_people(request.GET.get("source", ""), self.membership)
        found = person_search.people_search(
            people,
            request.GET.get(name + person_search.SEARCH_SUFFIX, ""),
            exclude=person_search.chosen_ids(request.GET.getlist(name)),
        )
        context = {
            "found": found,
            "name": name,
            "field_id": field_id,
            "multiple": request.GET.get("multiple") == "1",
        }
        return render(request, "people/_person_search_found.html", context)


class DirectoryView(PeopleView):
    def get(self, request: HttpRequest) -> HttpResponse:
        search = request.GET.get("q", "").strip()[:200]
        team_id = optional_id(request.GET.get("team"))
        status = request.GET.get("status", "")
        statuses: list[str] = [s for s in MembershipStatus if s != MembershipStatus.LEFT]
        if policies.can_view_departed_members(self.membership):
            statuses.append(MembershipStatus.LEFT)
        if status not in statuses:
            status = ""
        members = selectors.member_list(
            actor=self.membership, search=search, team_id=team_id, status=status or None
        )
        try:
            page = PEOPLE_PAGES.page(members, request=request, size=DIRECTORY_PAGE_SIZE)
        except InvalidCursor:
            return broken_page_link(request)
        context = {
            "page": page,
            "search": search,
            "team_id": team_id,
            "status": status,
            "statuses": statuses,
            "teams": Team.objects.all(),
            "can_invite": policies.can_invite_member(self.membership),
        }
        if getattr(request, "htmx", False):
            return render(request, "people/_directory_results.html", context)
        return render(request, "people/directory.html", context)


class ProfileView(PeopleView):
    def get(self, request: HttpRequest, member_id: int) -> HttpResponse:
        member = self.member(member_id)
        actor = self.membership
        context = {
            "person": member,
            "reports": selectors.direct_reports(manager=member),
            "show_details": policies.can_view_member_details(actor, member),
            "can_edit": policies.can_edit_member(actor, member),
            "can_deactivate": member.status != MembershipStatus.LEFT
            and policies.can_deactivate_member(actor, member),
            "can_reactivate": member.status == MembershipStatus.LEFT
            and policies.can_edit_member(actor, member),
            "can_resend": member.status == MembershipStatus.INVITED
            and policies.can_invite_member(actor),
            "can_view_audit": policies.can_view_audit_log(actor),
            "sections": person_page.sections_for(reader=actor, person=member),
        }
        return render(request, "people/profile.html", context)


class PeopleFormView(OrgFormView, PeopleView):
    pass


class InviteView(PeopleFormView):
    permission_check = staticmethod(policies.can_invite_member)
    form_class = InviteForm
    template_name = "people/invite.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"actor": self.membership}

    def perform(self, form: InviteForm) -> Membership:
        return services.member_invite(actor=self.membership, **form.cleaned_data)

    def success(self, member: Membership) -> HttpResponse:
        messages.success(self.request, _("Invitation sent to %(email)s") % {"email": member.email})
        return redirect(self.profile_url(member))


class EditView(PeopleFormView):
    form_class = MemberEditForm
    template_name = "people/edit.html"

    @cached_property
    def person(self) -> Membership:
        member = self.member(self.kwargs["member_id"])
        if not policies.can_edit_member(self.membership, member):
            raise PermissionDenied
        return member

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"actor": self.membership, "member": self.person}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "person": self.person}

    def perform(self, form: MemberEditForm) -> Membership:
        return services.member_update(
            actor=self.membership, member=self.person, **form.service_arguments()
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(
            self.request, _("Saved changes to %(name)s.") % {"name": self.person.display_name}
        )
        return redirect(self.profile_url(self.person))


def _flash(request: HttpRequest, outcome: Outcome[Any], text: str) -> None:
    """The success message, or the service's refusal, for a button that goes back."""
    if outcome.ok:
        messages.success(request, text)
    else:
        messages.error(request, outcome.message)


class DeactivateView(PeopleView):
    """GET asks for confirmation (what happens), POST does it."""

    def get(self, request: HttpRequest, member_id: int) -> HttpResponse:
        member = self.allowed(member_id)
        context = {"person": member, "reports": selectors.direct_reports(manager=member)}
        return render(request, "people/deactivate.html", context)

    def post(self, request: HttpRequest, member_id: int) -> HttpResponse:
        member = self.allowed(member_id)
        outcome = attempt(lambda: services.member_deactivate(actor=self.membership, member=member))
        _flash(
            request, outcome, _("%(name)s no longer has access.") % {"name": member.display_name}
        )
        return redirect(self.profile_url(member))

    def allowed(self, member_id: int) -> Membership:
        member = self.member(member_id)
        if not policies.can_deactivate_member(self.membership, member):
            raise PermissionDenied
        return member


class ReactivateView(PeopleView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, member_id: int) -> HttpResponse:
        member = self.member(member_id)
        if not policies.can_edit_member(self.membership, member):
            raise PermissionDenied
        outcome = attempt(lambda: services.member_reactivate(actor=self.membership, member=member))
        member = outcome.result or member
        if member.status == MembershipStatus.INVITED:
            note = _("They never joined, so they need a new invitation.")
            text = _("%(name)s is back. %(note)s") % {"name": member.display_name, "note": note}
        else:
            text = _("%(name)s has access again.") % {"name": member.display_name}
        _flash(request, outcome, text)
        return redirect(self.profile_url(member))


class ResendInvitationView(PeopleView):
    http_method_names = ["post"]
    permission_check = staticmethod(policies.can_invite_member)

    def post(self, request: HttpRequest, member_id: int) -> HttpResponse:
        member = self.member(member_id)
        outcome = attempt(lambda: services.invitation_resend(actor=self.membership, member=member))
        _flash(request, outcome, _("Invitation sent to %(email)s") % {"email": member.email})
        return redirect(self.profile_url(member))


class TeamsView(PeopleFormView):
    form_class = TeamForm
    template_name = "people/teams.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.get_form() if self.can_manage else None)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.can_manage:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    @property
    def can_manage(self) -> bool:
        return policies.can_manage_teams(self.membership)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "teams": selectors.team_list(), "can_manage": self.can_manage}

    def perform(self, form: TeamForm) -> Team:
        return services.team_create(actor=self.membership, **form.cleaned_data)

    def success(self, team: Team) -> HttpResponse:
        messages.success(self.request, _("Team %(name)s created.") % {"name": team.name})
        return redirect("people:teams", org_slug=self.organization.slug)


class TeamEditView(PeopleFormView):
    permission_check = staticmethod(policies.can_manage_teams)
    form_class = TeamForm
    template_name = "people/team_edit.html"

    @cached_property
    def team(self) -> Team:
        return selectors.team_get(team_id=self.kwargs["team_id"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"team": self.team}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "team": self.team}

    def perform(self, form: TeamForm) -> Team:
        return services.team_update(actor=self.membership, team=self.team, **form.cleaned_data)

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, _("Team saved."))
        return redirect("people:teams", org_slug=self.organization.slug)


class TeamDeleteView(PeopleView):
    http_method_names = ["post"]
    permission_check = staticmethod(policies.can_manage_teams)

    def post(self, request: HttpRequest, team_id: int) -> HttpResponse:
        team = selectors.team_get(team_id=team_id)
        services.team_delete(actor=self.membership, team=team)
        messages.success(
            request, _("Team %(name)s deleted; its people have no team now.") % {"name": team.name}
        )
        return redirect("people:teams", org_slug=self.organization.slug)


# Invitation links live outside /o/<slug>/: the token alone names the organization.


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_find(token=token)
    if invitation is None:
        return render(request, "people/invitation_invalid.html", status=404)
    invitee = invitation.membership.user
    signed_in = request.user.is_authenticated
    if signed_in and request.user.pk != invitee.pk:
        return render(request, "people/invitation_wrong_user.html", {"invitation": invitation})
    if invitee.has_usable_password():
        if not signed_in:
            return redirect_to_login(request.get_full_path())
        return _join_existing_login(request, invitation)
    return _join_new_login(request, invitation)


def _join_new_login(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """A new login: choose a name and a password, then straight into the organization."""
    invitee = invitation.membership.user
    name = invitation.membership.full_name or invitee.full_name
    form = InvitationAcceptForm(initial={"full_name": name})
    if request.method == "POST":
        form = InvitationAcceptForm(request.POST)
        if form.is_valid():
            outcome = attempt(
                lambda: services.invitation_accept(
                    invitation=invitation,
                    user=invitee,
                    password=form.cleaned_data["password1"],
                    full_name=form.cleaned_data["full_name"],
                ),
                form=form,
                aliases={"password": "password1"},
            )
            if outcome.ok:
                login(request, invitee, backend=MODEL_BACKEND)
                return _welcome(request, invitation)
            status = outcome.status
        else:
            status = 400
        context = {"invitation": invitation, "form": form}
        return render(request, "people/invitation_accept.html", context, status=status)
    return render(
        request, "people/invitation_accept.html", {"invitation": invitation, "form": form}
    )


def _join_existing_login(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """Someone who already signs in (a member elsewhere) joins with one button."""
    if request.method == "POST":
        outcome = attempt(
            lambda: services.invitation_accept(invitation=invitation, user=request.user)  # type: ignore[arg-type]
        )
        if outcome.ok:
            return _welcome(request, invitation)
        messages.error(request, outcome.message)
    return render(request, "people/invitation_accept.html", {"invitation": invitation})


def _welcome(request: HttpRequest, invitation: Invitation) -> HttpResponseRedirect:
    organization = invitation.organization
    messages.success(request, _("Welcome to %(name)s.") % {"name": organization.name})
    return redirect("web:home", org_slug=organization.slug)
