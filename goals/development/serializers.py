"""API shapes of development plans, actions and the competency framework.

Parsing and presenting only: every rule lives in services/policies/selectors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.serializers import OrgScopedPrimaryKeyField

from .models import (
    ActionKind,
    ActionStatus,
    Competency,
    CompetencyCategory,
    CompetencyLevel,
    DevelopmentAction,
    DevelopmentObjective,
    DevelopmentPlan,
    PlanCompetency,
    PlanStatus,
)
from .selectors import plan_progress

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _pattern(values: list[str], description: str) -> dict[str, str]:
    """Patterns, not enums: an enum component for a field named `status` would collide with
    other APIs' enums of the same field name (drf-spectacular names enums after the field)."""
    return {
        "type": "string",
        "pattern": f"^({'|'.join(values)})$",
        "description": f"{description}: " + ", ".join(values) + ".",
    }


PLAN_STATUS_SCHEMA = _pattern(PlanStatus.values, "One of")
ACTION_STATUS_SCHEMA = _pattern(ActionStatus.values, "One of")


@extend_schema_field(PLAN_STATUS_SCHEMA)
class PlanStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=PlanStatus.choices, **kwargs)


@extend_schema_field(ACTION_STATUS_SCHEMA)
class ActionStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ActionStatus.choices, **kwargs)


def _ref(model: type, message: StrOrPromise, **kwargs: Any) -> OrgScopedPrimaryKeyField:
    return OrgScopedPrimaryKeyField(
        model=model, error_messages={"does_not_exist": message}, **kwargs
    )


# --- The competency framework -------------------------------------------------------------


