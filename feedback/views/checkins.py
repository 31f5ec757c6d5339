"""Check-in pages: mine, waiting for my review, one check-in, HR cadence settings."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from perfmgmt.tenancy.models import Team

from .. import policies, selectors, services
from ..forms import (
    CadenceForm,
    CheckInForm,
    ReviewForm,
)
from ..models import CheckIn
from ._base import FeedbackAppView, FeedbackFormView, _page


class MyCheckInView(FeedbackFormView):
    """This period's check-in: fill in, save a draft, submit; and the earlier ones."""

    form_class = CheckInForm

    @cached_property
    def checkin(self) -> CheckIn:
        if self.request.method == "POST":
            return services.checkin_current(actor=self.membership)
        today = selectors.local_today(self.organization)
        return selectors.checkin_preview(person=self.membership, day=today)

    @property
    def submits(self) -> bool:
        return self.request.POST.get("action") == "submit"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"checkin": self.checkin}

    def perform(self, form: CheckInForm) -> CheckIn:
        service = services.checkin_submit if self.submits else services.checkin_update
        return service(
            actor=self.membership,
            checkin=self.checkin,
            answers=form.answers(),
            score=form.cleaned_data["score"],
        )

    def success(self, result: Any) -> HttpResponse:
        text = _("Check-in sent to your manager.") if self.submits else _("Draft saved.")
        messages.success(self.request, text)
        return redirect(self.url("checkin_mine"))

    def render_form(self, form: CheckInForm, status: int = 200) -> HttpResponse:
        checkin = self.checkin
        history = selectors.checkin_list(actor=self.membership, person_id=self.membership.pk)
        context = {
            "checkin": checkin,
            "form": form,
            "can_edit": policies.can_edit_checkin(self.membership, checkin),
            "page": _page(self.request, history.exclude(pk=checkin.pk) if checkin.pk else history),
            "can_configure": policies.can_configure_checkins(self.membership),
        }
        return self.show("checkin_mine.html", context, status)


class CheckInReviewsView(FeedbackAppView):
    """Check-ins of my direct reports waiting for my review."""

    def get(self, request: HttpRequest) -> HttpResponse:
        waiting = selectors.checkins_waiting_for_review(actor=self.membership)
        return self.show("checkin_reviews.html", {"page": _page(request, waiting)})


class CheckInDetailView(FeedbackFormView):
    form_class = ReviewForm

    @cached_property
    def checkin(self) -> CheckIn:
        checkin_id = self.kwargs["checkin_id"]
        return selectors.checkin_get(actor=self.membership, checkin_id=checkin_id)

    def get_initial(self) -> dict[str, Any]:
        return {"reply": self.checkin.manager_reply}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policies.can_review_checkin(self.membership, self.checkin):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def perform(self, form: ReviewForm) -> CheckIn:
        return services.checkin_review(
            actor=self.membership, checkin=self.checkin, reply=form.cleaned_data["reply"]
        )

    def success(self, result: Any) -> HttpResponse:
        name = self.checkin.person.display_name
        messages.success(self.request, _("Marked %(name)s's check-in reviewed.") % {"name": name})
        return redirect(self.url("checkin_detail", checkin_id=self.checkin.pk))

    def render_form(self, form: ReviewForm, status: int = 200) -> HttpResponse:
        checkin = self.checkin
        can_review = policies.can_review_checkin(self.membership, checkin) and checkin.is_submitted
        context = {
            "checkin": checkin,
            "form": form if can_review else None,
            "goals": getattr(checkin, "readable_goals", []),
        }
        return self.show("checkin_detail.html", context, status)


class CadenceSettingsView(FeedbackFormView):
    """HR: the organization's cadence and questions, and optional per-team cadences."""

    permission_check = staticmethod(policies.can_configure_checkins)
    form_class = CadenceForm

    @cached_property
    def team(self) -> Team | None:
        from perfmgmt.tenancy.selectors import team_get

        team_id = self.request.GET.get("team") or self.request.POST.get("team")
        return team_get(team_id=team_id) if team_id else None

    @cached_property
    def cadence(self) -> Any:
        return selectors.cadence_get(team_id=self.team.pk if self.team else None)

    def get_initial(self) -> dict[str, Any]:
        source = self.cadence or selectors.cadence_default()
        return {
            "frequency": source.frequency,
            "due_weekday": source.due_weekday,
            "questions": "\n".join(source.questions),
            "remind_again_after_days": source.remind_again_after_days,
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        team = self.team
        if request.POST.get("action") == "reset" and team is not None:
            services.cadence_delete(actor=self.membership, team=team)
            messages.success(
                request,
                _("%(team)s follows the organization's cadence from the next period.")
                % {"team": team.name},
            )
            return redirect(self.url("checkin_settings"))
        return super().post(request, *args, **kwargs)

    def perform(self, form: CadenceForm) -> Any:
        return services.cadence_save(
            actor=self.membership,
            team=self.team,
            frequency=form.cleaned_data["frequency"],
            due_weekday=form.cleaned_data["due_weekday"],
            questions=form.question_list(),
            remind_again_after_days=form.cleaned_data["remind_again_after_days"],
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(
            self.request, _("Check-in cadence saved. It applies from the next period.")
        )
        query = f"?team={self.team.pk}" if self.team else ""
        return redirect(self.url("checkin_settings") + query)

    def render_form(self, form: CadenceForm, status: int = 200) -> HttpResponse:
        today = selectors.local_today(self.organization)
        cadences = selectors.cadences_by_team()
        pending = selectors.cadence_pending_change(
            cadence=self.cadence, today=today, cadences=cadences
        )
        own = self.cadence is not None and not self.cadence.follows_organization
        context = {
            "form": form,
            "team": self.team,
            "configured": self.request.method == "POST" or own,
            "pending": pending,
            "teams": Team.objects.all(),
            "team_cadences": [
                cadence
                for cadence in cadences.values()
                if cadence.team_id and not cadence.follows_organization
            ],
        }
        return self.show("checkin_settings.html", context, status)
