"""API shapes of goals, key results and goal updates. Parsing and presenting only: every
rule lives in services, selectors and policies."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from perfmgmt.api.jsonrows import JsonRows, ordering_sql
from perfmgmt.tenancy.models import Membership, Team
from perfmgmt.tenancy.selectors import display_name_text_sql
from perfmgmt.tenancy.serializers import OrgScopedPrimaryKeyField

from .models import (
    Confidence,
    Goal,
    GoalRevision,
    GoalStatus,
    GoalType,
    GoalUpdate,
    Milestone,
    OwnerKind,
    Visibility,
)

# Patterns, not enums: an enum component for fields named `status` or `visibility` would
# collide with other APIs' enums of the same field name (drf-spectacular names enums after
# the field and warns about the collision).
STATUS_SCHEMA = {
    "type": "string",
    "pattern": f"^({'|'.join(GoalStatus.values)})$",
    "description": "One of: " + ", ".join(GoalStatus.values) + ".",
}

VISIBILITY_SCHEMA = {
    "type": "string",
    "pattern": f"^({'|'.join(Visibility.values)})$",
    "description": "everyone, team (the team and managers) or private (the owner and their "
    "managers only).",
}


@extend_schema_field(VISIBILITY_SCHEMA)
class VisibilityField(serializers.ChoiceField):
    """Documented inline, like `status`: other APIs have a `visibility` enum of their own."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Visibility.choices, **kwargs)


_VALUE: dict[str, Any] = {"max_digits": 16, "decimal_places": 4, "allow_null": True}


def _person_field(**kwargs: Any) -> OrgScopedPrimaryKeyField:
    return OrgScopedPrimaryKeyField(
        model=Membership,
        allow_null=True,
        error_messages={"does_not_exist": _("Unknown person.")},
        help_text="Id of the person who owns the goal (owner_kind `person`).",
        **kwargs,
    )


def _team_field(**kwargs: Any) -> OrgScopedPrimaryKeyField:
    return OrgScopedPrimaryKeyField(
        model=Team,
        allow_null=True,
        error_messages={"does_not_exist": _("Unknown team.")},
        help_text="Id of the team that owns the goal (owner_kind `team`).",
        **kwargs,
    )


def _parent_field(**kwargs: Any) -> OrgScopedPrimaryKeyField:
    return OrgScopedPrimaryKeyField(
        model=Goal,
        allow_null=True,
        error_messages={"does_not_exist": _("Unknown goal.")},
        help_text="Id of the goal this one supports (aligns under); null for none.",
        **kwargs,
    )


