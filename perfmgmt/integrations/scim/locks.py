"""The row locks of a SCIM write, taken here only: the person, then their team."""

from __future__ import annotations

from perfmgmt.tenancy.models import Membership, Team


def lock_member(member_id: int) -> Membership:
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "team")
        .get(pk=member_id)
    )


def lock_team(team_id: int) -> Team:
    return (
        Team.objects.select_for_update(of=("self",)).select_related("organization").get(pk=team_id)
    )