class CompetencyCategorySerializer(serializers.Serializer[CompetencyCategory]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    position = serializers.IntegerField(min_value=0, max_value=32767, required=False, default=0)
    competency_count = serializers.IntegerField(
        read_only=True, help_text="Active competencies in the category."
    )


class CompetencyLevelSerializer(serializers.Serializer[CompetencyLevel]):
    id = serializers.IntegerField(read_only=True)
    level = serializers.IntegerField(read_only=True, help_text="1 is the lowest level.")
    name = serializers.CharField(max_length=120)
    behaviour = serializers.CharField(help_text="What someone at this level can be seen doing.")


class CompetencySerializer(serializers.Serializer[Competency]):
    id = serializers.IntegerField(read_only=True)
    category = serializers.IntegerField(source="category_id", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    active = serializers.BooleanField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    levels = CompetencyLevelSerializer(many=True, read_only=True)


class CompetencyWriteSerializer(serializers.Serializer[Competency]):
    """`levels`, lowest first, replaces the competency's levels when sent."""

    category = _ref(CompetencyCategory, _("Unknown category."))
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    active = serializers.BooleanField(required=False, default=True)
    position = serializers.IntegerField(min_value=0, max_value=32767, required=False, default=0)
    levels = CompetencyLevelSerializer(many=True, required=False)


# --- Plans --------------------------------------------------------------------------------


class ObjectiveSerializer(serializers.Serializer[DevelopmentObjective]):
    id = serializers.IntegerField(read_only=True)
    goal = serializers.IntegerField(source="goal_id", read_only=True)
    title = serializers.CharField(source="goal.title", read_only=True)
    goal_status = serializers.CharField(source="goal.status", read_only=True)
    due_date = serializers.DateField(source="goal.due_date", read_only=True, allow_null=True)
    progress_percent = serializers.IntegerField(source="goal.progress_percent", read_only=True)
    competency = serializers.IntegerField(source="competency_id", read_only=True, allow_null=True)


class PlanCompetencySerializer(serializers.Serializer[PlanCompetency]):
    competency = serializers.IntegerField(source="competency_id", read_only=True)
    name = serializers.CharField(source="competency.name", read_only=True)
    target_level = serializers.IntegerField(
        source="target_level.level", read_only=True, allow_null=True, default=None
    )
    target_level_name = serializers.CharField(
        source="target_level.name", read_only=True, allow_null=True, default=None
    )


class ProgressSerializer(serializers.Serializer[Any]):
    objective_count = serializers.IntegerField()
    objective_percent = serializers.IntegerField(allow_null=True)
    action_count = serializers.IntegerField(help_text="Actions that are not cancelled.")
    actions_done = serializers.IntegerField()
    action_percent = serializers.IntegerField(allow_null=True)
    overall_percent = serializers.IntegerField(
        allow_null=True, help_text="Every objective and every action weighs the same."
    )


class PlanSerializer(serializers.Serializer[DevelopmentPlan]):
    id = serializers.IntegerField(read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    person_name = serializers.CharField(source="person.display_name", read_only=True)
    period = serializers.CharField(read_only=True)
    period_start = serializers.DateField(read_only=True)
    period_end = serializers.DateField(read_only=True)
    aspiration = serializers.CharField(read_only=True)
    status = PlanStatusField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    manager_comment = serializers.CharField(read_only=True)
    commented_by = serializers.IntegerField(
        source="commented_by_id", read_only=True, allow_null=True
    )
    commented_at = serializers.DateTimeField(read_only=True, allow_null=True)
    agreed_by = serializers.IntegerField(source="agreed_by_id", read_only=True, allow_null=True)
    agreed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_agreed_by = serializers.IntegerField(
        source="last_agreed_by_id",
        read_only=True,
        allow_null=True,
        help_text="Who agreed the plan before a change sent it back for agreement.",
    )
    last_agreed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    objectives = ObjectiveSerializer(many=True, read_only=True)
    competencies = PlanCompetencySerializer(source="plan_competencies", many=True, read_only=True)
    progress = serializers.SerializerMethodField()

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, plan: DevelopmentPlan) -> dict[str, Any]:
        # Objectives are prefetched by the views, so this asks nothing more.
        objectives = list(plan.objectives.all())
        progress = plan_progress(plan=plan, objectives=objectives)
        return dict(ProgressSerializer(progress).data)


class PlanCapabilitiesSerializer(serializers.Serializer[Any]):
    """What the caller may do with the plan (`selectors.plan_capabilities`, as on its page)."""

    edit = serializers.BooleanField(read_only=True)
    comment = serializers.BooleanField(read_only=True)
    submit = serializers.BooleanField(read_only=True)
    agree = serializers.BooleanField(read_only=True)
    close = serializers.BooleanField(read_only=True)


class PlanDetailSerializer(PlanSerializer):
    capabilities = PlanCapabilitiesSerializer(read_only=True)


class PlanCreateSerializer(serializers.Serializer[DevelopmentPlan]):
    person = _ref(
        Membership,
        _("Unknown person."),
        required=False,
        help_text="Whose plan; defaults to the caller.",
    )
    period = serializers.CharField(max_length=40, help_text='A label such as "2026".')
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    aspiration = serializers.CharField(allow_blank=True, required=False, default="")


class PlanUpdateSerializer(serializers.Serializer[DevelopmentPlan]):
    period = serializers.CharField(max_length=40, required=False)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    aspiration = serializers.CharField(allow_blank=True, required=False)


class PlanAgreeSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class PlanCommentSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField()


class ObjectiveCreateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    competency = _ref(Competency, _("Unknown competency."), required=False, allow_null=True)
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    milestones = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )


class ObjectiveUpdateSerializer(serializers.Serializer[Any]):
    """Only the fields sent change; on an agreed plan a change asks for agreement again."""

    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(allow_blank=True, required=False)
    competency = _ref(Competency, _("Unknown competency."), required=False, allow_null=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    milestones = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        help_text="Milestones to add to the objective's goal.",
    )


class ObjectiveDetailSerializer(ObjectiveSerializer):
    plan = serializers.IntegerField(source="plan_id", read_only=True)
    person = serializers.IntegerField(source="plan.person_id", read_only=True)
    description = serializers.CharField(source="goal.description", read_only=True)
    start_date = serializers.DateField(source="goal.start_date", read_only=True, allow_null=True)


class PlanCompetencyRemoveSerializer(serializers.Serializer[Any]):
    competency = _ref(Competency, _("Unknown competency."))


class PlanCompetencyInputSerializer(serializers.Serializer[Any]):
    competency = _ref(Competency, _("Unknown competency."))
    target_level = serializers.IntegerField(
        min_value=1,
        max_value=100,
        required=False,
        allow_null=True,
        default=None,
        help_text="The level number aimed for (1 is the lowest).",
    )


# --- Actions ------------------------------------------------------------------------------


class ActionSerializer(serializers.Serializer[DevelopmentAction]):
    id = serializers.IntegerField(read_only=True)
    plan = serializers.IntegerField(source="plan_id", read_only=True)
    person = serializers.IntegerField(source="plan.person_id", read_only=True)
    kind = serializers.ChoiceField(choices=ActionKind.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    owner = serializers.IntegerField(source="owner_id", read_only=True)
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    due_date = serializers.DateField(read_only=True, allow_null=True)
    status = ActionStatusField(read_only=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class ActionCreateSerializer(serializers.Serializer[DevelopmentAction]):
    plan = _ref(DevelopmentPlan, _("Unknown plan."))
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    title = serializers.CharField(max_length=200)
    notes = serializers.CharField(allow_blank=True, required=False, default="")
    owner = _ref(
        Membership,
        _("Unknown person."),
        required=False,
        allow_null=True,
        default=None,
        help_text="The person or one of their managers; defaults to the plan's person.",
    )
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    status = ActionStatusField(required=False, default=ActionStatus.NOT_STARTED)


class ActionUpdateSerializer(serializers.Serializer[DevelopmentAction]):
    kind = serializers.ChoiceField(choices=ActionKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    notes = serializers.CharField(allow_blank=True, required=False)
    owner = _ref(Membership, _("Unknown person."), required=False)
    due_date = serializers.DateField(required=False, allow_null=True)
    status = ActionStatusField(required=False)
