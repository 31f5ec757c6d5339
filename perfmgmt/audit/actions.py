"""What each recorded action is called on the audit page, and the kind of change it belongs to.

Services record actions by a stable name ("member.update"); people read a label in their
language. Names unknown here (a new service that forgot to add its label) are still listed,
under their own name and in the group their prefix says. A group is a set of prefixes
(the part of the name before the first dot), plus actions ending in `exported` for exports,
so the filter by group is a few `startswith` conditions, not a list that grows with the
catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ActionGroup:
    key: str
    label: str | Promise
    prefixes: tuple[str, ...]

    def condition(self) -> Q:
        condition = Q()
        for prefix in self.prefixes:
            condition |= Q(action__startswith=f"{prefix}.")
        return condition


GROUPS: tuple[ActionGroup, ...] = (
    ActionGroup("people", _("People, roles and reporting lines"), ("member", "people", "scim")),
    ActionGroup("organization", _("Organization and teams"), ("organization", "team")),
    ActionGroup(
        "access", _("API keys, webhooks and sign-in"), ("api_credential", "webhook", "sso")
    ),
    ActionGroup(
        "goals",
        _("Goals and development"),
        ("goals", "development_plan", "competency", "competency_category"),
    ),
    ActionGroup(
        "reviews",
        _("Reviews and ratings"),
        (
            "review",
            "review_cycle",
            "review_participant",
            "review_template",
            "rating_scale",
            "peer_nomination",
            "improvement_plan",
        ),
    ),
    ActionGroup("calibration", _("Calibration"), ("calibration",)),
    ActionGroup("one_on_ones", _("1:1 meetings"), ("one_on_one",)),
    ActionGroup("check_ins", _("Check-ins and feedback"), ("checkin", "feedback")),
    ActionGroup("exports", _("Exports"), ("export", "audit")),
    ActionGroup(
        "privacy",
        _("Personal data and erasure"),
        ("privacy", "erasure", "person", "person_data", "personal_data"),
    ),
)

GROUPS_BY_KEY = {group.key: group for group in GROUPS}

LABELS: dict[str, str | Promise] = {
    "member.invite": _("Person invited"),
    "member.invitation_resend": _("Invitation sent again"),
    "member.join": _("Person joined"),
    "member.update": _("Person changed (role, manager, details)"),
    "member.deactivate": _("Person deactivated"),
    "member.reactivate": _("Person reactivated"),
    "people.sync": _("People synced from an HR system"),
    "scim.user.create": _("Person provisioned (SCIM)"),
    "scim.user.replace": _("Person replaced (SCIM)"),
    "scim.user.patch": _("Person changed (SCIM)"),
    "scim.user.delete": _("Person removed (SCIM)"),
    "scim.group.create": _("Team provisioned (SCIM)"),
    "scim.group.replace": _("Team replaced (SCIM)"),
    "scim.group.patch": _("Team changed (SCIM)"),
    "scim.group.delete": _("Team removed (SCIM)"),
    "organization.update": _("Organization settings changed"),
    "team.create": _("Team created"),
    "team.update": _("Team changed"),
    "team.delete": _("Team deleted"),
    "api_credential.create": _("API key created"),
    "api_credential.revoke": _("API key revoked"),
    "goals.agreed": _("Goal agreed"),
    "goals.agreed_goal_changed": _("Agreed goal changed"),
    "goals.agreed_terms_changed": _("Agreed goal terms changed"),
    "goals.settings_changed": _("Goal settings changed"),
    "development_plan.agree": _("Development plan agreed"),
    "development_plan.reopen": _("Development plan reopened"),
    "development_plan.comment": _("Development plan commented"),
    "development_plan.close": _("Development plan closed"),
    "competency.create": _("Competency created"),
    "competency.update": _("Competency changed"),
    "competency_category.create": _("Competency category created"),
    "competency_category.update": _("Competency category changed"),
    "review.submitted": _("Review submitted"),
    "review.reopen": _("Review reopened"),
    "review.released": _("Review released"),
    "review.answer_corrected": _("Rating corrected after release"),
    "review.answer_calibrated": _("Rating changed by calibration"),
    "review_cycle.create": _("Review cycle created"),
    "review_cycle.update": _("Review cycle changed"),
    "review_cycle.launch": _("Review cycle launched"),
    "review_cycle.phases": _("Review phases changed"),
    "review_cycle.peer_settings": _("Peer feedback settings changed"),
    "review_participant.add_late": _("Late participant added"),
    "review_participant.extend": _("Deadline extended"),
    "review_participant.manager_change": _("Reviewing manager changed"),
    "review_template.create": _("Review template created"),
    "rating_scale.create": _("Rating scale created"),
    "rating_scale.update": _("Rating scale changed"),
    "peer_nomination.approved": _("Peer nomination approved"),
    "peer_nomination.declined": _("Peer nomination declined"),
    "peer_nomination.removed": _("Peer nomination removed"),
    "improvement_plan.drafted": _("Improvement plan drafted"),
    "improvement_plan.edited": _("Improvement plan edited"),
    "improvement_plan.submitted": _("Improvement plan submitted"),
    "improvement_plan.approved": _("Improvement plan approved"),
    "improvement_plan.returned": _("Improvement plan returned"),
    "improvement_plan.acknowledged": _("Improvement plan acknowledged"),
    "improvement_plan.outcome": _("Improvement plan outcome recorded"),
    "calibration.session_opened": _("Calibration session opened"),
    "calibration.session_locked": _("Calibration session locked"),
    "calibration.target_set": _("Calibration target distribution set"),
    "calibration.adjusted": _("Rating adjusted in calibration"),
    "calibration.transferred": _("Calibration placement moved"),
    "calibration.exported": _("Calibration exported"),
    "calibration.cycles_exported": _("Cycle comparison exported"),
    "one_on_one.series_started": _("1:1 series started"),
    "one_on_one.cadence_changed": _("1:1 cadence changed"),
    "one_on_one.meeting_held": _("1:1 meeting held"),
    "one_on_one.meeting_cancelled": _("1:1 meeting cancelled"),
    "one_on_one.shared_notes_changed": _("1:1 shared notes changed"),
    "one_on_one.action_item_created": _("1:1 action item agreed"),
    "one_on_one.action_item_done": _("1:1 action item done"),
    "one_on_one.action_item_reopened": _("1:1 action item reopened"),
    "checkin.submitted": _("Check-in submitted"),
    "checkin.reviewed": _("Check-in reviewed"),
    "feedback.manager_content_read": _("Manager read a report's private content"),
    "audit.exported": _("Audit log exported"),
    "export.goals": _("Goals exported"),
    "export.checkin-coverage": _("Check-in coverage exported"),
    "export.one-on-one-coverage": _("1:1 coverage exported"),
    "export.development-plans": _("Development plans exported"),
    "export.review-results": _("Review results exported"),
    "webhook.create": _("Webhook endpoint registered"),
    "webhook.update": _("Webhook endpoint changed"),
    "webhook.delete": _("Webhook endpoint removed"),
    "webhook.rotate_secret": _("Webhook secret rotated"),
    "webhook.redeliver": _("Webhook delivery sent again"),
    "webhook.auto_disable": _("Webhook endpoint turned off after failures"),
    "sso.configured": _("Single sign-on configured"),
    "personal_data.export_requested": _("Personal data export requested"),
    "personal_data.export_downloaded": _("Personal data export downloaded"),
    "person.erase": _("Person erased"),
}


def action_label(action: str) -> str:
    label = LABELS.get(action)
    return action if label is None else str(label)


def group_of(action: str) -> ActionGroup | None:
    prefix = action.split(".", 1)[0]
    if action.endswith("exported"):
        return GROUPS_BY_KEY["exports"]
    return next((group for group in GROUPS if prefix in group.prefixes), None)


def group_condition(key: str) -> Q:
    """The entries of group `key` (an unknown key: none)."""
    group = GROUPS_BY_KEY.get(key)
    if group is None:
        return Q(pk__in=[])
    condition = group.condition()
    if key == "exports":
        condition |= Q(action__endswith="exported")
    else:
        condition &= ~Q(action__endswith="exported")
    return condition


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The known actions under their group's label, for a select with option groups."""
    grouped: dict[str, list[tuple[str, str]]] = {group.key: [] for group in GROUPS}
    for action in LABELS:
        group = group_of(action)
        if group is not None:
            grouped[group.key].append((action, action_label(action)))
    return [
        (str(group.label), sorted(grouped[group.key], key=lambda choice: choice[1]))
        for group in GROUPS
        if grouped[group.key]
    ]


