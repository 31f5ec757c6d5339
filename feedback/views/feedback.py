"""Feedback pages: lists, give (with who will read it), one feedback, and requests."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.selectors import direct_reports, member_get
from perfmgmt.web.keyset import InvalidCursor, broken_page_link

from .. import policies, selectors, services
from ..forms import (
    VISIBILITY_HELP,
    AnswerForm,
    DeclineForm,
    FeedbackForm,
    FeedbackRequestForm,
)
from ..models import FeedbackRequest, FeedbackVisibility
from ._base import FEEDBACK_PAGES, PAGE_SIZE, FeedbackAppView, FeedbackFormView, _page


class FeedbackListView(FeedbackAppView):
    direction = "received"
    titles = {
        "received": _("Feedback for you"),
        "given": _("Feedback you gave"),
        "team": _("Feedback about your team"),
    }

    def get(self, request: HttpRequest) -> HttpResponse:
        feedback = selectors.feedback_list(actor=self.membership, direction=self.direction)
        try:
            page = FEEDBACK_PAGES.page(feedback, request=request, size=PAGE_SIZE)
        except InvalidCursor:
            return broken_page_link(request)
        services.manager_content_read(actor=self.membership, feedback=page.object_list)
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


def audience(
    recipient: Membership | None,
    visibility: str,
    giver: Membership,
    written_at: datetime | None = None,
) -> list[str]:
    """The names of who besides the giver can (or will be able to) read it."""
    if recipient is None or visibility not in FeedbackVisibility.values:
        return []
    readers = selectors.feedback_readers(
        recipient=recipient, visibility=visibility, giver=giver, written_at=written_at
    )
    return [reader.display_name for reader in readers]


class GiveFeedbackView(FeedbackFormView):
    form_class = FeedbackForm

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"visibility": FeedbackVisibility.PRIVATE}
        if self.request.GET.get("recipient"):
            initial["recipient"] = self.request.GET["recipient"]
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"actor": self.membership}

    def perform(self, form: FeedbackForm) -> Any:
        return services.feedback_give(actor=self.membership, **form.cleaned_data)

    def success(self, feedback: Any) -> HttpResponse:
        messages.success(
            self.request,
            gettext("Feedback sent to %(name)s.") % {"name": feedback.recipient.display_name},
        )
        return redirect(self.url("feedback_detail", feedback_id=feedback.pk))

    def render_form(self, form: FeedbackForm, status: int = 200) -> HttpResponse:
        recipient = _recipient_from(form)
        visibility = str(form["visibility"].value() or "")
        context = {
            "form": form,
            "readers": audience(recipient, visibility, giver=self.membership),
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
        readers = audience(recipient, visibility, giver=self.membership)
        context = {"readers": readers, "recipient": recipient}
        return self.show("_audience.html", context)


class FeedbackDetailView(FeedbackAppView):
    def get(self, request: HttpRequest, feedback_id: int) -> HttpResponse:
        feedback = selectors.feedback_get(actor=self.membership, feedback_id=feedback_id)
        services.manager_content_read(actor=self.membership, feedback=[feedback])
        readers = audience(
            feedback.recipient,
            feedback.visibility,
            giver=feedback.giver,
            written_at=feedback.created_at,
        )
        context = {"feedback": feedback, "readers": readers}
        return self.show("feedback_detail.html", context)


class RequestListView(FeedbackAppView):
    def get(self, request: HttpRequest) -> HttpResponse:
        role = request.GET.get("role", "")
        role = role if role in ("made", "asked") else "asked"
        requests = selectors.feedback_request_list(actor=self.membership, role=role)
        context = {"page": _page(request, requests), "role": role}
        return self.show("request_list.html", context)


class RequestNewView(FeedbackFormView):
    form_class = FeedbackRequestForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"actor": self.membership}

    def perform(self, form: FeedbackRequestForm) -> FeedbackRequest:
        return services.feedback_request_create(
            actor=self.membership,
            subject=form.cleaned_data["subject"],
            people=list(form.cleaned_data["people"]),
            prompt=form.cleaned_data["prompt"],
            due_on=form.cleaned_data["due_on"],
        )

    def success(self, created: FeedbackRequest) -> HttpResponse:
        messages.success(self.request, gettext("Request sent."))
        return redirect(self.url("request_detail", feedback_request_id=created.pk))

    def render_form(self, form: FeedbackRequestForm, status: int = 200) -> HttpResponse:
        return self.show("request_new.html", {"form": form}, status)


class RequestPageView(FeedbackFormView):
    """A feedback request the person may see, and its page."""

    http_method_names = ["post"]

    @cached_property
    def feedback_request(self) -> FeedbackRequest:
        request_id = self.kwargs["feedback_request_id"]
        return selectors.feedback_request_get(actor=self.membership, request_id=request_id)

    def render_page(
        self,
        form: AnswerForm | None = None,
        decline_form: DeclineForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        feedback_request = self.feedback_request
        ask = selectors.ask_of(feedback_request, self.membership)
        pending = ask is not None and ask.status == ask.Status.PENDING
        visibilities = policies.answer_visibilities(feedback_request)
        if pending and form is None:
            form = AnswerForm(visibilities=visibilities, initial={"visibility": visibilities[0]})
        context = {
            "feedback_request": feedback_request,
            "ask": ask,
            "asks": getattr(feedback_request, "shown_asks", []),
            "form": form if pending else None,
            "decline_form": (decline_form or DeclineForm()) if pending else None,
        }
        return self.show("request_detail.html", context, status)


class RequestDetailView(RequestPageView):
    """The request; the asked person answers here (or declines below)."""

    http_method_names = ["get", "post"]
    form_class = AnswerForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_page()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"visibilities": policies.answer_visibilities(self.feedback_request)}

    def perform(self, form: AnswerForm) -> Any:
        return services.feedback_request_answer(
            actor=self.membership, request=self.feedback_request, **form.cleaned_data
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, gettext("Thank you, your feedback was sent."))
        pk = self.feedback_request.pk
        return redirect(self.url("request_detail", feedback_request_id=pk))

    def render_form(self, form: AnswerForm, status: int = 200) -> HttpResponse:
        return self.render_page(form, status=status)


class RequestDeclineView(RequestPageView):
    form_class = DeclineForm

    def perform(self, form: DeclineForm) -> Any:
        return services.feedback_request_decline(
            actor=self.membership, request=self.feedback_request, reason=form.cleaned_data["reason"]
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, gettext("You declined the request."))
        return redirect(self.url("request_list"))

    def render_form(self, form: DeclineForm, status: int = 200) -> HttpResponse:
        return self.render_page(decline_form=form, status=status)
