"""API shapes of check-ins, feedback, feedback requests and coaching records.

Parsing and presenting only: every rule lives in services, selectors and policies; what a
reader may see of a row (linked goals, asks) comes attached by the selectors.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from goals.models import Goal
from perfmgmt.api.jsonrows import JsonRows, ordering_sql
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.selectors import display_name_text_sql
from perfmgmt.tenancy.serializers import OrgScopedPrimaryKeyField

from .models import (
    MAX_QUESTIONS,
    CheckIn,
    CoachingRecord,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackVisibility,
)


def person_field(help_text: str, **kwargs: Any) -> OrgScopedPrimaryKeyField:
    return OrgScopedPrimaryKeyField(
        model=Membership,
        error_messages={"does_not_exist": _("Unknown person.")},
        help_text=help_text,
        **kwargs,
    )


TEXT: dict[str, Any] = {"allow_blank": True, "max_length": 10_000}


# Check-ins -----------------------------------------------------------------------------


class QuestionAnswerSerializer(serializers.Serializer[Any]):
    question = serializers.CharField()
    answer = serializers.CharField(allow_blank=True)


class CheckInSerializer(serializers.Serializer[CheckIn]):
    id = serializers.IntegerField(read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    person_name = serializers.CharField(source="person.display_name", read_only=True)
    period_start = serializers.DateField(read_only=True)
    period_end = serializers.DateField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    status = serializers.ChoiceField(choices=CheckIn.Status.choices, read_only=True)
    answers = serializers.SerializerMethodField()
    score = serializers.IntegerField(read_only=True, allow_null=True)
    goals = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    manager_reply = serializers.CharField(read_only=True)
    reviewed_by = serializers.IntegerField(source="reviewed_by_id", read_only=True, allow_null=True)
    reviewed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(QuestionAnswerSerializer(many=True))
    def get_answers(self, checkin: CheckIn) -> list[dict[str, str]]:
        return [
            {"question": question, "answer": answer}
            for question, answer in checkin.question_answers
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_goals(self, checkin: CheckIn) -> list[int]:
        """Linked goals the reader may read: the selectors attach them (`readable_goals`)."""
        return [goal.pk for goal in getattr(checkin, "readable_goals", [])]


# The API's list (`selectors.checkin_rows`: the ids and the readable linked goals), written
# out by PostgreSQL as CheckInSerializer answers each check-in (perfmgmt/api/jsonrows.py):
# each question with its answer ("" for none yet), the linked goals the reader may read in
# the goals' order.
CHECKIN_JSON = JsonRows(
    CheckInSerializer,
    model=CheckIn,
    joins=(
        "JOIN tenancy_membership p ON p.id = t.person_id JOIN accounts_user u ON u.id = p.user_id"
    ),
    sql={
        "person_name": display_name_text_sql("p", "u"),
        "answers": (
            "(SELECT COALESCE(json_agg((SELECT r FROM (SELECT q.question AS question, "
            "COALESCE(t.answers ->> (q.n::int - 1), '') AS answer) AS r) ORDER BY q.n), '[]') "
            "FROM jsonb_array_elements_text(t.questions) WITH ORDINALITY AS q(question, n))"
        ),
        "goals": (
            "ARRAY(SELECT l.goal_id FROM feedback_checkingoal l "  # noqa: S608 (columns)
            "JOIN goals_goal g ON g.id = l.goal_id "
            "WHERE l.organization_id = t.organization_id AND l.checkin_id = t.id "
            "AND l.goal_id = ANY(%(readable_goal_ids)s) "
            f"ORDER BY {ordering_sql(Goal, 'g')})"
        ),
    },
    pooled=("readable_goal_ids",),
)


class CheckInWriteSerializer(serializers.Serializer[CheckIn]):
    """Answers in the order of the check-in's questions; a score from 1 to 5."""

    answers = serializers.ListField(
        child=serializers.CharField(**TEXT), max_length=MAX_QUESTIONS, required=False
    )
    score = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    submit = serializers.BooleanField(
        default=False, help_text="Send it to the manager now (needs a score and an answer)."
    )


class CheckInReviewSerializer(serializers.Serializer[CheckIn]):
    reply = serializers.CharField(default="", **TEXT)


# Feedback ------------------------------------------------------------------------------


