import re
from pathlib import Path

import pytest

from perfmgmt.tenancy.context import NoActiveOrganization, organization_scope
from perfmgmt.tenancy.models import Membership, Team


def test_querying_a_tenant_model_without_an_active_organization_raises(org):
    with pytest.raises(NoActiveOrganization):
        list(Membership.objects.all())


def test_a_scope_shows_only_its_own_organizations_rows(org, other_org):
    with organization_scope(org.organization):
        ids = set(Membership.objects.values_list("id", flat=True))
    assert org.report.pk in ids
    assert other_org.report.pk not in ids
    assert len(ids) == 6


def test_saving_a_row_of_another_organization_inside_a_scope_is_refused(org, other_org):
    with organization_scope(org.organization), pytest.raises(PermissionError):
        Team(organization=other_org.organization, name="Sneaky").save()


def test_a_new_row_takes_the_active_organization(org):
    with organization_scope(org.organization):
        team = Team.objects.create(name="Design")
    assert team.organization_id == org.organization.pk


# Modules allowed to read across organizations through `unscoped`, and why. A new use has
# to be reviewed and added here; an empty `unscoped.none()` (a placeholder queryset) is fine.
REVIEWED_UNSCOPED_USES = {
    "perfmgmt/tenancy/selectors.py": "a login's memberships, before any organization is known",
    "perfmgmt/tenancy/facts.py": (
        "facts about a person read with their membership, correlated to its organization"
    ),
    "perfmgmt/tenancy/services/invitations.py": "an invitation found by its emailed token",
    "perfmgmt/tenancy/admin.py": "the Django admin, for staff only",
    "perfmgmt/api/authentication.py": "an API key found by its prefix",
    "perfmgmt/integrations/sso/selectors.py": "an organization's SSO found at sign-in",
    "perfmgmt/notifications/outbox.py": (
        "a batch the broker refused, marked not queued after commit, by its organization's id"
    ),
}


def test_only_reviewed_modules_read_through_the_unscoped_manager():
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"\.unscoped\b(?!\.none\(\))")
    found = set()
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith((".venv/", "tests/", ".local/")) or "/migrations/" in relative:
            continue
        if relative == "perfmgmt/tenancy/scoping.py":
            continue
        if pattern.search(path.read_text()):
            found.add(relative)
    assert found <= set(REVIEWED_UNSCOPED_USES), sorted(found - set(REVIEWED_UNSCOPED_USES))
