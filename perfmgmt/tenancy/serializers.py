"""API shapes of people. Parsing and presenting only: every rule lives in services/policies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from perfmgmt.api.jsonrows import JsonRows

from .models import Membership, MembershipStatus, Role, Team
from .selectors import display_name_text_sql

DetailsVisible = Callable[[Membership], bool]


class OrgScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id looked up in the active organization only.

    Another organization's id is answered exactly like an id that does not exist. The
    queryset is built per call (the tenant manager needs an active organization); the
    `unscoped.none()` placeholder only tells schema generation which model this is.
    """

    def __init__(self, *, model: type[models.Model], **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("queryset", model.unscoped.none())  # type: ignore[attr-defined]
        super().__init__(**kwargs)

    def get_queryset(self) -> models.QuerySet[Any]:
        return self.model.objects.all()  # type: ignore[attr-defined]

    def to_internal_value(self, data: Any) -> Any:
        # Postgres ids are 64-bit; a larger number cannot name anything here.
        if isinstance(data, int) and not isinstance(data, bool) and not 0 < data < 2**63:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


def _manager_field(**kwargs: Any) -> OrgScopedPrimaryKeyField:
    return OrgScopedPrimaryKeyField(
        model=Membership,
        allow_null=True,
        error_messages={"does_not_exist": _("Unknown person.")},
        help_text="Id of the person's manager in this organization; null for none.",
        **kwargs,
    )


def _team_field(**kwargs: Any) -> OrgScopedPrimaryKeyField:
    return OrgScopedPrimaryKeyField(
        model=Team,
        allow_null=True,
        error_messages={"does_not_exist": _("Unknown team.")},
        help_text="Id of a team in this organization; null for none.",
        **kwargs,
    )


class MemberSerializer(serializers.Serializer[Membership]):
    """A person in the organization.

    `start_date` and `external_id` appear only for callers allowed to see the person's
    details (the person, their managers, HR admins and API keys with `members:read`).
    """

    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    status = serializers.ChoiceField(choices=MembershipStatus.choices, read_only=True)
    job_title = serializers.CharField(read_only=True)
    team = serializers.IntegerField(source="team_id", read_only=True, allow_null=True)
    team_name = serializers.CharField(source="team.name", read_only=True, allow_null=True)
    manager = serializers.IntegerField(source="manager_id", read_only=True, allow_null=True)
    # Not read-only on purpose: the schema then lists them as optional in responses.
    start_date = serializers.DateField(required=False, allow_null=True)
    external_id = serializers.CharField(required=False)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: Membership) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        details_visible: DetailsVisible | None = self.context.get("details_visible")
        if details_visible is None or not details_visible(instance):
            data.pop("start_date", None)
            data.pop("external_id", None)
        elif data.get("external_id", "") is None:
            data["external_id"] = ""  # none is stored as NULL, answered as before
        return data


# The API's list (`selectors.member_rows`: the ids and `details_visible`), written out by
# PostgreSQL as MemberSerializer answers each person (perfmgmt/api/jsonrows.py): the
# details only where `details_visible`, no external id answered as "".
MEMBER_JSON = JsonRows(
    MemberSerializer,
    model=Membership,
    joins="JOIN accounts_user u ON u.id = t.user_id LEFT JOIN tenancy_team tm ON tm.id = t.team_id",
    sql={
        "email": "u.email",
        "display_name": display_name_text_sql("t", "u"),
        "team_name": "tm.name",
        "external_id": "COALESCE(t.external_id, '')",
    },
    carried={"details_visible": "boolean"},
    omitted={"details_visible": ("start_date", "external_id")},
)


class MemberCreateSerializer(serializers.Serializer[Membership]):
    email = serializers.EmailField(max_length=254)
    full_name = serializers.CharField(max_length=200, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=Role.choices, default=Role.EMPLOYEE)
    manager = _manager_field(default=None)
    team = _team_field(default=None)
    job_title = serializers.CharField(max_length=200, allow_blank=True, default="")
    start_date = serializers.DateField(allow_null=True, default=None)
    external_id = serializers.CharField(
        max_length=200,
        allow_blank=True,
        default="",
        help_text="The person's id in your HR system; unique in the organization.",
    )
    send_invitation = serializers.BooleanField(
        default=True, help_text="Email the person a link to join. Off for silent syncs."
    )


class MemberUpdateSerializer(serializers.Serializer[Membership]):
    """Only the fields sent change."""

    full_name = serializers.CharField(max_length=200, allow_blank=True, required=False)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    manager = _manager_field(required=False)
    team = _team_field(required=False)
    job_title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    start_date = serializers.DateField(allow_null=True, required=False)
    external_id = serializers.CharField(max_length=200, allow_blank=True, required=False)
