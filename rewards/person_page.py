"""The praise a person received and the rewards about them the reader may read, on their
person page (the same selectors as the praise and rewards pages)."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from perfmgmt.localization import format_day
from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.person_page import Row, Section, bounded_section, register

from .models import Praise, RewardProposal
from .policies import can_propose_reward
from .selectors import praise_list, reward_list


@register
def praise_section(reader: Membership, person: Membership) -> Section:
    slug = person.organization.slug

    def row(item: Praise) -> Row:
        detail = format_day(item.created_at)
        if item.value is not None:
            detail = f"{detail} · {item.value.name}"
        return Row(
            title=_("From %(name)s") % {"name": item.giver.display_name},
            url=optional_reverse("rewards:praise_detail", org_slug=slug, praise_id=item.pk),
            detail=detail,
        )

    praise = praise_list(actor=reader, person_id=person.pk).prefetch_related(None)
    section = bounded_section(
        key="praise",
        title=_("Praise received"),
        rows=praise.order_by("-created_at", "-id"),
        row=row,
        empty=_("No praise yet."),
        order=35,
    )
    more = optional_reverse("rewards:praise_feed", org_slug=slug, query=f"person={person.pk}")
    return replace(section, more_url=more, more_label=_("All praise for them"))


@register
def rewards_section(reader: Membership, person: Membership) -> Section | None:
    """The rewards about the person the reader may read (policies.rewards_visible_q):
    nothing at all for the others, not even that there are none; for whoever may propose
    one for them, a link to do so (with the person chosen)."""
    slug = person.organization.slug

    def row(reward: RewardProposal) -> Row:
        detail = f"{reward.get_status_display()} · {format_day(reward.created_at)}"
        return Row(
            title=reward.get_kind_display(),
            url=optional_reverse("rewards:reward_detail", org_slug=slug, reward_id=reward.pk),
            detail=detail,
        )

    rewards = reward_list(actor=reader, person_id=person.pk).order_by("-created_at", "-id")
    section = bounded_section(
        key="rewards", title=_("Rewards"), rows=rewards, row=row, empty="", order=36
    )
    if can_propose_reward(reader, person):
        propose = optional_reverse(
            "rewards:reward_propose", org_slug=slug, query=f"person={person.pk}"
        )
        return replace(
            section,
            empty=_("No rewards yet."),
            action_url=propose,
            action_label=_("Propose a reward"),
        )
    return section if section.total else None
