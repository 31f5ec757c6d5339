"""PDF downloads: an improvement plan, and a released review. Each reads exactly what its
page reads, through the same selectors (the review: `released_reviews`, so the reviewee
finds their manager's review in it only once released), so a reader who may not open the
page gets a 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from perfmgmt.web.base import OrgView

from .. import policies
from ..pdf import pdf_response
from ..selectors import progress as release_selectors
from .improvement_plans import PlanMixin, plan_context


class ImprovementPlanPdfView(PlanMixin, OrgView):
    def get(self, request: HttpRequest, improvement_plan_id: int) -> HttpResponse:
        context = {**plan_context(self.membership, self.plan), "organization": self.organization}
        return pdf_response(
            request,
            "reviews/improvement_plans/pdf.html",
            context,
            filename=f"improvement-plan-{self.plan.pk}.pdf",
        )


class ReleasedReviewPdfView(OrgView):
    def get(self, request: HttpRequest, participant_id: int) -> HttpResponse:
        actor = self.membership
        participant = release_selectors.participant_get(actor=actor, participant_id=participant_id)
        context = {
            "organization": self.organization,
            "participant": participant,
            "reviews": release_selectors.released_reviews(actor=actor, participant=participant),
            "is_reviewee": policies.reads_as_reviewee(actor, participant),
        }
        return pdf_response(
            request,
            "reviews/release/pdf.html",
            context,
            filename=f"review-{participant.pk}.pdf",
        )
