"""Helpers shared by the tenancy services: validation with domain errors, the marker for
an argument that was not passed, and plain values for audit entries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from perfmgmt.errors import DomainError

from ..models import Membership, MembershipStatus, Team
from ..selectors import manager_chain_ids

_UNSET: Any = object()


def _full_clean(instance: Any, **kwargs: Any) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None


def _validate_manager(
    member: Membership | None, manager: Membership | None, organization_id: int
) -> None:
    """Refuse a manager from elsewhere, a departed manager, or a loop in the reporting line."""
    if manager is None:
        return
    if manager.organization_id != organization_id:
        raise DomainError("Unknown manager.", fields={"manager": ["Unknown person."]})
    if manager.status == MembershipStatus.LEFT:
        raise DomainError(
            "That person has left.", fields={"manager": ["Choose someone still here."]}
        )
    if member is None or member.pk is None:
        return
    if manager.pk == member.pk:
        raise DomainError(
            "Nobody manages themselves.", fields={"manager": ["Choose someone else."]}
        )
    if member.pk in manager_chain_ids(membership=manager):
        raise DomainError(
            "That would make a loop in the reporting line.",
            fields={
                "manager": [f"{manager.display_name} already reports to {member.display_name}."]
            },
        )


def _validate_team(team: Team | None, organization_id: int, *, field: str = "team") -> None:
    if team is not None and team.organization_id != organization_id:
        raise DomainError("Unknown team.", fields={field: ["Unknown team."]})


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value
