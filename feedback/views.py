"""Pages for check-ins, feedback, feedback requests and coaching records.

Thin views over the same services and selectors as the API. An object the person may not
see is a 404 (exactly like another organization's); a failed save shows the form again,
filled in, with the service's messages on the right fields.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from perfmgmt.errors import DomainError
from perfmgmt.tenancy.forms import PeopleForm
from perfmgmt.tenancy.models import Membership, Team
from perfmgmt.tenancy.selectors import direct_reports, member_get
from perfmgmt.web.base import OrgView

from . import policies, selectors, services
from .forms import (
    VISIBILITY_HELP,
    AnswerForm,
    CadenceForm,
    CheckInForm,
    CoachingRecordForm,
    DeclineForm,
    FeedbackForm,
    FeedbackRequestForm,
    ReviewForm,
)
from .models import CheckIn, FeedbackRequest, FeedbackVisibility

PAGE_SIZE = 50


def _page(request: HttpRequest, items: QuerySet[Any]) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


class FeedbackAppView(OrgView):
    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"feedback:{name}", kwargs={"org_slug": self.organization.slug, **kwargs})

    def show(self, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(self.request, f"feedback/{template}", context, status=status)

    def save(self, form: PeopleForm, action: Any) -> Any:
        """Run a service; on a DomainError put its messages on the form and return None."""
        try:
            return action()
        except DomainError as error:
            form.add_domain_error(error)
            return None


# Check-ins -----------------------------------------------------------------------------


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


# Feedback ------------------------------------------------------------------------------


class FeedbackListView(FeedbackAppView):
    direction = "received"
    titles = {
        "received": "Feedback for you",
        "given": "Feedback you gave",
        "team": "Feedback about your team",
    }

    def get(self, request: HttpRequest) -> HttpResponse:
        feedback = selectors.feedback_list(actor=self.membership, direction=self.direction)
        context = {
            "page": _page(request, feedback),
            "direction": self.direction,
            "title": self.titles[self.direction],
            "is_manager": direct_reports(manager=self.membership).exists(),
        }
        return self.show("feedback_list.html", context)


class FeedbackGivenView(FeedbackListView):
    direction = "given"


class FeedbackTeamView(FeedbackListView):
    direction = "team"


def audience(recipient: Membership | None, visibility: str) -> list[str]:
    if recipient is None or visibility not in FeedbackVisibility.values:
        return []
    managers = selectors.chain_managers(person=recipient)
    return policies.readers_of_feedback(
        recipient=recipient, visibility=visibility, managers=managers
    )


class GiveFeedbackView(FeedbackAppView):
    def get(self, request: HttpRequest) -> HttpResponse:
        initial: dict[str, Any] = {"visibility": FeedbackVisibility.PRIVATE}
        if request.GET.get("recipient"):
            initial["recipient"] = request.GET["recipient"]
        return self.render_page(FeedbackForm(actor=self.membership, initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = FeedbackForm(request.POST, actor=self.membership)
        if form.is_valid():
            feedback = self.save(
                form, lambda: services.feedback_give(actor=self.membership, **form.cleaned_data)
            )
            if feedback is not None:
                messages.success(request, f"Feedback sent to {feedback.recipient.display_name}.")
                return redirect(self.url("feedback_detail", feedback_id=feedback.pk))
        return self.render_page(form, status=400)

    def render_page(self, form: FeedbackForm, status: int = 200) -> HttpResponse:
        recipient = _recipient_from(form)
        visibility = str(form["visibility"].value() or "")
        context = {
            "form": form,
            "readers": audience(recipient, visibility),
            "recipient": recipient,
            "visibility_help": VISIBILITY_HELP,
        }
        return self.show("feedback_give.html", context, status)


def _recipient_from(form: FeedbackForm) -> Membership | None:
    value = form["recipient"].value()
    if not value:
        return None
    try:
        return member_get(member_id=value)
    except Http404:
        return None


class FeedbackAudienceView(FeedbackAppView):
    """htmx: who will be able to read the feedback, for the chosen person and visibility."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = FeedbackForm(request.GET, actor=self.membership)
        recipient = _recipient_from(form)
        visibility = request.GET.get("visibility", "")
        context = {"readers": audience(recipient, visibility), "recipient": recipient}
        return self.show("_audience.html", context)


class FeedbackDetailView(FeedbackAppView):
    def get(self, request: HttpRequest, feedback_id: int) -> HttpResponse:
        feedback = selectors.feedback_get(actor=self.membership, feedback_id=feedback_id)
        readers = audience(feedback.recipient, feedback.visibility)
        context = {"feedback": feedback, "readers": readers}
        return self.show("feedback_detail.html", context)


# Feedback requests ---------------------------------------------------------------------


class RequestListView(FeedbackAppView):
    def get(self, request: HttpRequest) -> HttpResponse:
        role = request.GET.get("role", "")
        role = role if role in ("made", "asked") else "asked"
        requests = selectors.feedback_request_list(actor=self.membership, role=role)
        context = {"page": _page(request, requests), "role": role}
        return self.show("request_list.html", context)


