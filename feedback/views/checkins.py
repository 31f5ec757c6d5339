"""Check-in pages: mine, waiting for my review, one check-in, HR cadence settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from perfmgmt.tenancy.models import Team

from .. import policies, selectors, services
from ..forms import (
    CadenceForm,
    CheckInForm,
    ReviewForm,
)
from ..models import CheckIn
from ._base import FeedbackAppView, _page


class MyCheckInView(FeedbackAppView):
    """This period's check-in: fill in, save a draft, submit; and the earlier ones."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = selectors.local_today(self.organization)
        checkin = selectors.checkin_preview(person=self.membership, day=today)
        return self.render_page(checkin, CheckInForm(checkin=checkin))

    def post(self, request: HttpRequest) -> HttpResponse:
        checkin = services.checkin_current(actor=self.membership)
        form = CheckInForm(request.POST, checkin=checkin)
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            service = services.checkin_submit if submit else services.checkin_update
            saved = self.save(
                form,
                lambda: service(
                    actor=self.membership,
                    checkin=checkin,
                    answers=form.answers(),
                    score=form.cleaned_data["score"],
                ),
            )
            if saved is not None:
                text = "Check-in sent to your manager." if submit else "Draft saved."
                messages.success(request, text)
                return redirect(self.url("checkin_mine"))
        return self.render_page(checkin, form, status=400)

    def render_page(self, checkin: CheckIn, form: CheckInForm, status: int = 200) -> HttpResponse:
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


class CheckInDetailView(FeedbackAppView):
    def get(self, request: HttpRequest, checkin_id: int) -> HttpResponse:
        checkin = selectors.checkin_get(actor=self.membership, checkin_id=checkin_id)
        form = ReviewForm(initial={"reply": checkin.manager_reply})
        return self.render_page(checkin, form)

    def post(self, request: HttpRequest, checkin_id: int) -> HttpResponse:
        checkin = selectors.checkin_get(actor=self.membership, checkin_id=checkin_id)
        if not policies.can_review_checkin(self.membership, checkin):
            raise PermissionDenied
        form = ReviewForm(request.POST)
        if form.is_valid():
            reviewed = self.save(
                form,
                lambda: services.checkin_review(
                    actor=self.membership, checkin=checkin, reply=form.cleaned_data["reply"]
                ),
            )
            if reviewed is not None:
                messages.success(
                    request, f"Marked {checkin.person.display_name}'s check-in reviewed."
                )
                return redirect(self.url("checkin_detail", checkin_id=checkin.pk))
        return self.render_page(checkin, form, status=400)

    def render_page(self, checkin: CheckIn, form: ReviewForm, status: int = 200) -> HttpResponse:
        can_review = policies.can_review_checkin(self.membership, checkin) and checkin.is_submitted
        context = {
            "checkin": checkin,
            "form": form if can_review else None,
            "goals": selectors.checkin_goals_visible(actor=self.membership, checkin=checkin),
        }
        return self.show("checkin_detail.html", context, status)


class CadenceSettingsView(FeedbackAppView):
    """HR: the organization's cadence and questions, and optional per-team cadences."""

    permission_check = staticmethod(policies.can_configure_checkins)

    def team(self) -> Team | None:
        from perfmgmt.tenancy.selectors import team_get

        team_id = self.request.GET.get("team") or self.request.POST.get("team")
        return team_get(team_id=team_id) if team_id else None

    def get(self, request: HttpRequest) -> HttpResponse:
        team = self.team()
        cadence = selectors.cadence_get(team_id=team.pk if team else None)
        source = cadence or selectors.cadence_default()
        form = CadenceForm(
            initial={
                "frequency": source.frequency,
                "due_weekday": source.due_weekday,
                "questions": "\n".join(source.questions),
                "remind_again_after_days": source.remind_again_after_days,
            }
        )
        return self.render_page(form, team, cadence is not None)

    def post(self, request: HttpRequest) -> HttpResponse:
        team = self.team()
        if request.POST.get("action") == "reset" and team is not None:
            services.cadence_delete(actor=self.membership, team=team)
            messages.success(request, f"{team.name} follows the organization's cadence again.")
            return redirect(self.url("checkin_settings"))
        form = CadenceForm(request.POST)
        if form.is_valid():
            saved = self.save(
                form,
                lambda: services.cadence_save(
                    actor=self.membership,
                    team=team,
                    frequency=form.cleaned_data["frequency"],
                    due_weekday=form.cleaned_data["due_weekday"],
                    questions=form.question_list(),
                    remind_again_after_days=form.cleaned_data["remind_again_after_days"],
                ),
            )
            if saved is not None:
                messages.success(
                    request, "Check-in cadence saved. It applies from the next period."
                )
                query = f"?team={team.pk}" if team else ""
                return redirect(self.url("checkin_settings") + query)
        return self.render_page(form, team, True, status=400)

    def render_page(
        self, form: CadenceForm, team: Team | None, configured: bool, status: int = 200
    ) -> HttpResponse:
        context = {
            "form": form,
            "team": team,
            "configured": configured,
            "teams": Team.objects.all(),
            "team_cadences": [c for c in selectors.cadences_by_team().values() if c.team_id],
        }
        return self.show("checkin_settings.html", context, status)
