"""Writing reviews in the browser: "My reviews", and the review page (the author's form
with autosave, or a read-only view for the other readers).

The page autosaves with htmx (the form posts itself while the author types, with the
version it was loaded at); a save that is refused answers a small status partial: the
message, and for a stale save (409) what is stored now beside what was typed, which stays
in the form (and in the browser's storage, reviews.js).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perfmgmt.errors import ConflictError
from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView, is_htmx

from .. import policies
from ..evidence import evidence_for
from ..forms.writing import ReviewAnswersForm, has_rating, has_text
from ..models import PRIVATE_AUTHOR_KINDS, Review
from ..selectors import scores, steps
from ..selectors import writing as selectors
from ..services import writing as services


class MyReviewsView(OrgView):
    def is_reviewee(self, step: steps.ReviewStep) -> bool:
        return step.review.participant.reviewee_id == self.membership.pk

    def get(self, request: HttpRequest) -> HttpResponse:
        found = steps.review_steps(actor=self.membership)
        context = {
            "own": [step for step in found if self.is_reviewee(step)],
            "writing": [step for step in found if not self.is_reviewee(step)],
        }
        return render(request, "reviews/writing/mine.html", context)


class _ReviewForm(OrgFormView):
    """The review page: its form when the reader is the author and may still write."""

    form_class = ReviewAnswersForm
    template_name = "reviews/writing/review.html"
    partial_template_name = "reviews/writing/_save_status.html"
    conflict: dict[str, Any] | None = None

    @cached_property
    def review(self) -> Review:
        return selectors.review_get(actor=self.membership, review_id=self.kwargs["review_id"])

    @cached_property
    def page(self) -> selectors.ReviewPage:
        return selectors.review_page(actor=self.membership, review=self.review)

    @cached_property
    def refusal(self) -> str | None:
        """Why the author cannot write now (the phase's dates), if they cannot."""
        return services.writing_refusal(self.review, timezone.now())

    @property
    def editable(self) -> bool:
        return (
            policies.can_write_review(self.membership, self.review) and not self.review.is_submitted
        )

    @property
    def field_aliases(self) -> dict[str, str]:  # type: ignore[override]
        """A service's error on answer `q<question>_<item>` goes on that answer's field."""
        aliases = {}
        for question, item in self.page.items():
            key = services.answer_key(question["id"], item)
            suffix = "rating" if has_rating(question) else "text" if has_text(question) else "cite"
            aliases[key] = f"{key}_{suffix}"
        return aliases

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"items": self.page.items() if self.editable else []}

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": self.review.version}
        for section in self.page.sections:
            for block in section.questions:
                for row in block.items:
                    if row.answer is None:
                        continue
                    if row.answer.rating is not None:
                        initial[f"{row.key}_rating"] = selectors.plain_value(row.answer.rating)
                    initial[f"{row.key}_na"] = row.answer.not_applicable
                    initial[f"{row.key}_text"] = row.answer.text
                    initial[f"{row.key}_cite"] = ",".join(row.answer.citations)
        return initial

    def stale_form(self, form: ReviewAnswersForm, error: ConflictError) -> ReviewAnswersForm:
        """Keep what was typed; show what is stored beside it. On the full page the next
        save overwrites knowingly (the form now carries the stored version)."""
        if isinstance(error, services.ReviewConflictError):
            self.conflict = error.current
            if not is_htmx(self.request):
                data = self.request.POST.copy()
                data["version"] = str(error.stored_version)
                fresh = ReviewAnswersForm(data, items=self.page.items())
                fresh.is_valid()
                fresh.add_error(None, error.message)
                return fresh
        return form

    def conflict_rows(self) -> list[dict[str, Any]]:
        """The stored answers of a stale save, with their questions' prompts."""
        if not self.conflict:
            return []
        prompts = {
            row.key: (block.question["prompt"], row.label)
            for section in self.page.sections
            for block in section.questions
            for row in block.items
        }
        rows = []
        for answer in self.conflict["answers"]:
            key = services.answer_key(answer["question_id"], answer["item_id"])
            prompt, label = prompts.get(key, ("", ""))
            rows.append({**answer, "prompt": prompt, "label": label})
        return rows

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        form = context.get("form")
        page = self.page
        if form is not None and self.editable:
            for section in page.sections:
                for block in section.questions:
                    for row in block.items:
                        row.fields = {
                            suffix: form[f"{row.key}_{suffix}"]
                            for suffix in ("rating", "na", "text", "cite")
                            if f"{row.key}_{suffix}" in form.fields
                        }
        return {
            **context,
            "review": self.review,
            "participant": self.review.participant,
            "page": page,
            "editable": self.editable,
            "is_author": self.review.author_id == self.membership.pk,
            "refusal": self.refusal,
            "conflict": self.conflict,
            "conflict_rows": self.conflict_rows(),
            # A peer or direct report writes from their own experience: no evidence panel
            # (nor a trace of having opened one).
            "peer_kind": self.review.kind in PRIVATE_AUTHOR_KINDS,
            "evidence": evidence_for(actor=self.membership, participant=self.review.participant)
            if self.review.kind not in PRIVATE_AUTHOR_KINDS
            else None,
            "gaps": gap_summary(actor=self.membership, review=self.review)
            if page.show_gap
            else None,
        }


