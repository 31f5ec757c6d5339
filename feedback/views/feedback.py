"""Feedback pages: lists, give (with who will read it), one feedback, and requests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.selectors import direct_reports, member_get

from .. import policies, selectors, services
from ..forms import (
    VISIBILITY_HELP,
    AnswerForm,
    DeclineForm,
    FeedbackForm,
    FeedbackRequestForm,
)
from ..models import FeedbackRequest, FeedbackVisibility
from ._base import FeedbackAppView, _page


class FeedbackListView(FeedbackAppView):
    direction = "received"
    titles = {
        "received": "Feedback for you",
        "given": "Feedback you gave",
        "team": "Feedback about your team",
    }

    def get(self, request: HttpRequest) -> HttpResponse:
        feedback = selectors.feedback_list(actor=self.membership, direction=self.direction)
        page = _page(request, feedback)
        services.manager_content_read(actor=self.membership, feedback=page)
        context = {
            "page": page,
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
        services.manager_content_read(actor=self.membership, feedback=[feedback])
        readers = audience(feedback.recipient, feedback.visibility)
        context = {"feedback": feedback, "readers": readers}
        return self.show("feedback_detail.html", context)


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
