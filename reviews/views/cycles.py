"""Review cycle pages for HR: the cycles, a cycle's set-up and phases, the preview of who
takes part, the launch with its progress bar, and the participants with per-person actions."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.errors import NotFoundError
from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView, attempt

from .. import policies
from ..forms.cycles import CycleForm, ExtendForm, PersonForm, PhasesForm, ReopenForm
from ..models import PHASE_ORDER, CycleStatus, Participant, Review, ReviewCycle, ReviewStatus
from ..selectors import cycles as selectors
from ..selectors.retrospectives import retrospective_of_cycle
from ..services.cycles import configure, launch, people

PARTICIPANTS_PAGE_SIZE = 50


class _CycleMixin:
    kwargs: dict[str, Any]

    @cached_property
    def cycle(self) -> ReviewCycle:
        return selectors.cycle_get(cycle_id=self.kwargs["cycle_id"])


class CycleListView(OrgView):
    permission_check = staticmethod(policies.can_manage_cycles)

    def get(self, request: HttpRequest) -> HttpResponse:
        cycles = selectors.cycle_list()
        return render(request, "reviews/cycles/list.html", {"cycles": cycles})


class CycleCreateView(OrgFormView):
    permission_check = staticmethod(policies.can_manage_cycles)
    form_class = CycleForm
    template_name = "reviews/cycles/form.html"

    def perform(self, form: CycleForm) -> ReviewCycle:
        return configure.cycle_create(actor=self.membership, **form.service_arguments())

    def success(self, cycle: ReviewCycle) -> HttpResponse:
        messages.success(
            self.request, _("%(name)s created. Set its phases.") % {"name": cycle.name}
        )
        return redirect("reviews:cycle", self.organization.slug, cycle.pk)


def cycle_context(cycle: ReviewCycle) -> dict[str, Any]:
    phases = selectors.cycle_phases(cycle)
    context: dict[str, Any] = {
        "cycle": cycle,
        "phases": phases,
        "phases_form": PhasesForm(phases=phases),
        "is_draft": cycle.status == CycleStatus.DRAFT,
    }
    if cycle.status == CycleStatus.DRAFT:
        context["preview"] = selectors.participant_preview(cycle=cycle)
        context["launch_errors"] = launch.launch_errors(cycle)
    else:
        retrospective = retrospective_of_cycle(cycle)
        context["retrospective"] = retrospective
        context["retrospective_open"] = retrospective is not None and retrospective.is_open(
            timezone.now()
        )
    return context


class CycleView(_CycleMixin, OrgFormView):
    """A cycle: its set-up (editable), phases, who takes part, the launch."""

    permission_check = staticmethod(policies.can_manage_cycles)
    form_class = CycleForm
    template_name = "reviews/cycles/cycle.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"cycle": self.cycle}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, **cycle_context(self.cycle)}

    def perform(self, form: CycleForm) -> ReviewCycle:
        return configure.cycle_update(
            actor=self.membership, cycle=self.cycle, **form.service_arguments()
        )

    def success(self, cycle: ReviewCycle) -> HttpResponse:
        messages.success(self.request, _("%(name)s saved.") % {"name": cycle.name})
        return redirect("reviews:cycle", self.organization.slug, cycle.pk)


class CyclePhasesView(_CycleMixin, OrgFormView):
    permission_check = staticmethod(policies.can_manage_cycles)
    form_class = PhasesForm
    template_name = "reviews/cycles/phases.html"
    field_aliases = {kind: f"{kind}_opens_on" for kind in PHASE_ORDER}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"phases": selectors.cycle_phases(self.cycle)}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "cycle": self.cycle}

    def perform(self, form: PhasesForm) -> Any:
        return configure.cycle_phases_set(
            actor=self.membership, cycle=self.cycle, phases=form.phases()
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, _("Phases saved."))
        return redirect("reviews:cycle", self.organization.slug, self.cycle.pk)


class CycleLaunchView(_CycleMixin, OrgView):
    http_method_names = ["post"]
    permission_check = staticmethod(policies.can_manage_cycles)

    def post(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        outcome = attempt(
            lambda: launch.cycle_launch(actor=self.membership, cycle=self.cycle), shown=True
        )
        if outcome.ok:
            messages.success(request, _("The cycle is launching."))
        else:
            details = [str(m) for messages_ in outcome.error.fields.values() for m in messages_]  # type: ignore[union-attr]
            messages.error(request, " ".join([outcome.message, *details]))
        return redirect("reviews:cycle", self.organization.slug, self.cycle.pk)


class CycleLaunchProgressView(_CycleMixin, OrgView):
    """The launch's progress bar; it polls itself (htmx) until the launch is done."""

    permission_check = staticmethod(policies.can_manage_cycles)

    def get(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        return render(request, "reviews/cycles/_progress.html", {"cycle": self.cycle})


class ParticipantListView(_CycleMixin, OrgView):
    permission_check = staticmethod(policies.can_manage_cycles)

    def get(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        participants = selectors.participant_list(cycle=self.cycle)
        page = Paginator(participants, PARTICIPANTS_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [(participant, selectors.open_reviews(participant)) for participant in page]
        context = {"cycle": self.cycle, "page": page, "rows": rows}
        return render(request, "reviews/cycles/participants.html", context)


class _OnParticipant(OrgFormView):
    """The participant page and its forms: extend a deadline, reopen a submitted review."""

    permission_check = staticmethod(policies.can_manage_cycles)
    template_name = "reviews/cycles/participant.html"
    form_key = "extend_form"
    field_aliases = {"until": "until_day"}

    @cached_property
    def participant(self) -> Participant:
        return selectors.participant_get(participant_id=self.kwargs["participant_id"])

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        participant = self.participant
        reviews = list(participant.reviews.all())
        forms: dict[str, Any] = {"extend_form": ExtendForm()}
        reopenable = [
            review
            for review in reviews
            if review.status == ReviewStatus.SUBMITTED and review.superseded_at is None
        ]
        reopen_forms = {
            review.pk: ReopenForm(initial={"review": review.pk}) for review in reopenable
        }
        if "form" in context:
            form = context.pop("form")
            if self.form_key == "reopen_form":
                reopen_forms[int(form.data.get("review") or 0)] = form
            else:
                forms[self.form_key] = form
        return {
            **context,
            **forms,
            "participant": participant,
            "cycle": participant.cycle,
            "reviews": reviews,
            "reopen": [(review, reopen_forms[review.pk]) for review in reopenable],
            "manager_form": PersonForm(),
        }

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, _("Saved."))
        return redirect("reviews:participant", self.organization.slug, self.participant.pk)


class ParticipantView(_OnParticipant):
    form_class = ExtendForm

    def perform(self, form: ExtendForm) -> Participant:
        return people.participant_extend(
            actor=self.membership,
            participant=self.participant,
            kind=form.cleaned_data["kind"],
            until=form.until(),
        )


class ParticipantReopenView(_OnParticipant):
    http_method_names = ["post"]
    form_class = ReopenForm
    form_key = "reopen_form"

    def perform(self, form: ReopenForm) -> Review:
        review = next(
            (r for r in self.participant.reviews.all() if r.pk == form.cleaned_data["review"]),
            None,
        )
        if review is None:
            raise NotFoundError("No such review.")
        return people.review_reopen(
            actor=self.membership,
            review=review,
            reason=form.cleaned_data["reason"],
            until=form.until(),
        )


class ParticipantManagerView(OrgFormView):
    """What a manager change does (GET with an email), then the change (POST)."""

    permission_check = staticmethod(policies.can_manage_cycles)
    form_class = PersonForm
    template_name = "reviews/cycles/manager_change.html"

    @cached_property
    def participant(self) -> Participant:
        return selectors.participant_get(participant_id=self.kwargs["participant_id"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "email" not in request.GET:
            return self.render_form(self.get_form())
        return self.render_form(self.get_form(request.GET))

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        form = context.get("form")
        preview = None
        if form is not None and form.is_bound and form.is_valid():
            preview = selectors.manager_change_preview(
                participant=self.participant, new_manager=form.person()
            )
        return {**context, "participant": self.participant, "preview": preview}

    def perform(self, form: PersonForm) -> Participant:
        return people.participant_manager_change(
            actor=self.membership, participant=self.participant, new_manager=form.person()
        )

    def success(self, participant: Participant) -> HttpResponse:
        messages.success(self.request, _("The manager review follows the new manager."))
        return redirect("reviews:participant", self.organization.slug, participant.pk)


class CycleAddLateView(_CycleMixin, OrgFormView):
    """A late joiner: what they will be asked and by when (GET with an email), then add."""

    permission_check = staticmethod(policies.can_manage_cycles)
    form_class = PersonForm
    template_name = "reviews/cycles/add_late.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "email" not in request.GET:
            return self.render_form(self.get_form())
        return self.render_form(self.get_form(request.GET))

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        form = context.get("form")
        preview = None
        if form is not None and form.is_bound and form.is_valid():
            outcome = attempt(
                lambda: selectors.late_joiner_preview(
                    cycle=self.cycle, membership=form.person(), now=timezone.now()
                ),
                form=form,
            )
            preview = outcome.result
        return {**context, "cycle": self.cycle, "preview": preview}

    def perform(self, form: PersonForm) -> Participant:
        return people.participant_add_late(
            actor=self.membership, cycle=self.cycle, membership=form.person()
        )

    def success(self, participant: Participant) -> HttpResponse:
        messages.success(
            self.request,
            _("%(name)s takes part now.") % {"name": participant.reviewee.display_name},
        )
        return redirect("reviews:participant", self.organization.slug, participant.pk)
