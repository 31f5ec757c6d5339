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