class ReviewView(_ReviewForm):
    def perform(self, form: ReviewAnswersForm) -> Review:
        return services.review_save(
            actor=self.membership,
            review=self.review,
            answers=form.answers(),
            version=form.cleaned_data["version"],
        )

    def success(self, review: Review) -> HttpResponse:
        if is_htmx(self.request):
            return render(
                self.request,
                self.partial_template_name,
                {"review": review, "saved": True, "saved_at": review.updated_at},
            )
        messages.success(self.request, _("Draft saved."))
        return redirect("reviews:review", self.organization.slug, review.pk)


class ReviewSubmitView(_ReviewForm):
    """Submit (after saving what the form holds): refused, the page shows why, all kept."""

    http_method_names = ["post"]

    def perform(self, form: ReviewAnswersForm) -> Review:
        return services.review_submit(
            actor=self.membership,
            review=self.review,
            version=form.cleaned_data["version"],
            answers=form.answers(),
        )

    def render_form(self, form: ReviewAnswersForm, status: int = 200) -> HttpResponse:
        # The answers were saved before the submission was refused: the form goes on from
        # the saved version (a stale save keeps the version stale_form chose).
        if form.is_bound and self.conflict is None:
            self.review.refresh_from_db(fields=["version", "status"])
            data = self.request.POST.copy()
            data["version"] = str(self.review.version)
            errors = form.errors
            form = ReviewAnswersForm(data, items=self.page.items())
            form.is_valid()
            for name, messages_ in errors.items():
                form.add_error(name if name in form.fields else None, messages_)
        context = self.get_context_data(form=form)
        return render(self.request, self.template_name, context, status=status)

    def success(self, review: Review) -> HttpResponse:
        messages.success(self.request, _("Review submitted."))
        return redirect("reviews:review", self.organization.slug, review.pk)


SKIPPED_WORDS = {
    "unanswered": gettext_lazy("Not answered: left out, not counted as zero"),
    "not_applicable": gettext_lazy("Not applicable: left out"),
    "not_scored": gettext_lazy("Not scored (free text, or no weight)"),
}


def _signed(value: Decimal | None) -> str:
    return selectors.signed_value(value.quantize(Decimal("0.01")) if value is not None else None)


def gap_in_scale(found: scores.ParticipantScores, key: str) -> str:
    """A gap (0..1) in the overall scale's own units, signed: "+1.50"."""
    value = found.gaps.get(key)
    if value is None or found.highest is None or found.lowest is None:
        return ""
    return _signed(value * (found.highest - found.lowest))


def gap_summary(*, actor: Any, review: Review) -> dict[str, Any] | None:
    """The overall and per-section gaps, for the reader who sees gaps (else None)."""
    found = scores.participant_scores(actor=actor, participant=review.participant)
    if not found.show_gap:
        return None
    own = next(score for score in found.scores if score.review.kind == "self")
    sections = [
        {
            "title": found.section_titles.get(section.key, ""),
            "gap": gap_in_scale(found, section.key),
        }
        for section in own.score.sections
        if gap_in_scale(found, section.key)
    ]
    return {"overall": gap_in_scale(found, "overall"), "sections": sections}


class ScoreView(OrgView):
    """A participant's scores, explained: which answers, which weights, what was skipped."""

    def get(self, request: HttpRequest, participant_id: int) -> HttpResponse:
        participant = selectors.participant_get(
            actor=self.membership, participant_id=participant_id
        )
        found = scores.participant_scores(actor=self.membership, participant=participant)

        def gap(key: str) -> str:
            return gap_in_scale(found, key)

        reviews = []
        for review_score in found.scores:
            sections = []
            for section in review_score.score.sections:
                lines = [
                    {
                        "line": review_score.lines[answer.key],
                        "rating": selectors.plain_value(review_score.lines[answer.key].rating),
                        "weight": selectors.plain_value(answer.weight.quantize(Decimal("0.01"))),
                        "skipped": SKIPPED_WORDS.get(str(answer.skipped or ""), ""),
                        "gap": gap(answer.key),
                    }
                    for answer in section.answers
                ]
                sections.append(
                    {
                        "title": found.section_titles.get(section.key, ""),
                        "score": selectors.plain_value(found.in_scale(section.score)),
                        "weight": selectors.plain_value(section.weight),
                        "share": round(section.share * 100),
                        "lines": lines,
                        "gap": gap(section.key),
                    }
                )
            reviews.append(
                {
                    "review": review_score.review,
                    "overall": selectors.plain_value(found.in_scale(review_score.score.overall)),
                    "sections": sections,
                }
            )
        context = {
            "participant": participant,
            "reviews": reviews,
            "found": found,
            "overall_gap": gap("overall"),
            "lowest": selectors.plain_value(found.lowest),
            "highest": selectors.plain_value(found.highest),
        }
        return render(request, "reviews/writing/score.html", context)
