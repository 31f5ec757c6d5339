"""Peer and upward feedback over the API. Presentation only: the selectors decided what is
read (and `reviews.selectors.peers.peer_results` what a group shows, if anything)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.serializers import OrgScopedPrimaryKeyField

from ..models import PeerNomination, Review, ReviewCycle
from ..selectors.peers import PeerResults
from ..services.peers.nominations import MAX_REASON
from ..services.peers.settings import HIGHEST_THRESHOLD, MOST_PEERS

MAX_ID = 2_147_483_647


class NominationSerializer(serializers.ModelSerializer[PeerNomination]):
    cycle = serializers.IntegerField(source="participant.cycle_id", read_only=True)
    reviewee = serializers.IntegerField(source="participant.reviewee_id", read_only=True)
    reviewee_name = serializers.CharField(
        source="participant.reviewee.display_name", read_only=True
    )
    peer_name = serializers.CharField(source="peer.display_name", read_only=True)
    nomination_status = serializers.CharField(
        source="status", read_only=True, help_text="nominated, approved, declined or removed"
    )

    class Meta:
        model = PeerNomination
        fields = [
            "id",
            "participant",
            "cycle",
            "reviewee",
            "reviewee_name",
            "peer",
            "peer_name",
            "nomination_status",
            "decline_reason",
        ]
        read_only_fields = fields


class NominateSerializer(serializers.Serializer[Any]):
    participant = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    peers = serializers.ListField(
        child=OrgScopedPrimaryKeyField(
            model=Membership, error_messages={"does_not_exist": _("Unknown person.")}
        ),
        min_length=1,
        max_length=MOST_PEERS,
        help_text="Member ids. Named by the reviewee they wait for approval; by a manager, "
        "HR or a key they are approved at once.",
    )


class DeclineSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=MAX_REASON, allow_blank=True)


class PeerRequestSerializer(serializers.ModelSerializer[Review]):
    cycle = serializers.IntegerField(source="participant.cycle_id", read_only=True)
    cycle_name = serializers.CharField(source="participant.cycle.name", read_only=True)
    reviewee = serializers.IntegerField(source="participant.reviewee_id", read_only=True)
    reviewee_name = serializers.CharField(
        source="participant.reviewee.display_name", read_only=True
    )
    reviewer_kind = serializers.CharField(source="kind", read_only=True, help_text="peer or upward")
    review_status = serializers.CharField(source="status", read_only=True)
    anonymous = serializers.BooleanField(source="participant.cycle.peers_anonymous", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "participant",
            "cycle",
            "cycle_name",
            "reviewee",
            "reviewee_name",
            "reviewer_kind",
            "review_status",
            "anonymous",
            "version",
        ]
        read_only_fields = fields


class PeerSettingsSerializer(serializers.ModelSerializer[ReviewCycle]):
    peer_minimum = serializers.IntegerField(min_value=0, max_value=MOST_PEERS)
    peer_maximum = serializers.IntegerField(min_value=1, max_value=MOST_PEERS)
    anonymity_threshold = serializers.IntegerField(min_value=2, max_value=HIGHEST_THRESHOLD)
    peers_anonymous = serializers.BooleanField()
    upward_reviews = serializers.BooleanField()

    class Meta:
        model = ReviewCycle
        fields = [
            "id",
            "peer_minimum",
            "peer_maximum",
            "anonymity_threshold",
            "peers_anonymous",
            "upward_reviews",
        ]
        read_only_fields = ["id"]


class LevelCountSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="label", help_text="The level's label.")
    value = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.IntegerField()


class ItemResultSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="label", help_text="The competency, if any.")
    distribution = LevelCountSerializer(many=True)
    average = serializers.CharField(help_text="Empty when nobody rated it.")
    rated = serializers.IntegerField()


class NamedAnswerSerializer(serializers.Serializer[Any]):
    author = serializers.CharField()
    rating = serializers.CharField()
    text = serializers.CharField()


class QuestionResultSerializer(serializers.Serializer[Any]):
    question_id = serializers.IntegerField(source="question.id")
    prompt = serializers.CharField(source="question.prompt")
    items = ItemResultSerializer(many=True)
    texts = serializers.ListField(
        child=serializers.CharField(), help_text="Alphabetical, without authors."
    )
    named = NamedAnswerSerializer(many=True, help_text="Named cycles only.")


class GroupResultSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="peer or upward")
    name = serializers.CharField(source="label")
    shown = serializers.BooleanField(help_text="False: not enough responses.")
    respondents = serializers.IntegerField(
        allow_null=True, help_text="Null unless shown (a count below the threshold is not told)."
    )
    questions = QuestionResultSerializer(many=True)


class PeerResultsSerializer(serializers.Serializer[PeerResults]):
    participant = serializers.IntegerField(source="participant.pk")
    readable = serializers.BooleanField(
        help_text="False before the peer phase closed (for the reviewee: before release)."
    )
    anonymous = serializers.BooleanField()
    threshold = serializers.IntegerField()
    groups = GroupResultSerializer(many=True)
