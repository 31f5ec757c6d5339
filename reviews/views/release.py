"""The released review page (the reviewee reads, comments, acknowledges) and HR's release
buttons."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView, attempt

from .. import policies
from ..forms.release import AnswerCorrectionForm, ReviewCommentForm
from ..models import Participant, ReviewAnswer
from ..selectors import peers as peer_selectors
from ..selectors import progress as selectors
from ..selectors.writing import snapshot_question
from ..services import release as services


class ReleasedReviewView(OrgFormView):
    """The reviewee's released review (also read by their managers and HR, each reading
    what the policies let them)."""

    form_class = ReviewCommentForm
    template_name = "reviews/release/review.html"

    @cached_property
    def participant(self) -> Participant:
        return selectors.participant_get(
            actor=self.membership, participant_id=self.kwargs["participant_id"]
        )

    def get_initial(self) -> dict[str, Any]:
        return {"text": self.participant.employee_comment}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        participant = self.participant
        can_acknowledge = policies.can_acknowledge(self.membership, participant)
        return {
            **context,
            "participant": participant,
            "reviews": selectors.released_reviews(actor=self.membership, participant=participant),
            "is_reviewee": policies.reads_as_reviewee(self.membership, participant),
            "has_peer_feedback": bool(peer_selectors.group_kinds(participant.cycle)),
            "can_respond": can_acknowledge and participant.acknowledged_at is None,
            "can_release": policies.can_manage_cycles(self.membership)
            and participant.released_at is None,
            "can_correct": policies.can_manage_cycles(self.membership)
            and participant.released_at is not None,
        }

    def perform(self, form: ReviewCommentForm) -> Participant:
        return services.review_comment(
            actor=self.membership, participant=self.participant, text=form.cleaned_data["text"]
        )

    def success(self, result: Participant) -> HttpResponse:
        messages.success(self.request, _("Your comment is saved."))
        return redirect("reviews:released", self.organization.slug, result.pk)


class AcknowledgeView(OrgView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, participant_id: int) -> HttpResponse:
        participant = selectors.participant_get(
            actor=self.membership, participant_id=participant_id
        )
        outcome = attempt(
            lambda: services.review_acknowledge(actor=self.membership, participant=participant),
            shown=True,
        )
        if outcome.ok:
            messages.success(request, _("You acknowledged your review."))
        else:
            messages.error(request, outcome.message)
        return redirect("reviews:released", self.organization.slug, participant.pk)


class ParticipantReleaseView(OrgView):
    http_method_names = ["post"]
    permission_check = staticmethod(policies.can_manage_cycles)

    def post(self, request: HttpRequest, participant_id: int) -> HttpResponse:
        participant = selectors.participant_get(
            actor=self.membership, participant_id=participant_id
        )
        outcome = attempt(
            lambda: services.participant_release(actor=self.membership, participant=participant),
            shown=True,
        )
        if outcome.ok:
            messages.success(request, _("The review is released."))
        else:
            messages.error(request, outcome.message)
        return redirect("reviews:released", self.organization.slug, participant.pk)


class CycleReleaseView(OrgView):
    http_method_names = ["post"]
    permission_check = staticmethod(policies.can_manage_cycles)

    def post(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        cycle = selectors.progress_cycle_get(actor=self.membership, cycle_id=cycle_id)
        outcome = attempt(
            lambda: services.cycle_release(actor=self.membership, cycle=cycle), shown=True
        )
        if outcome.ok:
            count = outcome.result or 0
            messages.success(
                request,
                ngettext("%(count)d review released.", "%(count)d reviews released.", count)
                % {"count": count},
            )
        else:
            messages.error(request, outcome.message)
        return redirect("reviews:cycle_progress", self.organization.slug, cycle.pk)


class AnswerCorrectView(OrgFormView):
    """HR corrects one answer of a released review, with a reason (audited, the person told)."""

    permission_check = staticmethod(policies.can_manage_cycles)
    form_class = AnswerCorrectionForm
    template_name = "reviews/release/correct.html"

    @cached_property
    def answer(self) -> ReviewAnswer:
        return selectors.answer_get_for_correction(answer_id=self.kwargs["answer_id"])

    @cached_property
    def question(self) -> dict[str, Any]:
        data = self.answer.review.participant.snapshot.data
        return snapshot_question(data, self.answer.question_id) or {"prompt": "", "scale": None}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"levels": (self.question.get("scale") or {}).get("levels", [])}

    def get_initial(self) -> dict[str, Any]:
        answer = self.answer
        rating = "" if answer.rating is None else str(answer.rating.normalize())
        return {"rating": rating, "not_applicable": answer.not_applicable, "text": answer.text}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "answer": self.answer, "question": self.question}

    def perform(self, form: AnswerCorrectionForm) -> ReviewAnswer:
        data = form.cleaned_data
        correction = services.Correction(
            rating=data["rating"] or None,
            not_applicable=data["not_applicable"],
            text=data["text"],
        )
        return services.answer_correct(
            actor=self.membership, answer=self.answer, correction=correction, reason=data["reason"]
        )

    def success(self, result: ReviewAnswer) -> HttpResponse:
        messages.success(self.request, _("The answer is corrected and the person is told."))
        return redirect("reviews:released", self.organization.slug, result.review.participant_id)
