"""Praise pages (the organization's feed, give praise, one praise, take it down, the values
HR admins keep) and reward pages (propose, decide, withdraw, budgets)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from perfmgmt.ids import object_id
from perfmgmt.tenancy.selectors import member_get
from perfmgmt.web import person_page
from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView, attempt
from perfmgmt.web.keyset import InvalidCursor, Keyset, broken_page_link
from perfmgmt.web.person_page import Section

from . import policies, selectors, services
from .forms import BudgetForm, DecisionForm, PraiseForm, RewardForm, ValueEditForm, ValueForm
from .models import RewardStatus

PAGE_SIZE = 25
# Newest first, on praise's (organization, created_at, id) index, without a count.
PRAISE_PAGES = Keyset(name="praise", order=("-created_at", "-id"))


class RewardsView(OrgView):
    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"rewards:{name}", kwargs={"org_slug": self.organization.slug, **kwargs})

    def show(self, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(self.request, f"rewards/{template}", context, status=status)


class PraiseFeedView(RewardsView):
    """Everyone's praise, newest first; `?person=` praise naming one person, `?value=`
    praise for one value."""

    def get(self, request: HttpRequest) -> HttpResponse:
        person = _chosen(
            request, "person", lambda pk: member_get(member_id=pk, actor=self.membership)
        )
        value = _chosen(request, "value", lambda pk: selectors.value_get(value_id=pk))
        praise = selectors.praise_list(
            actor=self.membership,
            person_id=person.pk if person else None,
            value_id=value.pk if value else None,
        )
        try:
            page = PRAISE_PAGES.page(praise, request=request, size=PAGE_SIZE)
        except InvalidCursor:
            return broken_page_link(request)
        context = {
            "page": page,
            "person": person,
            "value": value,
            "can_manage_values": policies.can_manage_values(self.membership),
        }
        return self.show("praise_feed.html", context)


def _chosen(request: HttpRequest, name: str, get: Any) -> Any:
    """The object a filter parameter names (a 404 for one of another organization)."""
    raw = request.GET.get(name, "")
    return get(object_id(raw)) if raw else None


class PraiseDetailView(RewardsView):
    def get(self, request: HttpRequest, praise_id: int) -> HttpResponse:
        praise = selectors.praise_get(actor=self.membership, praise_id=praise_id)
        context = {
            "item": praise,
            "can_remove": policies.can_remove_praise(self.membership, praise),
        }
        return self.show("praise_detail.html", context)


class GivePraiseView(OrgFormView, RewardsView):
    form_class = PraiseForm
    template_name = "rewards/praise_give.html"

    def get_initial(self) -> dict[str, Any]:
        person = self.request.GET.get("person", "")
        return {"recipients": [person]} if person.isdigit() else {}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"actor": self.membership}

    def perform(self, form: PraiseForm) -> Any:
        return services.praise_give(actor=self.membership, **form.cleaned_data)

    def success(self, praise: Any) -> HttpResponse:
        messages.success(self.request, gettext("Your praise is on the feed."))
        return redirect(self.url("praise_detail", praise_id=praise.pk))


class RemovePraiseView(RewardsView):
    """A button: POST takes the praise down (its giver, or an HR admin)."""

    def post(self, request: HttpRequest, praise_id: int) -> HttpResponse:
        praise = selectors.praise_get(actor=self.membership, praise_id=praise_id)
        outcome = attempt(lambda: services.praise_remove(actor=self.membership, praise=praise))
        if outcome.ok:
            messages.success(request, gettext("The praise was removed."))
        else:
            messages.error(request, outcome.message)
        return redirect(self.url("praise_feed"))


class ValuesView(OrgFormView, RewardsView):
    """HR admins: the organization's values, and a form to add one."""

    form_class = ValueForm
    template_name = "rewards/values.html"
    permission_check = policies.can_manage_values

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "values": selectors.value_list()}

    def perform(self, form: ValueForm) -> Any:
        return services.value_create(actor=self.membership, **form.cleaned_data)

    def success(self, value: Any) -> HttpResponse:
        messages.success(self.request, gettext("Value “%(name)s” added.") % {"name": value.name})
        return redirect(self.url("values"))


class ValueEditView(OrgFormView, RewardsView):
    form_class = ValueEditForm
    template_name = "rewards/value_edit.html"
    permission_check = policies.can_manage_values

    @cached_property
    def value(self) -> Any:
        return selectors.value_get(value_id=self.kwargs["value_id"])

    def get_initial(self) -> dict[str, Any]:
        value = self.value
        return {"name": value.name, "description": value.description, "active": value.active}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "value": self.value}

    def perform(self, form: ValueEditForm) -> Any:
        return services.value_update(actor=self.membership, value=self.value, **form.cleaned_data)

    def success(self, value: Any) -> HttpResponse:
        messages.success(self.request, gettext("Value “%(name)s” saved.") % {"name": value.name})
        return redirect(self.url("values"))


# --- Rewards ------------------------------------------------------------------------------

REWARD_PAGES = Keyset(name="rewards", order=("-created_at", "-id"))


