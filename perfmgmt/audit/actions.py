"""What each recorded action is called on the audit page, and the kind of change it belongs to.

Services record actions by a stable name ("member.update"); people read a label in their
language. Names unknown here (a new service that forgot to add its label) are still listed,
under their own name and in the group their prefix says. A group is a set of prefixes
(the part of the name before the first dot), plus actions ending in `exported` for exports,
so the filter by group is a few `startswith` conditions, not a list that grows with the
catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    "audit.exported": _("Audit log exported"),
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


def register(
    *,
    labels: Mapping[str, str | Promise] | None = None,
    target_types: Mapping[str, str | Promise] | None = None,
) -> None:
    """Add an app's action labels and the kinds of object its entries are about. Apps call
    it from their own `audit_labels.py`, which the audit app imports at start-up: the
    foundation names no feature app."""
    LABELS.update(labels or {})
    TARGET_TYPES.update(target_types or {})


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
}


def target_type_label(target_type: str) -> str:
    label = TARGET_TYPES.get(target_type)
    return target_type if label is None else str(label)


def target_type_choices() -> list[tuple[str, str]]:
    return sorted(
        ((key, str(label)) for key, label in TARGET_TYPES.items()), key=lambda item: item[1]
    )
