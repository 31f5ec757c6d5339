"""Helpers shared by the tenancy services: validation with domain errors, the marker for
an argument that was not passed, and plain values for audit entries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from perfmgmt.errors import DomainError, PermissionDeniedError

from ..models import Membership, MembershipStatus, Team
from ..policies import Actor, person_of
from ..selectors import manager_chain_ids

_UNSET: Any = object()


def _validate_manager(
    member: Membership | None, manager: Membership | None, organization_id: int
) -> None:
    """Refuse a manager from elsewhere, a departed manager, or a loop in the reporting line."""
    if manager is None:
        return
    if manager.organization_id != organization_id:
        raise DomainError(_("Unknown manager."), fields={"manager": [_("Unknown person.")]})
    if manager.status == MembershipStatus.LEFT:
        raise DomainError(
            _("That person has left."), fields={"manager": [_("Choose someone still here.")]}
        )
    if member is None or member.pk is None:
        return
    if manager.pk == member.pk:
        raise DomainError(
            _("Nobody manages themselves."), fields={"manager": [_("Choose someone else.")]}
        )
    if member.pk in manager_chain_ids(membership=manager):
        raise DomainError(
            _("That would make a loop in the reporting line."),
            fields={
                "manager": [
                    _("%(manager)s already reports to %(person)s.")
                    % {"manager": manager.display_name, "person": member.display_name}
                ]
            },
        )


def _validate_reporting_line_change(
    actor: Actor, member: Membership | None, manager: Membership | None
) -> None:
    """Moving reporting lines must not be a way to grant oneself reading rights.

    Call it only when the manager changes (or for someone new). Nobody changes their own
    manager; nobody (HR admin or owner alike) makes themselves someone's manager, or puts
    someone who is not already below them under a person who reports up to them. Another
    owner or HR admin does it. Moving someone who is already below the actor elsewhere
    below them grants nothing: the line starts again, so it shows the actor less, not more.
    An API key is in nobody's reporting line.
    """
    person = person_of(actor)
    if person is None:
        return
    if member is not None and member.pk == person.pk:
        message = _("Nobody changes their own manager; another owner or HR admin does.")
        raise PermissionDeniedError(message, fields={"manager": [message]})
    if manager is None:
        return
    if manager.pk == person.pk:
        message = _("You cannot make yourself someone's manager; another owner or HR admin can.")
        raise PermissionDeniedError(message, fields={"manager": [message]})
    already_below = member is not None and person.pk in manager_chain_ids(membership=member)
    if not already_below and person.pk in manager_chain_ids(membership=manager):
        message = _(
            "%(manager)s reports to you, so this would put the person in your own "
            "reporting line; another owner or HR admin can."
        ) % {"manager": manager.display_name}
        raise PermissionDeniedError(message, fields={"manager": [message]})


def _validate_team(team: Team | None, organization_id: int, *, field: str = "team") -> None:
    if team is not None and team.organization_id != organization_id:
        raise DomainError(_("Unknown team."), fields={field: [_("Unknown team.")]})


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value
