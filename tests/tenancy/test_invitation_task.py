"""The invitation email task is given ids only: no secret goes through the broker."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import mail

from perfmgmt.tenancy import services, tasks
from perfmgmt.tenancy.models import Invitation
from tests.conftest import OrgPeople
from tests.tenancy.test_services import link_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What would be written to the broker for each invitation email, as JSON; the task
    still runs (eagerly), so the email is really sent."""
    sent: list[str] = []
    task = tasks.send_invitation_email
    real_delay = task.delay

    def delay(*args: Any, **kwargs: Any) -> Any:
        sent.append(json.dumps({"args": args, "kwargs": kwargs}))
        return real_delay(*args, **kwargs)

    monkeypatch.setattr(task, "delay", delay)
    return sent


def test_the_invitation_task_receives_ids_and_never_the_link_token(
    org: OrgPeople, broker_messages: list[str], django_capture_on_commit_callbacks, scope
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        member = services.member_invite(actor=org.hr, email="new.one@example.com")

    token = link_token(mail.outbox[0])
    invitation = Invitation.objects.get(membership=member)
    assert broker_messages == [
        json.dumps({"args": [org.organization.pk, invitation.pk], "kwargs": {}})
    ]
    assert token not in broker_messages[0]
    assert services.invitation_find(token=token) == invitation


def test_sending_the_same_invitation_again_sends_the_same_working_link(
    org: OrgPeople, scope
) -> None:
    member = services.member_invite(actor=org.hr, email="again@example.com", send_email=False)
    invitation = Invitation.objects.get(membership=member)

    assert services.invitation_email_send(invitation_id=invitation.pk)
    assert services.invitation_email_send(invitation_id=invitation.pk)

    first, second = (link_token(message) for message in mail.outbox)
    assert first == second
    assert services.invitation_find(token=first) == invitation
    assert invitation.token_salt not in mail.outbox[0].body


def test_a_used_invitation_is_not_sent_again(org: OrgPeople, scope) -> None:
    member = services.member_invite(actor=org.hr, email="used@example.com", send_email=False)
    invitation = Invitation.objects.get(membership=member)
    services.invitation_accept(
        invitation=invitation, user=member.user, password="a-long-passphrase-1"
    )

    assert not services.invitation_email_send(invitation_id=invitation.pk)
    assert mail.outbox == []
