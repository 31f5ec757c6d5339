"""Memberships as the feedback app reads them: who gets reminders, who reads shared feedback."""

from __future__ import annotations

from django.db.models import QuerySet

from perfmgmt.tenancy.models import Membership, MembershipStatus


def active_people() -> QuerySet[Membership]:
    return Membership.objects.filter(status=MembershipStatus.ACTIVE).select_related("user")


def chain_managers(*, person: Membership) -> list[Membership]:
    """The person's managers, nearest first (who reads their shared feedback)."""
    from perfmgmt.tenancy.selectors import manager_chain_ids

    ids = manager_chain_ids(membership=person)
    managers = {
        manager.pk: manager
        for manager in Membership.objects.filter(pk__in=ids).select_related("user")
    }
    ordered, current = [], person.manager_id
    while current in managers and managers[current] not in ordered:
        ordered.append(managers[current])
        current = managers[current].manager_id
    return ordered
