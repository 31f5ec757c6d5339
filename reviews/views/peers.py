"""Peer and upward feedback in the browser: HR's settings, the person's page (their own
nominations, their reports' nominations to decide, the requests they answer), a
participant's nominations, declining a request, and the combined results."""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView, attempt

from .. import policies
from ..forms.peers import DeclineForm, NominateForm, PeerSettingsForm
from ..models import Participant, PeerNomination, ReviewCycle
from ..selectors import cycles as cycle_selectors
from ..selectors import peers as selectors
from ..services.peers import nominations as services
from ..services.peers.settings import cycle_peer_settings_set


class PeerSettingsView(OrgFormView):
    """HR sets a draft cycle's peer and upward feedback (fixed once it launches)."""

    permission_check = staticmethod(policies.can_manage_cycles)
    form_class = PeerSettingsForm
    template_name = "reviews/peers/settings.html"

    @cached_property
    def cycle(self) -> ReviewCycle:
        return cycle_selectors.cycle_get(cycle_id=self.kwargs["cycle_id"])

    def get_initial(self) -> dict[str, Any]:
        cycle = self.cycle
        return {
            "peer_minimum": cycle.peer_minimum,
            "peer_maximum": cycle.peer_maximum,
            "anonymity_threshold": cycle.anonymity_threshold,
            "peers_anonymous": "1" if cycle.peers_anonymous else "0",
            "upward_reviews": cycle.upward_reviews,
        }

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "cycle": self.cycle}

    def perform(self, form: PeerSettingsForm) -> ReviewCycle:
        return cycle_peer_settings_set(
            actor=self.membership, cycle=self.cycle, settings=form.settings()
        )

    def success(self, result: ReviewCycle) -> HttpResponse:
        messages.success(self.request, _("Saved."))
        return redirect("reviews:cycle", self.organization.slug, result.pk)


class PeerInboxView(OrgView):
    def get(self, request: HttpRequest) -> HttpResponse:
        inbox = selectors.peer_inbox(actor=self.membership)
        return render(request, "reviews/peers/inbox.html", {"inbox": inbox})


class PeerRequestsView(OrgView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = selectors.requests_with_nominations(actor=self.membership)
        return render(request, "reviews/peers/requests.html", {"rows": rows})


class ParticipantPeersView(OrgFormView):
    """A participant's nominations: the reviewee nominates, their managers decide or add."""

    form_class = NominateForm
    template_name = "reviews/peers/participant.html"

    @cached_property
    def participant(self) -> Participant:
        return selectors.peer_participant_get(
            actor=self.membership, participant_id=self.kwargs["participant_id"]
        )

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        participant = self.participant
        phase = selectors.peer_phase(participant.cycle)
        return {
            **context,
            "participant": participant,
            "cycle": participant.cycle,
            "phase": phase,
            "nominations": selectors.nominations_of(participant),
            "is_reviewee": policies.reads_as_reviewee(self.membership, participant),
            "can_nominate": phase is not None
            and policies.can_nominate_peers(self.membership, participant),
            "can_decide": policies.can_decide_nominations(self.membership, participant),
        }

    def perform(self, form: NominateForm) -> list[PeerNomination]:
        return services.peers_nominate(
            actor=self.membership, participant=self.participant, peers=form.cleaned_data["peers"]
        )

    def success(self, result: list[PeerNomination]) -> HttpResponse:
        messages.success(self.request, _("Saved."))
        return redirect("reviews:participant_peers", self.organization.slug, self.participant.pk)


class _NominationButton(OrgView, ABC):
    """A button on a nomination (approve, remove): one service, back to the list."""

    http_method_names = ["post"]

    @abstractmethod
    def act(self, nomination: PeerNomination) -> Any:
        """The button's one service call."""

    def post(self, request: HttpRequest, nomination_id: int) -> HttpResponse:
        nomination = selectors.nomination_get(actor=self.membership, nomination_id=nomination_id)
        outcome = attempt(lambda: self.act(nomination))  # a refused permission is a 403
        if outcome.ok:
            messages.success(request, _("Saved."))
        else:
            messages.error(request, outcome.message)
        slug = self.organization.slug
        return redirect("reviews:participant_peers", slug, nomination.participant_id)


class NominationApproveView(_NominationButton):
    def act(self, nomination: PeerNomination) -> PeerNomination:
        return services.nomination_approve(actor=self.membership, nomination=nomination)


class NominationRemoveView(_NominationButton):
    def act(self, nomination: PeerNomination) -> PeerNomination:
        return services.nomination_remove(actor=self.membership, nomination=nomination)


class NominationDeclineView(OrgFormView):
    form_class = DeclineForm
    template_name = "reviews/peers/decline.html"

    @cached_property
    def nomination(self) -> PeerNomination:
        return selectors.nomination_get(
            actor=self.membership, nomination_id=self.kwargs["nomination_id"]
        )

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {
            **context,
            "nomination": self.nomination,
            "cycle": self.nomination.participant.cycle,
        }

    def perform(self, form: DeclineForm) -> PeerNomination:
        return services.nomination_decline(
            actor=self.membership, nomination=self.nomination, reason=form.cleaned_data["reason"]
        )

    def success(self, result: PeerNomination) -> HttpResponse:
        messages.success(self.request, _("You declined. Thank you for saying why."))
        return redirect("reviews:peer_requests", self.organization.slug)


class PeerResultsView(OrgView):
    """The combined peer and upward feedback of one participant, as its reader may read it."""

    def get(self, request: HttpRequest, participant_id: int) -> HttpResponse:
        participant = selectors.peer_participant_get(
            actor=self.membership, participant_id=participant_id
        )
        results = selectors.peer_results(actor=self.membership, participant=participant)
        context = {"results": results, "participant": participant, "cycle": participant.cycle}
        return render(request, "reviews/peers/results.html", context)
