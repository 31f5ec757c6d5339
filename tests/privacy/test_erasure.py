"""Erasing one person: their data goes, other people's records and the figures stay."""

from __future__ import annotations

import json
import os

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from feedback.meetings.models import PrivateNote, TalkingPoint
from feedback.models import CheckIn, Feedback
from goals.models import Goal, GoalUpdate
from perfmgmt.accounts.models import User
from perfmgmt.audit.models import AuditEntry
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.privacy.models import PersonalDataExport, PersonErasure
from perfmgmt.privacy.services import person_erase
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus
from reviews.models import ReviewAnswer
from tests.conftest import PASSWORD, OrgPeople
from tests.privacy.scenario import build_scenario, request_export, share_login

pytestmark = pytest.mark.django_db


def erase(org: OrgPeople, person: Membership, *, blank: bool = True, confirm: str = "") -> None:
    with organization_scope(org.organization):
        person_erase(
            actor=org.owner,
            person=person,
            confirmation=confirm or person.display_name,
            blank_texts=blank,
        )


def ratings_of() -> list[str]:
    return sorted(str(rating) for rating in ReviewAnswer.objects.values_list("rating", flat=True))


def login_row(user: User) -> dict[str, object]:
    return dict(User.objects.filter(pk=user.pk).values().get())


def test_erasure_removes_the_name_and_keeps_the_records_and_figures(org, other_org):
    scenario = build_scenario(org, other_org)
    with organization_scope(org.organization):
        progress = Goal.objects.get(pk=scenario.goal.pk).progress
        ratings = ratings_of()
        others = list(Goal.objects.filter(pk=scenario.other_goal.pk).values())

    erase(org, org.report)

    with organization_scope(org.organization):
        person = Membership.objects.select_related("user").get(pk=org.report.pk)
        assert person.display_name == "Erased person"
        assert person.status == MembershipStatus.LEFT
        assert person.job_title == ""
        assert Goal.objects.get(pk=scenario.goal.pk).progress == progress
        assert ratings_of() == ratings
        assert list(Goal.objects.filter(pk=scenario.other_goal.pk).values()) == others
        assert Feedback.objects.get(pk=scenario.received.pk).situation == "CORA-TO-RITA"
        assert GoalUpdate.objects.get(comment="RAVI-UPDATE-COMMENT")
        assert PrivateNote.objects.get(text="MAX-PRIVATE-NOTE")
        assert PersonErasure.objects.filter(membership=person).exists()


def test_blanking_empties_the_texts_the_person_wrote(org, other_org):
    scenario = build_scenario(org, other_org)

    erase(org, org.report, blank=True)

    with organization_scope(org.organization):
        assert Feedback.objects.get(pk=scenario.given.pk).situation == "—"
        assert not GoalUpdate.objects.filter(comment="RITA-UPDATE-COMMENT").exists()
        assert not TalkingPoint.objects.filter(text="RITA-TALKING-POINT").exists()
        assert not PrivateNote.objects.filter(text="RITA-PRIVATE-NOTE").exists()
        assert not ReviewAnswer.objects.filter(text="RITA-WROTE-ABOUT-RAVI").exists()
        assert CheckIn.objects.get(person=org.report).answers == []


def test_keeping_the_texts_leaves_them_as_written(org, other_org):
    scenario = build_scenario(org, other_org)

    erase(org, org.report, blank=False)

    with organization_scope(org.organization):
        assert Feedback.objects.get(pk=scenario.given.pk).situation == "RITA-GAVE-FEEDBACK"
        assert TalkingPoint.objects.filter(text="RITA-TALKING-POINT").exists()


def test_a_login_of_another_organization_is_left_byte_for_byte(org, other_org):
    elsewhere = share_login(org.report, other_org)
    before = login_row(org.report.user)

    erase(org, org.report)

    assert login_row(org.report.user) == before
    with organization_scope(other_org.organization):
        assert Membership.objects.get(pk=elsewhere.pk).user_id == org.report.user_id
        assert Goal.objects.filter(title="SHARED-LOGIN-GLOBEX-GOAL").exists()
    with organization_scope(org.organization):
        assert Membership.objects.get(pk=org.report.pk).user_id != org.report.user_id


def test_a_login_of_nobody_else_is_anonymised_and_cannot_sign_in(org, client: Client):
    user = org.report.user
    email = user.email
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)

    erase(org, org.report)

    user.refresh_from_db()
    assert user.email != email
    assert user.full_name == ""
    assert not user.is_active
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not client.login(email=email, password=PASSWORD)


def test_the_erased_person_can_no_longer_enter_the_organization(org, other_org):
    share_login(org.report, other_org)
    client = Client()
    client.force_login(org.report.user)

    erase(org, org.report)

    assert client.get(reverse("web:home", args=[org.organization.slug])).status_code == 404
    assert client.get(reverse("web:home", args=[other_org.organization.slug])).status_code == 200


def test_a_wrong_confirmation_changes_nothing(org, other_org):
    with organization_scope(org.organization):
        before = Membership.objects.filter(pk=org.report.pk).values().get()

    with pytest.raises(DomainError) as refused:
        erase(org, org.report, confirm="Someone Else")

    assert "confirmation" in refused.value.fields
    with organization_scope(org.organization):
        assert Membership.objects.filter(pk=org.report.pk).values().get() == before
        assert not PersonErasure.objects.exists()


def test_the_email_confirms_too(org):
    erase(org, org.report, confirm=f"  {org.report.user.email.upper()} ")

    with organization_scope(org.organization):
        assert PersonErasure.objects.filter(membership=org.report).exists()


def test_only_an_owner_erases_and_never_an_owner(org):
    with organization_scope(org.organization):
        for actor, person in ((org.hr, org.report), (org.owner, org.owner)):
            with pytest.raises(PermissionDeniedError):
                person_erase(
                    actor=actor, person=person, confirmation=person.display_name, blank_texts=True
                )


def test_erasing_twice_is_refused(org):
    erase(org, org.report)

    with organization_scope(org.organization):
        person = Membership.objects.select_related("user").get(pk=org.report.pk)
    with pytest.raises(ConflictError):
        erase(org, person)


def test_the_erasure_is_audited_without_personal_data(org, other_org):
    name, email = org.report.display_name, org.report.user.email

    erase(org, org.report)

    with organization_scope(org.organization):
        entry = AuditEntry.objects.get(action="person.erase")
        entries = list(AuditEntry.objects.filter(created_at__gte=entry.created_at).values())
    assert entry.target_id == str(org.report.pk)
    for row in entries:
        text = json.dumps(row, default=str)
        assert name not in text
        assert email not in text


def test_the_persons_exports_are_deleted(org, other_org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = request_export(org.hr, org.report)
    with organization_scope(org.organization):
        export.refresh_from_db()
    path = export.file.path

    erase(org, org.report)

    with organization_scope(org.organization):
        assert not PersonalDataExport.objects.exists()
    assert not os.path.exists(path)
