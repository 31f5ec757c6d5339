"""One vocabulary across the apps: who acts, validation, not found."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404

from perfmgmt.errors import DomainError, NotFoundError, PermissionDeniedError, full_clean_or_raise
from perfmgmt.tenancy.models import Team
from perfmgmt.tenancy.policies import person_of, require_person
from tests.conftest import OrgPeople

ROOT = Path(settings.BASE_DIR)
SERVICE_MODULES = sorted(
    path
    for app in ("perfmgmt", "goals", "feedback", "reviews", "rewards")
    for path in (ROOT / app).rglob("*.py")
    if "services" in path.parts or path.name == "services.py"
)
# Private copies of the shared helpers that the apps used to keep (`person_of` answers "a
# person or an API key?" everywhere).
LOCAL_COPIES = re.compile(r"^def (_person|acting_person|is_person|_full_clean|_as_int)\(", re.M)


def test_services_never_raise_http404() -> None:
    assert SERVICE_MODULES
    offenders = [
        str(path.relative_to(ROOT)) for path in SERVICE_MODULES if "Http404" in path.read_text()
    ]

    assert offenders == []


def test_no_app_keeps_its_own_copy_of_the_actor_validation_or_id_helpers() -> None:
    modules = [
        path for app in ("perfmgmt", "goals", "feedback") for path in (ROOT / app).rglob("*.py")
    ]
    copies = [
        str(path.relative_to(ROOT)) for path in modules if LOCAL_COPIES.search(path.read_text())
    ]

    assert copies == []


@pytest.mark.django_db
def test_require_person_refuses_an_api_key_and_returns_a_person(org: OrgPeople, scope) -> None:
    from perfmgmt.api import services as credential_services

    credential, _key = credential_services.credential_create(
        actor=org.owner, name="Sync", scopes=["members:read"]
    )

    assert require_person(org.report, "people only") == org.report
    assert person_of(credential) is None
    with pytest.raises(PermissionDeniedError, match="people only"):
        require_person(credential, "people only")


@pytest.mark.django_db
def test_full_clean_or_raise_turns_validation_into_field_messages(org: OrgPeople, scope) -> None:
    team = Team(name="", organization=org.organization)

    with pytest.raises(DomainError) as raised:
        full_clean_or_raise(team, exclude=["organization"])

    assert set(raised.value.fields) == {"name"}
    assert not isinstance(raised.value, ValidationError)


def test_not_found_is_a_404_domain_error() -> None:
    error = NotFoundError("No such note.")

    assert isinstance(error, DomainError)
    assert isinstance(error, Http404)
    assert (error.status_code, error.code, error.message) == (404, "not_found", "No such note.")


def test_a_page_answers_a_service_not_found_with_404_not_a_form_error() -> None:
    from perfmgmt.web.form_views import attempt

    def missing() -> None:
        raise NotFoundError("No such note.")

    with pytest.raises(Http404):
        attempt(missing, shown=True)
