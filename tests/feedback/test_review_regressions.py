"""Privacy review: what people wrote stays with the people who may read it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import OrgPeople
from tests.factories import UserFactory

from .factories import make_coaching_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> Client:
    client = Client()
    user = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_admin_does_not_show_what_a_coaching_record_says(
    org: OrgPeople, operator: Client
) -> None:
    record = make_coaching_record(org.manager, org.report, topic="Drinking at work")
    listing = operator.get(reverse("admin:feedback_coachingrecord_changelist"))
    page = operator.get(reverse("admin:feedback_coachingrecord_change", args=[record.pk]))
    assert listing.status_code == 200
    assert page.status_code == 200
    assert b"Drinking at work" not in listing.content
    assert b"Drinking at work" not in page.content