class FeedbackSerializer(serializers.Serializer[Feedback]):
    id = serializers.IntegerField(read_only=True)
    giver = serializers.IntegerField(source="giver_id", read_only=True)
    giver_name = serializers.CharField(source="giver.display_name", read_only=True)
    recipient = serializers.IntegerField(source="recipient_id", read_only=True)
    recipient_name = serializers.CharField(source="recipient.display_name", read_only=True)
    situation = serializers.CharField(read_only=True)
    behaviour = serializers.CharField(read_only=True)
    impact = serializers.CharField(read_only=True)
    visibility = serializers.ChoiceField(choices=FeedbackVisibility.choices, read_only=True)
    request = serializers.IntegerField(source="request_id", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


# The API's list (`selectors.feedback_rows`: the ids and what the read audit is told),
# written out by PostgreSQL as FeedbackSerializer answers each (perfmgmt/api/jsonrows.py).
FEEDBACK_JSON = JsonRows(
    FeedbackSerializer,
    model=Feedback,
    joins=(
        "JOIN tenancy_membership g ON g.id = t.giver_id JOIN accounts_user gu ON gu.id = g.user_id "
        "JOIN tenancy_membership r ON r.id = t.recipient_id "
        "JOIN accounts_user ru ON ru.id = r.user_id"
    ),
    sql={
        "giver_name": display_name_text_sql("g", "gu"),
        "recipient_name": display_name_text_sql("r", "ru"),
    },
    also=("visibility", "giver_id", "recipient_id"),
)


class FeedbackTextSerializer(serializers.Serializer[Feedback]):
    situation = serializers.CharField(default="", **TEXT)
    behaviour = serializers.CharField(default="", **TEXT)
    impact = serializers.CharField(default="", **TEXT)


class FeedbackCreateSerializer(FeedbackTextSerializer):
    recipient = person_field("Who the feedback is for.")
    visibility = serializers.ChoiceField(
        choices=FeedbackVisibility.choices,
        help_text=(
            "private: only the recipient; recipient_and_manager: the recipient and their "
            "managers; manager_only: their managers, not the recipient. The giver always can."
        ),
    )


class FeedbackUpdateSerializer(serializers.Serializer[Feedback]):
    """Only the giver; only the text. The visibility stays as it was sent."""

    situation = serializers.CharField(required=False, **TEXT)
    behaviour = serializers.CharField(required=False, **TEXT)
    impact = serializers.CharField(required=False, **TEXT)


# Feedback requests ---------------------------------------------------------------------


class FeedbackAskSerializer(serializers.Serializer[FeedbackAsk]):
    person = serializers.IntegerField(source="person_id", read_only=True)
    person_name = serializers.CharField(source="person.display_name", read_only=True)
    status = serializers.ChoiceField(choices=FeedbackAsk.Status.choices, read_only=True)
    decline_reason = serializers.CharField(read_only=True)
    responded_at = serializers.DateTimeField(read_only=True, allow_null=True)
    feedback = serializers.IntegerField(source="feedback_id", read_only=True, allow_null=True)


class FeedbackRequestSerializer(serializers.Serializer[FeedbackRequest]):
    """`asks`: the requester sees everyone asked; an asked person only themselves."""

    id = serializers.IntegerField(read_only=True)
    requester = serializers.IntegerField(source="requester_id", read_only=True)
    requester_name = serializers.CharField(source="requester.display_name", read_only=True)
    subject = serializers.IntegerField(source="subject_id", read_only=True)
    subject_name = serializers.CharField(source="subject.display_name", read_only=True)
    prompt = serializers.CharField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    asks = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(FeedbackAskSerializer(many=True))
    def get_asks(self, request: FeedbackRequest) -> list[dict[str, Any]]:
        # The selectors attach the asks the reader sees (`shown_asks`).
        asks = getattr(request, "shown_asks", [])
        return FeedbackAskSerializer(asks, many=True).data  # type: ignore[arg-type,return-value]


class FeedbackRequestCreateSerializer(serializers.Serializer[FeedbackRequest]):
    subject = person_field(
        "Who the feedback is about: yourself (default) or someone who reports to you.",
        required=False,
        default=None,
        allow_null=True,
    )
    people = serializers.ListField(
        child=person_field("A person to ask."), min_length=1, max_length=20
    )
    prompt = serializers.CharField(max_length=10_000)
    due_on = serializers.DateField()


class FeedbackRequestUpdateSerializer(serializers.Serializer[FeedbackRequest]):
    prompt = serializers.CharField(max_length=10_000, required=False)
    due_on = serializers.DateField(required=False)


class FeedbackAnswerSerializer(FeedbackTextSerializer):
    visibility = serializers.ChoiceField(choices=FeedbackVisibility.choices)


class FeedbackDeclineSerializer(serializers.Serializer[FeedbackAsk]):
    reason = serializers.CharField(default="", **TEXT)


# Coaching records ----------------------------------------------------------------------


class CoachingRecordSerializer(serializers.Serializer[CoachingRecord]):
    id = serializers.IntegerField(read_only=True)
    manager = serializers.IntegerField(source="manager_id", read_only=True)
    manager_name = serializers.CharField(source="manager.display_name", read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    person_name = serializers.CharField(source="person.display_name", read_only=True)
    held_on = serializers.DateField(read_only=True)
    topic = serializers.CharField(read_only=True)
    observations = serializers.CharField(read_only=True)
    agreed = serializers.CharField(read_only=True)
    follow_up_on = serializers.DateField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class CoachingRecordCreateSerializer(serializers.Serializer[CoachingRecord]):
    person = person_field("Someone in your reporting chain.")
    held_on = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    observations = serializers.CharField(default="", **TEXT)
    agreed = serializers.CharField(default="", **TEXT)
    follow_up_on = serializers.DateField(required=False, allow_null=True, default=None)


class CoachingRecordUpdateSerializer(serializers.Serializer[CoachingRecord]):
    held_on = serializers.DateField(required=False)
    topic = serializers.CharField(max_length=200, required=False)
    observations = serializers.CharField(required=False, **TEXT)
    agreed = serializers.CharField(required=False, **TEXT)
    follow_up_on = serializers.DateField(required=False, allow_null=True)