@extend_schema_field(STATUS_SCHEMA)
class GoalStatusField(serializers.ChoiceField):
    """Documented inline: `status` is also the name of the people status enum."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=GoalStatus.choices, **kwargs)


class MilestoneSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    done = serializers.BooleanField(read_only=True)
    order = serializers.IntegerField(read_only=True)


class GoalSerializer(serializers.Serializer[Goal]):
    """A goal or key result. `progress` is derived (0..1), never written."""

    id = serializers.IntegerField(read_only=True)
    owner_kind = serializers.ChoiceField(choices=OwnerKind.choices, read_only=True)
    owner_person = serializers.IntegerField(source="owner_person_id", read_only=True)
    owner_team = serializers.IntegerField(source="owner_team_id", read_only=True)
    owner_name = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    goal_type = serializers.ChoiceField(choices=GoalType.choices, read_only=True)
    unit = serializers.CharField(read_only=True)
    start_value = serializers.DecimalField(read_only=True, **_VALUE)
    target_value = serializers.DecimalField(read_only=True, **_VALUE)
    current_value = serializers.DecimalField(read_only=True, **_VALUE)
    start_date = serializers.DateField(read_only=True)
    due_date = serializers.DateField(read_only=True)
    weight = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    visibility = VisibilityField(read_only=True)
    status = GoalStatusField(read_only=True)
    # `parent` is also a Field attribute; DRF moves declared fields aside, so it is safe.
    parent = serializers.IntegerField(source="parent_id", read_only=True)  # type: ignore[assignment]
    progress = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True)
    last_confidence = serializers.CharField(read_only=True)
    last_update_at = serializers.DateTimeField(read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    proposed_by = serializers.IntegerField(source="proposed_by_id", read_only=True)
    proposed_at = serializers.DateTimeField(read_only=True)
    agreed_by = serializers.IntegerField(source="agreed_by_id", read_only=True)
    agreed_at = serializers.DateTimeField(read_only=True)
    needs_agreement = serializers.BooleanField(read_only=True)
    reward_text = serializers.CharField(read_only=True)
    reward_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, allow_null=True
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(
        read_only=True,
        help_text="Goes up with every change of the goal (not of its progress); send it back "
        "as `version` when agreeing, so a goal changed meanwhile is not agreed unread.",
    )

    def to_representation(self, instance: Goal) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        # The selectors decided who reads the reward (`reward_visible`); a goal that did not
        # come through them shows none.
        if not getattr(instance, "reward_visible", False):
            data["reward_text"] = ""
            data["reward_amount"] = None
        return data


def _organization_name() -> dict[str, str]:
    return {"organization_name": str(_("Organization"))}


# The API's list (`selectors.goal_rows`: the ids and what the rules decided), written out
# by PostgreSQL as GoalSerializer answers each goal (perfmgmt/api/jsonrows.py).
GOAL_JSON = JsonRows(
    GoalSerializer,
    model=Goal,
    joins=(
        "LEFT JOIN tenancy_membership p ON p.id = t.owner_person_id "
        "LEFT JOIN accounts_user u ON u.id = p.user_id "
        "LEFT JOIN tenancy_team tm ON tm.id = t.owner_team_id"
    ),
    sql={
        "owner_name": (
            f"CASE WHEN t.owner_kind = '{OwnerKind.PERSON}' AND p.id IS NOT NULL "
            f"THEN {display_name_text_sql('p', 'u')} "
            f"WHEN t.owner_kind = '{OwnerKind.TEAM}' AND tm.id IS NOT NULL THEN tm.name "
            "ELSE %(organization_name)s END"
        ),
        "milestones": (
            "COALESCE((SELECT json_agg((SELECT r FROM (SELECT s.id AS id, s.title AS title, "  # noqa: S608
            's.done AS done, s."order" AS "order") AS r) '
            f"ORDER BY {ordering_sql(Milestone, 's')}) "
            "FROM goals_milestone s "
            "WHERE s.organization_id = t.organization_id AND s.goal_id = t.id), '[]')"
        ),
        "needs_agreement": "page.agreement_needed",
        # What GoalSerializer.to_representation does, with the selector's `reward_visible`.
        "reward_text": "CASE WHEN page.reward_visible THEN t.reward_text ELSE '' END",
        "reward_amount": "CASE WHEN page.reward_visible THEN t.reward_amount::text END",
    },
    carried={"reward_visible": "boolean", "agreement_needed": "boolean"},
    parameters=_organization_name,
)


class GoalCapabilitiesSerializer(serializers.Serializer[Any]):
    """What the caller may do with the goal (`selectors.goal_capabilities`, as on its page)."""

    edit = serializers.BooleanField(read_only=True)
    post_update = serializers.BooleanField(read_only=True)
    agree = serializers.BooleanField(read_only=True)


class GoalDetailSerializer(GoalSerializer):
    capabilities = GoalCapabilitiesSerializer(read_only=True)


class GoalRevisionSerializer(serializers.Serializer[GoalRevision]):
    """An earlier agreed version of a goal, kept when one side changed what was agreed.

    `previous` holds the terms as agreed then (title, description, type, measure, dates,
    weight, milestones, reward) and who agreed them; the reward only for its readers.
    """

    id = serializers.IntegerField(read_only=True)
    goal = serializers.IntegerField(source="goal_id", read_only=True)
    changed_by = serializers.IntegerField(source="changed_by_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    previous = serializers.JSONField(read_only=True)

    def to_representation(self, instance: GoalRevision) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not getattr(instance, "reward_visible", False):  # decided by `goal_revisions`
            data["previous"] = {
                name: value
                for name, value in data["previous"].items()
                if name not in ("reward_text", "reward_amount")
            }
        return data


class _GoalFields(serializers.Serializer[Goal]):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False)
    goal_type = serializers.ChoiceField(choices=GoalType.choices, required=False)
    unit = serializers.CharField(max_length=50, allow_blank=True, required=False)
    start_value = serializers.DecimalField(required=False, **_VALUE)
    target_value = serializers.DecimalField(required=False, **_VALUE)
    current_value = serializers.DecimalField(required=False, **_VALUE)
    start_date = serializers.DateField(allow_null=True, required=False)
    due_date = serializers.DateField(allow_null=True, required=False)
    weight = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=Decimal("0.01"), required=False
    )
    visibility = VisibilityField(required=False)
    parent = _parent_field(required=False)  # type: ignore[assignment]
    reward_text = serializers.CharField(allow_blank=True, required=False)
    reward_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal(0), allow_null=True, required=False
    )
    milestones = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=50,
        help_text="Titles of milestones to add.",
    )


class GoalCreateSerializer(_GoalFields):
    owner_kind = serializers.ChoiceField(choices=OwnerKind.choices)
    owner_person = _person_field(required=False)
    owner_team = _team_field(required=False)


class KeyResultCreateSerializer(_GoalFields):
    """A key result: a measured child goal. The owner defaults to the parent's owner."""

    parent = OrgScopedPrimaryKeyField(
        model=Goal,
        error_messages={"does_not_exist": _("Unknown goal.")},
        help_text="Id of the goal this key result measures.",
    )
    start_value = serializers.DecimalField(max_digits=16, decimal_places=4)
    target_value = serializers.DecimalField(max_digits=16, decimal_places=4)


