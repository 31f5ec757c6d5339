"""People and teams as SCIM resources (the models of resources.py), and back to JSON.

What the identity provider set and perfmgmt keeps nowhere else (userName, the name parts,
the addresses) comes from its `ScimUser` record; a person it never described is shown with
their login's address. Nothing here queries: the selectors fetched it all.
"""

from __future__ import annotations

from typing import Any

from scim2_models import Context, ResponseParameters

from perfmgmt.tenancy.models import Membership, MembershipStatus, Team

from .resources import (
    ENTERPRISE_SCHEMA_ID,
    GROUP_SCHEMA_ID,
    POLICY,
    USER_SCHEMA_ID,
    EnterpriseModel,
    GroupModel,
    UserModel,
)
from .selectors import group_record_of, record_of

PLACEHOLDER_DOMAIN = "scim.invalid"  # a login for someone given no address yet


def _meta(kind: str, location: str, created: Any, modified: Any) -> dict[str, Any]:
    return {
        "resourceType": kind,
        "created": created.isoformat(),
        "lastModified": modified.isoformat(),
        "location": location,
    }


def user_payload(member: Membership, base_url: str) -> dict[str, Any]:
    """The person as a SCIM User, as plain JSON-ready data."""
    record = record_of(member)
    attributes = record.attributes if record is not None else {}
    email = member.user.email
    placeholder = email.endswith(f"@{PLACEHOLDER_DOMAIN}")
    login_emails = [] if placeholder else [{"value": email, "type": "work", "primary": True}]
    enterprise: dict[str, Any] = {}
    if member.team_id is not None and member.team is not None:
        enterprise["department"] = member.team.name
    if member.manager_id is not None:
        enterprise["manager"] = {
            "value": str(member.manager_id),
            "$ref": f"{base_url}/Users/{member.manager_id}",
        }
    name = attributes.get("name") if record is not None else None
    if record is None and member.full_name:
        name = {"formatted": member.full_name}
    display = attributes.get("displayName", member.full_name)
    payload: dict[str, Any] = {
        "schemas": [USER_SCHEMA_ID, ENTERPRISE_SCHEMA_ID],
        "id": str(member.pk),
        "externalId": member.external_id,
        "userName": record.user_name if record is not None else email,
        "name": name or None,
        "displayName": display or None,
        "title": member.job_title or None,
        "active": member.status != MembershipStatus.LEFT,
        "emails": attributes.get("emails", login_emails),
        ENTERPRISE_SCHEMA_ID: enterprise or None,
        "meta": _meta(
            "User", f"{base_url}/Users/{member.pk}", member.created_at, member.updated_at
        ),
    }
    return {key: value for key, value in payload.items() if value not in (None, [], {})}


def user_resource(member: Membership, base_url: str) -> Any:
    return UserModel.model_validate(
        user_payload(member, base_url), scim_ctx=Context.RESOURCE_QUERY_RESPONSE, scim_policy=POLICY
    )


def group_payload(team: Team, base_url: str, member_ids: list[int] | None) -> dict[str, Any]:
    record = group_record_of(team)
    payload: dict[str, Any] = {
        "schemas": [GROUP_SCHEMA_ID],
        "id": str(team.pk),
        "externalId": (record.external_id or None) if record is not None else None,
        "displayName": team.name,
        "meta": _meta("Group", f"{base_url}/Groups/{team.pk}", _created(team), _created(team)),
    }
    if member_ids:
        payload["members"] = [
            {"value": str(pk), "$ref": f"{base_url}/Users/{pk}", "type": "User"}
            for pk in member_ids
        ]
    return {key: value for key, value in payload.items() if value is not None}


def _created(team: Team) -> Any:
    # Teams keep no dates; the organization's creation stands in (RFC 7643 §3.1 asks for one).
    return team.organization.created_at


def group_members(team: Team) -> list[int] | None:
    listed = getattr(team, "listed", None)
    return None if listed is None else [member.pk for member in listed]


def group_resource(team: Team, base_url: str, member_ids: list[int] | None) -> Any:
    return GroupModel.model_validate(
        group_payload(team, base_url, member_ids),
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE,
        scim_policy=POLICY,
    )


def dump(resource: Any, parameters: ResponseParameters[Any] | None = None) -> dict[str, Any]:
    """JSON of a resource, honouring `attributes` and `excludedAttributes`."""
    data: dict[str, Any] = resource.model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE,
        response_parameters=parameters,
        scim_policy=POLICY,
    )
    return data


__all__ = ["EnterpriseModel", "dump", "group_resource", "user_resource"]
