"""Typed factories. Tenant rows take their organization explicitly (never from context)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from perfmgmt.accounts.models import User
from perfmgmt.tenancy.models import Membership, MembershipStatus, Organization, Role, Team


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password("correct horse battery")


class OrganizationFactory(DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    time_zone = "Europe/Berlin"


class TenantFactory(DjangoModelFactory):
    """Creates tenant rows inside their own organization's scope (the managers fail closed)."""

    class Meta:
        abstract = True

    organization = factory.SubFactory(OrganizationFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from perfmgmt.tenancy.context import organization_scope

        with organization_scope(kwargs["organization"]):
            return super()._create(model_class, *args, **kwargs)


class TeamFactory(TenantFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class MembershipFactory(TenantFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    full_name = factory.LazyAttribute(lambda member: member.user.full_name)
    role = Role.EMPLOYEE
    status = MembershipStatus.ACTIVE
    # Not Faker("job"): a random title can contain a word a search test looks for.
    job_title = factory.Sequence(lambda n: f"Specialist {n}")