class AssignSerializer(_GoalFields):
    """The same goal for many people: each gets their own copy under the same parent."""

    people = serializers.ListField(
        child=OrgScopedPrimaryKeyField(
            model=Membership, error_messages={"does_not_exist": _("Unknown person.")}
        ),
        required=False,
        max_length=500,
        help_text="Ids of the people who get the goal.",
    )
    team = OrgScopedPrimaryKeyField(
        model=Team,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Unknown team.")},
        help_text="Also everyone in this team the caller may set goals for (not the caller).",
    )


class GoalChangeSerializer(_GoalFields):
    """Only the fields sent change."""

    title = serializers.CharField(max_length=200, required=False)
    status = GoalStatusField(required=False)


class AgreeSerializer(serializers.Serializer[Goal]):
    reward_text = serializers.CharField(allow_blank=True, required=False)
    reward_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal(0), allow_null=True, required=False
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        source="expected_version",
        help_text="The goal's `version` you read; a goal changed since is a 409, not agreed.",
    )


class GoalUpdateSerializer(serializers.Serializer[GoalUpdate]):
    """A check-in on a goal; `progress` is the goal's progress right after it."""

    id = serializers.IntegerField(read_only=True)
    goal = serializers.IntegerField(source="goal_id", read_only=True)
    author = serializers.IntegerField(source="author_id", read_only=True)
    value = serializers.DecimalField(read_only=True, **_VALUE)
    milestones = serializers.JSONField(read_only=True)
    confidence = serializers.ChoiceField(choices=Confidence.choices, read_only=True)
    comment = serializers.CharField(read_only=True)
    progress = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class GoalUpdateCreateSerializer(serializers.Serializer[GoalUpdate]):
    goal = OrgScopedPrimaryKeyField(
        model=Goal,
        error_messages={"does_not_exist": _("Unknown goal.")},
        help_text="Id of the goal this update is about.",
    )
    confidence = serializers.ChoiceField(choices=Confidence.choices)
    value = serializers.DecimalField(required=False, **_VALUE)
    done_milestones = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        allow_null=True,
        help_text="Ids of every milestone that is done now; omit to leave them as they are.",
    )
    comment = serializers.CharField(allow_blank=True, required=False, max_length=10_000)


class GoalUpdateEditSerializer(serializers.Serializer[GoalUpdate]):
    confidence = serializers.ChoiceField(choices=Confidence.choices, required=False)
    comment = serializers.CharField(allow_blank=True, required=False, max_length=10_000)