def group_choices() -> list[tuple[str, str]]:
    return [(group.key, str(group.label)) for group in GROUPS]


# What entries are about, by model label, as the filter offers them. An entry about another
# kind of object is listed under its model label.
TARGET_TYPES: dict[str, str | Promise] = {
    "tenancy.Membership": _("Person"),
    "tenancy.Team": _("Team"),
    "tenancy.Organization": _("Organization"),
    "api.ApiCredential": _("API key"),
    "goals.Goal": _("Goal"),
    "development.DevelopmentPlan": _("Development plan"),
    "development.Competency": _("Competency"),
    "development.CompetencyCategory": _("Competency category"),
    "reviews.ReviewCycle": _("Review cycle"),
    "reviews.Participant": _("Review participant"),
    "reviews.Review": _("Review"),
    "reviews.ReviewAnswer": _("Rating"),
    "reviews.RatingScale": _("Rating scale"),
    "reviews.ReviewTemplate": _("Review template"),
    "reviews.PeerNomination": _("Peer nomination"),
    "reviews.ImprovementPlan": _("Improvement plan"),
    "reviews.CalibrationSession": _("Calibration session"),
    "reviews.CalibrationPlacement": _("Calibration placement"),
    "meetings.OneOnOneSeries": _("1:1 series"),
    "meetings.Meeting": _("1:1 meeting"),
    "meetings.ActionItem": _("1:1 action item"),
    "meetings.TalkingPoint": _("1:1 talking point"),
    "feedback.CheckIn": _("Check-in"),
}


def target_type_label(target_type: str) -> str:
    label = TARGET_TYPES.get(target_type)
    return target_type if label is None else str(label)


def target_type_choices() -> list[tuple[str, str]]:
    return sorted(
        ((key, str(label)) for key, label in TARGET_TYPES.items()), key=lambda item: item[1]
    )