class RequestNewView(FeedbackAppView):
    def form(self, data: Any = None) -> FeedbackRequestForm:
        reports = list(direct_reports(manager=self.membership))
        return FeedbackRequestForm(data, actor=self.membership, reports=reports)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.show("request_new.html", {"form": self.form()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            created = self.save(
                form,
                lambda: services.feedback_request_create(
                    actor=self.membership,
                    subject=form.cleaned_data["subject"],
                    people=list(form.cleaned_data["people"]),
                    prompt=form.cleaned_data["prompt"],
                    due_on=form.cleaned_data["due_on"],
                ),
            )
            if created is not None:
                messages.success(request, "Request sent.")
                return redirect(self.url("request_detail", feedback_request_id=created.pk))
        return self.show("request_new.html", {"form": form}, status=400)


class RequestPageView(FeedbackAppView):
    """A feedback request the person may see, and its page."""

    def get_request(self, request_id: int) -> FeedbackRequest:
        return selectors.feedback_request_get(actor=self.membership, request_id=request_id)

    def render_page(
        self,
        feedback_request: FeedbackRequest,
        form: AnswerForm | None = None,
        decline_form: DeclineForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        ask = selectors.ask_of(feedback_request, self.membership)
        pending = ask is not None and ask.status == ask.Status.PENDING
        visibilities = policies.answer_visibilities(feedback_request)
        if pending and form is None:
            form = AnswerForm(visibilities=visibilities, initial={"visibility": visibilities[0]})
        context = {
            "feedback_request": feedback_request,
            "ask": ask,
            "asks": selectors.visible_asks(self.membership, feedback_request),
            "form": form if pending else None,
            "decline_form": (decline_form or DeclineForm()) if pending else None,
        }
        return self.show("request_detail.html", context, status)


class RequestDetailView(RequestPageView):
    """The request; the asked person answers here (or declines below)."""

    def get(self, request: HttpRequest, feedback_request_id: int) -> HttpResponse:
        feedback_request = self.get_request(feedback_request_id)
        return self.render_page(feedback_request)

    def post(self, request: HttpRequest, feedback_request_id: int) -> HttpResponse:
        feedback_request = self.get_request(feedback_request_id)
        form = AnswerForm(request.POST, visibilities=policies.answer_visibilities(feedback_request))
        if form.is_valid():
            answered = self.save(
                form,
                lambda: services.feedback_request_answer(
                    actor=self.membership, request=feedback_request, **form.cleaned_data
                ),
            )
            if answered is not None:
                messages.success(request, "Thank you, your feedback was sent.")
                return redirect(self.url("request_detail", feedback_request_id=feedback_request.pk))
        return self.render_page(feedback_request, form, status=400)


class RequestDeclineView(RequestPageView):
    def post(self, request: HttpRequest, feedback_request_id: int) -> HttpResponse:
        feedback_request = self.get_request(feedback_request_id)
        form = DeclineForm(request.POST)
        if form.is_valid():
            declined = self.save(
                form,
                lambda: services.feedback_request_decline(
                    actor=self.membership,
                    request=feedback_request,
                    reason=form.cleaned_data["reason"],
                ),
            )
            if declined is not None:
                messages.success(request, "You declined the request.")
                return redirect(self.url("request_list"))
        return self.render_page(feedback_request, decline_form=form, status=400)


# Coaching records ----------------------------------------------------------------------


class CoachingPersonView(FeedbackAppView):
    """A person's coaching records; their managers add new ones here."""

    def person(self, member_id: int) -> Membership:
        person = member_get(member_id=member_id)
        if not policies.can_view_coaching_records_of(self.membership, person):
            raise Http404("No such person.")
        return person

    def get(self, request: HttpRequest, member_id: int) -> HttpResponse:
        person = self.person(member_id)
        today = selectors.local_today(self.organization)
        return self.render_page(person, CoachingRecordForm(initial={"held_on": today}))

    def post(self, request: HttpRequest, member_id: int) -> HttpResponse:
        person = self.person(member_id)
        if not policies.can_write_coaching_record(self.membership, person):
            raise PermissionDenied
        form = CoachingRecordForm(request.POST)
        if form.is_valid():
            record = self.save(
                form,
                lambda: services.coaching_record_create(
                    actor=self.membership, person=person, **form.cleaned_data
                ),
            )
            if record is not None:
                messages.success(request, "Coaching record saved.")
                return redirect(self.url("coaching_person", member_id=person.pk))
        return self.render_page(person, form, status=400)

    def render_page(
        self, person: Membership, form: CoachingRecordForm, status: int = 200
    ) -> HttpResponse:
        records = selectors.coaching_records_for(actor=self.membership, person=person)
        can_write = policies.can_write_coaching_record(self.membership, person)
        context = {
            "person": person,
            "page": _page(self.request, records),
            "form": form if can_write else None,
        }
        return self.show("coaching_person.html", context, status)


class CoachingDetailView(FeedbackAppView):
    def get(self, request: HttpRequest, coaching_record_id: int) -> HttpResponse:
        record = selectors.coaching_record_get(actor=self.membership, record_id=coaching_record_id)
        form = CoachingRecordForm(
            initial={name: getattr(record, name) for name in services.COACHING_FIELDS}
        )
        return self.render_page(record, form)

    def post(self, request: HttpRequest, coaching_record_id: int) -> HttpResponse:
        record = selectors.coaching_record_get(actor=self.membership, record_id=coaching_record_id)
        if not policies.can_edit_coaching_record(self.membership, record):
            raise PermissionDenied
        form = CoachingRecordForm(request.POST)
        if form.is_valid():
            saved = self.save(
                form,
                lambda: services.coaching_record_update(
                    actor=self.membership, record=record, **form.cleaned_data
                ),
            )
            if saved is not None:
                messages.success(request, "Coaching record saved.")
                return redirect(self.url("coaching_detail", coaching_record_id=record.pk))
        return self.render_page(record, form, status=400)

    def render_page(self, record: Any, form: CoachingRecordForm, status: int = 200) -> HttpResponse:
        can_edit = policies.can_edit_coaching_record(self.membership, record)
        context = {"record": record, "form": form if can_edit else None}
        return self.show("coaching_detail.html", context, status)
