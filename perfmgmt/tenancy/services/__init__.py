"""Every write about organizations, teams and people.

Services take the acting membership first and keyword-only arguments, check the policy,
validate, and raise `DomainError` (400), `ConflictError` (409) or `PermissionDeniedError`
(403) with field messages.
"""

from .invitations import (
    INVITATION_LIFETIME,
    invitation_accept,
    invitation_email_send,
    invitation_find,
    invitation_issue,
    invitation_link,
    invitation_resend,
    member_invite,
)
from .members import member_deactivate, member_reactivate, member_update
from .organizations import organization_create, organization_update
from .teams import team_create, team_delete, team_update

__all__ = [
    "INVITATION_LIFETIME",
    "invitation_accept",
    "invitation_email_send",
    "invitation_find",
    "invitation_issue",
    "invitation_link",
    "invitation_resend",
    "member_deactivate",
    "member_invite",
    "member_reactivate",
    "member_update",
    "organization_create",
    "organization_update",
    "team_create",
    "team_delete",
    "team_update",
]