class RewardPagesView(RewardsView):
    def record(self, person: Any) -> list[Section]:
        """The person's record (goals, check-ins, feedback, development, praise...) as the
        reader may read it: the person page's sections, from each app's own selectors."""
        return person_page.sections_for(reader=self.membership, person=person)

    def nav(self) -> dict[str, Any]:
        """What the rewards pages' buttons need: who may propose, who keeps budgets."""
        return {
            "can_propose": selectors.proposable_people(actor=self.membership).exists(),
            "can_manage_budgets": policies.can_manage_budgets(self.membership),
        }


class RewardListView(RewardPagesView):
    """The rewards the reader may read: to decide (HR admins), proposed, about their line,
    their own approved ones. `?status=` narrows it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        status = request.GET.get("status", "")
        if status not in RewardStatus.values:
            status = ""
        rewards = selectors.reward_list(actor=self.membership, status=status or None)
        try:
            page = REWARD_PAGES.page(rewards, request=request, size=PAGE_SIZE)
        except InvalidCursor:
            return broken_page_link(request)
        context = {
            "page": page,
            "status": status,
            "statuses": RewardStatus.choices,
            **self.nav(),
        }
        return self.show("reward_list.html", context)


class RewardDetailView(RewardPagesView):
    def get(self, request: HttpRequest, reward_id: int) -> HttpResponse:
        reward = selectors.reward_get(actor=self.membership, reward_id=reward_id)
        return self.show("reward_detail.html", self._context(reward, DecisionForm()))

    def _context(self, reward: Any, form: Any) -> dict[str, Any]:
        waiting = reward.status == RewardStatus.PROPOSED
        can_decide = waiting and policies.can_decide_reward(self.membership, reward)
        return {
            "reward": reward,
            "form": form,
            "can_decide": can_decide,
            # What HR decides from: the person's record as the decider may read it.
            "record": self.record(reward.person) if can_decide else [],
            "can_withdraw": waiting and policies.can_withdraw_reward(self.membership, reward),
            **self.nav(),
        }


class DecideRewardView(RewardDetailView):
    """POST: approve or reject (`decision`), with a note."""

    def post(self, request: HttpRequest, reward_id: int) -> HttpResponse:
        reward = selectors.reward_get(actor=self.membership, reward_id=reward_id)
        form = DecisionForm(request.POST)
        decision = request.POST.get("decision", "")
        if not form.is_valid() or decision not in ("approve", "reject"):
            return self.show("reward_detail.html", self._context(reward, form), status=400)
        note = form.cleaned_data["note"]
        outcome = attempt(
            lambda: (
                services.reward_approve(actor=self.membership, proposal=reward, note=note)
                if decision == "approve"
                else services.reward_reject(actor=self.membership, proposal=reward, note=note)
            ),
            form=form,
            aliases={"note": "note"},
        )
        if not outcome.ok:
            context = self._context(reward, form)
            return self.show("reward_detail.html", context, status=outcome.status)
        messages.success(request, gettext("Decided."))
        return redirect(self.url("reward_detail", reward_id=reward.pk))


class WithdrawRewardView(RewardsView):
    def post(self, request: HttpRequest, reward_id: int) -> HttpResponse:
        reward = selectors.reward_get(actor=self.membership, reward_id=reward_id)
        outcome = attempt(lambda: services.reward_withdraw(actor=self.membership, proposal=reward))
        if outcome.ok:
            messages.success(request, gettext("The proposal was withdrawn."))
        else:
            messages.error(request, outcome.message)
        return redirect(self.url("reward_detail", reward_id=reward.pk))


class ProposeRewardView(OrgFormView, RewardPagesView):
    form_class = RewardForm
    template_name = "rewards/reward_propose.html"

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        person = self._chosen_person(context["form"])
        record = self.record(person) if person is not None else []
        return {**context, "person": person, "record": record, **self.nav()}

    def _chosen_person(self, form: RewardForm) -> Any:
        """Whom the proposal is for so far: the person a sent form named, else the one the
        link chose (?person=); None when nobody the proposer may propose for is chosen."""
        if form.is_bound:
            return getattr(form, "cleaned_data", {}).get("person")
        return selectors.proposable_person(
            actor=self.membership, person_id=self.request.GET.get("person", "")
        )

    def get_initial(self) -> dict[str, Any]:
        person = self.request.GET.get("person", "")
        return {"person": person} if person.isdigit() else {}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"actor": self.membership}

    def perform(self, form: RewardForm) -> Any:
        return services.reward_propose(actor=self.membership, **form.cleaned_data)

    def success(self, reward: Any) -> HttpResponse:
        messages.success(self.request, gettext("Proposed: HR admins decide on it."))
        return redirect(self.url("reward_detail", reward_id=reward.pk))


class BudgetsView(OrgFormView, RewardPagesView):
    """HR admins: the reward budgets with what approved rewards took, and a form to add one."""

    form_class = BudgetForm
    template_name = "rewards/budgets.html"
    permission_check = policies.can_manage_budgets

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "budgets": selectors.budget_list(), **self.nav()}

    def perform(self, form: BudgetForm) -> Any:
        return services.budget_create(actor=self.membership, **form.cleaned_data)

    def success(self, budget: Any) -> HttpResponse:
        messages.success(self.request, gettext("Budget “%(name)s” added.") % {"name": budget.name})
        return redirect(self.url("budgets"))
